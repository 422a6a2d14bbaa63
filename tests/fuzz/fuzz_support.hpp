// SPDX-License-Identifier: Apache-2.0
#pragma once

// Shared by the libFuzzer harnesses: a private scratch folder per process and
// a way to write the fuzzer's bytes into a file there, for the loaders that
// read files.

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace vitals::fuzz {

/// A folder of this process's own, made on first use and kept for the run.
inline const std::filesystem::path& scratch() {
  static const std::filesystem::path dir = [] {
    std::filesystem::path d = std::filesystem::temp_directory_path() /
                              ("vitals-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    return d;
  }();
  return dir;
}

/// Writes `bytes` to scratch()/relative (creating folders) and returns the path.
inline std::filesystem::path write_file(const std::string& relative, std::string_view bytes) {
  std::filesystem::path path = scratch() / relative;
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) std::abort();
  return path;
}

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// Splits the input at the first occurrence of `separator` (the whole input
/// and an empty second part when there is none), so one input can fill two files.
inline std::pair<std::string_view, std::string_view> split_at(std::string_view text,
                                                            std::string_view separator) {
  std::size_t at = text.find(separator);
  if (at == std::string_view::npos) return {text, {}};
  return {text.substr(0, at), text.substr(at + separator.size())};
}

}  // namespace vitals::fuzz
