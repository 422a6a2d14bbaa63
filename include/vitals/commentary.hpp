// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include <vitals/period.hpp>
#include <vitals/source_location.hpp>

namespace vitals {

/// The parts of a report card that officers write (the rest comes from the
/// catalogue and the data).
enum class CommentarySection {
  kExplanation,  // "What explains current performance?"
  kSuccess,      // "What will success look like?"
  kActions,      // "Action required"
};

/// Every section, in the order a card shows them.
inline constexpr std::array<CommentarySection, 3> kCommentarySections = {
    CommentarySection::kExplanation, CommentarySection::kSuccess, CommentarySection::kActions};

/// The key of `section` in a commentary TOML file: "explanation", "success"
/// or "actions".
inline const char* commentary_section_key(CommentarySection section) {
  switch (section) {
    case CommentarySection::kExplanation: return "explanation";
    case CommentarySection::kSuccess: return "success";
    case CommentarySection::kActions: return "actions";
  }
  return "explanation";
}

/// The heading of `section` on a card, and in a commentary Markdown file:
/// "What explains current performance?", "What will success look like?" or
/// "Action required".
inline const char* commentary_section_heading(CommentarySection section) {
  switch (section) {
    case CommentarySection::kExplanation: return "What explains current performance?";
    case CommentarySection::kSuccess: return "What will success look like?";
    case CommentarySection::kActions: return "Action required";
  }
  return "What explains current performance?";
}

/// What an officer wrote for one indicator's report card, applying from a
/// period until a later entry replaces it. Text is plain: paragraphs are
/// separated by blank lines, and lines starting "- " or "1. " are list items.
/// An empty section has not been written.
struct Commentary {
  std::string indicator_id;
  Period from;
  std::string explanation;
  std::string success;
  std::string actions;
  /// The [[commentary]] entry in a TOML file, or the Markdown file.
  SourceLocation location;

  const std::string& section(CommentarySection s) const {
    switch (s) {
      case CommentarySection::kExplanation: return explanation;
      case CommentarySection::kSuccess: return success;
      case CommentarySection::kActions: return actions;
    }
    return explanation;
  }
};

/// The commentary of a catalogue (its commentary/ directory).
/// Thread safety: a value; safe to share once built.
struct CommentarySet {
  /// Sorted by (indicator_id, from); at most one entry per pair.
  std::vector<Commentary> entries;

  /// The entry a card for `indicator_id` shows when reporting `period`: of
  /// the entries whose `from` starts no later than the end of `period`, the
  /// one starting latest (between two starting in the same month, the
  /// shorter: "2017-01" over "2017-Q1"), or nullptr when there is none.
  const Commentary* find(std::string_view indicator_id, const Period& period) const {
    const Commentary* best = nullptr;
    for (const Commentary& c : entries) {
      if (c.indicator_id != indicator_id) continue;
      if (c.from.first_month_index() > period.last_month_index()) continue;
      if (best == nullptr || best->from.first_month_index() < c.from.first_month_index() ||
          (best->from.first_month_index() == c.from.first_month_index() &&
           c.from.length_in_months() < best->from.length_in_months())) {
        best = &c;
      }
    }
    return best;
  }
};

}  // namespace vitals
