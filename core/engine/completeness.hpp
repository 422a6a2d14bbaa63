// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <vector>

#include <vitals/catalogue.hpp>
#include <vitals/diagnostic.hpp>
#include <vitals/engine.hpp>
#include <vitals/evaluation.hpp>

namespace vitals::detail {

/// What a run could not read or evaluate, as the engine found it.
struct CompletenessInputs {
  /// The sources the last ingest could not read.
  const std::vector<SourceFailure>* failed_sources = nullptr;
  /// The series the last ingest stored that no indicator reads.
  const std::vector<UnknownSeries>* unknown_series = nullptr;
  /// The definition of each of report.indicators, in the same order.
  std::vector<const IndicatorDefinition*> definitions;
  /// For each of report.indicators, the observations left out for their
  /// frequency (LazySeries::skipped()).
  std::vector<int> skipped;
};

/// Sets report.incomplete and each result's `incomplete` from `inputs`, the
/// rule outcomes (Status::kError) and the rule load errors in
/// report.diagnostics ("rule.load_error", "rule.bad_contract",
/// "rule.duplicate_id"). Run after every indicator is evaluated and before
/// the lifecycle, which must not resolve an exception it cannot see.
void assess_completeness(const CompletenessInputs& inputs, EvaluationReport& report);

}  // namespace vitals::detail
