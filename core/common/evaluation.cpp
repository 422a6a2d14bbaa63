// SPDX-License-Identifier: Apache-2.0
#include <vitals/evaluation.hpp>

#include <algorithm>
#include <array>
#include <string_view>
#include <tuple>

namespace vitals {

const char* outcome_status_name(RuleOutcome::Status status) {
  switch (status) {
    case RuleOutcome::Status::kException: return "exception";
    case RuleOutcome::Status::kOk: return "ok";
    case RuleOutcome::Status::kInsufficientData: return "insufficient_data";
    case RuleOutcome::Status::kNotApplicable: return "not_applicable";
    case RuleOutcome::Status::kError: return "error";
  }
  return "error";
}

const char* data_state_name(DataState state) {
  switch (state) {
    case DataState::kCurrent: return "current";
    case DataState::kStale: return "stale";
    case DataState::kNoData: return "no_data";
  }
  return "no_data";
}

const char* incomplete_kind_name(IncompleteReason::Kind kind) {
  switch (kind) {
    case IncompleteReason::Kind::kSourceFailed: return "source_failed";
    case IncompleteReason::Kind::kRuleFailed: return "rule_failed";
    case IncompleteReason::Kind::kUnknownSeries: return "unknown_series";
    case IncompleteReason::Kind::kNoDataForFrequency: return "no_data_for_frequency";
    case IncompleteReason::Kind::kFrequencyMismatch: return "frequency_mismatch";
  }
  return "source_failed";
}

namespace {

// The exception criteria in the order the council's framework numbers them;
// any other criterion ranks after these.
int criterion_rank(std::string_view criterion) {
  static constexpr std::array<std::string_view, 4> kOrder = {"off_target", "deterioration",
                                                             "budget_impact", "risk_impact"};
  auto it = std::find(kOrder.begin(), kOrder.end(), criterion);
  return static_cast<int>(it - kOrder.begin());
}

}  // namespace

std::vector<const RuleOutcome*> IndicatorResult::reasons() const {
  std::vector<const RuleOutcome*> out;
  for (const RuleOutcome& o : outcomes) {
    if (o.status == RuleOutcome::Status::kException) out.push_back(&o);
  }
  const auto key = [](const RuleOutcome* o) {
    return std::make_tuple(criterion_rank(o->criterion), std::string_view(o->criterion),
                           std::string_view(o->rule_id));
  };
  std::stable_sort(out.begin(), out.end(),
                   [&key](const RuleOutcome* a, const RuleOutcome* b) { return key(a) < key(b); });
  return out;
}

std::vector<const IndicatorResult*> EvaluationReport::exceptions() const {
  std::vector<const IndicatorResult*> out;
  for (const IndicatorResult& r : indicators) {
    if (r.is_exception) out.push_back(&r);
  }
  return out;
}

}  // namespace vitals
