// SPDX-License-Identifier: Apache-2.0
#include "engine/series_keys.hpp"

#include <algorithm>
#include <optional>
#include <utility>
#include <variant>

#include "common/user_text.hpp"
#include "config/indicator_schema.hpp"

namespace vitals::detail {

namespace {

// Edit-distance comparisons the suggestions of one source may cost: enough
// for every typo in a council's catalogue, bounded for a national one (whose
// case and space slips are still found by the hash lookup).
constexpr std::size_t kSuggestionBudget = 50'000;

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
    if (!indicator.derived) continue;
    for (const DerivedInput& input : indicator.derived->inputs) {  // read by a derived indicator
      if (input.series.source == source.name) known_.insert(input.series.series);
    }
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
  if (candidates_.empty()) {
    candidates_.assign(known_.begin(), known_.end());
    std::sort(candidates_.begin(), candidates_.end());  // ties go to the first: stable output
  }
  return closest_match(wanted, candidates_).value_or("");
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
                          (rows == 1 ? " row" : " rows") + " for series " + quote_user_text(key) +
                          ", which no indicator of the catalogue reads";
    if (!u.suggestion.empty()) message += "; did you mean " + quote_user_text(u.suggestion) + "?";
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

namespace {

// Lower case, surrounding spaces dropped, inner runs of spaces made one.
std::string normalised_title(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : trim_unicode_space(text)) {
    if (c == ' ' || c == '\t') {
      space = true;
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

}  // namespace

void check_series_metadata(const Catalogue& catalogue, const SourceDefinition& source,
                           std::vector<Record>& records, std::vector<Diagnostic>& diagnostics) {
  auto metadata = std::stable_partition(records.begin(), records.end(), [](const Record& r) {
    return r.kind != kSeriesMetadataRecord;
  });
  if (metadata == records.end()) return;
  std::unordered_map<std::string_view, const IndicatorDefinition*> by_series;
  for (const IndicatorDefinition& indicator : catalogue.indicators) {
    if (indicator.source.source == source.name) by_series.emplace(indicator.source.series, &indicator);
  }
  for (auto r = metadata; r != records.end(); ++r) {
    auto found = by_series.find(r->key);
    if (found == by_series.end()) continue;  // an unknown series: reported on its own
    const IndicatorDefinition& indicator = *found->second;
    const std::pair<const char*, std::string> expected[] = {
        {"title", indicator.title},
        {"polarity", polarity_name(indicator.polarity)},
        {"unit", unit_name(indicator.unit)}};
    for (const auto& [column, wanted] : expected) {
      auto field = r->fields.find(column);
      if (field == r->fields.end()) continue;
      const auto* text = std::get_if<std::string>(&field->second);
      if (text == nullptr || trim_unicode_space(*text).empty()) continue;
      const bool same = std::string_view(column) == "title"
                            ? normalised_title(*text) == normalised_title(wanted)
                            : folded(*text) == wanted;
      if (same) continue;
      Diagnostic d = Diagnostic::make(
          Severity::kWarning, "data.metadata_mismatch",
          "source '" + source.name + "': the " + column + " column says " + quote_user_text(*text) +
              " for series '" + r->key + "', but the catalogue's " + column + " of '" +
              indicator.id + "' is '" + wanted + "'; the catalogue's is used",
          r->location ? r->location : std::optional<SourceLocation>(source.location));
      d.indicator_id = indicator.id;
      diagnostics.push_back(std::move(d));
    }
  }
  records.erase(metadata, records.end());
}

}  // namespace vitals::detail
