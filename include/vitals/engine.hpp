// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <vitals/catalogue.hpp>
#include <vitals/commentary.hpp>
#include <vitals/meetings.hpp>
#include <vitals/diagnostic.hpp>
#include <vitals/evaluation.hpp>
#include <vitals/export.hpp>
#include <vitals/observation.hpp>
#include <vitals/options.hpp>
#include <vitals/period.hpp>
#include <vitals/records.hpp>
#include <vitals/report.hpp>
#include <vitals/risk_report.hpp>
#include <vitals/run_history.hpp>
#include <vitals/status.hpp>

namespace vitals {

/// A source an ingest could not read: nothing new from it was stored, and an
/// evaluation after the ingest is incomplete (EvaluationReport::incomplete).
struct SourceFailure {
  std::string source;   // the source's name in the catalogue
  std::string message;  // why, as in its error diagnostic
};

/// A series a source delivered that no indicator of the catalogue reads
/// (indicator.source.series): often a mis-keyed id such as "Flat_Breaks" or
/// "flat_breaks" followed by a no-break space. Its rows are stored.
struct UnknownSeries {
  std::string source;
  std::string key;
  std::int64_t rows = 0;   // observations delivered for it
  std::string suggestion;  // the indicator id it nearly matches, or empty
};

/// What an ingest stored.
struct IngestSummary {
  int sources = 0;     // sources fetched successfully
  int series = 0;      // series received
  int inserted = 0;    // observations new to the store
  int revised = 0;     // observations whose figures changed (old kept as a revision)
  int unchanged = 0;   // observations already stored with the same figures
  int records = 0;     // records received (budget lines, savings, risks)
  std::vector<Diagnostic> diagnostics;
  /// The sources that could not be read, in catalogue order.
  std::vector<SourceFailure> failed;
  /// Series no indicator reads ("data.unknown_series"), by source then key.
  std::vector<UnknownSeries> unknown_series;
};

/// A module a rule loaded with `require`, and the file it came from.
struct RuleModule {
  std::string rule_id;
  std::string module;  // the name given to require: "vitals.series"
  std::string file;    // as Lua names it: "rules/lib/series.lua"
};

/// How to evaluate a period (Engine::evaluate).
struct EvaluateOptions {
  /// Store the run (and its findings) in the store. Off for "what if" runs.
  bool record_run = true;
  /// When not empty, evaluate with the rules in these directories instead of
  /// the catalogue's, e.g. to backtest a proposed rule set. Their load
  /// diagnostics are in the report.
  std::vector<std::filesystem::path> rule_dirs;
  /// When not empty, evaluate only these indicator ids (unknown ids give
  /// kInvalidArgument).
  std::vector<std::string> indicators;
  /// Fill IndicatorResult::full_history (every stored period up to the
  /// reporting period), for pages that print an indicator's whole history.
  bool full_history = false;
};

/// The engine: a catalogue, its rules, its sources and the store.
///
/// Typical use: open(), load_catalogue(), ingest(), evaluate(period).
///
/// Thread safety: an Engine is not safe for concurrent use; use one per
/// thread or serialise calls. Distinct engines may share a store file.
class VITALS_API Engine {
 public:
  /// Opens (creating when missing, in a folder that must exist) the store at
  /// options.store_path and loads the plugins options.plugins allows. Plugin
  /// problems become diagnostics(); kStoreError when the store cannot be
  /// opened or migrated, or the file there is not a Vitals store (it is then
  /// left as it was).
  static Result<Engine> open(const EngineOptions& options);

  Engine(Engine&&) noexcept;
  Engine& operator=(Engine&&) noexcept;
  ~Engine();

  /// Loads the catalogue in `dir` (its catalogue.toml, indicators/**/*.toml,
  /// commentary/ and meeting files) and the rules it names, replacing any catalogue loaded
  /// before. Returns kValidationError when the catalogue, its commentary or its meeting files have
  /// errors (the engine then holds no catalogue); rule scripts that fail to
  /// load are diagnostics but not a failure: the other rules still run.
  /// Once the rules and plugins are known, the catalogue's rule parameters
  /// are checked against what each rule declares, and each source's settings
  /// through its plugin's validate function (nothing is fetched); problems
  /// are located error diagnostics, not a failure, and a source whose
  /// settings have errors is not fetched by ingest(). Either way see
  /// diagnostics().
  Status load_catalogue(const std::filesystem::path& dir);

  /// The loaded catalogue. REQUIRES: load_catalogue() returned OK.
  const Catalogue& catalogue() const;

  /// The officers' commentary loaded with the catalogue (its commentary/
  /// folder). REQUIRES: load_catalogue() returned OK.
  const CommentarySet& commentary() const;

  /// The committee's meetings loaded with the catalogue (its meetings folder,
  /// [catalogue] meetings): decisions and report-backs. Empty when it has
  /// none. REQUIRES: load_catalogue() returned OK.
  const MeetingSet& meetings() const;

  /// Diagnostics from open() and the last load_catalogue(), sorted.
  const std::vector<Diagnostic>& diagnostics() const;

  /// The ids of the rules loaded, sorted.
  std::vector<std::string> rule_ids() const;

  /// The modules each loaded rule required while its file ran, by rule id
  /// and then in the order they were loaded.
  std::vector<RuleModule> rule_modules() const;

  /// Fetches every source of the catalogue through its plugin and stores the
  /// observations, one transaction per source. A source that fails (or
  /// reports a bad row) stores nothing and becomes a diagnostic and an entry
  /// of IngestSummary::failed; the other sources still ingest. A series no
  /// indicator reads is stored and reported ("data.unknown_series", an error
  /// when its key nearly matches an indicator id, else a warning). The next
  /// evaluate() is incomplete for the indicators of a failed source. The
  /// store remembers which sources failed, so an evaluate() without an
  /// ingest() of its own (another Engine, another process, --no-ingest) is
  /// incomplete for them too, until an ingest reads them again (ingest(),
  /// ingest_series() or ingest_records() for that source).
  /// REQUIRES: a catalogue is loaded.
  Result<IngestSummary> ingest();

  /// Stores observations an embedding program pushes for the catalogue
  /// source `source`, in one transaction. kInvalidArgument for an unknown
  /// source. REQUIRES: a catalogue is loaded.
  Result<IngestSummary> ingest_series(const std::string& source, const std::vector<Series>& series);

  /// Stores records (budget lines, savings, risks; see vitals::Record) an
  /// embedding program pushes for the catalogue source `source`, as one
  /// snapshot in one transaction (identical to the source's latest snapshot:
  /// nothing written). kInvalidArgument for an unknown source or an invalid
  /// record, naming it. REQUIRES: a catalogue is loaded.
  Result<IngestSummary> ingest_records(const std::string& source,
                                       const std::vector<Record>& records);

  /// Every run in the store, newest first, with its manifest and whether a
  /// re-run of its period replaced it. Needs no catalogue.
  Result<std::vector<RunInfo>> runs();

  /// A stored run as evaluate() returned it: results, findings, diagnostics,
  /// each exception's lifecycle, the resolved exceptions and the manifest
  /// (history and commentary are not stored). kNotFound when there is no
  /// such run. Needs no catalogue.
  Result<EvaluationReport> load_run(std::int64_t run_id);

  /// The risk exception report for `period`: the register as at the period
  /// (the latest stored at or before it, from the catalogue's sources), the
  /// risks scoring options.threshold or more with prospects Red or Amber, and
  /// the reconciliation with the register before it. With
  /// options.indicators, the catalogue is also evaluated for `period` (as
  /// evaluate() with record_run off) to list the indicators that weaken each
  /// risk now (RiskReport::indicator_links); when the period cannot be
  /// evaluated (e.g. no indicator has its frequency) the report is still
  /// returned, with indicators_evaluated false. REQUIRES: a catalogue is
  /// loaded.
  Result<RiskReport> risk_report(const Period& period, const RiskReportOptions& options = {});

  /// Where the current stored value of derived indicator `indicator_id` for
  /// `period` came from: the input observations it was computed from, sorted
  /// by source, series and period; empty when no value is stored for the
  /// period. kInvalidArgument when the catalogue has no such derived
  /// indicator. REQUIRES: a catalogue is loaded.
  Result<std::vector<DerivedInputUse>> derived_inputs(const std::string& indicator_id,
                                                      const Period& period);

  /// Evaluates every indicator for `period` against the stored data with
  /// every rule, and records the run in the store. Rule failures are
  /// diagnostics in the report ("could not evaluate"), not errors. The
  /// report's diagnostics include those of load_catalogue() and of the last
  /// ingest().
  /// REQUIRES: a catalogue is loaded.
  Result<EvaluationReport> evaluate(const Period& period);
  Result<EvaluationReport> evaluate(const Period& period, const EvaluateOptions& options);

  /// The engine's private state (opaque to embedders).
  struct Impl;

 private:
  explicit Engine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// The inputs of a committee report (or published site) of `report` as
/// `engine`'s catalogue sets it out: the commentary, the report templates
/// ([report] templates), the organisation and the committee's meetings, with
/// the meeting taken from the report's period. `vitals report` and `vitals
/// publish` report through it. `engine` and `report` must outlive the result.
/// REQUIRES: a catalogue is loaded.
VITALS_API ReportInputs report_inputs(const Engine& engine, const EvaluationReport& report);

}  // namespace vitals
