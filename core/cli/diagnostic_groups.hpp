// SPDX-License-Identifier: Apache-2.0
#pragma once

// Diagnostics that say the same thing of many indicators, shown once.

#include <vector>

#include <vitals/diagnostic.hpp>

namespace vitals::cli {

/// `diagnostics` with those that differ only in their indicator (the same
/// severity, code, rule and message once the indicator's id is taken out of
/// it; the location may differ) written as one: the first of them, its
/// message ending "(and 41 more indicators)". The order of first appearance
/// is kept; a diagnostic about no indicator is never grouped.
std::vector<Diagnostic> group_by_indicator(const std::vector<Diagnostic>& diagnostics);

}  // namespace vitals::cli
