// SPDX-License-Identifier: Apache-2.0
#include "lua/line_coverage.hpp"

#include "lua/budget.hpp"

#include <algorithm>
#include <cstring>
#include <set>
#include <stdexcept>

namespace vitals::detail {

namespace {

// Reads the function dump of Lua 5.4 (ldump.c), keeping only what line
// numbers need. Any malformed input throws std::runtime_error.
class DumpReader {
 public:
  explicit DumpReader(std::string_view data) : data_(data) {}

  void read_chunk(std::set<int>& lines) {
    static constexpr char kSignature[] = "\x1bLua";
    take(4);
    if (std::memcmp(data_.data(), kSignature, 4) != 0) throw std::runtime_error("not a Lua dump");
    if (byte() != 0x54 || byte() != 0) throw std::runtime_error("not a Lua 5.4 dump");
    take(6);  // LUAC_DATA
    const int instruction = byte();
    const int integer = byte();
    const int number = byte();
    if (instruction != 4) throw std::runtime_error("unexpected instruction size");
    skip(static_cast<std::size_t>(integer) + static_cast<std::size_t>(number));
    integer_size_ = static_cast<std::size_t>(integer);
    number_size_ = static_cast<std::size_t>(number);
    byte();  // upvalues of the main function
    read_function(lines, 0);
  }

 private:
  void read_function(std::set<int>& lines, int depth) {
    if (depth > 200) throw std::runtime_error("functions nested too deeply");
    skip_string();  // source
    const int line_defined = static_cast<int>(size());
    size();  // last line defined
    byte();  // parameters
    const bool vararg = byte() != 0;
    byte();  // stack size
    const std::size_t code = size();
    skip(code * 4);
    const std::size_t constants = size();
    for (std::size_t i = 0; i < constants; ++i) {
      switch (byte()) {
        case 3:  // integer
          skip(integer_size_);
          break;
        case 19:  // float
          skip(number_size_);
          break;
        case 4:   // short string
        case 20:  // long string
          skip_string();
          break;
        default:  // nil, false, true
          break;
      }
    }
    skip(size() * 3);  // upvalues: in stack, index, kind
    const std::size_t protos = size();
    for (std::size_t i = 0; i < protos; ++i) read_function(lines, depth + 1);
    // Debug information.
    const std::size_t line_count = size();
    std::string_view deltas = take(line_count);
    const std::size_t absolute_count = size();
    std::vector<std::pair<std::size_t, int>> absolute;  // (pc, line)
    for (std::size_t i = 0; i < absolute_count; ++i) {
      std::size_t pc = size();
      absolute.emplace_back(pc, static_cast<int>(size()));
    }
    const std::size_t locals = size();
    for (std::size_t i = 0; i < locals; ++i) {
      skip_string();
      size();
      size();
    }
    const std::size_t upvalue_names = size();
    for (std::size_t i = 0; i < upvalue_names; ++i) skip_string();

    if (line_count != code) throw std::runtime_error("the dump has no line information");
    // Lines as ldebug.c's nextline walks them; the first instruction of a
    // vararg function (VARARGPREP) and the final return are left out.
    int line = line_defined;
    std::size_t next_absolute = 0;
    for (std::size_t pc = 0; pc < line_count; ++pc) {
      const auto delta = static_cast<signed char>(deltas[pc]);
      if (delta != -0x80) {
        line += delta;
      } else {
        while (next_absolute < absolute.size() && absolute[next_absolute].first < pc) ++next_absolute;
        if (next_absolute == absolute.size() || absolute[next_absolute].first != pc)
          throw std::runtime_error("bad absolute line information");
        line = absolute[next_absolute].second;
      }
      if ((pc == 0 && vararg) || pc + 1 == line_count) continue;
      lines.insert(line);
    }
  }

  std::string_view take(std::size_t n) {
    if (n > data_.size() - at_) throw std::runtime_error("the dump ends early");
    std::string_view out = data_.substr(at_, n);
    at_ += n;
    return out;
  }
  void skip(std::size_t n) { take(n); }
  int byte() { return static_cast<unsigned char>(take(1)[0]); }
  std::size_t size() {
    std::size_t x = 0;
    for (int i = 0; i < 10; ++i) {
      const int b = byte();
      x = (x << 7) | static_cast<std::size_t>(b & 0x7f);
      if ((b & 0x80) != 0) return x;
    }
    throw std::runtime_error("bad size in the dump");
  }
  void skip_string() {
    const std::size_t n = size();
    if (n > 0) skip(n - 1);
  }

  std::string_view data_;
  std::size_t at_ = 0;
  std::size_t integer_size_ = 8;
  std::size_t number_size_ = 8;
};

int append_to(lua_State* /*L*/, const void* p, std::size_t size, void* ud) {
  static_cast<std::string*>(ud)->append(static_cast<const char*>(p), size);
  return 0;
}

}  // namespace

bool executable_lines(std::string_view dump, std::vector<int>& lines, std::string& error) {
  try {
    std::set<int> found;
    DumpReader(dump).read_chunk(found);
    lines.assign(found.begin(), found.end());
    return true;
  } catch (const std::runtime_error& e) {
    error = e.what();
    return false;
  }
}

void LineCoverage::add_lines(const std::string& name, const std::vector<int>& lines) {
  File& file = files_[name];
  std::vector<int> merged;
  std::set_union(file.executable.begin(), file.executable.end(), lines.begin(), lines.end(),
                 std::back_inserter(merged));
  file.executable = std::move(merged);
  // Sized now, so that hit() never allocates.
  const std::size_t size = file.executable.empty() ? 1 : file.executable.back() + 1;
  if (file.hit.size() < size) file.hit.resize(size, 0);
}

void LineCoverage::add_chunk(lua_State* L, int index) {
  index = lua_absindex(L, index);
  lua_Debug ar;
  lua_pushvalue(L, index);
  lua_getinfo(L, ">S", &ar);
  if (ar.source == nullptr || ar.source[0] != '@') return;
  const std::string name = ar.source + 1;
  std::string dump;
  lua_pushvalue(L, index);
  const int status = lua_dump(L, append_to, &dump, 0);
  lua_pop(L, 1);
  std::vector<int> lines;
  std::string error;
  if (status != 0 || !executable_lines(dump, lines, error)) {
    luaL_error(L, "cannot read the lines of %s: %s", name.c_str(), error.c_str());
  }
  add_lines(name, lines);
}

bool LineCoverage::add_source(const std::string& chunk_name, std::string_view text,
                              std::size_t max_bytes) {
  Budget budget;
  budget.max_bytes = max_bytes;
  lua_State* L = lua_newstate(budget_alloc, &budget);
  if (L == nullptr) return false;
  const std::string chunk = "@" + chunk_name;
  bool ok = false;
  std::string dump;
  if (luaL_loadbufferx(L, text.data(), text.size(), chunk.c_str(), "t") == LUA_OK &&
      lua_dump(L, append_to, &dump, 0) == 0) {
    std::vector<int> lines;
    std::string error;
    if (executable_lines(dump, lines, error)) {
      add_lines(chunk_name, lines);
      ok = true;
    }
  }
  lua_close(L);
  return ok;
}

void LineCoverage::hit(const char* source, int line) noexcept {
  if (source == nullptr || source[0] != '@' || line <= 0) return;
  const char* name = source + 1;
  if (last_name_ == nullptr || std::strcmp(name, last_name_->c_str()) != 0) {
    auto it = files_.find(std::string_view(name));
    if (it == files_.end()) return;
    last_name_ = &it->first;
    last_ = &it->second;
  }
  if (static_cast<std::size_t>(line) < last_->hit.size()) last_->hit[static_cast<std::size_t>(line)] = 1;
}

}  // namespace vitals::detail
