// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

namespace vitals::detail {

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
