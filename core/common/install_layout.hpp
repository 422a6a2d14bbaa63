// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <vector>

namespace vitals::detail {

/// The directory of the library or program holding this code (libvitals, or
/// a test program that links the engine's code directly), or empty.
std::filesystem::path module_dir();

/// The folders an installed or built tree can be rooted at, seen from
/// `dir` (module_dir()): `dir` itself (the build tree holds libvitals at its
/// top), its parent (test programs one level down; an installed lib/), and
/// its grandparent (an installed lib/<multiarch>/).
std::vector<std::filesystem::path> layout_roots(const std::filesystem::path& dir);

}  // namespace vitals::detail
