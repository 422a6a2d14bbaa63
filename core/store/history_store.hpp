// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <vitals/evaluation.hpp>
#include <vitals/observation.hpp>
#include <vitals/period.hpp>
#include <vitals/status.hpp>

#include "store/run_history_store.hpp"
#include "store/series_stage.hpp"
#include "store/sqlite_db.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace vitals::detail {

class BuiltBlocks;

/// What one ingest() did, summed over all series.
struct IngestCounts {
  int inserted = 0;   // periods not stored before
  int revised = 0;    // periods stored with different figures: a new current revision
  int unchanged = 0;  // periods stored with identical figures: nothing written
};

class SeriesIngest;

/// One stored version of an observation.
struct ObservationRevision {
  Observation observation;
  std::int64_t ingested_at = 0;  // unix seconds
  bool current = false;          // the latest revision
};

/// A stored run, as list_runs() summarises it.
struct RunRecord {
  std::int64_t id = 0;
  std::string catalogue;  // catalogue name
  Period period;
  std::int64_t created_at = 0;  // unix seconds
  std::string engine_version;
  int indicators = 0;
  int exceptions = 0;  // indicators reported by exception
  int diagnostics = 0;
};

/// History of observations (with revisions), runs and their findings, in one
/// SQLite file (WAL journal, foreign keys on, busy timeout 5 s). Every write
/// is one transaction, rolled back on any failure, so bad input never loses or
/// corrupts what is already stored. Errors from SQLite are kStoreError naming
/// the file.
/// Thread safety: not safe for concurrent use; open one per thread. Several
/// processes may share the file (WAL).
class HistoryStore {
 public:
  /// Opens the store at `path`, or creates it when no file of that name
  /// exists (its folder must exist), and migrates it to the current schema.
  /// kStoreError naming the path and saying what the file is when it cannot
  /// be opened, is empty or too short to be a database (a truncated store),
  /// is not a SQLite database, belongs to another program, or has a schema
  /// version newer than this build understands; such a file is left as it
  /// was (store/store_file.hpp).
  static Result<std::unique_ptr<HistoryStore>> open(const std::filesystem::path& path);
  ~HistoryStore();
  HistoryStore(const HistoryStore&) = delete;
  HistoryStore& operator=(const HistoryStore&) = delete;

  /// Stores every observation of `series` for `source` in ONE transaction. A
  /// period not stored before is inserted; one stored with different figures
  /// (value, numerator, denominator or target; nullopt vs number counts as
  /// different; doubles compare exactly) gets a new current revision and the
  /// old one is kept (revised); identical figures are unchanged (nothing is
  /// written for them). What a series gains is stored as one block
  /// (store/observation_block.hpp).
  /// Observations with no value at all are stored too. On any error nothing
  /// is written.
  /// Returns kInvalidArgument, before any write, when `source` or a series
  /// key is empty, a key appears twice in `series`, a series lists a period
  /// twice, or a figure is NaN or infinite.
  Result<IngestCounts> ingest(const std::string& source, const std::vector<Series>& series,
                              std::int64_t ingested_at);

  /// Starts a streamed ingest of `source`: it opens the write transaction
  /// (BEGIN IMMEDIATE) that SeriesIngest::write() fills batch by batch and
  /// SeriesIngest::commit() ends. The same rules as ingest() hold for the
  /// whole stream, so memory is bounded by a batch instead of the source.
  /// kInvalidArgument for an empty `source`; kStoreError when the transaction
  /// cannot begin.
  /// REQUIRES: the store is not otherwise used until the SeriesIngest is
  /// committed or destroyed (it holds the connection's transaction). The
  /// SeriesIngest may be used from another thread than this one, one thread
  /// at a time, and must be destroyed before the store.
  Result<std::unique_ptr<SeriesIngest>> begin_ingest(const std::string& source,
                                                     std::int64_t ingested_at);

  /// Whether the store holds any series of `source` (a source it does not
  /// hold can be ingested from BuiltBlocks). A read: no write lock is taken.
  Result<bool> holds_source(const std::string& source);

  /// The current revision of every observation of (source, series key),
  /// ascending by period; empty when nothing is stored under that name.
  Result<std::vector<Observation>> load_series(const std::string& source,
                                               const std::string& key) const;

  /// The current revision of every observation of (source, series key), with
  /// the time of the ingest that stored it, ascending by period; empty when
  /// nothing is stored under that name.
  Result<std::vector<ObservationRevision>> current_revisions(const std::string& source,
                                                             const std::string& key) const;

  /// Every revision of one observation, oldest first (the last one is
  /// current); empty when the period was never stored.
  Result<std::vector<ObservationRevision>> revisions(const std::string& source,
                                                     const std::string& key,
                                                     const Period& period) const;

  /// Records a run and its findings (each indicator's title, polarity, unit,
  /// frequency, data state, exception flag and latest point, and every rule
  /// outcome with status, criterion, message and evidence as JSON text) and
  /// its diagnostics (severity, code, message, location, indicator, rule) in
  /// one transaction; returns the new run id. report.run_id is ignored. SQLite
  /// has no NaN: a NaN figure of a latest point reads back as nullopt (NaN in
  /// evidence is kept; see evidence_json.hpp).
  Result<std::int64_t> record_run(const EvaluationReport& report, const std::string& engine_version,
                                  std::int64_t created_at);
  /// As above, and writes `extras` (manifest, exception lifecycle, replacement
  /// of the period's earlier run; store/run_history_store.hpp) in the same
  /// transaction.
  Result<std::int64_t> record_run(const EvaluationReport& report, const std::string& engine_version,
                                  std::int64_t created_at, const RunExtras& extras);

  /// Runs, newest first (by created_at, then by id).
  Result<std::vector<RunRecord>> list_runs() const;

  /// The report of a stored run, rebuilt from its findings, with run_id set.
  /// kNotFound when there is no such run.
  Result<EvaluationReport> load_run(std::int64_t run_id) const;

  /// The connection, for the store's other tables (store/record_store.hpp,
  /// store/run_history_store.hpp). Same thread-safety rule as the store.
  Db& db();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  explicit HistoryStore(std::unique_ptr<Impl>);
  friend class SeriesIngest;
};

/// A streamed ingest of one source in progress (HistoryStore::begin_ingest):
/// series arrive in batches and are written into one open transaction, which
/// commit() ends. Destroying it before commit() rolls everything back, so a
/// source that fails midway leaves the stored history exactly as it was.
/// Thread safety: not safe for concurrent use; see begin_ingest().
class SeriesIngest {
 public:
  ~SeriesIngest();  // rolls back unless committed
  SeriesIngest(const SeriesIngest&) = delete;
  SeriesIngest& operator=(const SeriesIngest&) = delete;

  /// Validates `batch`, then writes it. A series key appears at most once in
  /// a batch, but may continue in later batches: its observations add to
  /// what earlier batches delivered. Validation runs over the whole batch
  /// before any of it is written and rejects, with kInvalidArgument, what
  /// HistoryStore::ingest() rejects: an empty key, a key twice in the batch,
  /// a NaN or infinite figure, and a period delivered twice for one series
  /// (in this batch or an earlier one). Any error fails the ingest: this and
  /// every later call return it and nothing is committed.
  Status write(const std::vector<Series>& batch);

  /// Writes the batches `built` holds, as write() would write each of them:
  /// the same rows, ids, errors and counts. When the store holds no series of
  /// the source yet they are inserted as built; else their observations are
  /// read back from the packed blocks and compared as write() compares.
  /// The first validation error of `built` is returned as write() would.
  Status write(BuiltBlocks& built);

  /// Commits everything written and returns the counts. After an error (of
  /// write() or of the commit) nothing is stored and the error is returned.
  /// REQUIRES: called at most once.
  Result<IngestCounts> commit();

  /// The distinct series keys written so far.
  std::size_t series_count() const;

 private:
  friend class HistoryStore;
  struct State;
  explicit SeriesIngest(std::unique_ptr<State> state);
  template <typename Write>
  Status write_with(Write&& write);
  std::unique_ptr<State> state_;
};

/// A source's batches checked as SeriesIngest::write() checks them and built
/// into the blocks (text and packed) that a store holding none of the
/// source's series stores them as, without the store: so the building is
/// done on another thread while the source is still being read, and the
/// transaction that SeriesIngest::write(BuiltBlocks&) then opens only
/// inserts rows. Kept in a SeriesStage (memory, then a temporary file).
/// Thread safety: not safe for concurrent use.
class BuiltBlocks {
 public:
  explicit BuiltBlocks(std::string source);

  /// Checks `batch` and keeps its blocks. After a validation error (kept
  /// for invalid(), as SeriesIngest::write() would return it) later batches
  /// are ignored. kIoError when the stage cannot be written.
  Status add(const std::vector<Series>& batch);

  /// The first batch's validation error, or OK.
  const Status& invalid() const { return invalid_; }

 private:
  friend class SeriesIngest;
  std::string source_;
  std::unordered_map<std::string, std::vector<std::int32_t>> seen_;  // period codes by key
  std::unordered_map<std::int32_t, std::string> period_texts_;
  std::vector<const Observation*> ordered_;
  std::string record_, points_, packed_;
  SeriesStage stage_;
  Status invalid_;
};

}  // namespace vitals::detail
