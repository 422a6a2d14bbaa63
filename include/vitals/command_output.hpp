// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include <vitals/catalogue.hpp>
#include <vitals/diagnostic.hpp>
#include <vitals/engine.hpp>
#include <vitals/evaluation.hpp>
#include <vitals/export.hpp>
#include <vitals/indicator.hpp>
#include <vitals/status.hpp>

namespace vitals {

/// What `vitals check` found: the catalogue's counts (when it loaded), every
/// diagnostic, and the modules the rules load.
struct CheckReport {
  bool loaded = false;      // false: the catalogue has errors and did not load
  std::string catalogue;    // its name ("" when it did not load)
  std::size_t indicators = 0;
  std::size_t sources = 0;
  std::size_t rules = 0;
  std::vector<Diagnostic> diagnostics;  // sorted, deduplicated
  std::vector<RuleModule> modules;      // empty unless asked for
};

/// Writes `report` as the "vitals.check/1" JSON document
/// (docs/report-format.md): ok, counts, diagnostics with file, line and
/// column, modules. Never throws; kIoError when the stream fails.
VITALS_API Status render_check_json(const CheckReport& report, std::ostream& out);

/// What `vitals explain` shows of one indicator for one period.
struct Explanation {
  const EvaluationReport* report = nullptr;   // the evaluation of that indicator alone
  const IndicatorResult* result = nullptr;    // its result in `report`
  const IndicatorDefinition* indicator = nullptr;
  /// The stored inputs a derived indicator's latest value was computed from
  /// (Engine::derived_inputs); empty for an indicator that is not derived.
  std::vector<DerivedInputUse> derived_inputs;
  /// Problems relevant to the indicator (errors located in its files or rules).
  std::vector<Diagnostic> diagnostics;
};

/// Writes `explanation` as the "vitals.explain/1" JSON document
/// (docs/report-format.md): the indicator's latest result as the report's
/// JSON gives it, and, rule by rule, the outcome, the numbers compared and
/// the settings the catalogue gives the rule. REQUIRES: report, result and
/// indicator are set. Never throws; kIoError when the stream fails.
VITALS_API Status render_explanation_json(const Explanation& explanation, std::ostream& out);

}  // namespace vitals
