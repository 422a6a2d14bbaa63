// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <vitals/period.hpp>

namespace vitals {

/// One measured result for one period. Missing numbers are nullopt: a blank
/// in a council spreadsheet means "not available yet", never zero.
struct Observation {
  Period period;
  std::optional<double> value;
  std::optional<double> numerator;
  std::optional<double> denominator;
  /// A target published alongside the data; the catalogue's target wins.
  std::optional<double> target;

  friend bool operator==(const Observation&, const Observation&) = default;
};

/// A series as a source delivers it: a key (usually the indicator id) and
/// its observations in ascending period order.
struct Series {
  std::string key;
  std::vector<Observation> observations;
};

}  // namespace vitals
