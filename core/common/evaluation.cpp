// SPDX-License-Identifier: Apache-2.0
#include <vitals/evaluation.hpp>

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

std::vector<const RuleOutcome*> IndicatorResult::reasons() const {
  std::vector<const RuleOutcome*> out;
  for (const RuleOutcome& o : outcomes) {
    if (o.status == RuleOutcome::Status::kException) out.push_back(&o);
  }
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
