// SPDX-License-Identifier: Apache-2.0
#include "report/criterion.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace vitals::detail {

std::string criterion_label(std::string_view criterion) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 4> kLabels = {{
      {"off_target", "off target"},
      {"deterioration", "deteriorating"},
      {"budget_impact", "affecting the budget"},
      {"risk_impact", "affecting a corporate risk"},
  }};
  for (const auto& [id, label] : kLabels) {
    if (id == criterion) return std::string(label);
  }
  std::string out(criterion);
  std::replace(out.begin(), out.end(), '_', ' ');
  return out;
}

std::string list_letter(std::size_t n) {
  std::string out;
  ++n;
  while (n > 0) {
    --n;
    out.insert(out.begin(), static_cast<char>('a' + n % 26));
    n /= 26;
  }
  return out;
}

}  // namespace vitals::detail
