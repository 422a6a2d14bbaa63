// SPDX-License-Identifier: Apache-2.0
#include <algorithm>

#include <vitals/version.hpp>

#include "engine/engine_impl.hpp"
#include "engine/series_builder.hpp"

namespace vitals::detail {

Result<EvaluationReport> evaluate_catalogue(Engine::Impl& engine, const Period& period,
                                            const EvaluateOptions& options) {
  const Catalogue& catalogue = *engine.catalogue;
  EvaluationReport report;
  report.period = period;
  report.catalogue_name = catalogue.name;
  report.committee = catalogue.committee;
  report.diagnostics = engine.diagnostics;
  report.diagnostics.insert(report.diagnostics.end(), engine.ingest_diagnostics.begin(),
                            engine.ingest_diagnostics.end());

  // A proposed rule set replaces the catalogue's for this evaluation only.
  std::optional<RuleSet> proposed;
  if (!options.rule_dirs.empty()) {
    proposed.emplace(RuleSet::load(options.rule_dirs, engine.options.sandbox, engine.logger,
                                   report.diagnostics));
  }
  RuleSet& rules = proposed ? *proposed : *engine.rules;
  auto wanted = [&options](const std::string& id) {
    return options.indicators.empty() ||
           std::find(options.indicators.begin(), options.indicators.end(), id) !=
               options.indicators.end();
  };

  for (const IndicatorDefinition& indicator : catalogue.indicators) {
    if (!wanted(indicator.id)) continue;
    auto observations = engine.store->load_series(indicator.source.source, indicator.source.series);
    if (!observations.ok()) return observations.status();

    IndicatorSeries series = build_series(indicator, *observations, period, report.diagnostics);
    IndicatorResult result;
    result.indicator_id = indicator.id;
    result.title = indicator.title;
    result.polarity = indicator.polarity;
    result.unit = indicator.unit;
    result.frequency = indicator.frequency;
    result.data_state = series.data_state;
    result.latest = series.latest;
    result.history = std::move(series.history);

    RuleInput input;
    input.indicator = &indicator;
    input.period = period;
    input.series = std::move(series.points);
    input.data_state = series.data_state;
    result.outcomes = rules.evaluate(input, report.diagnostics);
    for (const RuleOutcome& o : result.outcomes) {
      if (o.status == RuleOutcome::Status::kException) result.is_exception = true;
    }
    report.indicators.push_back(std::move(result));
  }
  sort_and_deduplicate(report.diagnostics);

  if (options.record_run) {
    auto run_id = engine.store->record_run(report, version_string(), now_unix());
    if (!run_id.ok()) return run_id.status();
    report.run_id = *run_id;
  }
  engine.logger->info("run {}: {} indicators, {} exceptions, {} diagnostics", report.run_id,
                      report.indicators.size(), report.exceptions().size(),
                      report.diagnostics.size());
  return report;
}

}  // namespace vitals::detail
