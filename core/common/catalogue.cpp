// SPDX-License-Identifier: Apache-2.0
#include <vitals/catalogue.hpp>

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <unordered_set>

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

std::vector<const IndicatorDefinition*> Catalogue::in_report_order() const {
  std::vector<const IndicatorDefinition*> out;
  out.reserve(indicators.size());
  const std::unordered_set<std::string_view> listed(report_order.begin(), report_order.end());
  for (const std::string& id : report_order) {
    if (const IndicatorDefinition* d = find_indicator(id)) out.push_back(d);
  }
  const std::size_t first_rest = out.size();
  for (const IndicatorDefinition& d : indicators) {
    if (!listed.contains(d.id)) out.push_back(&d);
  }
  // The loader sorts indicators by id (then this is one scan); a catalogue a
  // program built may not be.
  const auto by_id = [](const IndicatorDefinition* a, const IndicatorDefinition* b) { return a->id < b->id; };
  const auto rest = out.begin() + static_cast<std::ptrdiff_t>(first_rest);
  if (!std::is_sorted(rest, out.end(), by_id)) std::sort(rest, out.end(), by_id);
  return out;
}

namespace {

// "a month", "a financial year"...: what a period of `frequency` is.
const char* period_kind(Frequency frequency) {
  switch (frequency) {
    case Frequency::kMonthly:
      return "a month";
    case Frequency::kQuarterly:
      return "a calendar quarter";
    case Frequency::kAnnual:
      return "a calendar year";
    case Frequency::kFinancialYear:
      return "a financial year";
    case Frequency::kFinancialQuarterly:
      return "a financial quarter";
  }
  return "a period";
}

constexpr std::array kFrequencies = {Frequency::kMonthly, Frequency::kQuarterly,
                                     Frequency::kFinancialQuarterly, Frequency::kAnnual,
                                     Frequency::kFinancialYear};

}  // namespace

Status check_evaluation_period(const std::vector<const IndicatorDefinition*>& indicators,
                               const Period& period) {
  std::array<std::size_t, kFrequencies.size()> counts{};
  for (const IndicatorDefinition* d : indicators) {
    for (std::size_t f = 0; f < kFrequencies.size(); ++f) {
      if (d->frequency == kFrequencies[f]) ++counts[f];
    }
  }
  std::string theirs;
  std::string example;
  for (std::size_t f = 0; f < kFrequencies.size(); ++f) {
    if (counts[f] == 0) continue;
    if (kFrequencies[f] == period.frequency()) return Status::ok();
    theirs += std::string(theirs.empty() ? "" : ", ") + frequency_name(kFrequencies[f]) + " (" +
              std::to_string(counts[f]) + ")";
    if (example.empty()) {
      example = std::string(frequency_name(kFrequencies[f])) + " period such as " +
                period.latest_complete(kFrequencies[f]).to_string();
    }
  }
  if (theirs.empty()) return Status::ok();
  return Status(StatusCode::kInvalidArgument,
                "the period " + period.to_string() + " is " + period_kind(period.frequency()) +
                    ", but no indicator is reported at that frequency: they are " + theirs +
                    ". Evaluate a " + example + ", or give the indicators that frequency");
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
