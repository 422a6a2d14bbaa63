// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "config/file_context.hpp"

#include <vitals/catalogue.hpp>
#include <vitals/diagnostic.hpp>
#include <vitals/indicator.hpp>

#include <toml++/toml.h>

#include <optional>
#include <vector>

namespace vitals::detail {

/// Reads an indicator's [indicator.derived] table: the operation and the
/// inputs it needs (numerator and denominator; count and population; or
/// input). Reports, through `ctx`: an unknown operation (with a suggestion),
/// a missing input, an input the operation does not take, and a reference
/// that is neither an indicator id nor "source/series" of a source
/// `catalogue` declares (unchecked when `catalogue` is nullptr). Inputs that
/// name indicators are resolved later by resolve_derived(). nullopt when the
/// table has errors.
std::optional<DerivedDefinition> parse_derived(const toml::table& table, const Catalogue* catalogue,
                                               FileContext& ctx);

/// Resolves the inputs of every derived indicator among `indicators` that
/// name another indicator, and checks the catalogue as a whole. Appends an
/// error, located at the input's reference, for: an indicator id the
/// catalogue lacks ("config.unknown_reference", with a suggestion); an input
/// whose frequency is not the one the operation needs
/// ("config.derived_frequency": the derived indicator's own, or "annual"
/// for a population); a frequency a rolling window or a year to date cannot
/// be made of ("config.derived_frequency", at the operation); and
/// derived indicators that depend on themselves ("config.derived_cycle",
/// naming the cycle). Fills DerivedDefinition::sources.
void resolve_derived(std::vector<IndicatorDefinition>& indicators,
                     std::vector<Diagnostic>& diagnostics);

}  // namespace vitals::detail
