// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>

namespace vitals::detail {

/// A number as people read it in a committee paper: at most `max_decimals`
/// decimals, trailing zeros dropped, thousands separated by commas:
/// 3523 -> "3,523", 3.560 -> "3.56", 1.5 -> "1.5", -0.004 -> "0".
std::string format_number(double value, int max_decimals = 2);

/// The shortest text that reads back as exactly `value` ("0.1", "3.56",
/// "1e+300"), for machine-readable output; "null" for NaN and infinities.
std::string format_json_number(double value);

}  // namespace vitals::detail
