// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "store/sqlite_db.hpp"

#include <vitals/evaluation.hpp>
#include <vitals/lifecycle.hpp>
#include <vitals/period.hpp>
#include <vitals/run_history.hpp>
#include <vitals/status.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vitals::detail {

/// One indicator's row of a run's exception lifecycle (table run_exceptions).
struct LifecycleRow {
  std::string indicator_id;
  std::string title;
  ExceptionState state = ExceptionState::kNew;  // never kNone
  Period first_reported;
  Period last_reported;  // the run's period, or (kResolved, kAwaitingData) the last one reported
  int periods_reported = 1;
  std::vector<std::string> criteria;  // in report order
  /// Criterion (empty = every criterion), until, approver and rationale of the
  /// acceptance that applied (kAccepted only).
  std::optional<Acceptance> acceptance;
};

/// What a run stores besides its findings (HistoryStore::record_run).
struct RunExtras {
  /// engine_version is taken from record_run's argument, not from here.
  RunManifest manifest;
  std::vector<LifecycleRow> lifecycle;
  /// Marks the current run of the same catalogue and period, if any, as
  /// replaced by the new one.
  bool replace_period = true;
  /// Each exception of the report also gets a row, made from the lifecycle
  /// its result carries (exception_row) as it is written, so that a national
  /// run does not hold a second copy of every exception; `lifecycle` then
  /// holds only the other rows (resolved, awaiting data, carried forward).
  bool rows_for_exceptions = false;
};

/// The criteria `result` is reported for, each once, in report order.
std::vector<std::string> criteria_of(const IndicatorResult& result);

/// The lifecycle row of an exception of a run for `period`, from the
/// lifecycle its result carries. REQUIRES: result.is_exception and its
/// lifecycle state set.
LifecycleRow exception_row(const IndicatorResult& result, const Period& period);

/// Writes `extras` for the run `run_id` of `report`. REQUIRES: called inside
/// record_run's transaction, after the run row is inserted.
Status write_run_extras(Db& db, std::int64_t run_id, const EvaluationReport& report,
                        const RunExtras& extras);

/// Every stored run, newest first (by created_at, then id).
Result<std::vector<RunInfo>> list_run_infos(Db& db);

/// One stored run; kNotFound "store '<path>': no run N" when there is none.
Result<RunInfo> run_info(Db& db, std::int64_t run_id);

/// The run a new run of `catalogue` for `period` compares with: among the
/// runs of that catalogue not replaced, the one with the latest period before
/// `period` (by Period order; the highest id among equal periods). nullopt
/// when there is none.
Result<std::optional<RunInfo>> previous_run(Db& db, const std::string& catalogue,
                                            const Period& period);

/// The exception lifecycle stored with a run, by indicator id. A run stored
/// before schema version 2 has none; its exceptions are then read from its
/// findings, each as kNew in the run's period.
Result<std::vector<LifecycleRow>> load_lifecycle(Db& db, std::int64_t run_id);

}  // namespace vitals::detail
