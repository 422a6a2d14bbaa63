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
      // A delta run's own rows and its base's (store/run_delta.hpp).
      "SELECT position, indicator_id, title FROM run_indicators WHERE run_id = ?1 AND"
      " is_exception = 1"
      " UNION ALL"
      " SELECT b.position, b.indicator_id, b.title FROM runs r JOIN run_indicators b"
      " ON b.run_id = r.base_run AND b.position < r.indicators WHERE r.id = ?1"
      " AND b.is_exception = 1"
      " AND b.position NOT IN (SELECT position FROM run_indicators WHERE run_id = ?1)"
      " ORDER BY 1",
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
      "SELECT indicator_position, criterion, position FROM findings WHERE run_id = ?1 AND"
      " status = 'exception'"
      " UNION ALL"
      " SELECT f.indicator_position, f.criterion, f.position FROM runs r JOIN findings f"
      " ON f.run_id = r.base_run AND f.indicator_position < r.indicators WHERE r.id = ?1"
      " AND f.status = 'exception'"
      " AND f.indicator_position NOT IN (SELECT position FROM run_indicators WHERE run_id = ?1)"
      " ORDER BY 1, 3",
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
  return Status::ok();
}

std::string join_criteria(const std::vector<std::string>& criteria) { return join(criteria); }

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
      // A delta run's own rows, and its base's rows of the indicators at the
      // positions it did not store again (store/run_delta.hpp).
      "SELECT indicator_id, title, state, first_reported, last_reported, periods_reported,"
      " criteria, accepted_criterion, accepted_until, accepted_by, accepted_rationale"
      " FROM run_exceptions WHERE run_id = ?1"
      " UNION ALL"
      " SELECT e.indicator_id, e.title, e.state, e.first_reported, e.last_reported,"
      " e.periods_reported, e.criteria, e.accepted_criterion, e.accepted_until, e.accepted_by,"
      " e.accepted_rationale"
      " FROM runs r JOIN run_indicators b ON b.run_id = r.base_run AND b.position < r.indicators"
      " JOIN run_exceptions e ON e.run_id = r.base_run AND e.indicator_id = b.indicator_id"
      " WHERE r.id = ?1"
      " AND b.position NOT IN (SELECT position FROM run_indicators WHERE run_id = ?1)"
      " ORDER BY 1",
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
