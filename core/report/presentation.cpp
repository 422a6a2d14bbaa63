// SPDX-License-Identifier: Apache-2.0
#include "report/presentation.hpp"

#include <cctype>
#include <cmath>

#include "common/ascii_text.hpp"
#include "common/number_format.hpp"

namespace vitals::detail {

const std::array<std::string_view, 6> kDiscussionPrompts = {
    "Why are we not meeting our target?",
    "What is the impact?",
    "What performance is predicted?",
    "How can performance be improved?",
    "When will performance be back on track?",
    "What can we learn for the future?",
};

const std::array<std::string_view, 6> kFollowUpActions = {
    "Approve actions",
    "Identify alternative/additional actions",
    "Refer to Departmental Management Team",
    "Refer to a member task and finish group",
    "Escalate to County Leadership Team",
    "Escalate to Policy and Resources Committee",
};

std::string value_text(const std::optional<double>& value, Unit unit,
                       const std::optional<int>& decimals) {
  if (!value) return "";
  return format_figure(*value, unit, shown_decimals(unit, decimals));
}

std::string ratio_text(const std::optional<double>& numerator,
                       const std::optional<double>& denominator) {
  if (!numerator || !denominator) return "";
  return format_number(*numerator) + " / " + format_number(*denominator);
}

const char* rag_label(Rag rag) {
  switch (rag) {
    case Rag::kRed: return "Red";
    case Rag::kAmber: return "Amber";
    case Rag::kGreen: return "Green";
    case Rag::kNone: break;
  }
  return "No target";
}

std::string point_rating_text(const SeriesPoint& point) {
  if (point.rag != Rag::kNone) return rag_label(point.rag);
  return point.target ? "not rated" : "no target";
}

const char* rag_symbol(Rag rag) {
  switch (rag) {
    case Rag::kRed: return "■";
    case Rag::kAmber: return "▲";
    case Rag::kGreen: return "●";
    case Rag::kNone: break;
  }
  return "";
}

const char* polarity_text(Polarity polarity) {
  return polarity == Polarity::kBiggerIsBetter ? "Bigger is better" : "Smaller is better";
}

const char* polarity_word(Polarity polarity) {
  return polarity == Polarity::kBiggerIsBetter ? "Bigger" : "Smaller";
}

const char* frequency_label(Frequency frequency) {
  switch (frequency) {
    case Frequency::kMonthly: return "Monthly";
    case Frequency::kQuarterly: return "Quarterly";
    case Frequency::kAnnual: return "Annual";
    case Frequency::kFinancialYear: return "Financial year";
    case Frequency::kFinancialQuarterly: return "Financial quarter";
  }
  return "Monthly";
}

std::string variance_text(const std::optional<double>& variance_pct) {
  if (!variance_pct) return "";
  // As the rules word it (vitals.format_pct): whole from 10%, one decimal below.
  std::string magnitude = format_percent(std::fabs(*variance_pct));
  if (magnitude == "0") return "on target";
  return magnitude + (*variance_pct > 0 ? "% worse than target" : "% better than target");
}

std::array<std::string, 2> period_label_lines(const Period& period) {
  std::string label = period.label();
  std::size_t space = label.find(' ');
  if (space == std::string::npos) return {label, ""};
  return {label.substr(0, space), label.substr(space + 1)};
}

std::string period_file_text(const Period& period) {
  std::string text = period.to_string();
  for (char& c : text) {
    if (c == '/') c = '_';
  }
  return text;
}

namespace {

// The length of a list marker at the start of `line` ("- ", "* ", "12. ",
// "3) "), or 0; `numbered` says which kind.
std::size_t list_marker(std::string_view line, bool& numbered) {
  if (line.size() >= 2 && (line[0] == '-' || line[0] == '*') && line[1] == ' ') {
    numbered = false;
    return 2;
  }
  std::size_t digits = 0;
  while (digits < line.size() && digits < 4 && std::isdigit(static_cast<unsigned char>(line[digits]))) {
    ++digits;
  }
  if (digits > 0 && digits + 1 < line.size() && (line[digits] == '.' || line[digits] == ')') &&
      line[digits + 1] == ' ') {
    numbered = true;
    return digits + 2;
  }
  return 0;
}

void append_words(std::string& to, std::string_view words) {
  if (words.empty()) return;
  if (!to.empty()) to += ' ';
  to += words;
}

}  // namespace

std::vector<ProseBlock> split_prose(std::string_view text) {
  std::vector<ProseBlock> blocks;
  bool open = false;  // the last block still takes lines
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = trim_ascii_space(text.substr(start, end - start));
    start = end + 1;
    if (line.empty()) {
      open = false;
      if (end == text.size()) break;
      continue;
    }
    bool numbered = false;
    std::size_t marker = list_marker(line, numbered);
    if (marker > 0) {
      ProseBlock::Kind kind = numbered ? ProseBlock::Kind::kNumbered : ProseBlock::Kind::kBullets;
      if (!open || blocks.back().kind != kind) {
        blocks.push_back(ProseBlock{kind, "", {}});
      }
      blocks.back().items.emplace_back(trim_ascii_space(line.substr(marker)));
      open = true;
    } else if (open && blocks.back().kind != ProseBlock::Kind::kParagraph) {
      append_words(blocks.back().items.back(), line);
    } else if (open) {
      append_words(blocks.back().text, line);
    } else {
      blocks.push_back(ProseBlock{ProseBlock::Kind::kParagraph, std::string(line), {}});
      open = true;
    }
    if (end == text.size()) break;
  }
  return blocks;
}

}  // namespace vitals::detail
