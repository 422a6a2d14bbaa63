// SPDX-License-Identifier: Apache-2.0
#include <vitals/catalogue.hpp>

#include <algorithm>

namespace vitals {

const IndicatorDefinition* Catalogue::find_indicator(const std::string& id) const {
  // The loader sorts indicators by id: a binary search finds them. A catalogue
  // a program built out of order still finds them, by the linear search.
  auto sorted = std::lower_bound(
      indicators.begin(), indicators.end(), id,
      [](const IndicatorDefinition& d, const std::string& wanted) { return d.id < wanted; });
  if (sorted != indicators.end() && sorted->id == id) return &*sorted;
  auto it = std::find_if(indicators.begin(), indicators.end(),
                         [&](const IndicatorDefinition& d) { return d.id == id; });
  return it == indicators.end() ? nullptr : &*it;
}

SandboxLimits SandboxSettings::applied_to(SandboxLimits limits) const {
  if (max_bytes) limits.max_bytes = *max_bytes;
  if (max_instructions) limits.max_instructions = *max_instructions;
  if (max_string_bytes) limits.max_string_bytes = *max_string_bytes;
  if (max_cpu_ms) limits.max_cpu_ms = *max_cpu_ms;
  if (max_message_bytes) limits.max_message_bytes = *max_message_bytes;
  if (max_evidence_entries) limits.max_evidence_entries = *max_evidence_entries;
  if (max_evidence_key_bytes) limits.max_evidence_key_bytes = *max_evidence_key_bytes;
  if (max_evidence_text_bytes) limits.max_evidence_text_bytes = *max_evidence_text_bytes;
  return limits;
}

}  // namespace vitals
