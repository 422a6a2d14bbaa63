// SPDX-License-Identifier: Apache-2.0
#include "store/run_history_store.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <utility>

namespace vitals::detail {

namespace {

// Runs `sql`: `bind(Statement&)` sets its parameters, then `on_row(const
// Statement&)` sees each row and may stop with an error.
template <typename Bind, typename OnRow>
Status query(Db& db, std::string_view sql, Bind&& bind, OnRow&& on_row) {
  auto stmt = db.prepare(sql);
  if (!stmt.ok()) return stmt.status();
  bind(*stmt);
  while (true) {
    auto row = stmt->step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::ok();
    if (Status s = on_row(std::as_const(*stmt)); !s.is_ok()) return s;
  }
}

template <typename Bind>
Status execute(Db& db, std::string_view sql, Bind&& bind) {
  return query(db, sql, std::forward<Bind>(bind), [](const Statement&) { return Status::ok(); });
}

constexpr std::array kStates = {ExceptionState::kNew, ExceptionState::kContinuing,
                                ExceptionState::kAccepted, ExceptionState::kAwaitingData,
                                ExceptionState::kResolved};

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ",") + item;
  return out;
}

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    out.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

constexpr const char* kRunColumns =
    "SELECT id, catalogue, committee, period, created_at, engine_version, indicators, exceptions,"
    " diagnostics, catalogue_hash, rules_hash, plugins_hash, data_hash, replaced_by,"
    " EXISTS (SELECT 1 FROM run_incomplete i WHERE i.run_id = runs.id) FROM runs";

Status read_run(const Db& db, const Statement& row, RunInfo& r) {
  r.id = row.column_int64(0);
  r.catalogue = row.column_text(1);
  r.committee = row.column_text(2);
  auto period = Period::parse(row.column_text(3));
  if (!period.ok()) {
    return db.error("run " + std::to_string(r.id) + " holds a malformed period '" +
                    row.column_text(3) + "'");
  }
  r.period = *period;
  r.created_at = row.column_int64(4);
  r.manifest.engine_version = row.column_text(5);
  r.indicators = row.column_int(6);
  r.exceptions = row.column_int(7);
  r.diagnostics = row.column_int(8);
  r.manifest.catalogue_hash = row.column_text(9);
  r.manifest.rules_hash = row.column_text(10);
  r.manifest.plugins_hash = row.column_text(11);
  r.manifest.data_hash = row.column_text(12);
  if (!row.is_null(13)) r.replaced_by = row.column_int64(13);
  r.complete = row.column_int(14) == 0;
  return Status::ok();
}

// A run stored before schema version 2: its exceptions, each new in its period.
Status lifecycle_from_findings(Db& db, const RunInfo& run, std::vector<LifecycleRow>& out) {
  std::map<std::int64_t, LifecycleRow> by_position;
  Status s = query(
      db,
      "SELECT position, indicator_id, title FROM run_indicators WHERE run_id = ?1 AND"
      " is_exception = 1 ORDER BY position",
      [&](Statement& stmt) { stmt.bind(1, run.id); },
      [&](const Statement& row) {
        LifecycleRow r;
        r.indicator_id = row.column_text(1);
        r.title = row.column_text(2);
        r.state = ExceptionState::kNew;
        r.first_reported = run.period;
        r.last_reported = run.period;
        by_position.emplace(row.column_int64(0), std::move(r));
        return Status::ok();
      });
  if (!s.is_ok()) return s;
  s = query(
      db,
      "SELECT indicator_position, criterion FROM findings WHERE run_id = ?1 AND"
      " status = 'exception' ORDER BY indicator_position, position",
      [&](Statement& stmt) { stmt.bind(1, run.id); },
      [&](const Statement& row) {
        auto it = by_position.find(row.column_int64(0));
        if (it != by_position.end()) it->second.criteria.push_back(row.column_text(1));
        return Status::ok();
      });
  if (!s.is_ok()) return s;
  for (auto& [position, row] : by_position) out.push_back(std::move(row));
  return Status::ok();
}

}  // namespace

Status write_run_extras(Db& db, std::int64_t run_id, const EvaluationReport& report,
                        const RunExtras& extras) {
  Status s = execute(db,
                     "UPDATE runs SET catalogue_hash = ?2, rules_hash = ?3, plugins_hash = ?4,"
                     " data_hash = ?5 WHERE id = ?1",
                     [&](Statement& stmt) {
                       stmt.bind(1, run_id);
                       stmt.bind(2, extras.manifest.catalogue_hash);
                       stmt.bind(3, extras.manifest.rules_hash);
                       stmt.bind(4, extras.manifest.plugins_hash);
                       stmt.bind(5, extras.manifest.data_hash);
                     });
  if (!s.is_ok()) return s;
  if (extras.replace_period) {
    s = execute(db,
                "UPDATE runs SET replaced_by = ?1 WHERE catalogue = ?2 AND period = ?3 AND"
                " replaced_by IS NULL AND id <> ?1",
                [&](Statement& stmt) {
                  stmt.bind(1, run_id);
                  stmt.bind(2, report.catalogue_name);
                  stmt.bind(3, report.period.to_string());
                });
    if (!s.is_ok()) return s;
  }
  auto insert = db.prepare(
      "INSERT INTO run_exceptions (run_id, indicator_id, title, state, first_reported,"
      " last_reported, periods_reported, criteria, accepted_criterion, accepted_until, accepted_by,"
      " accepted_rationale) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
  if (!insert.ok()) return insert.status();
  auto write = [&](const LifecycleRow& row) {
    insert->reset();
    insert->bind(1, run_id);
    insert->bind(2, row.indicator_id);
    insert->bind(3, row.title);
    insert->bind(4, exception_state_name(row.state));
    insert->bind(5, row.first_reported.to_string());
    insert->bind(6, row.last_reported.to_string());
    insert->bind(7, row.periods_reported);
    insert->bind(8, join(row.criteria));
    if (row.acceptance) {
      insert->bind(9, row.acceptance->criterion);
      insert->bind(10, row.acceptance->until);
      insert->bind(11, row.acceptance->approver);
      insert->bind(12, row.acceptance->rationale);
    }
    return insert->run();
  };
  if (extras.rows_for_exceptions) {
    for (const IndicatorResult& r : report.indicators) {
      if (!r.is_exception) continue;
      if (Status st = write(exception_row(r, report.period)); !st.is_ok()) return st;
    }
  }
  for (const LifecycleRow& row : extras.lifecycle) {
    if (Status st = write(row); !st.is_ok()) return st;
  }
  return Status::ok();
}

std::vector<std::string> criteria_of(const IndicatorResult& result) {
  std::vector<std::string> out;
  for (const RuleOutcome* o : result.reasons()) {
    if (std::find(out.begin(), out.end(), o->criterion) == out.end()) out.push_back(o->criterion);
  }
  return out;
}

LifecycleRow exception_row(const IndicatorResult& result, const Period& period) {
  LifecycleRow row;
  row.indicator_id = result.indicator_id;
  row.title = result.title;
  row.state = result.lifecycle.state;
  row.first_reported = result.lifecycle.first_reported.value_or(period);
  row.last_reported = period;
  row.periods_reported = result.lifecycle.periods_reported;
  row.criteria = criteria_of(result);
  row.acceptance = result.lifecycle.acceptance;
  return row;
}

Result<std::vector<RunInfo>> list_run_infos(Db& db) {
  std::vector<RunInfo> out;
  Status s = query(
      db, std::string(kRunColumns) + " ORDER BY created_at DESC, id DESC", [](Statement&) {},
      [&](const Statement& row) {
        RunInfo r;
        if (Status st = read_run(db, row, r); !st.is_ok()) return st;
        out.push_back(std::move(r));
        return Status::ok();
      });
  if (!s.is_ok()) return s;
  return out;
}

Result<RunInfo> run_info(Db& db, std::int64_t run_id) {
  std::optional<RunInfo> found;
  Status s = query(
      db, std::string(kRunColumns) + " WHERE id = ?1",
      [&](Statement& stmt) { stmt.bind(1, run_id); },
      [&](const Statement& row) {
        RunInfo r;
        if (Status st = read_run(db, row, r); !st.is_ok()) return st;
        found = std::move(r);
        return Status::ok();
      });
  if (!s.is_ok()) return s;
  if (!found) {
    return Status(StatusCode::kNotFound,
                  "store '" + db.path().string() + "': no run " + std::to_string(run_id));
  }
  return *found;
}

Result<std::optional<RunInfo>> previous_run(Db& db, const std::string& catalogue,
                                            const Period& period) {
  std::optional<RunInfo> best;
  Status s = query(
      db, std::string(kRunColumns) + " WHERE catalogue = ?1 AND replaced_by IS NULL",
      [&](Statement& stmt) { stmt.bind(1, catalogue); },
      [&](const Statement& row) {
        RunInfo r;
        if (Status st = read_run(db, row, r); !st.is_ok()) return st;
        if (!(r.period < period)) return Status::ok();
        if (!best || best->period < r.period || (best->period == r.period && best->id < r.id)) {
          best = std::move(r);
        }
        return Status::ok();
      });
  if (!s.is_ok()) return s;
  return best;
}

Result<std::vector<LifecycleRow>> load_lifecycle(Db& db, std::int64_t run_id) {
  auto run = run_info(db, run_id);
  if (!run.ok()) return run.status();
  std::vector<LifecycleRow> out;
  const std::string where = "run " + std::to_string(run_id);
  Status s = query(
      db,
      "SELECT indicator_id, title, state, first_reported, last_reported, periods_reported,"
      " criteria, accepted_criterion, accepted_until, accepted_by, accepted_rationale"
      " FROM run_exceptions WHERE run_id = ?1 ORDER BY indicator_id",
      [&](Statement& stmt) { stmt.bind(1, run_id); },
      [&](const Statement& row) {
        LifecycleRow r;
        r.indicator_id = row.column_text(0);
        r.title = row.column_text(1);
        std::string state = row.column_text(2);
        auto found = std::find_if(kStates.begin(), kStates.end(), [&](ExceptionState e) {
          return state == exception_state_name(e);
        });
        auto first = Period::parse(row.column_text(3));
        auto last = Period::parse(row.column_text(4));
        if (found == kStates.end() || !first.ok() || !last.ok()) {
          return db.error(where + " holds an unreadable exception lifecycle for indicator '" +
                          r.indicator_id + "'");
        }
        r.state = *found;
        r.first_reported = *first;
        r.last_reported = *last;
        r.periods_reported = row.column_int(5);
        r.criteria = split(row.column_text(6));
        if (!row.is_null(7)) {
          Acceptance a;
          a.indicator_id = r.indicator_id;
          a.criterion = row.column_text(7);
          a.until = row.column_text(8);
          a.approver = row.column_text(9);
          a.rationale = row.column_text(10);
          r.acceptance = std::move(a);
        }
        out.push_back(std::move(r));
        return Status::ok();
      });
  if (!s.is_ok()) return s;
  if (out.empty() && run->manifest.catalogue_hash.empty()) {
    if (Status st = lifecycle_from_findings(db, *run, out); !st.is_ok()) return st;
  }
  return out;
}

}  // namespace vitals::detail
