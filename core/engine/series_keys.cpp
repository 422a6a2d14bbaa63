// SPDX-License-Identifier: Apache-2.0
#include "engine/series_keys.hpp"

#include <algorithm>

#include "common/visible_text.hpp"
#include "config/indicator_schema.hpp"

namespace vitals::detail {

namespace {

// Edit-distance comparisons the suggestions of one source may cost: enough
// for every typo in a council's catalogue, bounded for a national one (whose
// case and space slips are still found by the hash lookup).
constexpr std::size_t kSuggestionBudget = 200'000;

// Unknown series of one source listed one by one; the rest are counted in one
// more diagnostic (a source may carry thousands of series on purpose). A key
// that differs from an indicator's only in case or spaces is always listed.
constexpr std::size_t kMaxListed = 100;

std::string folded(std::string_view key) {
  std::string out(trim_unicode_space(key));
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

SeriesKeyCheck::SeriesKeyCheck(const Catalogue& catalogue, const SourceDefinition& source)
    : source_(source) {
  for (const IndicatorDefinition& indicator : catalogue.indicators) {
    if (indicator.source.source == source.name) known_.insert(indicator.source.series);
  }
}

void SeriesKeyCheck::scan(const std::vector<Series>& batch) {
  for (const Series& s : batch) {
    if (known_.count(s.key) > 0) continue;
    unknown_[s.key] += static_cast<std::int64_t>(s.observations.size());
  }
}

std::string SeriesKeyCheck::suggestion(std::string_view key, std::size_t& budget,
                                       bool& certain) const {
  // Case and surrounding spaces (no-break spaces included): one lookup.
  if (by_folded_.empty()) {
    for (std::string_view k : known_) by_folded_.emplace(folded(k), k);
  }
  const std::string wanted = folded(key);
  certain = false;
  if (auto it = by_folded_.find(wanted); it != by_folded_.end()) {
    certain = true;
    return std::string(it->second);
  }
  // A slip of the keyboard: a small edit distance, while the budget lasts.
  if (budget < known_.size()) return "";
  budget -= known_.size();
  std::vector<std::string> candidates(known_.begin(), known_.end());
  std::sort(candidates.begin(), candidates.end());
  return closest_match(wanted, candidates).value_or("");
}

void SeriesKeyCheck::report(IngestSummary& summary) const {
  std::size_t budget = kSuggestionBudget;
  std::size_t listed = 0;
  std::int64_t unlisted_rows = 0;
  for (const auto& [key, rows] : unknown_) {
    UnknownSeries u;
    u.source = source_.name;
    u.key = key;
    u.rows = rows;
    bool certain = false;
    u.suggestion = known_.empty() ? "" : suggestion(key, budget, certain);
    if (listed == kMaxListed && !certain) {
      unlisted_rows += rows;
      summary.unknown_series.push_back(std::move(u));
      continue;
    }
    ++listed;
    std::string message = "source '" + source_.name + "' delivered " + std::to_string(rows) +
                          (rows == 1 ? " row" : " rows") + " for series " + visible_quote(key) +
                          ", which no indicator of the catalogue reads";
    if (!u.suggestion.empty()) message += "; did you mean " + visible_quote(u.suggestion) + "?";
    message += " (the rows are stored but not used)";
    summary.diagnostics.push_back(
        Diagnostic::make(certain ? Severity::kError : Severity::kWarning, "data.unknown_series",
                         std::move(message), source_.location));
    summary.unknown_series.push_back(std::move(u));
  }
  const std::size_t unlisted = unknown_.size() - listed;
  if (unlisted > 0) {
    summary.diagnostics.push_back(Diagnostic::make(
        Severity::kWarning, "data.unknown_series",
        "source '" + source_.name + "' delivered " + std::to_string(unlisted_rows) +
            " rows for " + std::to_string(unlisted) +
            " more series no indicator of the catalogue reads (not listed; the rows are stored "
            "but not used)",
        source_.location));
  }
}

}  // namespace vitals::detail
