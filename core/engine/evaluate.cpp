// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <ctime>
#include <future>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <vitals/version.hpp>

#include "common/parallel.hpp"
#include "common/progress_meter.hpp"
#include "common/stopwatch.hpp"
#include "engine/completeness.hpp"
#include "engine/engine_impl.hpp"
#include "engine/lifecycle.hpp"
#include "engine/series_builder.hpp"
#include "engine/series_release.hpp"

namespace vitals::detail {

namespace {

// Indicators a worker takes at a time: enough to make the shared counter
// cheap, few enough to keep both threads busy to the end. Every extra thread
// loads the rules again, so a few indicators get one thread.
constexpr std::size_t kChunk = 64;

// The store's observations in memory: read in one pass on first use, then
// kept until an ingest drops them or another connection commits to the store.
Result<const SeriesTable*> stored_series(Engine::Impl& engine) {
  auto version = store_data_version(*engine.store);
  if (!version.ok()) return version.status();
  if (engine.early_series.valid()) {
    Stopwatch waited;
    Result<SeriesTable> early = engine.early_series.get();
    // Another connection's commit since the read began may or may not be in
    // it: then it is read again below. A failed read is too, so that its
    // problem is reported as ever.
    if (early.ok() && engine.early_series_version == *version) {
      engine.series = std::move(*early);
      engine.series_version = *version;
      engine.logger->debug("waited {:.2f} s for the store's series, read beside the catalogue in {:.2f} s of CPU",
                           waited.lap(), engine.early_series_cpu);
    }
  }
  if (!engine.series || engine.series_version != *version) {
    engine.series.reset();
    auto table = load_series_table(*engine.store);
    if (!table.ok()) return table.status();
    engine.series = std::move(*table);
    engine.series_version = *version;
  }
  return &*engine.series;
}

}  // namespace

void start_reading_series(Engine::Impl& engine) {
  const std::filesystem::path& path = engine.options.store_path;
  if (engine.series || engine.early_series.valid() || path.empty() || path == ":memory:") return;
  auto version = store_data_version(*engine.store);
  if (!version.ok()) return;  // the evaluation reads them, and reports the problem
  engine.early_series_version = *version;
  Engine::Impl* impl = &engine;  // outlives the read: its destruction waits for it
  engine.early_series = std::async(std::launch::async, [path, impl]() -> Result<SeriesTable> {
    auto thread_cpu = [] {
      timespec t{};
      clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
      return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
    };
    const double started = thread_cpu();
    auto store = HistoryStore::open(path);
    if (!store.ok()) return store.status();
    Result<SeriesTable> table = load_series_table(**store);
    store->reset();
#if defined(__GLIBC__)
    // What the read and the connection used and freed stays in this thread's
    // malloc arena, which no other thread allocates from: given back, it does
    // not add to the evaluation's peak.
    malloc_trim(0);
#endif
    impl->early_series_cpu = thread_cpu() - started;
    return table;
  });
}

namespace {

// What one worker thread owns while it evaluates.
struct Worker {
  RuleSet* rules = nullptr;
  LazySeries series;  // buffers reused from one indicator to the next
  RuleInput input;
};

// Evaluates one indicator with the worker's rules into `result`.
void evaluate_indicator(const IndicatorDefinition& indicator, const SeriesColumns* columns,
                        const IndicatorComparators* comparators, const Period& period,
                        bool full_history, Worker& worker, IndicatorResult& result,
                        int& skipped, std::vector<Diagnostic>& diagnostics) {
  LazySeries& series = worker.series;
  series.build(indicator, columns, period, diagnostics);
  skipped = series.skipped();
  result.indicator_id = indicator.id;
  result.title = indicator.title;
  result.polarity = indicator.polarity;
  result.unit = indicator.unit;
  result.decimals = indicator.decimals;
  result.frequency = indicator.frequency;
  result.data_state = series.data_state();
  result.latest = series.latest();
  result.history = series.history();
  if (full_history) {
    result.full_history.reserve(series.size());
    for (std::size_t i = 0; i < series.size(); ++i) result.full_history.push_back(series.at(i));
  }
  if (comparators != nullptr) result.comparators = *comparators;

  RuleInput& input = worker.input;
  input.indicator = &indicator;
  input.period = period;
  input.points = &series;
  input.data_state = series.data_state();
  input.comparators = comparators;
  result.outcomes = worker.rules->evaluate(input, diagnostics);
  for (const RuleOutcome& o : result.outcomes) {
    if (o.status == RuleOutcome::Status::kException) result.is_exception = true;
  }
}

}  // namespace

Result<EvaluationReport> evaluate_catalogue(Engine::Impl& engine, const Period& period,
                                            const EvaluateOptions& options) {
  const Catalogue& catalogue = *engine.catalogue;
  EvaluationReport report;
  report.period = period;
  report.catalogue_name = catalogue.name;
  report.committee = catalogue.committee;
  report.reasons_shown = catalogue.reasons_shown;
  report.diagnostics = engine.diagnostics;
  report.diagnostics.insert(report.diagnostics.end(), engine.ingest_diagnostics.begin(),
                            engine.ingest_diagnostics.end());

  // A proposed rule set replaces the catalogue's for this evaluation only,
  // and the catalogue's rule parameters are checked against it instead.
  std::optional<RuleSet> proposed;
  if (!options.rule_dirs.empty()) {
    const std::vector<Diagnostic>& against_own = engine.rule_settings_diagnostics;
    std::erase_if(report.diagnostics, [&](const Diagnostic& d) {
      return std::find(against_own.begin(), against_own.end(), d) != against_own.end();
    });
    proposed.emplace(RuleSet::load(options.rule_dirs, engine.sandbox, engine.logger,
                                   report.diagnostics));
    check_rule_settings(catalogue, proposed->rules(), report.diagnostics);
  }
  auto wanted = [&options](const std::string& id) {
    return options.indicators.empty() ||
           std::find(options.indicators.begin(), options.indicators.end(), id) !=
               options.indicators.end();
  };
  std::vector<const IndicatorDefinition*> selected;
  selected.reserve(catalogue.indicators.size());
  // Results come in the order reports list them ([report] order).
  for (const IndicatorDefinition* indicator : catalogue.in_report_order()) {
    if (wanted(indicator->id)) selected.push_back(indicator);
  }
  // A period none of them is reported at would silently stand for another.
  if (Status fits = check_evaluation_period(selected, period); !fits.is_ok()) return fits;

  // Every store read happens here, before the workers start: the store is
  // not thread-safe, and the workers only read what it returned.
  Stopwatch took;
  const std::clock_t cpu_before = std::clock();  // the process's CPU: no worker runs yet
  auto table = stored_series(engine);
  if (!table.ok()) return table.status();
  engine.logger->debug("read the store's series in {:.2f} s ({:.2f} s of CPU)", took.lap(),
                       static_cast<double>(std::clock() - cpu_before) / CLOCKS_PER_SEC);
  for (const std::string& damaged : (*table)->damaged_blocks) {
    Diagnostic d;
    d.severity = Severity::kWarning;
    d.code = "store.packed_block_damaged";
    d.message = damaged;
    report.diagnostics.push_back(std::move(d));
  }
  std::vector<const SeriesColumns*> columns(selected.size());
  for (std::size_t i = 0; i < selected.size(); ++i) {
    columns[i] = (*table)->find(selected[i]->source.source, selected[i]->source.series);
  }
  // Budget lines, risks and accepted exceptions, read once for every indicator.
  const RunInputs inputs = load_run_inputs(engine, period, report.diagnostics);
  report.finance = inputs.finance;
  engine.logger->debug("read the budget lines, risks and accepted exceptions in {:.2f} s", took.lap());

  // The manifest's data hash reads only what is in memory by now (the series
  // table is not changed while the workers run), so a recorded run computes it
  // on a thread of its own beside the evaluation instead of after it.
  // An engine that does not keep the series frees each one once it is
  // evaluated and hashed.
  std::optional<SeriesRelease> release;
  if (!engine.options.keep_series) release.emplace(columns, options.record_run ? 2 : 1);
  auto done = [&release](std::size_t i) {
    if (release) release->done(i);
  };
  DataHashInputs hash_inputs;
  double hash_seconds = 0;
  double hash_cpu = 0;
  std::future<std::string> data_hash;
  if (options.record_run) {
    hash_inputs = gather_data_hash_inputs(engine, selected, columns);
    data_hash = std::async(std::launch::async, [&hash_inputs, &period, &inputs, &hash_seconds,
                                                &hash_cpu, &done] {
      Stopwatch hashing;
      CpuStopwatch hashing_cpu(CLOCK_THREAD_CPUTIME_ID);
      std::string digest = compute_data_hash(hash_inputs, period, inputs.records_digest, done);
      hash_seconds = hashing.lap();
      hash_cpu = hashing_cpu.lap();
      return digest;
    });
  }

  // One rule set per worker: worker 0 uses the engine's (or the proposed)
  // rules, the others copies loaded from the same folders.
  const std::size_t workers = worker_count(engine.options.threads, selected.size(), kChunk);
  std::vector<RuleSet> proposed_copies;
  // Reserved up front: the pool points into these vectors.
  if (proposed) proposed_copies.reserve(workers - 1);
  engine.worker_rules.reserve(workers - 1);
  std::vector<Worker> pool(workers);
  for (Worker& w : pool) w.input.links = &inputs.links;
  pool[0].rules = proposed ? &*proposed : &*engine.rules;
  for (std::size_t w = 1; w < workers; ++w) {
    std::vector<Diagnostic> again;  // the same as worker 0's, already reported
    if (proposed) {
      if (proposed_copies.size() < w) {
        proposed_copies.push_back(
            RuleSet::load(options.rule_dirs, engine.sandbox, engine.logger, again));
      }
      pool[w].rules = &proposed_copies[w - 1];
    } else {
      if (engine.worker_rules.size() < w) {
        engine.worker_rules.push_back(
            RuleSet::load(engine.rule_dirs, engine.sandbox, engine.logger, again));
      }
      pool[w].rules = &engine.worker_rules[w - 1];
    }
  }

  std::vector<IndicatorResult> results(selected.size());
  std::vector<std::vector<Diagnostic>> found(selected.size());
  CompletenessInputs completeness;
  completeness.skipped.resize(selected.size());
  ProgressMeter progress(engine.options.progress, "evaluating", "indicators", selected.size());
  run_parallel(workers, selected.size(), kChunk, [&](std::size_t worker, std::size_t i) {
    auto found_comparators = engine.comparators.find(selected[i]->id);
    evaluate_indicator(*selected[i], columns[i],
                       found_comparators == engine.comparators.end() ? nullptr
                                                                     : &found_comparators->second,
                       period, options.full_history, pool[worker], results[i],
                       completeness.skipped[i], found[i]);
    done(i);
    progress.add();
  });
  progress.finish();
  engine.logger->debug("evaluated {} indicators on {} threads in {:.2f} s", selected.size(), workers,
                       took.lap());
  report.indicators = std::move(results);
  // In catalogue order, as one thread would have found them.
  for (std::vector<Diagnostic>& d : found) {
    report.diagnostics.insert(report.diagnostics.end(), std::make_move_iterator(d.begin()),
                              std::make_move_iterator(d.end()));
  }
  const std::vector<SourceFailure> failed_sources = current_source_failures(engine, report.diagnostics);
  sort_and_deduplicate(report.diagnostics);

  completeness.failed_sources = &failed_sources;
  completeness.unknown_series = &engine.unknown_series;
  completeness.definitions = std::move(selected);
  assess_completeness(completeness, report);

  engine.logger->debug("collected diagnostics and completeness in {:.2f} s", took.lap());

  std::string run_data_hash;
  if (data_hash.valid()) {
    run_data_hash = data_hash.get();
    engine.logger->debug(
        "hashed the run's data in {:.2f} s ({:.2f} s of CPU) beside the evaluation, then waited "
        "{:.2f} s for it",
        hash_seconds, hash_cpu, took.lap());
  }
  if (release) {
    engine.logger->debug("freed {:.0f} MiB of series as they were evaluated",
                         static_cast<double>(release->freed_bytes()) / (1 << 20));
    columns.clear();
    hash_inputs = DataHashInputs{};
    engine.series.reset();  // emptied: the next evaluation reads the store again
  }
  CpuStopwatch cpu;
  const RunExtras extras = apply_lifecycle(engine, report, options, inputs, std::move(run_data_hash));
  engine.logger->debug("applied the exception lifecycle in {:.2f} s ({:.2f} s of CPU)", took.lap(),
                       cpu.lap());
  if (options.record_run) {
    auto run_id = engine.store->record_run(report, version_string(), now_unix(), extras);
    if (!run_id.ok()) return run_id.status();
    report.run_id = *run_id;
    engine.logger->debug("recorded run {} in {:.2f} s ({:.2f} s of CPU)", report.run_id,
                         took.lap(), cpu.lap());
  }
  engine.logger->info("run {}: {} indicators, {} exceptions, {} diagnostics{}", report.run_id,
                      count_text(report.indicators.size()), count_text(report.exceptions().size()),
                      count_text(report.diagnostics.size()), report.complete() ? "" : ", incomplete");
  return report;
}

}  // namespace vitals::detail
