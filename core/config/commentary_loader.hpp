// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <vitals/catalogue.hpp>
#include <vitals/commentary.hpp>
#include <vitals/diagnostic.hpp>

#include <vector>

namespace vitals::detail {

/// The outcome of reading a catalogue's commentary directory.
struct LoadedCommentary {
  /// Every entry that could be read; an entry with errors is left out.
  CommentarySet commentary;
  /// Errors and warnings, sorted (vitals::sort_and_deduplicate).
  std::vector<Diagnostic> diagnostics;
};

/// Reads <catalogue.root>/commentary/, written by officers in two forms:
///
///   <indicator id>.toml       [[commentary]] entries: from = "YYYY-MM" (any
///                             period form), explanation, success, actions
///   <indicator id>/<period>.md  one entry from <period> ("2017-03.md";
///                             a financial year is written "2016_17.md"),
///                             with the sections "## What explains current
///                             performance?", "## What will success look
///                             like?" and "## Action required"
///
/// Both forms may be used for one indicator; their entries are merged by
/// period. Checked strictly, each problem located at file:line:column:
/// unknown keys ("config.unknown_key"), wrong types ("config.type"), a
/// missing `from` ("config.missing_key"), TOML syntax ("config.syntax"), a
/// bad period ("commentary.bad_period"), an id the catalogue does not define
/// ("commentary.unknown_indicator"), a heading that is not one of the three
/// ("commentary.unknown_section"), a section given twice
/// ("commentary.duplicate_section"), the same period twice, within a file or
/// across the two forms ("commentary.duplicate"; the Markdown file is kept).
/// Warnings: an entry with no text ("commentary.empty"), text before the first
/// section of a Markdown file ("commentary.text_outside_section"), files of
/// other kinds ("commentary.unexpected_file"). Hidden files are ignored. A
/// catalogue without a commentary directory has no commentary and no
/// diagnostics. Files over kMaxConfigFileBytes are refused. Never throws.
/// Thread safety: safe to call concurrently; shares no state.
LoadedCommentary load_commentary(const Catalogue& catalogue);

}  // namespace vitals::detail
