// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <string_view>

#include <vitals/export.hpp>

namespace vitals {

/// How a catalogue names a rule pack that ships with Vitals in `rule_dirs`:
/// "vitals:council" is the council's four criteria, "vitals:spc" the
/// statistical process control pack, "vitals:benchmark" the comparator rule.
inline constexpr std::string_view kShippedRulesPrefix = "vitals:";

/// The folder that holds the rule packs shipped with Vitals (council/, spc/,
/// benchmark/, lib/): share/vitals/rules of the tree libvitals is installed in
/// (found from the library's own location, so any prefix works), or, for a
/// library run from its build tree, the build tree's share/vitals/rules (a
/// link to the source tree's rules/). Empty when neither exists.
/// Thread safety: safe to call from any thread.
VITALS_API std::filesystem::path shipped_rules_dir();

}  // namespace vitals
