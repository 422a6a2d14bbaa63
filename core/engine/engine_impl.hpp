// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <exception>
#include <future>
#include <memory>
#include <optional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <spdlog/logger.h>
#include <vitals/commentary.hpp>
#include <vitals/engine.hpp>
#include <vitals/meetings.hpp>

#include "config/comparators_loader.hpp"
#include "lua/rule_set.hpp"
#include "plugin/plugin_registry.hpp"
#include "store/history_store.hpp"
#include "store/series_table.hpp"

namespace vitals {

// The engine's state. Kept in one place so that ingest and evaluation are
// free functions over it (engine/ingest.cpp, engine/evaluate.cpp).
struct Engine::Impl {
  EngineOptions options;
  std::shared_ptr<spdlog::logger> logger;
  std::unique_ptr<detail::HistoryStore> store;
  std::unique_ptr<detail::PluginRegistry> plugins;
  std::vector<Diagnostic> open_diagnostics;  // from open(): plugin loading
  std::vector<Diagnostic> diagnostics;       // open + last load_catalogue
  std::vector<Diagnostic> ingest_diagnostics;  // last ingest
  std::vector<SourceFailure> failed_sources;   // last ingest
  /// True once ingest() ran since the catalogue was loaded; until then the
  /// failures of the store's last ingest (source_failures) stand in for it.
  bool ingested = false;
  std::vector<UnknownSeries> unknown_series;   // last ingest
  /// Those of `diagnostics` about the catalogue's rule parameters, checked
  /// against `rules` (a proposed rule set is checked afresh).
  std::vector<Diagnostic> rule_settings_diagnostics;
  std::optional<Catalogue> catalogue;
  CommentarySet commentary;
  MeetingSet meetings;  // the committee's decisions and report-backs
  /// The comparators of the indicators [comparators] links to a measure
  /// (empty when the catalogue has none or its file was rejected).
  detail::ComparatorTable comparators;
  std::optional<detail::RuleSet> rules;
  /// Sources whose plugin found errors in their settings, with the first
  /// error: never fetched.
  std::map<std::string, std::string> invalid_sources;
  std::vector<std::filesystem::path> rule_dirs;  // the folders `rules` came from
  /// The rules' limits: options.sandbox with the catalogue's [sandbox] applied.
  SandboxLimits sandbox;
  /// Rule sets of evaluation workers 1..n-1 (worker 0 uses `rules`): a
  /// RuleSet is not thread-safe. Loaded on first use, dropped with the catalogue.
  std::vector<detail::RuleSet> worker_rules;
  /// The store's observations in memory, so that evaluations after the
  /// first read no series from SQLite. Dropped by every ingest; reloaded when
  /// another connection has committed to the store since (series_version).
  std::optional<detail::SeriesTable> series;
  std::int64_t series_version = 0;
  /// The series being read beside the catalogue (options.read_series_early),
  /// with our connection's data_version when that read began and the CPU
  /// time the read took (set by its thread before it ends). Destroyed first:
  /// waits for the read to end.
  std::future<Result<detail::SeriesTable>> early_series;
  std::int64_t early_series_version = 0;
  double early_series_cpu = 0;
};

namespace detail {

/// Starts reading every series of the store on a thread of its own, through
/// a connection of its own (EngineOptions::read_series_early); does nothing
/// for an in-memory store or when the series are read or being read.
void start_reading_series(Engine::Impl& engine);

/// Fetches and stores every source of the loaded catalogue (Engine::ingest).
IngestSummary ingest_sources(Engine::Impl& engine);

/// Computes every derived indicator of the loaded catalogue from the stored
/// current revisions of its inputs, inputs first, and stores the values under
/// kDerivedSourceName with the inputs each came from (store/derived_inputs.hpp);
/// adds their counts and diagnostics to `summary`. An indicator one of whose
/// sources is in summary.failed keeps its stored values. Does nothing, and
/// reads nothing, for a catalogue without derived indicators.
void derive_indicators(Engine::Impl& engine, IngestSummary& summary);

/// Adds a store's write counts to `summary`.
void add_counts(IngestSummary& summary, const IngestCounts& counts);

/// Writes which sources of `summary` failed and which were read to the
/// store (store/source_state.hpp), so that a later run in another process
/// knows; a store failure becomes a warning in summary.diagnostics.
void remember_source_outcomes(Engine::Impl& engine, IngestSummary& summary);

/// The sources whose data this run cannot trust: the failures of this
/// engine's last ingest, or, when it has not ingested since the catalogue
/// was loaded, those the store remembers from the last ingest of any process
/// (for the catalogue's sources only).
std::vector<SourceFailure> current_source_failures(Engine::Impl& engine,
                                                   std::vector<Diagnostic>& diagnostics);

/// Stores pushed series for one source (Engine::ingest_series).
Result<IngestSummary> ingest_pushed(Engine::Impl& engine, const SourceDefinition& source,
                                    const std::vector<Series>& series);

/// Evaluates the loaded catalogue for `period` (Engine::evaluate).
Result<EvaluationReport> evaluate_catalogue(Engine::Impl& engine, const Period& period,
                                            const EvaluateOptions& options);

/// Checks every rule parameter table of `catalogue` (rule_settings) against
/// the loaded `rules`: a table naming no loaded rule is "config.unknown_rule"
/// (at the rule id, with a suggestion); a parameter the rule does not declare
/// "config.unknown_rule_param" (at the key, with a suggestion); a value that
/// does not fit its declaration "config.bad_rule_param" (at the value). A rule
/// that declares no parameters gets a "config.unchecked_rule_params" warning
/// for each table that sets some.
void check_rule_settings(const Catalogue& catalogue, const std::vector<RuleInfo>& rules,
                         std::vector<Diagnostic>& diagnostics);

/// Checks each source's settings through its plugin's validate function,
/// without fetching (PluginRegistry::validate_source); sources whose plugin
/// is not loaded are skipped. Returns the sources with errors, each with its
/// first error's message.
std::map<std::string, std::string> validate_sources(const Catalogue& catalogue,
                                                    PluginRegistry& plugins,
                                                    std::vector<Diagnostic>& diagnostics);

/// Seconds since the epoch, the time stamp of ingests and runs.
std::int64_t now_unix();

/// kInvalidArgument when no catalogue is loaded yet, else ok.
inline Status require_catalogue(const Engine::Impl& impl) {
  if (!impl.catalogue) {
    return Status(StatusCode::kInvalidArgument, "no catalogue is loaded: call load_catalogue() first");
  }
  return Status::ok();
}

/// The public API's exception boundary: runs `body` (returning a Status or a
/// Result) and turns anything thrown inside the engine (allocation failure,
/// a bug) into a kInternal Status instead of unwinding into the embedding
/// program.
template <typename F>
auto guard_api(F&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const std::exception& e) {
    return Status(StatusCode::kInternal, std::string("internal error: ") + e.what());
  }
}

}  // namespace detail
}  // namespace vitals
