// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <future>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "common/progress_meter.hpp"
#include "common/stopwatch.hpp"
#include "common/utc_time.hpp"
#include "engine/engine_impl.hpp"
#include "engine/records_ingest.hpp"
#include "engine/series_keys.hpp"
#include "engine/source_skip.hpp"
#include "store/series_stage.hpp"
#include "store/source_reads.hpp"
#include "store/source_state.hpp"

namespace vitals::detail {

std::int64_t now_unix() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void add_counts(IngestSummary& summary, const IngestCounts& counts) {
  summary.inserted += counts.inserted;
  summary.revised += counts.revised;
  summary.unchanged += counts.unchanged;
}

namespace {

Diagnostic source_diagnostic(const SourceDefinition& source, std::string code, std::string message) {
  return Diagnostic::make(Severity::kError, std::move(code), std::move(message), source.location);
}

// The one place a source's failure is recorded, whatever failed (its plugin,
// its data, the store): the diagnostic for the run, and the failure that
// makes the next evaluation incomplete for the source's indicators.
void source_failed(IngestSummary& summary, const SourceDefinition& source, Diagnostic diagnostic) {
  summary.failed.push_back(SourceFailure{source.name, diagnostic.message});
  summary.diagnostics.push_back(std::move(diagnostic));
}

// Stages a streamed source's batches on a second thread while the plugin
// reads the next ones, so parsing and encoding each get a core, then stores
// them all in one transaction once the source has been read: the store's
// write lock is held only while storing, never while a slow source is still
// being read, so a concurrent evaluation (which records its run) is not
// blocked by it. One consumer taking batches in order: the rows are written
// exactly as a sequential ingest would write them. At most kDepth batches
// wait, which bounds memory; the stage spills to a temporary file.
// A source the store holds none of (`fresh`: a first ingest) is staged as
// the blocks it will be stored as, checked and built on the worker while the
// source is read, so that the transaction only inserts them; a batch the
// store would refuse is then refused when the transaction is written, as it
// would have been.
class StoreWorker {
 public:
  StoreWorker(HistoryStore& store, std::string source, std::int64_t ingested_at, bool fresh)
      : store_(store), source_(std::move(source)), ingested_at_(ingested_at) {
    if (fresh) built_.emplace(source_);
  }

  ~StoreWorker() { stop(); }
  StoreWorker(const StoreWorker&) = delete;
  StoreWorker& operator=(const StoreWorker&) = delete;

  // Queues a batch, waiting while the queue is full. The worker's error
  // once it has failed (the batch is then dropped).
  Status submit(std::vector<Series>&& batch) {
    std::unique_lock lock(mutex_);
    if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
    changed_.wait(lock, [&] { return queue_.size() < kDepth || !failed_.is_ok(); });
    if (!failed_.is_ok()) return failed_;
    queue_.push_back(std::move(batch));
    changed_.notify_all();
    return Status::ok();
  }

  // The worker's error, if it failed.
  Status error() {
    std::lock_guard lock(mutex_);
    return failed_;
  }

  // Waits for every queued batch to be staged, then stores them all in one
  // transaction (an empty source still records the source). The series
  // count is the distinct keys.
  Result<IngestCounts> finish(std::size_t& series) {
    stop();
    if (!failed_.is_ok()) return failed_;
    auto begun = store_.begin_ingest(source_, ingested_at_);
    if (!begun.ok()) return begun.status();
    std::unique_ptr<SeriesIngest> ingest = std::move(*begun);
    Status written =
        built_ ? ingest->write(*built_)
               : stage_.replay(
                     [&ingest](std::vector<Series>&& batch) { return ingest->write(batch); });
    if (!written.is_ok()) return written;
    series = ingest->series_count();
    return ingest->commit();
  }

 private:
  static constexpr std::size_t kDepth = 2;

  void stop() {
    {
      std::lock_guard lock(mutex_);
      closing_ = true;
      changed_.notify_all();
    }
    if (thread_.joinable()) thread_.join();
  }

  void run() {
    std::unique_lock lock(mutex_);
    while (true) {
      changed_.wait(lock, [&] { return !queue_.empty() || closing_; });
      if (queue_.empty()) return;  // closing, and everything staged
      std::vector<Series> batch = std::move(queue_.front());
      queue_.pop_front();
      changed_.notify_all();
      lock.unlock();
      Status s = stage(batch);
      batch = {};
      lock.lock();
      if (!s.is_ok()) {
        failed_ = std::move(s);
        queue_.clear();
        changed_.notify_all();
        return;
      }
    }
  }

  // On the worker thread only; the stage is not used elsewhere meanwhile.
  Status stage(const std::vector<Series>& batch) {
    try {
      return built_ ? built_->add(batch) : stage_.add(batch);
    } catch (const std::exception& e) {
      return Status(StatusCode::kInternal, std::string("staging a batch failed: ") + e.what());
    }
  }

  HistoryStore& store_;
  const std::string source_;
  const std::int64_t ingested_at_;
  SeriesStage stage_;
  std::optional<BuiltBlocks> built_;  // instead of stage_, for a fresh source
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::vector<Series>> queue_;
  bool closing_ = false;
  Status failed_;
  std::thread thread_;
};

Diagnostic store_failed(const SourceDefinition& source, const Status& status) {
  return source_diagnostic(
      source, "store.ingest_failed",
      "source '" + source.name + "' could not be stored: " + status.message());
}

// The key of `source`'s read when it may be skipped (its plugin declares the
// files it reads), else nullopt with why. The `known` files (those of the
// remembered read) are trusted by their stamps. Safe on another thread: it
// reads the catalogue and the files, and logs nothing.
struct TimedKey {
  std::optional<SourceReadKey> key;
  std::string why;
  double seconds = 0;
};

TimedKey make_read_key(const Catalogue& catalogue, const SourceDefinition& source,
                       const PluginLibrary& library, const std::vector<KnownFile>& known) {
  TimedKey out;
  const Stopwatch hashing;
  out.key = source_read_key(catalogue, source, library, known, out.why);
  out.seconds = hashing.seconds();
  return out;
}

std::optional<SourceReadKey> logged(Engine::Impl& engine, const SourceDefinition& source,
                                    TimedKey made, const char* when) {
  if (!made.key) {
    engine.logger->debug("source '{}' is read whatever it holds: {}", source.name, made.why);
    return std::nullopt;
  }
  engine.logger->debug(
      "source '{}': its files, plugin, settings and series mapping hashed in {:.2f} s{} ({} of {} "
      "files read, the others unchanged since hashed)",
      source.name, made.seconds, when, made.key->files_hashed, made.key->files.size());
  return std::move(made.key);
}

// Adds the remembered read to `summary` as if the source had been read again
// and found unchanged: its series and observations (all unchanged), records,
// diagnostics and unknown series; and a note "source.unchanged" saying that
// it was not read.
void repeat_read(Engine::Impl& engine, const SourceDefinition& source, const SourceRead& read,
                 IngestSummary& summary) {
  for (const Diagnostic& d : read.diagnostics) summary.diagnostics.push_back(d);
  for (const UnknownSeries& u : read.unknown_series) summary.unknown_series.push_back(u);
  ++summary.sources;
  summary.series += static_cast<int>(read.series);
  summary.unchanged += static_cast<int>(read.observations);
  summary.records += static_cast<int>(read.records);
  summary.diagnostics.push_back(Diagnostic::make(
      Severity::kNote, std::string(kSourceUnchangedCode),
      "source '" + source.name + "' was not read again: its files, plugin, settings and series "
          "mapping are unchanged since it was read at " + utc_time(read.read_at) +
          " UTC, so the store holds what they give; what that read reported is repeated",
      source.location));
  engine.logger->info(
      "source '{}' unchanged since it was read at {} UTC (same files, plugin, settings and series "
      "mapping): not read again; {} series, {} observations, {} records, {} diagnostics repeated",
      source.name, utc_time(read.read_at), count_text(static_cast<std::size_t>(read.series)),
      count_text(static_cast<std::size_t>(read.observations)),
      count_text(static_cast<std::size_t>(read.records)), read.diagnostics.size());
}

}  // namespace

Result<IngestSummary> ingest_pushed(Engine::Impl& engine, const SourceDefinition& source,
                                    const std::vector<Series>& series) {
  // What is pushed replaces what the source's last read stored.
  if (Status s = forget_source_read(engine.store->db(), source.name); !s.is_ok()) return s;
  auto counts = engine.store->ingest(source.name, series, now_unix());
  if (!counts.ok()) return counts.status();
  IngestSummary summary;
  SeriesKeyCheck keys(*engine.catalogue, source);
  keys.scan(series);
  keys.report(summary);
  // The source has been read: an earlier failure of it no longer stands.
  if (Status s = record_source_outcomes(engine.store->db(), {source.name}, {}); !s.is_ok()) {
    return s;
  }
  summary.sources = 1;
  summary.series = static_cast<int>(series.size());
  add_counts(summary, *counts);
  derive_indicators(engine, summary);
  return summary;
}

void remember_source_outcomes(Engine::Impl& engine, IngestSummary& summary) {
  std::vector<StoredSourceFailure> failed;
  std::set<std::string> failed_names;
  const std::int64_t now = now_unix();
  for (const SourceFailure& f : summary.failed) {
    if (failed_names.insert(f.source).second) failed.push_back(StoredSourceFailure{f.source, now, f.message});
  }
  std::vector<std::string> read;
  for (const SourceDefinition& source : engine.catalogue->sources) {
    if (failed_names.count(source.name) == 0) read.push_back(source.name);
  }
  if (Status s = record_source_outcomes(engine.store->db(), read, failed); !s.is_ok()) {
    Diagnostic d;
    d.severity = Severity::kWarning;
    d.code = "store.source_state_failed";
    d.message = "the store could not record which sources failed: " + s.message() +
                "; a later run with --no-ingest may not know that their data is out of date";
    summary.diagnostics.push_back(std::move(d));
  }
}

std::vector<SourceFailure> current_source_failures(Engine::Impl& engine,
                                                   std::vector<Diagnostic>& diagnostics) {
  if (engine.ingested) return engine.failed_sources;
  std::vector<SourceFailure> out;
  auto stored = load_source_failures(engine.store->db());
  if (!stored.ok()) {
    Diagnostic d;
    d.code = "store.source_state_failed";
    d.message = "the store could not say which sources failed at the last ingest: " +
                stored.status().message();
    diagnostics.push_back(std::move(d));
    return out;
  }
  for (const StoredSourceFailure& f : *stored) {
    const bool in_catalogue =
        std::any_of(engine.catalogue->sources.begin(), engine.catalogue->sources.end(),
                    [&](const SourceDefinition& s) { return s.name == f.source; }) ||
        (f.source == kDerivedSourceName &&
         std::any_of(engine.catalogue->indicators.begin(), engine.catalogue->indicators.end(),
                     [](const IndicatorDefinition& def) { return def.derived != nullptr; }));
    if (!in_catalogue) continue;
    out.push_back(SourceFailure{f.source, f.message + " (at the last ingest, " + utc_time(f.failed_at) +
                                              " UTC; nothing has been read from it since)"});
  }
  return out;
}

IngestSummary ingest_sources(Engine::Impl& engine) {
  IngestSummary summary;
  // Series as the sources stream them, counted on the reading thread: never
  // inside the store's transaction, which finish() opens after the fetch.
  ProgressMeter progress(engine.options.progress, "ingesting", "series", 0);
  for (const SourceDefinition& source : engine.catalogue->sources) {
    if (!engine.plugins) {
      source_failed(summary, source, source_diagnostic(
          source, "source.plugins_disabled",
          "source '" + source.name + "' needs the '" + source.plugin +
              "' plugin, but plugin loading is disabled"));
      continue;
    }
    if (auto invalid = engine.invalid_sources.find(source.name);
        invalid != engine.invalid_sources.end()) {
      // The settings' errors were reported, located, when the catalogue was
      // loaded; the source is not read, so the run cannot be complete.
      source_failed(summary, source, source_diagnostic(
          source, "source.invalid_settings",
          "source '" + source.name + "' was not fetched: its settings have errors (" +
              invalid->second + "; vitals check lists them all)"));
      continue;
    }
    // A source whose files, plugin, settings and series mapping are what its
    // last successful read saw is not read again: that read's counts and
    // diagnostics are repeated. Anything else is read, and the remembered
    // read forgotten before anything is written, so that the store never
    // keeps a read whose data it no longer holds.
    // A file whose stamp (device, inode, size, times) is what that read
    // recorded is not read again to be hashed: its recorded hash stands.
    auto remembered = load_source_read(engine.store->db(), source.name);
    if (!remembered.ok()) {
      engine.logger->warn("source '{}': the store could not say what its last read was ({}); it is read",
                          source.name, remembered.status().message());
    }
    static const std::vector<KnownFile> kNoFiles;
    const bool has_read = remembered.ok() && remembered->has_value();
    std::shared_ptr<const PluginLibrary> library = engine.plugins->find(source.plugin);
    std::optional<SourceReadKey> read_key;
    // When the key cannot be the remembered one (no read remembered, or a
    // file of another size), the source is read whatever its key, which is
    // then made on another core while it is read: hashing a national file
    // costs about a second. Its files' stamps are taken before the read and
    // must be the ones the key hashed.
    std::future<TimedKey> later;
    std::optional<std::vector<FileStamp>> stamps_before;
    if (library) stamps_before = input_file_stamps(source, *library);
    if (stamps_before && key_cannot_match(*stamps_before, has_read ? &**remembered : nullptr)) {
      later = std::async(std::launch::async, [&catalogue = *engine.catalogue, &source, library] {
        return make_read_key(catalogue, source, *library, kNoFiles);
      });
    } else if (library) {
      read_key = logged(engine, source,
                        make_read_key(*engine.catalogue, source, *library,
                                      has_read ? (*remembered)->files : kNoFiles),
                        "");
    }
    if (read_key && has_read && (*remembered)->read_key == read_key->hex) {
      // Files hashed again with the same bytes (touched, or racily clean):
      // their new stamps are recorded, so the next ingest trusts them.
      if (read_key->files_hashed > 0 && read_key->files != (*remembered)->files) {
        if (Status s = refresh_source_read_files(engine.store->db(), source.name, read_key->files);
            !s.is_ok()) {
          engine.logger->warn("source '{}': the store could not record its files' stamps ({})",
                              source.name, s.message());
        }
      }
      repeat_read(engine, source, **remembered, summary);
      continue;
    }
    if (Status forgot = forget_source_read(engine.store->db(), source.name); !forgot.is_ok()) {
      source_failed(summary, source, store_failed(source, forgot));
      continue;
    }
    const std::size_t first_diagnostic = summary.diagnostics.size();
    const std::size_t first_unknown = summary.unknown_series.size();
    const int records_before = summary.records;
    const std::int64_t read_at = now_unix();
    auto instance = engine.plugins->create_source(source);
    if (!instance.ok()) {
      source_failed(summary, source, source_diagnostic(
          source, "source.unavailable",
          "source '" + source.name + "' could not be opened: " + instance.status().message()));
      continue;
    }
    // The source's series are staged batch by batch and stored in one
    // transaction only when the whole fetch succeeds.
    FetchOutput fetched;
    // Whether the store holds the source decides how it is staged; either
    // way what is stored is the same. A store that cannot say is read as
    // holding it.
    auto held = engine.store->holds_source(source.name);
    StoreWorker worker(*engine.store, source.name, read_at, held.ok() && !*held);
    SeriesKeyCheck keys(*engine.catalogue, source);
    const Stopwatch reading;
    Status st = (*instance)->fetch_streamed(fetched, [&](std::vector<Series>&& batch) {
      keys.scan(batch);
      progress.add(batch.size());
      return worker.submit(std::move(batch));
    });
    engine.logger->debug("source '{}': read and staged in {:.2f} s", source.name, reading.seconds());
    (*instance)->close(fetched.diagnostics);
    for (Diagnostic& d : fetched.diagnostics) summary.diagnostics.push_back(std::move(d));
    if (Status stored = worker.error(); !stored.is_ok()) {
      source_failed(summary, source, store_failed(source, stored));
      continue;
    }
    if (!st.is_ok()) {
      source_failed(summary, source, source_diagnostic(
          source, "source.rejected",
          "source '" + source.name + "' was not ingested (" + st.message() +
              "); the stored history is unchanged"));
      continue;
    }
    std::size_t series_count = 0;
    const Stopwatch storing;
    auto counts = worker.finish(series_count);
    engine.logger->debug("source '{}': stored in one transaction in {:.2f} s", source.name,
                         storing.seconds());
    if (!counts.ok()) {
      source_failed(summary, source, store_failed(source, counts.status()));
      continue;
    }
    check_series_metadata(*engine.catalogue, source, fetched.records, summary.diagnostics);
    if (!ingest_fetched_records(engine, source, fetched.records, summary)) {
      Diagnostic failure = std::move(summary.diagnostics.back());  // the records' store failure
      summary.diagnostics.pop_back();
      source_failed(summary, source, std::move(failure));
      continue;
    }
    keys.report(summary);
    engine.logger->info("ingested source '{}': {} series, {} new, {} revised, {} unchanged",
                        source.name, count_text(series_count), count_text(counts->inserted),
                        count_text(counts->revised), count_text(counts->unchanged));
    if (later.valid()) {
      read_key = logged(engine, source, later.get(), ", beside the read");
      bool same = read_key && read_key->files.size() == stamps_before->size();
      for (std::size_t i = 0; same && i < stamps_before->size(); ++i) {
        same = read_key->files[i].stamp == (*stamps_before)[i];
      }
      if (read_key && !same) {
        engine.logger->info("source '{}': a file changed while it was read; it will be read again",
                            source.name);
        read_key.reset();
      }
    }
    // Remembered only when the files were not changed while being read, so
    // that the key describes exactly what was stored.
    if (read_key && files_unchanged(*read_key)) {
      SourceRead read;
      read.source = source.name;
      read.read_key = read_key->hex;
      read.files = read_key->files;
      read.read_at = read_at;
      read.series = static_cast<std::int64_t>(series_count);
      read.observations = static_cast<std::int64_t>(counts->inserted) + counts->revised + counts->unchanged;
      read.records = summary.records - records_before;
      read.diagnostics.assign(summary.diagnostics.begin() + static_cast<std::ptrdiff_t>(first_diagnostic),
                              summary.diagnostics.end());
      read.unknown_series.assign(
          summary.unknown_series.begin() + static_cast<std::ptrdiff_t>(first_unknown),
          summary.unknown_series.end());
      if (Status s = remember_source_read(engine.store->db(), read); !s.is_ok()) {
        engine.logger->warn("source '{}': the store could not remember this read ({}); it will be read again",
                            source.name, s.message());
      }
    } else if (read_key) {
      engine.logger->info("source '{}': a file changed while it was read; it will be read again",
                          source.name);
    }
    ++summary.sources;
    summary.series += static_cast<int>(series_count);
    add_counts(summary, *counts);
  }
  progress.finish();
  derive_indicators(engine, summary);
  sort_and_deduplicate(summary.diagnostics);
  return summary;
}

}  // namespace vitals::detail
