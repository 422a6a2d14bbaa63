// SPDX-License-Identifier: Apache-2.0
#include "store/history_store.hpp"
#include "common/period_codes.hpp"

#include "store/evidence_json.hpp"
#include "store/migrations.hpp"
#include "store/sqlite_db.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace vitals::detail {

namespace {

// Every statement the store runs; prepared once, on first use, and reused.
enum class Sql : std::size_t {
  kFindSource,
  kInsertSource,
  kFindSeries,
  kInsertSeries,
  kCurrentRows,
  kInsertObservation,
  kSupersede,
  kNextObservationId,
  kSetNextObservationId,
  kLoadSeries,
  kRevisions,
  kInsertRun,
  kInsertIndicator,
  kInsertFinding,
  kInsertDiagnostic,
  kListRuns,
  kRunHeader,
  kRunIndicators,
  kRunFindings,
  kRunDiagnostics,
  kCount,
};

constexpr std::array<const char*, static_cast<std::size_t>(Sql::kCount)> kSqlText = {
    "SELECT id FROM sources WHERE name = ?1",
    "INSERT INTO sources (name) VALUES (?1)",
    "SELECT id FROM series WHERE source_id = ?1 AND key = ?2",
    "INSERT INTO series (source_id, key) VALUES (?1, ?2)",
    "SELECT id, period_end, period_len, value, numerator, denominator, target"
    " FROM observations WHERE series_id = ?1 AND superseded_at IS NULL",
    "INSERT INTO observations (id, series_id, period, period_end, period_len, value, numerator,"
    " denominator, target, ingested_at, revises)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    // By the whole primary key: observations has no other index.
    "UPDATE observations SET superseded_at = ?5"
    " WHERE series_id = ?1 AND period_end = ?2 AND period_len = ?3 AND id = ?4",
    "SELECT next_id FROM observation_ids",
    "UPDATE observation_ids SET next_id = ?1",
    "SELECT o.period, o.value, o.numerator, o.denominator, o.target"
    " FROM observations o JOIN series s ON s.id = o.series_id"
    " JOIN sources src ON src.id = s.source_id"
    " WHERE src.name = ?1 AND s.key = ?2 AND o.superseded_at IS NULL"
    " ORDER BY o.period_end, o.period_len",
    // A period's revisions are adjacent in the primary key, oldest (lowest id) first.
    "SELECT o.period, o.value, o.numerator, o.denominator, o.target, o.ingested_at,"
    " o.superseded_at IS NULL FROM observations o JOIN series s ON s.id = o.series_id"
    " JOIN sources src ON src.id = s.source_id"
    " WHERE src.name = ?1 AND s.key = ?2 AND o.period_end = ?3 AND o.period_len = ?4"
    " ORDER BY o.id",
    "INSERT INTO runs (catalogue, committee, period, created_at, engine_version, indicators,"
    " exceptions, diagnostics) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    "INSERT INTO run_indicators (run_id, position, indicator_id, title, polarity, unit, frequency,"
    " data_state, is_exception, latest_period, latest_value, latest_numerator,"
    " latest_denominator, latest_target, latest_variance_pct, latest_rag)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    "INSERT INTO findings (run_id, indicator_position, position, rule_id, criterion, status,"
    " message, evidence) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    "INSERT INTO run_diagnostics (run_id, position, severity, code, message, location_file,"
    " location_line, location_column, indicator_id, rule_id)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    "SELECT id, catalogue, period, created_at, engine_version, indicators, exceptions,"
    " diagnostics FROM runs ORDER BY created_at DESC, id DESC",
    "SELECT catalogue, committee, period FROM runs WHERE id = ?1",
    "SELECT position, indicator_id, title, polarity, unit, frequency, data_state, is_exception,"
    " latest_period, latest_value, latest_numerator, latest_denominator, latest_target,"
    " latest_variance_pct, latest_rag FROM run_indicators WHERE run_id = ?1 ORDER BY position",
    "SELECT indicator_position, rule_id, criterion, status, message, evidence FROM findings"
    " WHERE run_id = ?1 ORDER BY indicator_position, position",
    "SELECT severity, code, message, location_file, location_line, location_column,"
    " indicator_id, rule_id FROM run_diagnostics WHERE run_id = ?1 ORDER BY position",
};

// Enums are stored by their stable public names, so the file reads well in
// any SQLite tool and does not depend on enumerator order.
template <typename E, std::size_t N>
std::optional<E> enum_from_name(std::string_view text, const std::array<E, N>& all,
                                const char* (*name)(E)) {
  for (E e : all) {
    if (text == name(e)) return e;
  }
  return std::nullopt;
}

constexpr std::array kPolarities = {Polarity::kBiggerIsBetter, Polarity::kSmallerIsBetter};
constexpr std::array kUnits = {Unit::kPercent, Unit::kPer100k, Unit::kCount, Unit::kCurrency,
                               Unit::kNumber};
constexpr std::array kRags = {Rag::kNone, Rag::kGreen, Rag::kAmber, Rag::kRed};
constexpr std::array kDataStates = {DataState::kCurrent, DataState::kStale, DataState::kNoData};
constexpr std::array kOutcomeStatuses = {RuleOutcome::Status::kException, RuleOutcome::Status::kOk,
                                         RuleOutcome::Status::kInsufficientData,
                                         RuleOutcome::Status::kNotApplicable,
                                         RuleOutcome::Status::kError};
constexpr std::array kSeverities = {Severity::kError, Severity::kWarning, Severity::kNote};

// Identifies a period among a series' rows without formatting its text.
std::int64_t period_code(int end_month, int length) {
  return static_cast<std::int64_t>(end_month) * 16 + length;
}
std::int64_t period_code(const Period& p) {
  return period_code(p.last_month_index(), p.length_in_months());
}

Status invalid(std::string message) {
  return Status(StatusCode::kInvalidArgument, std::move(message));
}

// The name of the first figure of `o` that is NaN or infinite, or nullptr.
const char* first_non_finite(const Observation& o) {
  auto bad = [](const std::optional<double>& f) { return f && !std::isfinite(*f); };
  if (bad(o.value)) return "value";
  if (bad(o.numerator)) return "numerator";
  if (bad(o.denominator)) return "denominator";
  if (bad(o.target)) return "target";
  return nullptr;
}

// Everything ingest() can reject is rejected here, before the transaction.
Status validate_ingest(const std::string& source, const std::vector<Series>& series) {
  if (source.empty()) return invalid("cannot store observations under an empty source name");
  std::unordered_set<std::string_view> keys;
  for (const Series& s : series) {
    if (s.key.empty()) {
      return invalid("source '" + source + "' delivered a series with an empty key");
    }
    if (!keys.insert(s.key).second) {
      return invalid("source '" + source + "' delivered series '" + s.key + "' twice");
    }
    bool ascending = true;
    for (std::size_t i = 0; i < s.observations.size(); ++i) {
      const Observation& o = s.observations[i];
      if (const char* figure = first_non_finite(o)) {
        return invalid("series '" + s.key + "' from source '" + source + "': the " + figure +
                       " for " + o.period.to_string() + " is not a finite number");
      }
      if (i > 0 && !(s.observations[i - 1].period < o.period)) ascending = false;
    }
    if (ascending) continue;
    std::vector<Period> periods;
    periods.reserve(s.observations.size());
    for (const Observation& o : s.observations) periods.push_back(o.period);
    std::sort(periods.begin(), periods.end());
    auto dup = std::adjacent_find(periods.begin(), periods.end());
    if (dup != periods.end()) {
      return invalid("series '" + s.key + "' from source '" + source + "' lists period " +
                     dup->to_string() + " more than once");
    }
  }
  return Status::ok();
}

struct CurrentRow {
  std::int64_t id = 0;
  std::optional<double> value, numerator, denominator, target;
};

bool same_figures(const CurrentRow& row, const Observation& o) {
  return row.value == o.value && row.numerator == o.numerator && row.denominator == o.denominator &&
         row.target == o.target;
}

// Rows per multi-row INSERT: one statement step for many rows is the
// cheapest way into SQLite (about twice the rows per second of one row per
// step), and 64 x 11 parameters stay far below SQLite's parameter limit.
constexpr std::size_t kRowsPerInsert = 64;
constexpr int kObservationColumns = 11;

std::string insert_observations_sql(std::size_t rows) {
  std::string sql =
      "INSERT INTO observations (id, series_id, period, period_end, period_len, value, numerator,"
      " denominator, target, ingested_at, revises) VALUES ";
  for (std::size_t i = 0; i < rows; ++i) {
    sql += i == 0 ? "(?,?,?,?,?,?,?,?,?,?,?)" : ",(?,?,?,?,?,?,?,?,?,?,?)";
  }
  return sql;
}

}  // namespace

struct HistoryStore::Impl {
  explicit Impl(Db d) : db(std::move(d)) {}

  Db db;
  std::array<std::optional<Statement>, static_cast<std::size_t>(Sql::kCount)> statements;

  std::optional<Statement> insert_many;  // kRowsPerInsert rows at once

  Result<Statement*> insert_many_statement() {
    if (!insert_many) {
      auto prepared = db.prepare(insert_observations_sql(kRowsPerInsert));
      if (!prepared.ok()) return prepared.status();
      insert_many.emplace(std::move(*prepared));
    }
    return &*insert_many;
  }

  // Binds one observation row at parameter `base` + 1.. of an insert.
  void bind_observation(Statement& stmt, int base, std::int64_t id, std::int64_t series_id,
                        const Observation& o, std::int64_t ingested_at,
                        std::optional<std::int64_t> revises) {
    stmt.bind(base + 1, id);
    stmt.bind(base + 2, series_id);
    stmt.bind_static(base + 3, period_text(o.period));
    stmt.bind(base + 4, o.period.last_month_index());
    stmt.bind(base + 5, o.period.length_in_months());
    stmt.bind(base + 6, o.value);
    stmt.bind(base + 7, o.numerator);
    stmt.bind(base + 8, o.denominator);
    stmt.bind(base + 9, o.target);
    stmt.bind(base + 10, ingested_at);
    if (revises) {
      stmt.bind(base + 11, *revises);
    } else {
      stmt.bind_null(base + 11);
    }
  }

  Result<Statement*> statement(Sql id) {
    auto& slot = statements[static_cast<std::size_t>(id)];
    if (!slot) {
      auto prepared = db.prepare(kSqlText[static_cast<std::size_t>(id)]);
      if (!prepared.ok()) return prepared.status();
      slot.emplace(std::move(*prepared));
    }
    return &*slot;
  }

  // Runs statement `id`: `bind(Statement&)` sets its parameters, then
  // `on_row(const Statement&)` sees each row and may stop with an error.
  template <typename Bind, typename OnRow>
  Status query(Sql id, Bind&& bind, OnRow&& on_row) {
    auto stmt = statement(id);
    if (!stmt.ok()) return stmt.status();
    StatementScope scope(**stmt);
    bind(*scope);
    while (true) {
      auto row = scope->step();
      if (!row.ok()) return row.status();
      if (!*row) return Status::ok();
      if (Status s = on_row(std::as_const(*scope)); !s.is_ok()) return s;
    }
  }

  // Runs statement `id`, which returns no rows.
  template <typename Bind>
  Status execute(Sql id, Bind&& bind) {
    return query(id, std::forward<Bind>(bind), [](const Statement&) { return Status::ok(); });
  }

  // The id of a name in sources (no parent) or of a key in series (parent =
  // source id), inserting it if new; `created` tells whether it was inserted.
  Result<std::int64_t> find_or_insert(Sql find, Sql insert, std::optional<std::int64_t> parent,
                                      const std::string& name, bool& created) {
    auto bind_keys = [&](Statement& stmt) {
      if (parent) {
        stmt.bind(1, *parent);
        stmt.bind(2, name);
      } else {
        stmt.bind(1, name);
      }
    };
    std::optional<std::int64_t> id;
    Status s = query(find, bind_keys, [&id](const Statement& row) {
      id = row.column_int64(0);
      return Status::ok();
    });
    if (!s.is_ok()) return s;
    created = !id;
    if (id) return *id;
    if (s = execute(insert, bind_keys); !s.is_ok()) return s;
    return db.last_insert_rowid();
  }

  Status load_current(std::int64_t series_id,
                      std::unordered_map<std::int64_t, CurrentRow>& current) {
    return query(
        Sql::kCurrentRows, [&](Statement& stmt) { stmt.bind(1, series_id); },
        [&current](const Statement& row) {
          CurrentRow r{row.column_int64(0), row.column_optional_double(3),
                       row.column_optional_double(4), row.column_optional_double(5),
                       row.column_optional_double(6)};
          current.emplace(period_code(row.column_int(1), row.column_int(2)), r);
          return Status::ok();
        });
  }

  // `revises` is the row this one replaces, if any.
  Status insert_observation(std::int64_t id, std::int64_t series_id, const Observation& o,
                            std::int64_t ingested_at, std::optional<std::int64_t> revises) {
    return execute(Sql::kInsertObservation, [&](Statement& stmt) {
      bind_observation(stmt, 0, id, series_id, o, ingested_at, revises);
    });
  }

  // The id the next observation gets, and storing it: observations is keyed
  // by series first, so max(id) would be a scan of the whole table.
  Result<std::int64_t> next_observation_id() {
    std::optional<std::int64_t> next;
    Status s = query(Sql::kNextObservationId, [](Statement&) {}, [&next](const Statement& row) {
      next = row.column_int64(0);
      return Status::ok();
    });
    if (!s.is_ok()) return s;
    if (!next) return db.error("has no observation_ids row");
    return *next;
  }
  Status set_next_observation_id(std::int64_t next) {
    return execute(Sql::kSetNextObservationId, [&](Statement& stmt) { stmt.bind(1, next); });
  }

  // The canonical text of a period, formatted once per distinct period: a
  // national ingest stores millions of rows over a hundred or so periods.
  const std::string& period_text(const Period& p) {
    auto [it, inserted] = period_texts.try_emplace(period_code(p));
    if (inserted) it->second = p.to_string();
    return it->second;
  }
  std::unordered_map<std::int64_t, std::string> period_texts;

  Status supersede(std::int64_t series_id, const Period& period, std::int64_t row_id,
                   std::int64_t at) {
    return execute(Sql::kSupersede, [&](Statement& stmt) {
      stmt.bind(1, series_id);
      stmt.bind(2, period.last_month_index());
      stmt.bind(3, period.length_in_months());
      stmt.bind(4, row_id);
      stmt.bind(5, at);
    });
  }

  Result<Period> read_period(const std::string& text, std::string_view where) const {
    auto p = Period::parse(text);
    if (!p.ok()) return db.error(std::string(where) + " holds a malformed period '" + text + "'");
    return p;
  }

  Status record_indicator(std::int64_t run_id, int position, const IndicatorResult& r) {
    return execute(Sql::kInsertIndicator, [&](Statement& stmt) {
      stmt.bind(1, run_id);
      stmt.bind(2, position);
      stmt.bind(3, r.indicator_id);
      stmt.bind(4, r.title);
      stmt.bind(5, polarity_name(r.polarity));
      stmt.bind(6, unit_name(r.unit));
      stmt.bind(7, frequency_name(r.frequency));
      stmt.bind(8, data_state_name(r.data_state));
      stmt.bind(9, r.is_exception ? 1 : 0);
      if (r.latest) {
        stmt.bind(10, r.latest->period.to_string());
        stmt.bind(11, r.latest->value);
        stmt.bind(12, r.latest->numerator);
        stmt.bind(13, r.latest->denominator);
        stmt.bind(14, r.latest->target);
        stmt.bind(15, r.latest->variance_pct);
        stmt.bind(16, rag_name(r.latest->rag));
      }  // else every latest_* column stays NULL
    });
  }

  Status record_outcome(std::int64_t run_id, int indicator_position, int position,
                        const RuleOutcome& o) {
    return execute(Sql::kInsertFinding, [&](Statement& stmt) {
      stmt.bind(1, run_id);
      stmt.bind(2, indicator_position);
      stmt.bind(3, position);
      stmt.bind(4, o.rule_id);
      stmt.bind(5, o.criterion);
      stmt.bind(6, outcome_status_name(o.status));
      stmt.bind(7, o.message);
      stmt.bind(8, evidence_to_json(o.evidence));
    });
  }

  Status record_diagnostic(std::int64_t run_id, int position, const Diagnostic& d) {
    return execute(Sql::kInsertDiagnostic, [&](Statement& stmt) {
      stmt.bind(1, run_id);
      stmt.bind(2, position);
      stmt.bind(3, severity_name(d.severity));
      stmt.bind(4, d.code);
      stmt.bind(5, d.message);
      if (d.location) {
        stmt.bind(6, d.location->file);
        stmt.bind(7, d.location->line);
        stmt.bind(8, d.location->column);
      }
      stmt.bind(9, d.indicator_id);
      stmt.bind(10, d.rule_id);
    });
  }

  Status load_header(std::int64_t run_id, EvaluationReport& report) {
    bool found = false;
    const std::string where = "run " + std::to_string(run_id);
    Status s = query(
        Sql::kRunHeader, [&](Statement& stmt) { stmt.bind(1, run_id); },
        [&](const Statement& row) {
          found = true;
          report.catalogue_name = row.column_text(0);
          report.committee = row.column_text(1);
          auto period = read_period(row.column_text(2), where);
          if (!period.ok()) return period.status();
          report.period = *period;
          return Status::ok();
        });
    if (s.is_ok() && !found) {
      return Status(StatusCode::kNotFound, "store '" + db.path().string() + "': no " + where);
    }
    return s;
  }

  Status load_indicators(std::int64_t run_id, EvaluationReport& report,
                         std::unordered_map<std::int64_t, std::size_t>& by_position) {
    const std::string where = "run " + std::to_string(run_id);
    return query(
        Sql::kRunIndicators, [&](Statement& stmt) { stmt.bind(1, run_id); },
        [&](const Statement& row) {
          IndicatorResult r;
          r.indicator_id = row.column_text(1);
          r.title = row.column_text(2);
          std::string polarity = row.column_text(3);
          std::string unit = row.column_text(4);
          std::string frequency = row.column_text(5);
          std::string state = row.column_text(6);
          auto p = enum_from_name(polarity, kPolarities, polarity_name);
          auto u = enum_from_name(unit, kUnits, unit_name);
          auto f = parse_frequency(frequency);
          auto ds = enum_from_name(state, kDataStates, data_state_name);
          if (!p || !u || !f.ok() || !ds) {
            return db.error(where + " holds an unknown polarity, unit, frequency or data state ('" +
                            polarity + "', '" + unit + "', '" + frequency + "', '" + state +
                            "') for indicator '" + r.indicator_id + "'");
          }
          r.polarity = *p;
          r.unit = *u;
          r.frequency = *f;
          r.data_state = *ds;
          r.is_exception = row.column_int64(7) != 0;
          if (!row.is_null(8)) {
            auto period = read_period(row.column_text(8), where);
            if (!period.ok()) return period.status();
            std::string rag = row.column_text(14);
            auto rg = enum_from_name(rag, kRags, rag_name);
            if (!rg) return db.error(where + " holds an unknown rag '" + rag + "'");
            r.latest = SeriesPoint{*period,
                                   row.column_optional_double(9),
                                   row.column_optional_double(10),
                                   row.column_optional_double(11),
                                   row.column_optional_double(12),
                                   row.column_optional_double(13),
                                   *rg};
          }
          by_position.emplace(row.column_int64(0), report.indicators.size());
          report.indicators.push_back(std::move(r));
          return Status::ok();
        });
  }

  Status load_findings(std::int64_t run_id, EvaluationReport& report,
                       const std::unordered_map<std::int64_t, std::size_t>& by_position) {
    const std::string where = "run " + std::to_string(run_id);
    return query(
        Sql::kRunFindings, [&](Statement& stmt) { stmt.bind(1, run_id); },
        [&](const Statement& row) {
          auto owner = by_position.find(row.column_int64(0));
          if (owner == by_position.end()) {
            return db.error(where + " holds a finding of no indicator");
          }
          RuleOutcome o;
          o.rule_id = row.column_text(1);
          o.criterion = row.column_text(2);
          std::string status = row.column_text(3);
          auto st = enum_from_name(status, kOutcomeStatuses, outcome_status_name);
          if (!st) return db.error(where + " holds an unknown outcome status '" + status + "'");
          o.status = *st;
          o.message = row.column_text(4);
          auto evidence = evidence_from_json(row.column_text(5));
          if (!evidence.ok()) {
            return db.error(where + " holds unreadable evidence for rule '" + o.rule_id +
                            "': " + evidence.status().message());
          }
          o.evidence = std::move(*evidence);
          report.indicators[owner->second].outcomes.push_back(std::move(o));
          return Status::ok();
        });
  }

  Status load_diagnostics(std::int64_t run_id, EvaluationReport& report) {
    return query(
        Sql::kRunDiagnostics, [&](Statement& stmt) { stmt.bind(1, run_id); },
        [&](const Statement& row) {
          Diagnostic d;
          std::string severity = row.column_text(0);
          auto sv = enum_from_name(severity, kSeverities, severity_name);
          if (!sv) {
            return db.error("run " + std::to_string(run_id) + " holds an unknown severity '" +
                            severity + "'");
          }
          d.severity = *sv;
          d.code = row.column_text(1);
          d.message = row.column_text(2);
          if (!row.is_null(3)) {
            d.location = SourceLocation{row.column_text(3), row.column_int(4), row.column_int(5)};
          }
          d.indicator_id = row.column_text(6);
          d.rule_id = row.column_text(7);
          report.diagnostics.push_back(std::move(d));
          return Status::ok();
        });
  }
};

HistoryStore::HistoryStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HistoryStore::~HistoryStore() = default;

Result<std::unique_ptr<HistoryStore>> HistoryStore::open(const std::filesystem::path& path) {
  auto db = Db::open(path);
  if (!db.ok()) return db.status();
  if (Status s = migrate(*db); !s.is_ok()) return s;
  return std::unique_ptr<HistoryStore>(new HistoryStore(std::make_unique<Impl>(std::move(*db))));
}

Result<IngestCounts> HistoryStore::ingest(const std::string& source,
                                          const std::vector<Series>& series,
                                          std::int64_t ingested_at) {
  // Everything is checked before the write lock is taken.
  if (Status s = validate_ingest(source, series); !s.is_ok()) return s;
  auto ingest = begin_ingest(source, ingested_at);
  if (!ingest.ok()) return ingest.status();
  if (Status s = (*ingest)->write(series); !s.is_ok()) return s;
  return (*ingest)->commit();
}

struct SeriesIngest::State {
  struct Known {
    std::int64_t id = 0;  // 0 until the series row is found or inserted
    bool created = false;  // inserted by this ingest: no stored rows to compare with
    std::vector<std::int32_t> seen;  // period codes delivered so far, ascending
  };
  struct Pending {
    std::int64_t series_id;
    const Observation* observation;  // into the batch being written
    std::optional<std::int64_t> revises;
  };

  State(HistoryStore::Impl& i, std::string s, std::int64_t at)
      : impl(i), source(std::move(s)), ingested_at(at) {}

  HistoryStore::Impl& impl;
  std::string source;
  std::int64_t ingested_at;
  std::int64_t source_id = 0;
  std::int64_t first_id = 0;  // observation_ids.next_id when the ingest began
  std::int64_t next_id = 0;   // the id the next inserted row gets
  bool foreign_keys_off = false;
  std::optional<Transaction> txn;
  Status failed;
  IngestCounts counts;
  std::unordered_map<std::string, Known> series;
  // The current rows of the last stored series compared with.
  std::int64_t current_of = 0;
  std::unordered_map<std::int64_t, CurrentRow> current;
  std::vector<Pending> pending;

  ~State() {
    txn.reset();  // rolls back unless committed
    restore_foreign_keys();
  }

  void restore_foreign_keys() {
    if (!foreign_keys_off) return;
    foreign_keys_off = false;
    (void)impl.db.exec("PRAGMA foreign_keys=ON", "cannot configure");
  }

  Status validate(const std::vector<Series>& batch, std::vector<Known*>& known) {
    std::unordered_set<std::string_view> keys;
    known.clear();
    known.reserve(batch.size());
    for (const Series& s : batch) {
      if (s.key.empty()) {
        return invalid("source '" + source + "' delivered a series with an empty key");
      }
      if (!keys.insert(s.key).second) {
        return invalid("source '" + source + "' delivered series '" + s.key + "' twice");
      }
      Known& k = series[s.key];
      for (const Observation& o : s.observations) {
        if (const char* figure = first_non_finite(o)) {
          return invalid("series '" + s.key + "' from source '" + source + "': the " + figure +
                         " for " + o.period.to_string() + " is not a finite number");
        }
        if (!add_period_code(k.seen, static_cast<std::int32_t>(period_code(o.period)))) {
          return invalid("series '" + s.key + "' from source '" + source + "' lists period " +
                         o.period.to_string() + " more than once");
        }
      }
      known.push_back(&k);
    }
    return Status::ok();
  }

  // Inserts the pending rows, kRowsPerInsert at a time.
  Status flush() {
    std::size_t done = 0;
    if (pending.size() >= kRowsPerInsert) {
      auto many = impl.insert_many_statement();
      if (!many.ok()) return many.status();
      Statement& stmt = **many;
      for (; pending.size() - done >= kRowsPerInsert; done += kRowsPerInsert) {
        for (std::size_t i = 0; i < kRowsPerInsert; ++i) {
          const Pending& p = pending[done + i];
          impl.bind_observation(stmt, static_cast<int>(i) * kObservationColumns,
                                next_id + static_cast<std::int64_t>(i), p.series_id,
                                *p.observation, ingested_at, p.revises);
        }
        Status st = stmt.run();
        stmt.rewind();
        if (!st.is_ok()) return st;
        next_id += static_cast<std::int64_t>(kRowsPerInsert);
      }
    }
    for (; done < pending.size(); ++done) {
      const Pending& p = pending[done];
      if (Status st =
              impl.insert_observation(next_id, p.series_id, *p.observation, ingested_at, p.revises);
          !st.is_ok()) {
        return st;
      }
      ++next_id;
    }
    pending.clear();
    return Status::ok();
  }

  Status write_series(const Series& s, Known& k) {
    if (k.id == 0) {
      auto id = impl.find_or_insert(Sql::kFindSeries, Sql::kInsertSeries, source_id, s.key,
                                    k.created);
      if (!id.ok()) return id.status();
      k.id = *id;
    }
    if (k.created) {
      // Nothing stored to compare with or supersede.
      for (const Observation& o : s.observations) {
        pending.push_back(Pending{k.id, &o, std::nullopt});
        if (pending.size() == kRowsPerInsert) {
          if (Status st = flush(); !st.is_ok()) return st;
        }
      }
      counts.inserted += static_cast<int>(s.observations.size());
      return Status::ok();
    }
    if (current_of != k.id) {
      // Rows this ingest wrote are for periods it will not see again, so
      // what is read here is, for the periods to come, the state before it.
      current.clear();
      current_of = 0;
      if (Status st = impl.load_current(k.id, current); !st.is_ok()) return st;
      current_of = k.id;
    }
    for (const Observation& o : s.observations) {
      auto found = current.find(period_code(o.period));
      if (found != current.end() && same_figures(found->second, o)) {
        ++counts.unchanged;
        continue;
      }
      std::optional<std::int64_t> revises;
      if (found != current.end()) {
        revises = found->second.id;
        if (Status st = impl.supersede(k.id, o.period, *revises, ingested_at); !st.is_ok()) {
          return st;
        }
      }
      pending.push_back(Pending{k.id, &o, revises});
      ++(revises ? counts.revised : counts.inserted);
      if (pending.size() == kRowsPerInsert) {
        if (Status st = flush(); !st.is_ok()) return st;
      }
    }
    return Status::ok();
  }

  Status write(const std::vector<Series>& batch) {
    std::vector<Known*> known;
    if (Status st = validate(batch, known); !st.is_ok()) return st;
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (Status st = write_series(batch[i], *known[i]); !st.is_ok()) return st;
    }
    return flush();  // the pending rows point into `batch`
  }
};

SeriesIngest::SeriesIngest(std::unique_ptr<State> state) : state_(std::move(state)) {}
SeriesIngest::~SeriesIngest() = default;

Status SeriesIngest::write(const std::vector<Series>& batch) {
  State& st = *state_;
  if (!st.failed.is_ok()) return st.failed;
  if (!st.txn) return Status(StatusCode::kInternal, "write to a finished ingest");
  Status s = st.write(batch);
  if (!s.is_ok()) {
    st.failed = s;
    st.pending.clear();
    st.txn.reset();  // roll back now: nothing of this source is kept
    st.restore_foreign_keys();
  }
  return s;
}

Result<IngestCounts> SeriesIngest::commit() {
  State& st = *state_;
  if (!st.failed.is_ok()) return st.failed;
  if (!st.txn) return Status(StatusCode::kInternal, "commit of a finished ingest");
  Status s = st.next_id == st.first_id ? Status::ok()
                                       : st.impl.set_next_observation_id(st.next_id);
  if (s.is_ok()) s = st.txn->commit();
  st.txn.reset();
  st.restore_foreign_keys();
  if (!s.is_ok()) {
    st.failed = s;
    return s;
  }
  return st.counts;
}

std::size_t SeriesIngest::series_count() const { return state_->series.size(); }

Result<std::unique_ptr<SeriesIngest>> HistoryStore::begin_ingest(const std::string& source,
                                                                 std::int64_t ingested_at) {
  if (source.empty()) return invalid("cannot store observations under an empty source name");
  Impl& impl = *impl_;
  auto state = std::make_unique<SeriesIngest::State>(impl, source, ingested_at);
  // The ingest itself only writes series ids it has just read or inserted
  // and revision ids of current rows, so the per-row foreign key lookups
  // are skipped (a pragma that applies outside transactions only).
  if (Status s = impl.db.exec("PRAGMA foreign_keys=OFF", "cannot configure"); !s.is_ok()) return s;
  state->foreign_keys_off = true;
  auto txn = Transaction::begin(impl.db, Transaction::Mode::kImmediate);
  if (!txn.ok()) return txn.status();
  state->txn.emplace(std::move(*txn));
  bool created = false;
  auto source_id =
      impl.find_or_insert(Sql::kFindSource, Sql::kInsertSource, std::nullopt, source, created);
  if (!source_id.ok()) return source_id.status();
  state->source_id = *source_id;
  auto next_id = impl.next_observation_id();
  if (!next_id.ok()) return next_id.status();
  state->first_id = state->next_id = *next_id;
  return std::unique_ptr<SeriesIngest>(new SeriesIngest(std::move(state)));
}

Result<std::vector<Observation>> HistoryStore::load_series(const std::string& source,
                                                           const std::string& key) const {
  std::vector<Observation> out;
  const std::string where = "series '" + key + "' of source '" + source + "'";
  Status s = impl_->query(
      Sql::kLoadSeries,
      [&](Statement& stmt) {
        stmt.bind(1, source);
        stmt.bind(2, key);
      },
      [&](const Statement& row) {
        auto period = impl_->read_period(row.column_text(0), where);
        if (!period.ok()) return period.status();
        out.push_back(Observation{*period, row.column_optional_double(1),
                                  row.column_optional_double(2), row.column_optional_double(3),
                                  row.column_optional_double(4)});
        return Status::ok();
      });
  if (!s.is_ok()) return s;
  return out;
}

Result<std::vector<ObservationRevision>> HistoryStore::revisions(const std::string& source,
                                                                 const std::string& key,
                                                                 const Period& period) const {
  std::vector<ObservationRevision> out;
  Status s = impl_->query(
      Sql::kRevisions,
      [&](Statement& stmt) {
        stmt.bind(1, source);
        stmt.bind(2, key);
        stmt.bind(3, period.last_month_index());
        stmt.bind(4, period.length_in_months());
      },
      [&](const Statement& row) {
        ObservationRevision r;
        r.observation =
            Observation{period, row.column_optional_double(1), row.column_optional_double(2),
                        row.column_optional_double(3), row.column_optional_double(4)};
        r.ingested_at = row.column_int64(5);
        r.current = row.column_int64(6) != 0;
        out.push_back(r);
        return Status::ok();
      });
  if (!s.is_ok()) return s;
  return out;
}

Db& HistoryStore::db() { return impl_->db; }

Result<std::int64_t> HistoryStore::record_run(const EvaluationReport& report,
                                              const std::string& engine_version,
                                              std::int64_t created_at) {
  return record_run(report, engine_version, created_at, RunExtras{{}, {}, false});
}

Result<std::int64_t> HistoryStore::record_run(const EvaluationReport& report,
                                              const std::string& engine_version,
                                              std::int64_t created_at, const RunExtras& extras) {
  Impl& impl = *impl_;
  auto txn = Transaction::begin(impl.db, Transaction::Mode::kImmediate);
  if (!txn.ok()) return txn.status();

  Status s = impl.execute(Sql::kInsertRun, [&](Statement& stmt) {
    stmt.bind(1, report.catalogue_name);
    stmt.bind(2, report.committee);
    stmt.bind(3, report.period.to_string());
    stmt.bind(4, created_at);
    stmt.bind(5, engine_version);
    stmt.bind(6, static_cast<std::int64_t>(report.indicators.size()));
    stmt.bind(7, static_cast<std::int64_t>(report.exceptions().size()));
    stmt.bind(8, static_cast<std::int64_t>(report.diagnostics.size()));
  });
  if (!s.is_ok()) return s;
  const std::int64_t run_id = impl.db.last_insert_rowid();

  for (std::size_t i = 0; i < report.indicators.size(); ++i) {
    const IndicatorResult& r = report.indicators[i];
    const int position = static_cast<int>(i);
    if (s = impl.record_indicator(run_id, position, r); !s.is_ok()) return s;
    for (std::size_t j = 0; j < r.outcomes.size(); ++j) {
      if (s = impl.record_outcome(run_id, position, static_cast<int>(j), r.outcomes[j]);
          !s.is_ok()) {
        return s;
      }
    }
  }
  for (std::size_t k = 0; k < report.diagnostics.size(); ++k) {
    if (s = impl.record_diagnostic(run_id, static_cast<int>(k), report.diagnostics[k]);
        !s.is_ok()) {
      return s;
    }
  }
  if (s = write_run_extras(impl.db, run_id, report, extras); !s.is_ok()) return s;
  if (s = txn->commit(); !s.is_ok()) return s;
  return run_id;
}

Result<std::vector<RunRecord>> HistoryStore::list_runs() const {
  std::vector<RunRecord> out;
  Status s = impl_->query(
      Sql::kListRuns, [](Statement&) {},
      [&](const Statement& row) {
        RunRecord r;
        r.id = row.column_int64(0);
        r.catalogue = row.column_text(1);
        auto period = impl_->read_period(row.column_text(2), "run " + std::to_string(r.id));
        if (!period.ok()) return period.status();
        r.period = *period;
        r.created_at = row.column_int64(3);
        r.engine_version = row.column_text(4);
        r.indicators = row.column_int(5);
        r.exceptions = row.column_int(6);
        r.diagnostics = row.column_int(7);
        out.push_back(std::move(r));
        return Status::ok();
      });
  if (!s.is_ok()) return s;
  return out;
}

Result<EvaluationReport> HistoryStore::load_run(std::int64_t run_id) const {
  Impl& impl = *impl_;
  // One snapshot for the four reads, so a concurrent writer cannot tear the report.
  auto txn = Transaction::begin(impl.db, Transaction::Mode::kDeferred);
  if (!txn.ok()) return txn.status();

  EvaluationReport report;
  report.run_id = run_id;
  std::unordered_map<std::int64_t, std::size_t> by_position;
  if (Status s = impl.load_header(run_id, report); !s.is_ok()) return s;
  if (Status s = impl.load_indicators(run_id, report, by_position); !s.is_ok()) return s;
  if (Status s = impl.load_findings(run_id, report, by_position); !s.is_ok()) return s;
  if (Status s = impl.load_diagnostics(run_id, report); !s.is_ok()) return s;
  if (Status s = txn->commit(); !s.is_ok()) return s;
  return report;
}

}  // namespace vitals::detail
