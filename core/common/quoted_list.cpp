// SPDX-License-Identifier: Apache-2.0
#include "common/quoted_list.hpp"

namespace vitals::detail {

std::string quoted_alternatives(const std::vector<std::string>& values) {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += i + 1 == values.size() ? " or " : ", ";
    out += "'" + values[i] + "'";
  }
  return out;
}

}  // namespace vitals::detail
