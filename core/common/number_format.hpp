// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>

namespace vitals::detail {

/// A number as people read it in a committee paper: at most `max_decimals`
/// decimals, trailing zeros dropped, thousands separated by commas:
/// 3523 -> "3,523", 3.560 -> "3.56", 1.5 -> "1.5", -0.004 -> "0".
std::string format_number(double value, int max_decimals = 2);

/// A percentage for messages (without the % sign), as the reports and the
/// rules (vitals.format_pct) word variances: rounded to a whole number at 10
/// or more (137), to one decimal below (7.5), a trailing ".0" dropped.
std::string format_percent(double value);

/// The shortest text that reads back as exactly `value` ("0.1", "3.56",
/// "1e+300"), for machine-readable output; "null" for NaN and infinities.
std::string format_json_number(double value);

}  // namespace vitals::detail
