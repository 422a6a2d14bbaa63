// SPDX-License-Identifier: Apache-2.0
#include "store/history_store.hpp"
#include "common/json_text.hpp"
#include "common/period_codes.hpp"

#include "store/diagnostic_rows.hpp"
#include "store/enum_names.hpp"
#include "store/evidence_json.hpp"
#include "store/migrations.hpp"
#include "store/observation_block.hpp"
#include "store/run_delta.hpp"
#include "store/series_table.hpp"
#include "store/store_file.hpp"
#include "store/sqlite_db.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <future>
#include <map>
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
  kFindSeriesByName,
  kSeriesBlocks,
  kSeriesBlocksPacked,
  kInsertBlock,
  kInsertRun,
  kInsertIndicator,
  kInsertFinding,
  kInsertDiagnostic,
  kListRuns,
  kRunHeader,
  kRunIndicators,
  kRunFindings,
  kRunDiagnostics,
  kInsertIncomplete,
  kRunIncomplete,
  kRunIncompleteIndicators,
  kSourceHeld,
  kCount,
};

constexpr std::array<const char*, static_cast<std::size_t>(Sql::kCount)> kSqlText = {
    "SELECT id FROM sources WHERE name = ?1",
    "INSERT INTO sources (name) VALUES (?1)",
    "SELECT id FROM series WHERE source_id = ?1 AND key = ?2",
    "INSERT INTO series (source_id, key) VALUES (?1, ?2)",
    "SELECT s.id FROM series s JOIN sources src ON src.id = s.source_id"
    " WHERE src.name = ?1 AND s.key = ?2",
    // Oldest first: a later block's point for a period revises an earlier one's.
    "SELECT id, ingested_at, points FROM observation_blocks WHERE series_id = ?1 ORDER BY id",
    // The same with the packed form first, for an ingest's comparison.
    "SELECT id, packed, points FROM observation_blocks WHERE series_id = ?1 ORDER BY id",
    "INSERT INTO observation_blocks (series_id, ingested_at, points, packed)"
    " VALUES (?1, ?2, ?3, ?4)",
    "INSERT INTO runs (catalogue, committee, period, created_at, engine_version, indicators,"
    " exceptions, diagnostics) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    "INSERT INTO run_indicators (run_id, position, indicator_id, title, polarity, unit, frequency,"
    " data_state, is_exception, latest_period, latest_value, latest_numerator,"
    " latest_denominator, latest_target, latest_variance_pct, latest_rag, incomplete, decimals)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
    "INSERT INTO findings (run_id, indicator_position, position, rule_id, criterion, status,"
    " message, evidence) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    "INSERT INTO run_diagnostics (run_id, position, severity, code, message, location_file,"
    " location_line, location_column, indicator_id, rule_id)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    "SELECT id, catalogue, period, created_at, engine_version, indicators, exceptions,"
    " diagnostics FROM runs ORDER BY created_at DESC, id DESC",
    "SELECT catalogue, committee, period FROM runs WHERE id = ?1",
    // A run's rows are its own and, when it is a delta (store/run_delta.hpp),
    // its base's at the positions below its indicator count it did not store.
    "SELECT position, indicator_id, title, polarity, unit, frequency, data_state, is_exception,"
    " latest_period, latest_value, latest_numerator, latest_denominator, latest_target,"
    " latest_variance_pct, latest_rag, decimals FROM run_indicators WHERE run_id = ?1"
    " UNION ALL"
    " SELECT b.position, b.indicator_id, b.title, b.polarity, b.unit, b.frequency, b.data_state,"
    " b.is_exception, b.latest_period, b.latest_value, b.latest_numerator, b.latest_denominator,"
    " b.latest_target, b.latest_variance_pct, b.latest_rag, b.decimals"
    " FROM runs r JOIN run_indicators b ON b.run_id = r.base_run AND b.position < r.indicators"
    " WHERE r.id = ?1"
    " AND b.position NOT IN (SELECT position FROM run_indicators WHERE run_id = ?1)"
    " ORDER BY 1",
    "SELECT indicator_position, rule_id, criterion, status, message, evidence, position"
    " FROM findings WHERE run_id = ?1"
    " UNION ALL"
    " SELECT f.indicator_position, f.rule_id, f.criterion, f.status, f.message, f.evidence,"
    " f.position FROM runs r JOIN findings f ON f.run_id = r.base_run"
    " AND f.indicator_position < r.indicators WHERE r.id = ?1"
    " AND f.indicator_position NOT IN (SELECT position FROM run_indicators WHERE run_id = ?1)"
    " ORDER BY 1, 7",
    "SELECT severity, code, message, location_file, location_line, location_column,"
    " indicator_id, rule_id FROM run_diagnostics WHERE run_id = ?1 ORDER BY position",
    "INSERT INTO run_incomplete (run_id, position, kind, source, rule_id, indicators, message)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    // The JSON arrays are read by SQLite (json_each), element by element.
    "SELECT i.position, i.kind, i.source, i.rule_id, i.message, j.value"
    " FROM run_incomplete i LEFT JOIN json_each(i.indicators) j"
    " WHERE i.run_id = ?1 ORDER BY i.position, j.key",
    "SELECT r.position, j.value, j.key FROM run_indicators r, json_each(r.incomplete) j"
    " WHERE r.run_id = ?1 AND r.incomplete IS NOT NULL"
    " UNION ALL"
    " SELECT b.position, j.value, j.key FROM runs r"
    " JOIN run_indicators b ON b.run_id = r.base_run AND b.position < r.indicators,"
    " json_each(b.incomplete) j WHERE r.id = ?1 AND b.incomplete IS NOT NULL"
    " AND b.position NOT IN (SELECT position FROM run_indicators WHERE run_id = ?1)"
    " ORDER BY 1, 3",
    "SELECT 1 FROM series s JOIN sources src ON src.id = s.source_id WHERE src.name = ?1 LIMIT 1",
};

constexpr std::array kPolarities = {Polarity::kBiggerIsBetter, Polarity::kSmallerIsBetter};
constexpr std::array kUnits = {Unit::kPercent, Unit::kPer100k, Unit::kCount, Unit::kCurrency,
                               Unit::kNumber};
constexpr std::array kRags = {Rag::kNone, Rag::kGreen, Rag::kAmber, Rag::kRed};
constexpr std::array kDataStates = {DataState::kCurrent, DataState::kStale, DataState::kNoData};
constexpr std::array kOutcomeStatuses = {RuleOutcome::Status::kException, RuleOutcome::Status::kOk,
                                         RuleOutcome::Status::kInsufficientData,
                                         RuleOutcome::Status::kNotApplicable,
                                         RuleOutcome::Status::kError};
constexpr std::array kIncompleteKinds = {
    IncompleteReason::Kind::kSourceFailed, IncompleteReason::Kind::kRuleFailed,
    IncompleteReason::Kind::kUnknownSeries, IncompleteReason::Kind::kNoDataForFrequency,
    IncompleteReason::Kind::kFrequencyMismatch};

// ["a","b"]: a list of text as a JSON array, for SQLite's json_each to read.
std::string json_text_array(const std::vector<std::string>& items) {
  std::string out = "[";
  for (const std::string& item : items) {
    if (out.size() > 1) out += ',';
    out += json_quote(item);
  }
  return out + "]";
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

// Checks `batch` as SeriesIngest::write() documents. `seen(series)` is the
// ascending period codes delivered so far for the series' key, updated here.
template <typename Seen>
Status validate_batch(const std::string& source, const std::vector<Series>& batch, Seen&& seen) {
  std::unordered_set<std::string_view> keys;
  for (const Series& s : batch) {
    if (s.key.empty()) {
      return invalid("source '" + source + "' delivered a series with an empty key");
    }
    if (!keys.insert(s.key).second) {
      return invalid("source '" + source + "' delivered series '" + s.key + "' twice");
    }
    std::vector<std::int32_t>& codes = seen(s);
    for (const Observation& o : s.observations) {
      if (const char* figure = first_non_finite(o)) {
        return invalid("series '" + s.key + "' from source '" + source + "': the " + figure +
                       " for " + o.period.to_string() + " is not a finite number");
      }
      if (!add_period_code(codes, pack_period(o.period))) {
        return invalid("series '" + s.key + "' from source '" + source + "' lists period " +
                       o.period.to_string() + " more than once");
      }
    }
  }
  return Status::ok();
}

// The observations of `s` in ascending period order (as they mostly come).
void sort_by_period(const Series& s, std::vector<const Observation*>& ordered) {
  ordered.clear();
  for (const Observation& o : s.observations) ordered.push_back(&o);
  auto before = [](const Observation* a, const Observation* b) { return a->period < b->period; };
  if (!std::is_sorted(ordered.begin(), ordered.end(), before)) {
    std::sort(ordered.begin(), ordered.end(), before);
  }
}

// A batch of BuiltBlocks, as staged: u32 series; per series u32 key bytes,
// the key, u32 observations, u32 text bytes, the block's text, u32 packed
// bytes, the packed block (both empty for a series without observations).
void put_u32(std::string& out, std::size_t n) {
  const auto v = static_cast<std::uint32_t>(n);
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

void put_bytes(std::string& out, std::string_view bytes) {
  put_u32(out, bytes.size());
  out.append(bytes);
}

bool get_u32(std::string_view& in, std::uint32_t& v) {
  if (in.size() < sizeof v) return false;
  std::memcpy(&v, in.data(), sizeof v);
  in.remove_prefix(sizeof v);
  return true;
}

bool get_bytes(std::string_view& in, std::string_view& bytes) {
  std::uint32_t n = 0;
  if (!get_u32(in, n) || in.size() < n) return false;
  bytes = in.substr(0, n);
  in.remove_prefix(n);
  return true;
}

struct BuiltSeries {
  std::string_view key;
  std::uint32_t observations = 0;
  std::string_view points;
  std::string_view packed;
};

// Calls on_series(const BuiltSeries&) for each series of a staged batch.
template <typename OnSeries>
Status read_built(std::string_view in, OnSeries&& on_series) {
  const Status damaged(StatusCode::kInternal, "a staged batch of a source's data is damaged");
  std::uint32_t count = 0;
  if (!get_u32(in, count)) return damaged;
  for (std::uint32_t i = 0; i < count; ++i) {
    BuiltSeries s;
    if (!get_bytes(in, s.key) || !get_u32(in, s.observations) || !get_bytes(in, s.points) ||
        !get_bytes(in, s.packed)) {
      return damaged;
    }
    if (Status st = on_series(s); !st.is_ok()) return st;
  }
  return in.empty() ? Status::ok() : damaged;
}

// Whether a stored figure (NaN when blank) is `f`, exactly.
bool same_figure(double stored, const std::optional<double>& f) {
  return std::isnan(stored) ? !f : f && *f == stored;
}

bool same_figures(const BlockPoint& stored, const Observation& o) {
  return same_figure(stored.value, o.value) && same_figure(stored.numerator, o.numerator) &&
         same_figure(stored.denominator, o.denominator) && same_figure(stored.target, o.target);
}

}  // namespace

struct HistoryStore::Impl {
  explicit Impl(Db d) : db(std::move(d)) {}

  Db db;
  std::array<std::optional<Statement>, static_cast<std::size_t>(Sql::kCount)> statements;

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

  // Calls on_block(ingested_at, points) for each block of a series, oldest
  // first; `points` holds that block's points until the next call.
  template <typename OnBlock>
  Status read_blocks(std::int64_t series_id, OnBlock&& on_block) {
    std::vector<BlockPoint> points;
    return query(
        Sql::kSeriesBlocks, [&](Statement& stmt) { stmt.bind(1, series_id); },
        [&](const Statement& row) {
          points.clear();
          if (Status s = reader.read(row.column_text(2), points); !s.is_ok()) {
            return db.error(unreadable_block(row.column_int64(0), series_id, s));
          }
          on_block(row.column_int64(1), points);
          return Status::ok();
        });
  }
  BlockReader reader;

  // The current revision of each stored period of a series, ascending. Each
  // block is read from its packed form, as evaluation reads it, or from its
  // text when it has none or that fails its checks: decoding the packed form
  // costs a fraction of parsing the text, and an ingest that re-reads a
  // national file compares every stored block.
  Status load_current(std::int64_t series_id, std::vector<BlockPoint>& current) {
    current.clear();
    Status s = query(
        Sql::kSeriesBlocksPacked, [&](Statement& stmt) { stmt.bind(1, series_id); },
        [&](const Statement& row) {
          if (!row.is_null(1)) {
            packed_bytes = row.column_blob(1);
            if (packed_reader.read(packed_bytes, current).is_ok()) return Status::ok();
          }
          if (Status st = reader.read(row.column_text(2), current); !st.is_ok()) {
            return db.error(unreadable_block(row.column_int64(0), series_id, st));
          }
          return Status::ok();
        });
    keep_current(current);
    return s;
  }
  PackedReader packed_reader;
  std::string packed_bytes;

  // The id of (source, key) in series, or nullopt.
  Result<std::optional<std::int64_t>> find_series(const std::string& source,
                                                  const std::string& key) {
    std::optional<std::int64_t> id;
    Status s = query(
        Sql::kFindSeriesByName,
        [&](Statement& stmt) {
          stmt.bind(1, source);
          stmt.bind(2, key);
        },
        [&id](const Statement& row) {
          id = row.column_int64(0);
          return Status::ok();
        });
    if (!s.is_ok()) return s;
    return id;
  }

  // The canonical text of a period, formatted once per distinct period: a
  // national ingest stores millions of rows over a hundred or so periods.
  Result<bool> holds_source(const std::string& source) {
    bool held = false;
    Status s = query(
        Sql::kSourceHeld, [&](Statement& stmt) { stmt.bind(1, source); },
        [&held](const Statement&) {
          held = true;
          return Status::ok();
        });
    if (!s.is_ok()) return s;
    return held;
  }

  const std::string& period_text(const Period& p) {
    auto [it, inserted] = period_texts.try_emplace(pack_period(p));
    if (inserted) it->second = p.to_string();
    return it->second;
  }
  std::unordered_map<std::int32_t, std::string> period_texts;

  Result<Period> read_period(const std::string& text, std::string_view where) const {
    auto p = Period::parse(text);
    if (!p.ok()) return db.error(std::string(where) + " holds a malformed period '" + text + "'");
    return p;
  }

  // Puts every stored value of `r` as put(parameter index, value) for
  // kInsertIndicator (run id and position excepted).
  template <typename Put>
  static void indicator_fields(const IndicatorResult& r, Put&& put) {
    put(3, r.indicator_id);
    put(4, r.title);
    put(5, polarity_name(r.polarity));
    put(6, unit_name(r.unit));
    put(7, frequency_name(r.frequency));
    put(8, data_state_name(r.data_state));
    put(9, r.is_exception ? 1 : 0);
    if (r.latest) {
      put(10, r.latest->period.to_string());
      put(11, r.latest->value);
      put(12, r.latest->numerator);
      put(13, r.latest->denominator);
      put(14, r.latest->target);
      put(15, r.latest->variance_pct);
      put(16, rag_name(r.latest->rag));
    }  // else every latest_* column stays NULL
    if (!r.incomplete.empty()) put(17, json_text_array(r.incomplete));
    if (r.decimals) put(18, *r.decimals);  // NULL: the unit's default
  }

  // Puts every stored value of outcome `position` of an indicator for
  // kInsertFinding (run id and indicator position excepted); its evidence as
  // `evidence`: the JSON text stored (evidence_to_json) when binding, the
  // Evidence itself when digesting.
  template <typename EvidenceForm, typename Put>
  static void outcome_fields(int position, const RuleOutcome& o, const EvidenceForm& evidence,
                             Put&& put) {
    put(3, position);
    put(4, o.rule_id);
    put(5, o.criterion);
    put(6, outcome_status_name(o.status));
    put(7, o.message);
    put(8, evidence);
  }

  // The digest of everything stored for one indicator position: its row, its
  // findings and its lifecycle row (`lifecycle`, or none).
  static void position_digest(RowDigest& d, const IndicatorResult& r, const LifecycleRow* lifecycle,
                              std::string& digests) {
    d.row('i');
    indicator_fields(r, d);
    for (std::size_t j = 0; j < r.outcomes.size(); ++j) {
      d.row('f');
      outcome_fields(static_cast<int>(j), r.outcomes[j], r.outcomes[j].evidence, d);
    }
    if (lifecycle != nullptr) {
      d.row('e');
      lifecycle_fields(*lifecycle, d);
    }
    d.finish(digests);
  }

  // The digests of positions [begin, end) of `report`, each position's
  // lifecycle row in `lifecycle`. Reads only its arguments, so that the
  // digests of a run can be made on another thread than its rows' inserts.
  static std::string position_digests(const EvaluationReport& report,
                                      const std::vector<const LifecycleRow*>& lifecycle,
                                      std::size_t begin, std::size_t end) {
    std::string out;
    out.reserve((end - begin) * kPositionDigestSize);
    RowDigest d;
    for (std::size_t i = begin; i < end; ++i) {
      position_digest(d, report.indicators[i], lifecycle[i], out);
    }
    return out;
  }

  // Writes one indicator position: its row, its findings, its lifecycle row.
  Status record_position(std::int64_t run_id, int position, const IndicatorResult& r,
                         const LifecycleRow* lifecycle, Statement& insert_lifecycle) {
    Status s = execute(Sql::kInsertIndicator, [&](Statement& stmt) {
      stmt.bind(1, run_id);
      stmt.bind(2, position);
      indicator_fields(r, StatementFields{stmt});
    });
    if (!s.is_ok()) return s;
    for (std::size_t j = 0; j < r.outcomes.size(); ++j) {
      // Bound without a copy (StatementFields), so kept until the insert is run.
      evidence_json.clear();
      append_evidence_json(evidence_json, r.outcomes[j].evidence);
      s = execute(Sql::kInsertFinding, [&](Statement& stmt) {
        stmt.bind(1, run_id);
        stmt.bind(2, position);
        outcome_fields(static_cast<int>(j), r.outcomes[j], evidence_json, StatementFields{stmt});
      });
      if (!s.is_ok()) return s;
    }
    if (lifecycle == nullptr) return Status::ok();
    return record_lifecycle(run_id, *lifecycle, insert_lifecycle);
  }

  std::string evidence_json;  // record_position's, reused

  static Status record_lifecycle(std::int64_t run_id, const LifecycleRow& row, Statement& insert) {
    insert.reset();
    insert.bind(1, run_id);
    lifecycle_fields(row, StatementFields{insert});
    return insert.run();
  }

  Status record_incomplete(std::int64_t run_id, int position, const IncompleteReason& reason) {
    return execute(Sql::kInsertIncomplete, [&](Statement& stmt) {
      stmt.bind(1, run_id);
      stmt.bind(2, position);
      stmt.bind(3, incomplete_kind_name(reason.kind));
      stmt.bind(4, reason.source);
      stmt.bind(5, reason.rule_id);
      stmt.bind(6, json_text_array(reason.indicators));
      stmt.bind(7, reason.message);
    });
  }

  // The reasons a run was incomplete, and each indicator's, as recorded.
  Status load_incomplete(std::int64_t run_id, EvaluationReport& report,
                         const std::unordered_map<std::int64_t, std::size_t>& by_position) {
    const std::string where = "run " + std::to_string(run_id);
    std::int64_t last = -1;
    Status s = query(
        Sql::kRunIncomplete, [&](Statement& stmt) { stmt.bind(1, run_id); },
        [&](const Statement& row) {
          if (row.column_int64(0) != last) {
            last = row.column_int64(0);
            std::string kind = row.column_text(1);
            auto k = enum_from_name(kind, kIncompleteKinds, incomplete_kind_name);
            if (!k) return db.error(where + " holds an unknown incomplete-run reason '" + kind + "'");
            IncompleteReason reason;
            reason.kind = *k;
            reason.source = row.column_text(2);
            reason.rule_id = row.column_text(3);
            reason.message = row.column_text(4);
            report.incomplete.push_back(std::move(reason));
          }
          if (!row.is_null(5)) report.incomplete.back().indicators.push_back(row.column_text(5));
          return Status::ok();
        });
    if (!s.is_ok()) return s;
    return query(
        Sql::kRunIncompleteIndicators, [&](Statement& stmt) { stmt.bind(1, run_id); },
        [&](const Statement& row) {
          auto owner = by_position.find(row.column_int64(0));
          if (owner == by_position.end()) return db.error(where + " holds a reason of no indicator");
          report.indicators[owner->second].incomplete.push_back(row.column_text(1));
          return Status::ok();
        });
  }

  Status record_diagnostic(std::int64_t run_id, int position, const Diagnostic& d) {
    return execute(Sql::kInsertDiagnostic, [&](Statement& stmt) {
      stmt.bind(1, run_id);
      stmt.bind(2, position);
      bind_diagnostic(stmt, 3, d);
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
          // NULL in runs stored before schema version 10: the unit's default.
          if (!row.is_null(15)) r.decimals = row.column_int(15);
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
    const std::string owner = "run " + std::to_string(run_id);
    return query(
        Sql::kRunDiagnostics, [&](Statement& stmt) { stmt.bind(1, run_id); },
        [&](const Statement& row) {
          auto d = read_diagnostic(db, row, 0, owner);
          if (!d.ok()) return d.status();
          report.diagnostics.push_back(std::move(*d));
          return Status::ok();
        });
  }
};

HistoryStore::HistoryStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HistoryStore::~HistoryStore() = default;

Result<std::unique_ptr<HistoryStore>> HistoryStore::open(const std::filesystem::path& path) {
  auto db = open_store_file(path);
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
  // A block to insert: one series' new and revised points of one batch.
  // Its text and its packed form are written together, by one statement.
  struct Pending {
    std::int64_t series_id = 0;
    std::string points;
    std::string packed;
  };

  State(HistoryStore::Impl& i, std::string s, std::int64_t at)
      : impl(i), source(std::move(s)), ingested_at(at) {}

  HistoryStore::Impl& impl;
  std::string source;
  std::int64_t ingested_at;
  std::int64_t source_id = 0;
  bool foreign_keys_off = false;
  std::optional<Transaction> txn;
  Status failed;
  IngestCounts counts;
  std::unordered_map<std::string, Known> series;
  // The current rows of the last stored series compared with.
  std::int64_t current_of = 0;
  std::vector<BlockPoint> current;  // ascending by period
  // Blocks of the batch being written; the first `pending_used` are in use,
  // the rest keep their capacity for the next batch.
  std::vector<Pending> pending;
  std::size_t pending_used = 0;
  std::vector<const Observation*> ordered;  // a series' observations by period

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
    known.clear();
    known.reserve(batch.size());
    return validate_batch(source, batch, [&](const Series& s) -> std::vector<std::int32_t>& {
      Known& k = series[s.key];
      known.push_back(&k);
      return k.seen;
    });
  }

  // Inserts the pending blocks.
  Status flush() {
    auto insert = impl.statement(Sql::kInsertBlock);
    if (!insert.ok()) return insert.status();
    for (std::size_t i = 0; i < pending_used; ++i) {
      Statement& stmt = **insert;
      stmt.bind(1, pending[i].series_id);
      stmt.bind(2, ingested_at);
      stmt.bind_static(3, pending[i].points);
      stmt.bind_blob_static(4, pending[i].packed);
      Status st = stmt.run();
      stmt.reset();
      if (!st.is_ok()) return st;
    }
    pending_used = 0;
    return Status::ok();
  }

  // Starts the block of series `id` for this batch.
  Pending& new_block(std::int64_t id) {
    if (pending_used == pending.size()) pending.emplace_back();
    Pending& p = pending[pending_used++];
    p.series_id = id;
    p.points.clear();
    p.packed.clear();
    return p;
  }

  // Appends `o` to both forms of `block`.
  void append(Pending& block, const Observation& o) {
    append_block_point(block.points, impl.period_text(o.period), o);
    append_packed_point(block.packed, o);
  }

  static void finish(Pending& block) {
    finish_block(block.points);
    finish_packed_block(block.packed);
  }

  // The observations of `s` in ascending period order (as they mostly come).
  const std::vector<const Observation*>& by_period(const Series& s) {
    sort_by_period(s, ordered);
    return ordered;
  }

  Status write_series(const Series& s, Known& k) {
    if (k.id == 0) {
      auto id = impl.find_or_insert(Sql::kFindSeries, Sql::kInsertSeries, source_id, s.key,
                                    k.created);
      if (!id.ok()) return id.status();
      k.id = *id;
    }
    if (s.observations.empty()) return Status::ok();  // the series is known, with no data
    if (k.created) {
      // Nothing stored to compare with.
      Pending& block = new_block(k.id);
      for (const Observation* o : by_period(s)) append(block, *o);
      finish(block);
      counts.inserted += static_cast<int>(s.observations.size());
      return Status::ok();
    }
    if (current_of != k.id) {
      // Blocks this ingest wrote hold periods it will not see again, so
      // what is read here is, for the periods to come, the state before it.
      current_of = 0;
      if (Status st = impl.load_current(k.id, current); !st.is_ok()) return st;
      current_of = k.id;
    }
    Pending* block = nullptr;
    for (const Observation* o : by_period(s)) {
      const std::int32_t code = pack_period(o->period);
      auto found = std::lower_bound(
          current.begin(), current.end(), code,
          [](const BlockPoint& p, std::int32_t c) { return p.period < c; });
      const bool stored = found != current.end() && found->period == code;
      if (stored && same_figures(*found, *o)) {
        ++counts.unchanged;
        continue;
      }
      if (!block) block = &new_block(k.id);
      append(*block, *o);
      ++(stored ? counts.revised : counts.inserted);
    }
    if (block) finish(*block);
    return Status::ok();
  }

  Status write(const std::vector<Series>& batch) {
    std::vector<Known*> known;
    if (Status st = validate(batch, known); !st.is_ok()) return st;
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (Status st = write_series(batch[i], *known[i]); !st.is_ok()) return st;
    }
    return flush();
  }

  // Writes the batches of `built`: inserted as built when the store holds
  // none of the source's series (no rows to compare with), else read back
  // from their packed blocks and written as write() writes a batch.
  Status write(BuiltBlocks& built) {
    if (!built.invalid_.is_ok()) return built.invalid_;
    bool held = !series.empty();
    if (!held) {
      auto h = impl.holds_source(source);
      if (!h.ok()) return h.status();
      held = *h;
    }
    if (held) {
      PackedReader reader;
      std::vector<BlockPoint> points;
      std::vector<Series> batch;
      return built.stage_.replay_records([&](std::string_view record) {
        batch.clear();
        Status read = read_built(record, [&](const BuiltSeries& b) {
          Series s;
          s.key = std::string(b.key);
          if (b.observations > 0) {
            points.clear();
            if (Status st = reader.read(b.packed, points); !st.is_ok()) return st;
            s.observations.reserve(points.size());
            for (const BlockPoint& p : points) s.observations.push_back(p.observation());
          }
          batch.push_back(std::move(s));
          return Status::ok();
        });
        if (!read.is_ok()) return read;
        return write(batch);
      });
    }
    auto insert_series = impl.statement(Sql::kInsertSeries);
    if (!insert_series.ok()) return insert_series.status();
    auto insert_block = impl.statement(Sql::kInsertBlock);
    if (!insert_block.ok()) return insert_block.status();
    return built.stage_.replay_records([&](std::string_view record) {
      return read_built(record, [&](const BuiltSeries& b) {
        Known& k = series[std::string(b.key)];
        if (k.id == 0) {
          Statement& stmt = **insert_series;
          stmt.bind(1, source_id);
          stmt.bind_static(2, b.key);
          Status st = stmt.run();
          stmt.reset();
          if (!st.is_ok()) return st;
          k.id = impl.db.last_insert_rowid();
          k.created = true;
        }
        if (b.observations == 0) return Status::ok();
        Statement& stmt = **insert_block;
        stmt.bind(1, k.id);
        stmt.bind(2, ingested_at);
        stmt.bind_static(3, b.points);
        stmt.bind_blob_static(4, b.packed);
        Status st = stmt.run();
        stmt.reset();
        if (!st.is_ok()) return st;
        counts.inserted += static_cast<int>(b.observations);
        return Status::ok();
      });
    });
  }
};

SeriesIngest::SeriesIngest(std::unique_ptr<State> state) : state_(std::move(state)) {}
SeriesIngest::~SeriesIngest() = default;

Status SeriesIngest::write(const std::vector<Series>& batch) {
  return write_with([&batch](State& st) { return st.write(batch); });
}

Status SeriesIngest::write(BuiltBlocks& built) {
  return write_with([&built](State& st) { return st.write(built); });
}

template <typename Write>
Status SeriesIngest::write_with(Write&& write) {
  State& st = *state_;
  if (!st.failed.is_ok()) return st.failed;
  if (!st.txn) return Status(StatusCode::kInternal, "write to a finished ingest");
  Status s = write(st);
  if (!s.is_ok()) {
    st.failed = s;
    st.pending_used = 0;
    st.txn.reset();  // roll back now: nothing of this source is kept
    st.restore_foreign_keys();
  }
  return s;
}

Result<IngestCounts> SeriesIngest::commit() {
  State& st = *state_;
  if (!st.failed.is_ok()) return st.failed;
  if (!st.txn) return Status(StatusCode::kInternal, "commit of a finished ingest");
  Status s = st.txn->commit();
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
  // so the per-block foreign key lookups are skipped (a pragma that applies outside transactions only).
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
  return std::unique_ptr<SeriesIngest>(new SeriesIngest(std::move(state)));
}

Result<bool> HistoryStore::holds_source(const std::string& source) {
  return impl_->holds_source(source);
}

BuiltBlocks::BuiltBlocks(std::string source) : source_(std::move(source)) {}

Status BuiltBlocks::add(const std::vector<Series>& batch) {
  if (!invalid_.is_ok()) return Status::ok();
  invalid_ = validate_batch(source_, batch, [&](const Series& s) -> std::vector<std::int32_t>& {
    return seen_[s.key];
  });
  if (!invalid_.is_ok()) return Status::ok();
  record_.clear();
  put_u32(record_, batch.size());
  for (const Series& s : batch) {
    points_.clear();
    packed_.clear();
    if (!s.observations.empty()) {
      sort_by_period(s, ordered_);
      for (const Observation* o : ordered_) {
        auto [text, added] = period_texts_.try_emplace(pack_period(o->period));
        if (added) text->second = o->period.to_string();
        append_block_point(points_, text->second, *o);
        append_packed_point(packed_, *o);
      }
      finish_block(points_);
      finish_packed_block(packed_);
    }
    put_bytes(record_, s.key);
    put_u32(record_, s.observations.size());
    put_bytes(record_, points_);
    put_bytes(record_, packed_);
  }
  return stage_.add_record(record_);
}

Result<std::vector<Observation>> HistoryStore::load_series(const std::string& source,
                                                           const std::string& key) const {
  auto id = impl_->find_series(source, key);
  if (!id.ok()) return id.status();
  std::vector<Observation> out;
  if (!*id) return out;
  std::vector<BlockPoint> current;
  if (Status s = impl_->load_current(**id, current); !s.is_ok()) return s;
  out.reserve(current.size());
  for (const BlockPoint& p : current) out.push_back(p.observation());
  return out;
}

Result<std::vector<ObservationRevision>> HistoryStore::revisions(const std::string& source,
                                                                 const std::string& key,
                                                                 const Period& period) const {
  auto id = impl_->find_series(source, key);
  if (!id.ok()) return id.status();
  std::vector<ObservationRevision> out;
  if (!*id) return out;
  const std::int32_t code = pack_period(period);
  Status s = impl_->read_blocks(
      **id, [&](std::int64_t ingested_at, const std::vector<BlockPoint>& points) {
        for (const BlockPoint& p : points) {
          if (p.period == code) out.push_back(ObservationRevision{p.observation(), ingested_at, false});
        }
      });
  if (!s.is_ok()) return s;
  if (!out.empty()) out.back().current = true;
  return out;
}

Result<std::vector<ObservationRevision>> HistoryStore::current_revisions(
    const std::string& source, const std::string& key) const {
  auto id = impl_->find_series(source, key);
  if (!id.ok()) return id.status();
  std::vector<ObservationRevision> out;
  if (!*id) return out;
  std::map<std::int32_t, ObservationRevision> latest;  // later blocks replace earlier ones
  Status s = impl_->read_blocks(
      **id, [&](std::int64_t ingested_at, const std::vector<BlockPoint>& points) {
        for (const BlockPoint& p : points) {
          latest[p.period] = ObservationRevision{p.observation(), ingested_at, true};
        }
      });
  if (!s.is_ok()) return s;
  out.reserve(latest.size());
  for (auto& [code, revision] : latest) out.push_back(std::move(revision));
  std::sort(out.begin(), out.end(), [](const ObservationRevision& a, const ObservationRevision& b) {
    return a.observation.period < b.observation.period;
  });
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
  // Every row written refers to the run row or to an indicator row written
  // just before it in this transaction, so the foreign key checks (a lookup
  // per row) are left out, as an ingest leaves them out. The pragma is
  // ignored inside a transaction: record_run called inside one checks them.
  struct ForeignKeysOff {
    Db& db;
    bool off = false;
    ~ForeignKeysOff() {
      if (off) (void)db.exec("PRAGMA foreign_keys=ON", "cannot configure");
    }
  } foreign_keys{impl.db};
  if (impl.db.autocommit()) {
    if (Status s = impl.db.exec("PRAGMA foreign_keys=OFF", "cannot configure"); !s.is_ok()) {
      return s;
    }
    foreign_keys.off = true;
  }
  auto txn = Transaction::begin(impl.db, Transaction::Mode::kImmediate);
  if (!txn.ok()) return txn.status();
  auto found_base = find_delta_base(impl.db, report.catalogue_name, report.period);
  if (!found_base.ok()) return found_base.status();
  std::optional<DeltaBase> base = std::move(*found_base);

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

  // Each position's lifecycle row: an exception's is made from its result,
  // the others (resolved, awaiting data) come with `extras`; rows of
  // indicators the run did not evaluate (carried forward) belong to no
  // position and are always written.
  std::unordered_map<std::string_view, const LifecycleRow*> lifecycle_by_id;
  for (const LifecycleRow& row : extras.lifecycle) lifecycle_by_id.emplace(row.indicator_id, &row);
  std::vector<std::optional<LifecycleRow>> made(report.indicators.size());
  std::vector<const LifecycleRow*> lifecycle(report.indicators.size(), nullptr);
  for (std::size_t i = 0; i < report.indicators.size(); ++i) {
    const IndicatorResult& r = report.indicators[i];
    if (extras.rows_for_exceptions && r.is_exception) {
      made[i] = exception_row(r, report.period);
      lifecycle[i] = &*made[i];
    } else if (auto found = lifecycle_by_id.find(r.indicator_id); found != lifecycle_by_id.end()) {
      lifecycle[i] = found->second;
      lifecycle_by_id.erase(found);
    }
  }

  // Only the positions whose digest differs from the base run's are written;
  // a run where more than half differ is then completed with the others,
  // stored whole, and may be a base itself. A run of many indicators makes
  // its digests on a second thread: beside the inserts when there is no base
  // (every position is written), else half of them before the inserts.
  auto insert_lifecycle = impl.db.prepare(kInsertLifecycleRow);
  if (!insert_lifecycle.ok()) return insert_lifecycle.status();
  const std::size_t n = report.indicators.size();
  constexpr std::size_t kDigestsOnAThread = 4096;
  std::string digests;
  std::vector<char> written(n, 0);
  std::size_t changed = 0;
  if (!base) {
    std::future<std::string> made_digests;
    if (n >= kDigestsOnAThread) {
      made_digests = std::async(std::launch::async, [&report, &lifecycle, n] {
        return Impl::position_digests(report, lifecycle, 0, n);
      });
    } else {
      digests = Impl::position_digests(report, lifecycle, 0, n);
    }
    // A failed insert returns at once: the future's destruction waits for
    // the thread, which reads only the report and `lifecycle`.
    for (std::size_t i = 0; i < n; ++i) {
      if (s = impl.record_position(run_id, static_cast<int>(i), report.indicators[i], lifecycle[i],
                                   *insert_lifecycle);
          !s.is_ok()) {
        return s;
      }
    }
    changed = n;
    if (made_digests.valid()) digests = made_digests.get();
  } else {
    const std::size_t half = n >= kDigestsOnAThread ? n / 2 : n;
    std::future<std::string> second_half;
    if (half < n) {
      second_half = std::async(std::launch::async, [&report, &lifecycle, half, n] {
        return Impl::position_digests(report, lifecycle, half, n);
      });
    }
    digests = Impl::position_digests(report, lifecycle, 0, half);
    if (second_half.valid()) digests += second_half.get();
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t at = i * kPositionDigestSize;
      const bool same = at + kPositionDigestSize <= base->digests.size() &&
                        std::string_view(base->digests).substr(at, kPositionDigestSize) ==
                            std::string_view(digests).substr(at, kPositionDigestSize);
      if (same) continue;
      ++changed;
      written[i] = 1;
      if (s = impl.record_position(run_id, static_cast<int>(i), report.indicators[i], lifecycle[i],
                                   *insert_lifecycle);
          !s.is_ok()) {
        return s;
      }
    }
  }
  if (base && changed * 2 > n) {
    base.reset();
    for (std::size_t i = 0; i < n; ++i) {
      if (written[i]) continue;
      if (s = impl.record_position(run_id, static_cast<int>(i), report.indicators[i], lifecycle[i],
                                   *insert_lifecycle);
          !s.is_ok()) {
        return s;
      }
    }
  }
  if (s = set_run_delta(impl.db, run_id, base ? std::optional<std::int64_t>(base->id) : std::nullopt,
                        digests);
      !s.is_ok()) {
    return s;
  }
  for (const LifecycleRow& row : extras.lifecycle) {
    if (lifecycle_by_id.count(row.indicator_id) == 0) continue;  // written with its position
    if (s = Impl::record_lifecycle(run_id, row, *insert_lifecycle); !s.is_ok()) return s;
  }
  for (std::size_t k = 0; k < report.diagnostics.size(); ++k) {
    if (s = impl.record_diagnostic(run_id, static_cast<int>(k), report.diagnostics[k]);
        !s.is_ok()) {
      return s;
    }
  }
  for (std::size_t k = 0; k < report.incomplete.size(); ++k) {
    if (s = impl.record_incomplete(run_id, static_cast<int>(k), report.incomplete[k]); !s.is_ok()) {
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
  if (Status s = impl.load_incomplete(run_id, report, by_position); !s.is_ok()) return s;
  if (Status s = txn->commit(); !s.is_ok()) return s;
  return report;
}

}  // namespace vitals::detail
