// SPDX-License-Identifier: Apache-2.0
#include <vitals/evaluation.hpp>
#include <vitals/lifecycle.hpp>

namespace vitals {

const char* exception_state_name(ExceptionState state) {
  switch (state) {
    case ExceptionState::kNone:
      return "none";
    case ExceptionState::kNew:
      return "new";
    case ExceptionState::kContinuing:
      return "continuing";
    case ExceptionState::kAccepted:
      return "accepted";
    case ExceptionState::kAwaitingData:
      return "awaiting_data";
    case ExceptionState::kResolved:
      return "resolved";
  }
  return "none";
}

std::vector<const IndicatorResult*> EvaluationReport::late_data() const {
  std::vector<const IndicatorResult*> out;
  for (const IndicatorResult& r : indicators) {
    if (r.data_state != DataState::kCurrent && r.incomplete.empty()) out.push_back(&r);
  }
  return out;
}

}  // namespace vitals
