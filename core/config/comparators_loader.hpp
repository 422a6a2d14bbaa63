// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <vitals/catalogue.hpp>
#include <vitals/comparators.hpp>
#include <vitals/diagnostic.hpp>

#include <map>
#include <string>
#include <vector>

namespace vitals::detail {

/// The comparators of every indicator [comparators] links to a measure, by
/// indicator id.
using ComparatorTable = std::map<std::string, IndicatorComparators>;

/// Reads the national file `settings.path` (CSV with a header naming the
/// columns council_code, council_name, region_code, region_name, measure,
/// numerator, denominator and value, in any order; other columns ignored)
/// and computes, for each linked indicator, the council's figure, rank of N
/// and quartile by the indicator's polarity, and the England, region, family
/// group and peer figures.
///
/// A figure covering several councils is computed as the publisher computes
/// it: sum of numerators over sum of denominators, times the measure's
/// multiplier (100 for a percentage, 100,000 for a rate per 100,000), read
/// from the councils' own rows (value / (numerator / denominator)). A row
/// whose council_code is "E92000001" (England) or a region's code holds a
/// published aggregate: it is taken as given in place of the computed one.
///
/// Problems in the file are errors at file:row:column ("data.bad_csv",
/// "data.missing_column", "data.bad_value", "data.missing_denominator",
/// "data.missing_numerator", "data.duplicate_row"); a council code, family
/// group member, peer or measure of `settings` the file does not hold is an
/// error at the catalogue setting ("comparators.unknown_council",
/// "comparators.unknown_measure"). On any error the table is empty: nothing
/// from a rejected file is used.
ComparatorTable load_comparators(const ComparatorSettings& settings,
                                 const std::vector<IndicatorDefinition>& indicators,
                                 std::vector<Diagnostic>& diagnostics);

}  // namespace vitals::detail
