// SPDX-License-Identifier: Apache-2.0
#include "store/migrations.hpp"

#include "store/observation_block.hpp"

#include <algorithm>
#include <cstdio>
#include <string>
#include <tuple>
#include <vector>

namespace vitals::detail {

namespace {

struct Migration {
  int version;      // the user_version once applied
  const char* sql;  // one or more statements
  // Then, for a step SQL alone cannot do: code, and more SQL.
  Status (*convert)(Db&) = nullptr;
  const char* sql_after = nullptr;
};

Status version4_blocks_from_rows(Db& db);
Status version8_pack_blocks(Db& db);

// Append only: a released step is never edited, a change is a new step.
const std::vector<Migration>& migrations() {
  static const std::vector<Migration> kMigrations = {
      {1, R"sql(
CREATE TABLE sources (
  id   INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);
CREATE TABLE series (
  id        INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL REFERENCES sources (id),
  key       TEXT NOT NULL,
  UNIQUE (source_id, key)
);
-- Every revision of every observation; the current one has superseded_at NULL.
CREATE TABLE observations (
  id            INTEGER PRIMARY KEY,
  series_id     INTEGER NOT NULL REFERENCES series (id),
  period        TEXT NOT NULL,     -- canonical text, e.g. '2017-03', '2017-Q1', '2016/17'
  period_end    INTEGER NOT NULL,  -- Period::last_month_index(), for ordering
  period_len    INTEGER NOT NULL,  -- months
  value         REAL,
  numerator     REAL,
  denominator   REAL,
  target        REAL,
  ingested_at   INTEGER NOT NULL,  -- unix seconds
  superseded_at INTEGER,           -- unix seconds; NULL for the current revision
  -- The revision this one replaced, so history is a walk by primary key and
  -- needs no second index on this, the largest table.
  revises       INTEGER REFERENCES observations (id)
);
CREATE UNIQUE INDEX observations_current ON observations (series_id, period)
  WHERE superseded_at IS NULL;

CREATE TABLE runs (
  id             INTEGER PRIMARY KEY,
  catalogue      TEXT NOT NULL,
  committee      TEXT NOT NULL,
  period         TEXT NOT NULL,
  created_at     INTEGER NOT NULL,
  engine_version TEXT NOT NULL,
  indicators     INTEGER NOT NULL,
  exceptions     INTEGER NOT NULL,
  diagnostics    INTEGER NOT NULL
);
CREATE INDEX runs_by_time ON runs (created_at, id);
-- One row per indicator of a run: its state and latest point (latest_* NULL when none).
CREATE TABLE run_indicators (
  run_id              INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  position            INTEGER NOT NULL,
  indicator_id        TEXT NOT NULL,
  title               TEXT NOT NULL,
  polarity            TEXT NOT NULL,
  unit                TEXT NOT NULL,
  frequency           TEXT NOT NULL,
  data_state          TEXT NOT NULL,
  is_exception        INTEGER NOT NULL,
  latest_period       TEXT,
  latest_value        REAL,
  latest_numerator    REAL,
  latest_denominator  REAL,
  latest_target       REAL,
  latest_variance_pct REAL,
  latest_rag          TEXT,
  PRIMARY KEY (run_id, position)
) WITHOUT ROWID;
CREATE INDEX run_indicators_by_indicator ON run_indicators (indicator_id, run_id);
-- One row per indicator and rule outcome.
CREATE TABLE findings (
  run_id             INTEGER NOT NULL,
  indicator_position INTEGER NOT NULL,
  position           INTEGER NOT NULL,
  rule_id            TEXT NOT NULL,
  criterion          TEXT NOT NULL,
  status             TEXT NOT NULL,
  message            TEXT NOT NULL,
  evidence           TEXT NOT NULL,  -- JSON object, keys sorted
  PRIMARY KEY (run_id, indicator_position, position),
  FOREIGN KEY (run_id, indicator_position)
    REFERENCES run_indicators (run_id, position) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE TABLE run_diagnostics (
  run_id          INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  position        INTEGER NOT NULL,
  severity        TEXT NOT NULL,
  code            TEXT NOT NULL,
  message         TEXT NOT NULL,
  location_file   TEXT,  -- NULL when the diagnostic has no location
  location_line   INTEGER,
  location_column INTEGER,
  indicator_id    TEXT NOT NULL,
  rule_id         TEXT NOT NULL,
  PRIMARY KEY (run_id, position)
) WITHOUT ROWID;
)sql"},
      // Version 2: run manifests and replacement, the exception lifecycle, and
      // records (budget lines, savings, risks). See docs/adr/0003.
      {2, R"sql(
-- A re-run of a (catalogue, period) supersedes the earlier run, which is kept
-- (findings and manifest) for audit with replaced_by set.
ALTER TABLE runs ADD COLUMN replaced_by INTEGER REFERENCES runs (id);
-- The run manifest: SHA-256 hex of what the run read ('' for runs before version 2).
ALTER TABLE runs ADD COLUMN catalogue_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN rules_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN plugins_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN data_hash TEXT NOT NULL DEFAULT '';
CREATE INDEX runs_current_by_catalogue ON runs (catalogue, period) WHERE replaced_by IS NULL;
-- Where each indicator reported by exception stands: one row per run for every
-- indicator that is an exception, is waiting for late data, or was resolved by it.
CREATE TABLE run_exceptions (
  run_id             INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  indicator_id       TEXT NOT NULL,
  title              TEXT NOT NULL,
  state              TEXT NOT NULL,     -- new, continuing, accepted, awaiting_data, resolved
  first_reported     TEXT NOT NULL,     -- period
  last_reported      TEXT NOT NULL,     -- period
  periods_reported   INTEGER NOT NULL,
  criteria           TEXT NOT NULL,     -- comma-separated, in report order
  accepted_criterion TEXT,              -- NULL unless accepted; '' = every criterion
  accepted_until     TEXT,
  accepted_by        TEXT,
  accepted_rationale TEXT,
  PRIMARY KEY (run_id, indicator_id)
) WITHOUT ROWID;
-- Everything one ingest of a source delivered as records; identical content
-- (same hash as the source's latest snapshot) is not stored again.
CREATE TABLE record_snapshots (
  id           INTEGER PRIMARY KEY,
  source       TEXT NOT NULL,
  ingested_at  INTEGER NOT NULL,  -- unix seconds
  records      INTEGER NOT NULL,
  content_hash TEXT NOT NULL      -- SHA-256 hex of the records
);
CREATE INDEX record_snapshots_by_source ON record_snapshots (source, id);
CREATE TABLE records (
  snapshot_id INTEGER NOT NULL REFERENCES record_snapshots (id) ON DELETE CASCADE,
  kind        TEXT NOT NULL,
  key         TEXT NOT NULL,
  period      TEXT NOT NULL,
  period_end  INTEGER NOT NULL,
  period_len  INTEGER NOT NULL,
  fields      TEXT NOT NULL,     -- JSON object, keys sorted
  PRIMARY KEY (snapshot_id, kind, period_end, period_len, key)
) WITHOUT ROWID;
)sql"},
      // Version 3: observations clustered by series and period. A WITHOUT
      // ROWID table keyed by (series_id, period_end, period_len, id) keeps a
      // series' revisions together in period order, so the current rows of a
      // series, one period's history and a scan of every series in order all
      // read the key, and no second index is written on every insert (about
      // 1.5x the rows per second of version 1's rowid table with its partial
      // unique index). One current row per period is now kept by ingest alone.
      // `id` is still the ingest order, unique across the table; the store
      // hands it out from observation_ids. `revises` is no longer a foreign
      // key (id alone is not a key). migrate_to() runs steps with foreign keys
      // off: dropping the old table would otherwise check every row against
      // `revises`, which has no index.
      {3, R"sql(
CREATE TABLE observations_v3 (
  id            INTEGER NOT NULL,  -- ingest order, unique; observation_ids holds the next one
  series_id     INTEGER NOT NULL REFERENCES series (id),
  period        TEXT NOT NULL,     -- canonical text, e.g. '2017-03', '2017-Q1', '2016/17'
  period_end    INTEGER NOT NULL,  -- Period::last_month_index(), for ordering
  period_len    INTEGER NOT NULL,  -- months
  value         REAL,
  numerator     REAL,
  denominator   REAL,
  target        REAL,
  ingested_at   INTEGER NOT NULL,  -- unix seconds
  superseded_at INTEGER,           -- unix seconds; NULL for the current revision
  revises       INTEGER,           -- id of the revision this one replaced (same series and period)
  PRIMARY KEY (series_id, period_end, period_len, id)
) WITHOUT ROWID;
INSERT INTO observations_v3 (id, series_id, period, period_end, period_len, value, numerator,
  denominator, target, ingested_at, superseded_at, revises)
  SELECT id, series_id, period, period_end, period_len, value, numerator, denominator, target,
    ingested_at, superseded_at, revises FROM observations;
-- One row: the id the next observation gets.
CREATE TABLE observation_ids (next_id INTEGER NOT NULL);
INSERT INTO observation_ids (next_id) SELECT ifnull(max(id), 0) + 1 FROM observations;
DROP TABLE observations;
ALTER TABLE observations_v3 RENAME TO observations;
)sql"},
      // Version 4: observations in blocks, one row per series and ingest
      // holding the periods it added or revised as a JSON array
      // (store/observation_block.hpp). A national load writes 150,000 rows
      // instead of 17.6 million. Revisions are the same period in a later
      // block, so nothing is updated in place; `observations` becomes a view
      // with one row per revision, as the table had.
      {4, R"sql(
CREATE TABLE observation_blocks (
  id          INTEGER PRIMARY KEY,  -- ingest order
  series_id   INTEGER NOT NULL REFERENCES series (id),
  ingested_at INTEGER NOT NULL,     -- unix seconds
  points      TEXT NOT NULL         -- JSON: [[period, value, numerator, denominator, target], ...]
);
CREATE INDEX observation_blocks_by_series ON observation_blocks (series_id, id);
)sql",
       version4_blocks_from_rows, R"sql(
DROP TABLE observations;
DROP TABLE observation_ids;
-- Every revision of every observation, one row each, for reading the store
-- with SQL; the current revision has superseded_at NULL. The source and
-- series name are in the PARTITION BY (they follow from series_id) so that
-- SQLite applies a filter on them before it unpacks every block.
CREATE VIEW observations AS
SELECT source, series, series_id, period, value, numerator, denominator, target, ingested_at,
  lead(ingested_at) OVER (PARTITION BY series_id, source, series, period ORDER BY block_id)
    AS superseded_at,
  block_id
FROM (SELECT src.name AS source, s.key AS series, b.series_id, p.value ->> 0 AS period,
        p.value ->> 1 AS value, p.value ->> 2 AS numerator, p.value ->> 3 AS denominator,
        p.value ->> 4 AS target, b.ingested_at, b.id AS block_id
      FROM observation_blocks b JOIN series s ON s.id = b.series_id
        JOIN sources src ON src.id = s.source_id, json_each(b.points) p);
)sql"},
      // Version 5: what a run could not read or evaluate, kept with the run so
      // that a run read back later says it was incomplete; and the sources
      // whose last ingest failed, so that a run without an ingest of its own
      // (--no-ingest, another process) knows their data was not refreshed.
      {5, R"sql(
CREATE TABLE run_incomplete (
  run_id     INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  position   INTEGER NOT NULL,
  kind       TEXT NOT NULL,  -- incomplete_kind_name(): source_failed, rule_failed, ...
  source     TEXT NOT NULL,  -- '' when the reason names no source
  rule_id    TEXT NOT NULL,  -- '' when the reason names no rule
  indicators TEXT NOT NULL,  -- JSON array of the indicator ids affected
  message    TEXT NOT NULL,
  PRIMARY KEY (run_id, position)
) WITHOUT ROWID;
-- JSON array of why the indicator has no complete result; NULL when it has one.
ALTER TABLE run_indicators ADD COLUMN incomplete TEXT;
CREATE TABLE source_failures (
  source    TEXT PRIMARY KEY,
  failed_at INTEGER NOT NULL,  -- unix seconds of the ingest that failed
  message   TEXT NOT NULL
) WITHOUT ROWID;
)sql"},
      // Version 6: the provenance of derived indicators' values. One row per
      // input observation a derived revision was computed from: the derived
      // series (source 'vitals:derived', key the indicator id), period and
      // ingest time, and the input's source, series, period and the time of
      // the ingest that stored the input revision used.
      {6, R"sql(
CREATE TABLE derived_inputs (
  series            TEXT NOT NULL,
  period            TEXT NOT NULL,
  ingested_at       INTEGER NOT NULL,
  input_source      TEXT NOT NULL,
  input_series      TEXT NOT NULL,
  input_period      TEXT NOT NULL,
  input_ingested_at INTEGER NOT NULL,
  PRIMARY KEY (series, period, ingested_at, input_source, input_series, input_period)
) WITHOUT ROWID;
)sql"},
      // Version 7: what the last read of each source depended on and said, so
      // that an unchanged source need not be read again (store/source_reads.hpp).
      // One row per source whose last read succeeded and may be skipped: the
      // SHA-256 of its files, plugin, settings and series mapping, its counts,
      // and its diagnostics and unknown series, repeated when it is skipped.
      {7, R"sql(
CREATE TABLE source_reads (
  source       TEXT PRIMARY KEY,
  read_key     TEXT NOT NULL,     -- hex SHA-256 of everything the read depended on
  read_at      INTEGER NOT NULL,  -- unix seconds of the ingest that read it
  series       INTEGER NOT NULL,  -- series it delivered
  observations INTEGER NOT NULL,  -- observations it delivered
  records      INTEGER NOT NULL   -- records it delivered
) WITHOUT ROWID;
CREATE TABLE source_read_diagnostics (
  source          TEXT NOT NULL REFERENCES source_reads (source) ON DELETE CASCADE,
  position        INTEGER NOT NULL,
  severity        TEXT NOT NULL,
  code            TEXT NOT NULL,
  message         TEXT NOT NULL,
  location_file   TEXT,  -- NULL when the diagnostic has no location
  location_line   INTEGER,
  location_column INTEGER,
  indicator_id    TEXT NOT NULL,
  rule_id         TEXT NOT NULL,
  PRIMARY KEY (source, position)
) WITHOUT ROWID;
CREATE TABLE source_read_unknown_series (
  source     TEXT NOT NULL REFERENCES source_reads (source) ON DELETE CASCADE,
  position   INTEGER NOT NULL,
  key        TEXT NOT NULL,
  rows       INTEGER NOT NULL,
  suggestion TEXT NOT NULL,
  PRIMARY KEY (source, position)
) WITHOUT ROWID;
)sql"},
      // Version 8: each block also packed (store/observation_block.hpp), so
      // that evaluation reads figures instead of parsing text; `points`
      // stays what SQL tools and the `observations` view read. A block whose
      // text is changed by SQL alone loses its packed form, which readers
      // then take from the text; a block inserted without one is read from
      // its text too.
      {8, R"sql(
ALTER TABLE observation_blocks ADD COLUMN packed BLOB;
CREATE TRIGGER observation_blocks_text_changed AFTER UPDATE OF points ON observation_blocks
  WHEN new.packed IS old.packed
BEGIN
  UPDATE observation_blocks SET packed = NULL WHERE id = new.id;
END;
)sql",
       version8_pack_blocks},
      // Version 9: a run's findings stored as a delta. digests holds 16 bytes
      // per indicator position (the first half of the SHA-256 of everything
      // stored for it: its run_indicators row, its findings and its
      // run_exceptions row). A run with base_run set stores rows only for the
      // positions whose digest differs from base_run's; every other position
      // below its indicators count reads from base_run, which is always a run
      // stored whole (base_run NULL). Runs stored before have neither.
      {9, R"sql(
ALTER TABLE runs ADD COLUMN base_run INTEGER REFERENCES runs (id);
ALTER TABLE runs ADD COLUMN digests BLOB;
)sql"},
      // Version 10: the decimals each indicator's figures were shown with
      // (the catalogue's `decimals`), so that a run read back shows them as
      // the run did. NULL when the catalogue set none (the unit's default)
      // and in runs stored before, which show the unit's default.
      {10, R"sql(
ALTER TABLE run_indicators ADD COLUMN decimals INTEGER;
)sql"},
      // Version 11: the
      // files each remembered read hashed, with the stamp each had (device,
      // inode, size, modification and change times in nanoseconds) and when
      // the stamp was taken, so that an ingest trusts a file's recorded
      // SHA-256 while its stamp is unchanged instead of reading it again
      // (engine/source_skip.hpp). Reads remembered before have no rows here,
      // and their files are hashed as before.
      {11, R"sql(
CREATE TABLE source_read_files (
  source        TEXT NOT NULL REFERENCES source_reads (source) ON DELETE CASCADE,
  position      INTEGER NOT NULL,
  path          TEXT NOT NULL,
  device        INTEGER NOT NULL,
  inode         INTEGER NOT NULL,
  size          INTEGER NOT NULL,
  mtime_ns      INTEGER NOT NULL,
  ctime_ns      INTEGER NOT NULL,
  sha256        TEXT NOT NULL,     -- hex SHA-256 of the file's bytes
  stamped_at_ns INTEGER NOT NULL,  -- the file system's clock just before the stamp was taken
  PRIMARY KEY (source, position)
) WITHOUT ROWID;
)sql"},
  };
  return kMigrations;
}

struct Header {
  std::int64_t application_id = 0;
  std::int64_t user_version = 0;
  std::int64_t objects = 0;      // rows of sqlite_schema
  std::int64_t store_tables = 0;  // of the tables every schema version has
};

Result<Header> read_header(Db& db) {
  auto stmt = db.prepare(
      "SELECT (SELECT application_id FROM pragma_application_id),"
      " (SELECT user_version FROM pragma_user_version),"
      " (SELECT count(*) FROM sqlite_schema),"
      " (SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
      "   AND name IN ('sources', 'series', 'runs', 'run_indicators', 'findings'))");
  if (!stmt.ok()) return stmt.status();
  auto row = stmt->step();
  if (!row.ok()) return row.status();
  Header h;
  h.application_id = stmt->column_int64(0);
  h.user_version = stmt->column_int64(1);
  h.objects = stmt->column_int64(2);
  h.store_tables = stmt->column_int64(3);
  return h;
}

// The store's header must say it is ours and not from the future. A database
// with nothing in it yet (application_id unset, or set by store_file.cpp when
// it made the file) becomes a store. A store made before application_id was
// set is recognised by its schema version and tables; its next migration step
// marks it.
Status check_header(const Db& db, const Header& h) {
  if (h.user_version > latest_schema_version()) {
    return db.error("schema version " + std::to_string(h.user_version) +
                    " is newer than this build of Vitals understands (up to " +
                    std::to_string(latest_schema_version()) +
                    "); open it with a newer version of Vitals");
  }
  const bool fresh = h.user_version == 0 && h.objects == 0 &&
                     (h.application_id == 0 || h.application_id == kStoreApplicationId);
  const bool unmarked_store = h.application_id == 0 && h.user_version >= 1 && h.store_tables == 5;
  if (!fresh && !unmarked_store && h.application_id != kStoreApplicationId) {
    char id[16];
    std::snprintf(id, sizeof id, "0x%08llX",
                  static_cast<unsigned long long>(h.application_id) & 0xFFFFFFFFULL);
    return db.error(std::string("is a SQLite database but not a Vitals store (application_id ") +
                    id + ", schema version " + std::to_string(h.user_version) +
                    "); choose another file");
  }
  return Status::ok();
}

// Version 3's rows become blocks. A series' rows are read in key order
// (period, then revision). Its n-th revisions ingested at one time form one
// block, and blocks are ordered by n and then by their first row's id, so
// every period's revisions keep their order.
Status version4_blocks_from_rows(Db& db) {
  auto rows = db.prepare(
      "SELECT series_id, id, period, value, numerator, denominator, target, ingested_at"
      " FROM observations ORDER BY series_id, period_end, period_len, id");
  if (!rows.ok()) return rows.status();
  auto insert =
      db.prepare("INSERT INTO observation_blocks (series_id, ingested_at, points) VALUES (?1, ?2, ?3)");
  if (!insert.ok()) return insert.status();

  struct Row {
    int revision;
    std::int64_t ingested_at, id;
    std::string period;
    Observation figures;
  };
  std::vector<Row> series;  // the rows of the series being read

  std::int64_t current_series = -1;
  std::string last_period;
  int revision = 0;
  auto flush = [&]() -> Status {
    // Rows of one block are adjacent once sorted by (revision, ingested_at),
    // and stay in period order (stable).
    std::stable_sort(series.begin(), series.end(), [](const Row& a, const Row& b) {
      return std::tie(a.revision, a.ingested_at) < std::tie(b.revision, b.ingested_at);
    });
    struct Block {
      int revision;
      std::int64_t first_id, ingested_at;
      std::string points;
    };
    std::vector<Block> blocks;
    for (std::size_t i = 0; i < series.size(); ++i) {
      const Row& r = series[i];
      if (i == 0 || r.revision != series[i - 1].revision ||
          r.ingested_at != series[i - 1].ingested_at) {
        blocks.push_back(Block{r.revision, r.id, r.ingested_at, {}});
      }
      Block& b = blocks.back();
      b.first_id = std::min(b.first_id, r.id);
      append_block_point(b.points, r.period, r.figures);
    }
    std::sort(blocks.begin(), blocks.end(), [](const Block& a, const Block& b) {
      return std::tie(a.revision, a.first_id) < std::tie(b.revision, b.first_id);
    });
    for (Block& b : blocks) {
      finish_block(b.points);
      StatementScope scope(*insert);
      scope->bind(1, current_series);
      scope->bind(2, b.ingested_at);
      scope->bind(3, b.points);
      if (Status s = scope->run(); !s.is_ok()) return s;
    }
    series.clear();
    return Status::ok();
  };
  while (true) {
    auto row = rows->step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    const std::int64_t series_id = rows->column_int64(0);
    if (series_id != current_series) {
      if (Status s = flush(); !s.is_ok()) return s;
      current_series = series_id;
      last_period.clear();
    }
    std::string period = rows->column_text(2);
    revision = period == last_period ? revision + 1 : 0;
    last_period = period;
    series.push_back(Row{revision, rows->column_int64(7), rows->column_int64(1), std::move(period),
                         Observation{{},
                                     rows->column_optional_double(3),
                                     rows->column_optional_double(4),
                                     rows->column_optional_double(5),
                                     rows->column_optional_double(6)}});
  }
  return flush();
}

// Packs the blocks of a version 6 store. A block whose text cannot be read,
// or whose periods do not ascend (no ingest writes one), is left without a
// packed form: it is read from its text, as before.
Status version8_pack_blocks(Db& db) {
  auto blocks = db.prepare("SELECT id, points FROM observation_blocks ORDER BY id");
  if (!blocks.ok()) return blocks.status();
  auto update = db.prepare("UPDATE observation_blocks SET packed = ?1 WHERE id = ?2");
  if (!update.ok()) return update.status();
  BlockReader reader;
  std::vector<BlockPoint> points;
  std::string packed;
  while (true) {
    auto row = blocks->step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    points.clear();
    if (!reader.read(blocks->column_text(1), points).is_ok() || !strictly_ascending(points)) continue;
    packed = pack_block(points);
    StatementScope scope(*update);
    scope->bind_blob_static(1, packed);
    scope->bind(2, blocks->column_int64(0));
    if (Status s = scope->run(); !s.is_ok()) return s;
  }
  return Status::ok();
}

}  // namespace

int latest_schema_version() { return migrations().back().version; }

Status migrate(Db& db) { return migrate_to(db, latest_schema_version()); }

Status migrate_to(Db& db, int version) {
  // The common case, a current store, needs no write lock.
  auto header = read_header(db);
  if (!header.ok()) return header.status();
  if (Status s = check_header(db, *header); !s.is_ok()) return s;
  if (header->user_version >= version) return Status::ok();

  // Steps rebuild tables, which SQLite does with foreign keys off (a pragma
  // that applies outside transactions only); the rows they copy were checked
  // when first written.
  auto foreign_keys = db.prepare("PRAGMA foreign_keys");
  if (!foreign_keys.ok()) return foreign_keys.status();
  auto fk_row = foreign_keys->step();
  if (!fk_row.ok()) return fk_row.status();
  const bool restore_foreign_keys = *fk_row && foreign_keys->column_int64(0) != 0;
  foreign_keys->reset();
  if (restore_foreign_keys) {
    if (Status s = db.exec("PRAGMA foreign_keys=OFF", "cannot configure"); !s.is_ok()) return s;
  }
  struct Restore {
    Db& db;
    bool on;
    ~Restore() {
      if (on) (void)db.exec("PRAGMA foreign_keys=ON", "cannot configure");
    }
  } restore{db, restore_foreign_keys};

  for (const Migration& m : migrations()) {
    if (m.version > version) break;
    auto txn = Transaction::begin(db, Transaction::Mode::kImmediate);
    if (!txn.ok()) return txn.status();
    // Another process may have migrated between our read and the lock.
    header = read_header(db);
    if (!header.ok()) return header.status();
    if (Status s = check_header(db, *header); !s.is_ok()) return s;
    if (header->user_version >= m.version) continue;
    std::string context = "cannot migrate to schema version " + std::to_string(m.version);
    if (Status s = db.exec(m.sql, context); !s.is_ok()) return s;
    if (m.convert) {
      if (Status s = m.convert(db); !s.is_ok()) return s;
    }
    if (m.sql_after) {
      if (Status s = db.exec(m.sql_after, context); !s.is_ok()) return s;
    }
    std::string pragmas = "PRAGMA user_version = " + std::to_string(m.version) +
                          "; PRAGMA application_id = " + std::to_string(kStoreApplicationId);
    if (Status s = db.exec(pragmas, context); !s.is_ok()) return s;
    if (Status s = txn->commit(); !s.is_ok()) return s;
  }
  return Status::ok();
}

}  // namespace vitals::detail
