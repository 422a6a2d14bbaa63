// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <vitals/evaluation.hpp>
#include <vitals/indicator.hpp>
#include <vitals/period.hpp>

namespace vitals::detail {

// How report cards and the dashboard write numbers and ratings. Every
// function here is deterministic: fixed rounding, no locale.

/// A figure of an indicator as people read it, with the indicator's
/// `decimals` (nullopt: the unit's default) and the unit's sign:
/// format_figure(): "2.0%", "£1,235", "3.56", "3,523". Empty for nullopt.
std::string value_text(const std::optional<double>& value, Unit unit,
                       const std::optional<int>& decimals);

/// "69 / 2,122" when both are known, else "".
std::string ratio_text(const std::optional<double>& numerator,
                       const std::optional<double>& denominator);

/// "Red", "Amber", "Green" or "No target".
const char* rag_label(Rag rag);
/// The rating of one point in running text: "Red", "Amber", "Green", "no
/// target", or "not rated" for a point with a target and no rating (its
/// indicator has no complete result in this run).
std::string point_rating_text(const SeriesPoint& point);
/// The shape that stands for the rating wherever colour does: "■" red,
/// "▲" amber, "●" green, "" none. The same shapes mark the chart points.
const char* rag_symbol(Rag rag);

/// "Bigger is better" or "Smaller is better".
const char* polarity_text(Polarity polarity);
/// "Bigger" or "Smaller", for the dashboard column.
const char* polarity_word(Polarity polarity);
/// "Monthly", "Quarterly", "Annual" or "Financial year".
const char* frequency_label(Frequency frequency);

/// "137% worse than target" or "2.5% better than target" (whole percentages
/// from 10%, one decimal below, as the rules write them), "on target" when
/// that rounds to zero; empty for nullopt.
std::string variance_text(const std::optional<double>& variance_pct);

/// A period's label in two lines for narrow columns: {"Mar", "2017"},
/// {"Q1", "2017"}, {"2017", ""}, {"2016/17", ""}.
std::array<std::string, 2> period_label_lines(const Period& period);

/// The period's text in a file name: "2017-03", "2017-Q1", "2016_17".
std::string period_file_text(const Period& period);

/// One block of an officer's text.
struct ProseBlock {
  enum class Kind { kParagraph, kBullets, kNumbered };
  Kind kind = Kind::kParagraph;
  std::string text;                // kParagraph: lines joined with spaces
  std::vector<std::string> items;  // kBullets, kNumbered
};

/// Splits plain text into paragraphs (separated by blank lines) and lists:
/// lines starting "- " or "* " are bullets, "1. " or "1) " numbered items;
/// a following indented or plain line continues the item. Whitespace at the
/// ends of lines is dropped. No other markup is recognised: the text is
/// shown as written.
std::vector<ProseBlock> split_prose(std::string_view text);

/// The committee's six discussion prompts and six standard follow-up actions.
extern const std::array<std::string_view, 6> kDiscussionPrompts;
extern const std::array<std::string_view, 6> kFollowUpActions;

}  // namespace vitals::detail
