// SPDX-License-Identifier: Apache-2.0
#include "common/install_layout.hpp"

#include <vitals/install.hpp>

#include <dlfcn.h>
#include <system_error>

namespace vitals {
namespace detail {

namespace fs = std::filesystem;

fs::path module_dir() {
  Dl_info info{};
  if (::dladdr(reinterpret_cast<void*>(&module_dir), &info) == 0 || info.dli_fname == nullptr) {
    return {};
  }
  std::error_code ec;
  fs::path here = fs::canonical(info.dli_fname, ec);
  if (ec) here = info.dli_fname;
  return here.parent_path();
}

std::vector<fs::path> layout_roots(const fs::path& dir) {
  return {dir, dir.parent_path(), dir.parent_path().parent_path()};
}

}  // namespace detail

std::filesystem::path shipped_rules_dir() {
  const std::filesystem::path dir = detail::module_dir();
  if (dir.empty()) return {};
  for (const std::filesystem::path& root : detail::layout_roots(dir)) {
    std::filesystem::path rules = root / "share" / "vitals" / "rules";
    std::error_code ec;
    if (std::filesystem::is_directory(rules, ec)) return rules;
  }
  return {};
}

}  // namespace vitals
