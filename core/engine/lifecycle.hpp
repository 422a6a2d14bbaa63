// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <vitals/diagnostic.hpp>
#include <vitals/evaluation.hpp>
#include <vitals/lifecycle.hpp>
#include <vitals/period.hpp>
#include <vitals/records.hpp>
#include <vitals/risk_report.hpp>

#include "engine/engine_impl.hpp"
#include "lua/linked_records.hpp"
#include "store/run_history_store.hpp"

namespace vitals::detail {

/// What an evaluation reads besides the series: the budget lines and risks
/// the rules see, and the acceptances in force. Loaded once, before the
/// indicators are evaluated; read-only afterwards.
struct RunInputs {
  LinkedRecords links;
  /// SHA-256 of every record set read (part of the run's data hash).
  std::string records_digest;
  std::vector<Acceptance> acceptances;
  /// The budget snapshot as at the period, with the previous snapshot's
  /// variances, for the report's "Finance monitoring" section.
  FinanceMonitoring finance;
};

/// Loads the run's inputs for `period`: records from every source of the
/// catalogue (store/record_store.hpp) as at the period, and accepted.toml.
/// Problems (an unreadable store, accepted.toml errors, a saving naming a
/// line without figures, an id delivered by two sources) are appended to
/// `diagnostics`; the evaluation goes on without what could not be read.
RunInputs load_run_inputs(Engine::Impl& engine, const Period& period,
                          std::vector<Diagnostic>& diagnostics);

/// The post-pass of an evaluation, run after every indicator is evaluated:
/// sets each result's lifecycle (new / continuing / accepted / awaiting
/// data) against the previous run of the catalogue, fills report.resolved,
/// and, when the run is recorded, report.manifest. Returns what record_run
/// stores with the run (its lifecycle rows only when the run is recorded). A store failure here becomes a warning diagnostic
/// (the exceptions are then all reported as new), not a failed run.
/// `data_hash` is the run's data hash (compute_data_hash), set as the
/// manifest's when the run is recorded.
RunExtras apply_lifecycle(Engine::Impl& engine, EvaluationReport& report,
                          const EvaluateOptions& options, const RunInputs& inputs,
                          std::string data_hash);

/// Records of one kind from every source of the catalogue as at `period`
/// (strictly before it when `before`): each source gives its records of the
/// latest period it holds at or before `period` (store/record_store.hpp),
/// merged by key. An id two sources both give is kept from the first source
/// (by name), with a warning.
struct KindRecords {
  std::optional<Period> period;  // the latest period any source gave
  std::vector<Record> records;   // sorted by key
};
Result<KindRecords> load_kind_records(Engine::Impl& engine, std::string_view kind,
                                      const Period& period, bool before,
                                      std::vector<Diagnostic>& diagnostics);

/// The register of risks as at `period` with previous_score set from the
/// register before it; `previous` receives that earlier register. When
/// `digest` is given it receives the hash of both registers' records.
Result<std::vector<Risk>> load_risk_register(Engine::Impl& engine, const Period& period,
                                             std::optional<Period>& register_period,
                                             std::vector<Risk>& previous,
                                             std::optional<Period>& previous_period,
                                             std::vector<Diagnostic>& diagnostics,
                                             std::string* digest = nullptr);

/// What the run's data hash covers, gathered before the indicators are
/// evaluated so that the hash can be computed beside them: each evaluated
/// indicator (in report order) with its series in memory, or, for one the
/// series table does not hold, its observations read from the store
/// (nullopt when they could not be read). Read-only once gathered; the
/// catalogue and series table it points into must outlive it.
struct DataHashInputs {
  std::vector<const IndicatorDefinition*> indicators;
  std::vector<const SeriesColumns*> columns;
  std::vector<std::optional<std::vector<Observation>>> stored;  // where columns[i] is nullptr
};

/// Gathers the data hash's inputs for `indicators` and their series in
/// memory (`columns`, nullptr where the table has none, read from the store
/// here). Uses the store: call it before any other thread may.
DataHashInputs gather_data_hash_inputs(Engine::Impl& engine,
                                       std::vector<const IndicatorDefinition*> indicators,
                                       std::vector<const SeriesColumns*> columns);

/// The run's data hash: per indicator, its id, source and series key and
/// every observation up to `period`, then `records_digest` (the digest of the
/// records read; docs/adr/0003). Touches nothing but `inputs`, so it may run
/// on a thread of its own while the indicators are evaluated. Calls
/// `hashed(i)`, when given, once indicator i's observations are hashed.
std::string compute_data_hash(const DataHashInputs& inputs, const Period& period,
                              const std::string& records_digest,
                              const std::function<void(std::size_t)>& hashed = {});

/// The manifest of a run of the loaded catalogue: hashes of its files, the
/// rules in `rule_dirs` and the plugins of its sources, and `data_hash`
/// (compute_data_hash).
RunManifest compute_manifest(Engine::Impl& engine, std::string data_hash,
                             const std::vector<std::filesystem::path>& rule_dirs);

}  // namespace vitals::detail
