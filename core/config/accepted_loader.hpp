// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "common/calendar.hpp"  // is_iso_date

#include <vitals/catalogue.hpp>
#include <vitals/diagnostic.hpp>
#include <vitals/lifecycle.hpp>

#include <vector>

namespace vitals::detail {

/// The outcome of reading a catalogue's accepted.toml.
struct LoadedAcceptances {
  /// Every entry without errors, in file order.
  std::vector<Acceptance> acceptances;
  /// Errors and warnings, sorted (vitals::sort_and_deduplicate).
  std::vector<Diagnostic> diagnostics;
};

/// Reads <catalogue.root>/accepted.toml, where officers record that an
/// exception is accepted until a date:
///
///   [[accepted]]
///   indicator = "dtoc_social_care_per_100k"   # an indicator of the catalogue
///   criterion = "off_target"                  # optional: every criterion when absent
///   until = 2017-06-30                        # a TOML date (or "YYYY-MM-DD")
///   approver = "Director of Adult Social Services"
///   rationale = "Winter pressures; recovery plan agreed with the NHS"
///   approved_on = 2017-04-20                  # optional
///
/// Checked strictly, each problem located at file:line:column: TOML syntax
/// ("config.syntax"), unknown keys ("config.unknown_key"), wrong types
/// ("config.type"), missing keys ("config.missing_key"), empty text or a bad
/// date ("config.bad_value"), an indicator the catalogue does not define
/// ("accepted.unknown_indicator"), the same indicator and criterion twice
/// ("accepted.duplicate"). A catalogue without accepted.toml accepts nothing
/// and has no diagnostics. Never throws.
/// Thread safety: safe to call concurrently; shares no state.
LoadedAcceptances load_acceptances(const Catalogue& catalogue);

/// The file load_acceptances() reads: <catalogue.root>/accepted.toml.
std::filesystem::path acceptances_path(const Catalogue& catalogue);

}  // namespace vitals::detail
