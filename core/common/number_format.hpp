// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>

#include <vitals/indicator.hpp>

namespace vitals::detail {

/// How format_fixed writes a figure besides its decimals.
struct NumberStyle {
  /// Thousands separated by commas: "3,523".
  bool thousands = true;
  /// Negatives in brackets, as finance tables print them: "(0.471)".
  bool brackets = false;
  /// Trailing zeros of the decimals dropped: "3.5" for 3.50, "3" for 3.00.
  bool trim_zeros = false;
};

/// The one formatter of figures: `value` rounded to `decimals` decimals (0 to
/// 30; fewer are 0, more are 30), written with exactly that many unless
/// `style.trim_zeros`: 3 -> "3.0" (1), 4.3991 -> "4.399" (3), 3523 -> "3,523"
/// (0), -0.471 -> "-0.471" or "(0.471)" with `style.brackets`. A figure that
/// rounds to zero has no sign ("0.0", not "-0.0"). NaN is "n/a", infinities
/// "∞" and "-∞".
std::string format_fixed(double value, int decimals, NumberStyle style = {});

/// A number as people read it in a committee paper: at most `max_decimals`
/// decimals, trailing zeros dropped, thousands separated by commas:
/// 3523 -> "3,523", 3.560 -> "3.56", 1.5 -> "1.5", -0.004 -> "0".
/// format_fixed with NumberStyle::trim_zeros.
std::string format_number(double value, int max_decimals = 2);

/// A figure of an indicator as every report shows it: `decimals` decimals
/// (the indicator's), with the unit's sign: "2.0%" (percent), "£1,235" and
/// "-£20" (currency), "3.56" or "3,523" otherwise.
std::string format_figure(double value, Unit unit, int decimals);

/// A percentage for messages (without the % sign), as the reports and the
/// rules (vitals.format_pct) word variances: rounded to a whole number at 10
/// or more (137), to one decimal below (7.5), a trailing ".0" dropped.
std::string format_percent(double value);

/// The shortest text that reads back as exactly `value` ("0.1", "3.56",
/// "1e+300"), for machine-readable output; "null" for NaN and infinities.
std::string format_json_number(double value);

}  // namespace vitals::detail
