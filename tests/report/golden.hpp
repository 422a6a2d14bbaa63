// SPDX-License-Identifier: Apache-2.0
#pragma once

// Byte-exact comparison with a file under tests/report/golden/. With
// VITALS_UPDATE_GOLDEN=1 in the environment the file is rewritten instead,
// so an intended change of output is one command and a reviewable diff.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace vitals::testing {

inline std::filesystem::path golden_path(const std::string& name) {
  return std::filesystem::path(VITALS_SOURCE_DIR) / "tests" / "report" / "golden" / name;
}

/// "" when `actual` equals the golden file `name` (or the file was updated),
/// else a description of the first difference.
inline std::string compare_golden(const std::string& name, const std::string& actual) {
  const std::filesystem::path path = golden_path(name);
  const char* update = std::getenv("VITALS_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << actual;
    return out ? "" : "cannot write " + path.string();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return "missing golden file " + path.string() + " (run with VITALS_UPDATE_GOLDEN=1 to create it)";
  std::string expected((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (expected == actual) return "";
  std::istringstream e(expected);
  std::istringstream a(actual);
  std::string el;
  std::string al;
  for (int line = 1;; ++line) {
    bool more_e = static_cast<bool>(std::getline(e, el));
    bool more_a = static_cast<bool>(std::getline(a, al));
    if (!more_e && !more_a) break;
    if (!more_e || !more_a || el != al) {
      return path.string() + ":" + std::to_string(line) + " differs\n  expected: " + (more_e ? el : "<end of file>") +
             "\n  actual:   " + (more_a ? al : "<end of file>") +
             "\n(if the change is intended, run with VITALS_UPDATE_GOLDEN=1)";
    }
  }
  return path.string() + " differs only in its final line break";
}

}  // namespace vitals::testing
