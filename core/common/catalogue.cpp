// SPDX-License-Identifier: Apache-2.0
#include <vitals/catalogue.hpp>

#include <algorithm>

namespace vitals {

const IndicatorDefinition* Catalogue::find_indicator(const std::string& id) const {
  auto it = std::find_if(indicators.begin(), indicators.end(),
                         [&](const IndicatorDefinition& d) { return d.id == id; });
  return it == indicators.end() ? nullptr : &*it;
}

}  // namespace vitals
