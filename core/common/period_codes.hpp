// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include <vitals/period.hpp>

namespace vitals::detail {

/// Bits of a packed period that hold its frequency_rank().
inline constexpr int kPeriodCodeRankBits = 3;

/// A period packed into one integer: its last month, then its
/// frequency_rank(), so that codes sort as periods do.
inline std::int32_t period_code(const Period& period) {
  return (period.last_month_index() << kPeriodCodeRankBits) | frequency_rank(period.frequency());
}

/// The last month index of the period packed in `code`.
inline int period_code_end(std::int32_t code) { return code >> kPeriodCodeRankBits; }

/// The frequency of the period packed in `code`.
inline Frequency period_code_frequency(std::int32_t code) {
  static constexpr Frequency kByRank[] = {Frequency::kMonthly, Frequency::kQuarterly,
                                          Frequency::kFinancialQuarterly, Frequency::kAnnual,
                                          Frequency::kFinancialYear};
  return kByRank[code & ((1 << kPeriodCodeRankBits) - 1)];
}

/// The period packed in `code`. REQUIRES: `code` came from period_code().
inline Period period_from_code(std::int32_t code) {
  return Period::ending(period_code_frequency(code), period_code_end(code));
}

/// Adds `code` (a packed period) to a series' sorted list of the periods
/// delivered so far; false when it is there already. Periods mostly arrive in
/// ascending order, which is an append.
inline bool add_period_code(std::vector<std::int32_t>& seen, std::int32_t code) {
  if (seen.empty() || seen.back() < code) {
    seen.push_back(code);
    return true;
  }
  auto it = std::lower_bound(seen.begin(), seen.end(), code);
  if (*it == code) return false;
  seen.insert(it, code);
  return true;
}

}  // namespace vitals::detail
