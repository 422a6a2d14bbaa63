// SPDX-License-Identifier: Apache-2.0
// Figures of indicators written as Vitals' reports write them.
#pragma once

#include <optional>
#include <string>

#include <vitals/export.hpp>
#include <vitals/indicator.hpp>

namespace vitals {

/// `value` as every report, card and rule message shows a figure of an
/// indicator whose unit is `unit` and whose catalogue sets `decimals`
/// (nullopt: the unit's default, shown_decimals()): that many decimals, fixed,
/// with thousands separated and the unit's sign: "2.0%", "£1,235", "3.56",
/// "3,523". NaN is "n/a". Deterministic: no locale.
VITALS_API std::string figure_text(double value, Unit unit, const std::optional<int>& decimals);

}  // namespace vitals
