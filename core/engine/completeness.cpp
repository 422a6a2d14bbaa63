// SPDX-License-Identifier: Apache-2.0
// Whether a run is complete: every source read, every rule evaluating every
// indicator it applies to, every series where the catalogue expects it.
#include "engine/completeness.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <unordered_map>

#include "common/user_text.hpp"

namespace vitals::detail {

namespace {

using Kind = IncompleteReason::Kind;

// "a, b and c" (at most `shown` of them, then "and 4 more"); `total` counts
// items beyond those in `ids` (0: just `ids`).
std::string id_list(const std::vector<std::string>& ids, std::size_t shown = 5,
                    std::size_t total = 0) {
  total = std::max(total, ids.size());
  std::string out;
  const std::size_t n = std::min(ids.size(), shown);
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0) out += (i + 1 == n && total <= n) ? " and " : ", ";
    out += ids[i];
  }
  if (total > n) out += " and " + std::to_string(total - n) + " more";
  return out;
}

void mark(IndicatorResult& r, const std::string& phrase) {
  if (std::find(r.incomplete.begin(), r.incomplete.end(), phrase) == r.incomplete.end()) {
    r.incomplete.push_back(phrase);
  }
}

bool is_rule_load_failure(const Diagnostic& d) {
  return d.severity == Severity::kError &&
         (d.code == "rule.load_error" || d.code == "rule.bad_contract" ||
          d.code == "rule.duplicate_id");
}

// True when `indicator` is derived from series of source `name`.
bool depends_on(const IndicatorDefinition& indicator, const std::string& name) {
  if (!indicator.derived) return false;
  const std::vector<std::string>& sources = indicator.derived->sources;
  return std::binary_search(sources.begin(), sources.end(), name);
}

}  // namespace

void assess_completeness(const CompletenessInputs& inputs, EvaluationReport& report) {
  std::vector<IndicatorResult>& results = report.indicators;
  const auto source_of = [&](std::size_t i) -> const std::string& {
    return inputs.definitions[i]->source.source;
  };

  // Sources that could not be read: their indicators have nothing new.
  if (inputs.failed_sources != nullptr) {
    std::map<std::string, std::string> failed;  // by name, the first failure's message
    for (const SourceFailure& f : *inputs.failed_sources) failed.emplace(f.source, f.message);
    for (const auto& [name, message] : failed) {
      IncompleteReason reason;
      reason.kind = Kind::kSourceFailed;
      reason.source = name;
      const std::string phrase = "source '" + name + "' failed";
      for (std::size_t i = 0; i < results.size(); ++i) {
        if (source_of(i) != name && !depends_on(*inputs.definitions[i], name)) continue;
        reason.indicators.push_back(results[i].indicator_id);
        mark(results[i], phrase);
      }
      reason.message = "Source '" + name + "' could not be read, so " +
                       (reason.indicators.empty()
                            ? std::string("nothing from it is in this report")
                            : count_text(reason.indicators.size(), "indicator has", "indicators have") +
                                  " no result") +
                       ": " + message;
      report.incomplete.push_back(std::move(reason));
    }
  }

  // Rules that did not load evaluated nothing; rules that failed for some
  // indicators left those without a complete result.
  for (const Diagnostic& d : report.diagnostics) {
    if (!is_rule_load_failure(d)) continue;
    IncompleteReason reason;
    reason.kind = Kind::kRuleFailed;
    reason.rule_id = d.rule_id;
    std::string what = d.rule_id.empty() ? std::string("A rule") : "Rule '" + d.rule_id + "'";
    if (d.location && !d.location->file.empty()) what += " (" + d.location->file + ")";
    reason.message = what + " could not be loaded, so it evaluated no indicator: " + d.message;
    report.incomplete.push_back(std::move(reason));
  }
  std::map<std::string, std::vector<std::string>> failed_rules;  // rule -> indicators
  for (IndicatorResult& r : results) {
    for (const RuleOutcome& o : r.outcomes) {
      if (o.status != RuleOutcome::Status::kError) continue;
      failed_rules[o.rule_id].push_back(r.indicator_id);
      mark(r, "rule '" + o.rule_id + "' failed");
    }
  }
  for (auto& [rule, indicators] : failed_rules) {
    IncompleteReason reason;
    reason.kind = Kind::kRuleFailed;
    reason.rule_id = rule;
    reason.message = "Rule '" + rule + "' failed for " +
                     count_text(indicators.size(), "indicator", "indicators") + " (" +
                     id_list(indicators) + "), so " +
                     (indicators.size() == 1 ? "it has" : "they have") +
                     " no complete result; the diagnostics say why";
    reason.indicators = std::move(indicators);
    report.incomplete.push_back(std::move(reason));
  }

  // Data delivered under a key no indicator reads, while an indicator of
  // that source has no current data: the indicator the key nearly matches,
  // or, for keys that match none, the source's indicators with no data at
  // all. Indexed once, so a national catalogue with many such keys costs a
  // lookup per key, not a pass over the indicators per key.
  if (inputs.unknown_series != nullptr && !inputs.unknown_series->empty()) {
    std::unordered_map<std::string, std::size_t> by_series;  // "source\0series" -> index
    std::map<std::string, std::vector<std::size_t>> no_data;  // source -> indices
    for (std::size_t i = 0; i < results.size(); ++i) {
      by_series.emplace(source_of(i) + '\0' + inputs.definitions[i]->source.series, i);
      if (results[i].data_state == DataState::kNoData) no_data[source_of(i)].push_back(i);
    }
    std::map<std::string, std::vector<const UnknownSeries*>> unmatched;  // by source
    for (const UnknownSeries& u : *inputs.unknown_series) {
      if (u.suggestion.empty()) {
        unmatched[u.source].push_back(&u);
        continue;
      }
      auto it = by_series.find(u.source + '\0' + u.suggestion);
      if (it == by_series.end() || results[it->second].data_state == DataState::kCurrent) continue;
      IndicatorResult& r = results[it->second];
      mark(r, "its data may be under series " + quote_user_text(u.key));
      IncompleteReason reason;
      reason.kind = Kind::kUnknownSeries;
      reason.source = u.source;
      reason.indicators.push_back(r.indicator_id);
      reason.message = "Source '" + u.source + "' delivered " + count_text(u.rows, "row", "rows") +
                       " for series " + quote_user_text(u.key) + ", which no indicator reads, while " +
                       r.indicator_id + " has no current data; did you mean " +
                       quote_user_text(u.suggestion) + "?";
      report.incomplete.push_back(std::move(reason));
    }
    for (const auto& [source, keys] : unmatched) {
      auto missing = no_data.find(source);
      if (missing == no_data.end()) continue;
      std::vector<std::string> shown;
      for (std::size_t k = 0; k < keys.size() && k < 3; ++k) shown.push_back(quote_user_text(keys[k]->key));
      const std::string phrase =
          keys.size() == 1 ? "its data may be under series " + shown[0]
                           : "its data may be under one of " + std::to_string(keys.size()) +
                                 " series no indicator reads";
      IncompleteReason reason;
      reason.kind = Kind::kUnknownSeries;
      reason.source = source;
      for (std::size_t i : missing->second) {
        reason.indicators.push_back(results[i].indicator_id);
        mark(results[i], phrase);
      }
      reason.message = "Source '" + source + "' delivered " +
                       count_text(keys.size(), "series", "series") + " no indicator reads (" +
                       id_list(shown, 3, keys.size()) + "), while " +
                       id_list(reason.indicators) +
                       (reason.indicators.size() == 1 ? " has" : " have") + " no data at all";
      report.incomplete.push_back(std::move(reason));
    }
  }

  // Periods of another frequency than the indicator's were left out.
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (inputs.skipped.size() <= i || inputs.skipped[i] == 0) continue;
    IndicatorResult& r = results[i];
    const bool none = !r.latest.has_value();
    const std::string frequency = frequency_name(r.frequency);
    IncompleteReason reason;
    reason.kind = none ? Kind::kNoDataForFrequency : Kind::kFrequencyMismatch;
    reason.source = source_of(i);
    reason.indicators.push_back(r.indicator_id);
    reason.message = "'" + r.indicator_id + "' is " + frequency + ", but " +
                     count_text(static_cast<std::size_t>(inputs.skipped[i]), "observation",
                                "observations") +
                     " from source '" + reason.source + "' are periods of another frequency" +
                     (none ? ", so it has no data" : " and were left out") +
                     "; the diagnostics name them";
    mark(r, none ? "its data is not " + frequency : "some of its data is not " + frequency);
    report.incomplete.push_back(std::move(reason));
  }
}

}  // namespace vitals::detail
