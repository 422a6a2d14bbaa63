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

/// Writes the manifest of `extras` for the run `run_id` of `report` and marks
/// the run it replaces; its lifecycle rows are written by record_run, with
/// the findings of their indicators (store/run_delta.hpp). REQUIRES: called
/// inside record_run's transaction, after the run row is inserted.
Status write_run_extras(Db& db, std::int64_t run_id, const EvaluationReport& report,
                        const RunExtras& extras);

/// The insert of one run_exceptions row: ?1 is the run id, the other
/// parameters are put by lifecycle_fields.
inline constexpr const char* kInsertLifecycleRow =
    "INSERT INTO run_exceptions (run_id, indicator_id, title, state, first_reported,"
    " last_reported, periods_reported, criteria, accepted_criterion, accepted_until, accepted_by,"
    " accepted_rationale) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";

/// `criteria` as stored: comma-separated.
std::string join_criteria(const std::vector<std::string>& criteria);

/// Puts every stored value of `row` as put(parameter index, value) for
/// kInsertLifecycleRow (the acceptance's parameters only when it has one).
template <typename Put>
void lifecycle_fields(const LifecycleRow& row, Put&& put) {
  put(2, row.indicator_id);
  put(3, row.title);
  put(4, exception_state_name(row.state));
  put(5, row.first_reported.to_string());
  put(6, row.last_reported.to_string());
  put(7, row.periods_reported);
  put(8, join_criteria(row.criteria));
  if (row.acceptance) {
    put(9, row.acceptance->criterion);
    put(10, row.acceptance->until);
    put(11, row.acceptance->approver);
    put(12, row.acceptance->rationale);
  }
}

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
