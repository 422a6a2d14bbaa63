// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "lua/lua.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace vitals::detail {

/// The lines of a chunk and of every function inside it that hold code Lua
/// runs: the lines lua_getinfo(">L") reports as active for each of those
/// functions, less the line of the return Lua adds at the end of each (the
/// `end` closing a function, or the end of the file), which runs only when
/// nothing returned earlier. `dump` is the chunk as lua_dump writes it with
/// its debug information (Lua 5.4's format). Ascending, without repeats.
/// Returns false and sets `error` when the dump cannot be read.
bool executable_lines(std::string_view dump, std::vector<int>& lines, std::string& error);

/// Which lines of which Lua files ran while coverage was recorded, and which
/// lines each file could have run. The states of one rule test run share one
/// (SandboxConfig::coverage); the instruction hook records lines
/// (budget.hpp) and the loaders note each chunk as they load it.
/// Thread safety: not thread-safe; one per run, used by one thread.
class LineCoverage {
 public:
  struct File {
    std::vector<int> executable;      // ascending
    std::vector<std::uint8_t> hit;    // hit[line] != 0: the line ran
  };

  /// Notes the executable lines of the Lua function at `index`, a chunk just
  /// loaded, under its chunk name without the leading '@'
  /// ("rules/lib/series.lua"). Chunks not named after a file are ignored.
  /// Loading the same chunk again (a state rebuilt) changes nothing.
  /// May raise a Lua error (out of memory); call inside a protected call.
  void add_chunk(lua_State* L, int index);

  /// Notes the executable lines of a file's text without running it (a rule
  /// no test loads). Returns false when the text does not compile.
  bool add_source(const std::string& chunk_name, std::string_view text, std::size_t max_bytes);

  /// Line `line` of the chunk whose source is `source` ("@rules/x.lua") ran.
  /// Lines of chunks never noted are ignored. Never allocates.
  void hit(const char* source, int line) noexcept;

  /// The files noted, by chunk name.
  const std::map<std::string, File, std::less<>>& files() const { return files_; }

 private:
  void add_lines(const std::string& name, const std::vector<int>& lines);

  std::map<std::string, File, std::less<>> files_;
  File* last_ = nullptr;                 // the file of the latest hit
  const std::string* last_name_ = nullptr;
};

}  // namespace vitals::detail
