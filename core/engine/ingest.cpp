// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

#include "engine/engine_impl.hpp"
#include "engine/records_ingest.hpp"

namespace vitals::detail {

std::int64_t now_unix() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

namespace {

Diagnostic source_diagnostic(const SourceDefinition& source, std::string code, std::string message) {
  return Diagnostic::make(Severity::kError, std::move(code), std::move(message), source.location);
}

void add_counts(IngestSummary& summary, const IngestCounts& counts) {
  summary.inserted += counts.inserted;
  summary.revised += counts.revised;
  summary.unchanged += counts.unchanged;
}

// Stores a streamed source's batches on a second thread while the plugin
// reads the next ones, so parsing and SQLite each get a core. One consumer
// taking batches in order: the rows are written exactly as a sequential
// ingest would write them. At most kDepth batches wait, which bounds memory.
class StoreWorker {
 public:
  StoreWorker(HistoryStore& store, std::string source, std::int64_t ingested_at)
      : store_(store), source_(std::move(source)), ingested_at_(ingested_at) {}

  // Stops the thread; an ingest not finished rolls back.
  ~StoreWorker() {
    stop();
    ingest_.reset();
  }
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

  // Waits for every queued batch to be written, then commits (an empty
  // source still records the source). The series count is the distinct keys.
  Result<IngestCounts> finish(std::size_t& series) {
    stop();
    if (!failed_.is_ok()) return failed_;
    if (!ingest_) {
      auto begun = store_.begin_ingest(source_, ingested_at_);
      if (!begun.ok()) return begun.status();
      ingest_ = std::move(*begun);
    }
    series = ingest_->series_count();
    return ingest_->commit();
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
      if (queue_.empty()) return;  // closing, and everything written
      std::vector<Series> batch = std::move(queue_.front());
      queue_.pop_front();
      changed_.notify_all();
      lock.unlock();
      Status s = write(batch);
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

  // On the worker thread only; the store is not used elsewhere meanwhile.
  Status write(const std::vector<Series>& batch) {
    try {
      if (!ingest_) {
        auto begun = store_.begin_ingest(source_, ingested_at_);
        if (!begun.ok()) return begun.status();
        ingest_ = std::move(*begun);
      }
      return ingest_->write(batch);
    } catch (const std::exception& e) {
      return Status(StatusCode::kInternal, std::string("storing a batch failed: ") + e.what());
    }
  }

  HistoryStore& store_;
  const std::string source_;
  const std::int64_t ingested_at_;
  std::unique_ptr<SeriesIngest> ingest_;
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

}  // namespace

Result<IngestSummary> ingest_pushed(Engine::Impl& engine, const SourceDefinition& source,
                                    const std::vector<Series>& series) {
  auto counts = engine.store->ingest(source.name, series, now_unix());
  if (!counts.ok()) return counts.status();
  IngestSummary summary;
  summary.sources = 1;
  summary.series = static_cast<int>(series.size());
  add_counts(summary, *counts);
  return summary;
}

IngestSummary ingest_sources(Engine::Impl& engine) {
  IngestSummary summary;
  for (const SourceDefinition& source : engine.catalogue->sources) {
    if (!engine.plugins) {
      summary.diagnostics.push_back(source_diagnostic(
          source, "source.plugins_disabled",
          "source '" + source.name + "' needs the '" + source.plugin +
              "' plugin, but plugin loading is disabled"));
      continue;
    }
    if (engine.invalid_sources.count(source.name) != 0) {
      // Already reported, located, when the catalogue was loaded.
      summary.diagnostics.push_back(source_diagnostic(
          source, "source.invalid_settings",
          "source '" + source.name +
              "' was not fetched: its settings have errors (vitals check lists them)"));
      continue;
    }
    auto instance = engine.plugins->create_source(source);
    if (!instance.ok()) {
      summary.diagnostics.push_back(source_diagnostic(
          source, "source.unavailable",
          "source '" + source.name + "' could not be opened: " + instance.status().message()));
      continue;
    }
    // The source's series go into the store batch by batch, in one
    // transaction kept only when the whole fetch succeeds.
    FetchOutput fetched;
    StoreWorker worker(*engine.store, source.name, now_unix());
    Status st = (*instance)->fetch_streamed(
        fetched,
        [&worker](std::vector<Series>&& batch) { return worker.submit(std::move(batch)); });
    for (Diagnostic& d : fetched.diagnostics) summary.diagnostics.push_back(std::move(d));
    if (Status stored = worker.error(); !stored.is_ok()) {
      summary.diagnostics.push_back(store_failed(source, stored));
      continue;
    }
    if (!st.is_ok()) {
      summary.diagnostics.push_back(source_diagnostic(
          source, "source.rejected",
          "source '" + source.name + "' was not ingested (" + st.message() +
              "); the stored history is unchanged"));
      continue;
    }
    std::size_t series_count = 0;
    auto counts = worker.finish(series_count);
    if (!counts.ok()) {
      summary.diagnostics.push_back(store_failed(source, counts.status()));
      continue;
    }
    if (!ingest_fetched_records(engine, source, fetched.records, summary)) continue;
    engine.logger->info("ingested source '{}': {} series, {} new, {} revised, {} unchanged",
                        source.name, series_count, counts->inserted, counts->revised,
                        counts->unchanged);
    ++summary.sources;
    summary.series += static_cast<int>(series_count);
    add_counts(summary, *counts);
  }
  sort_and_deduplicate(summary.diagnostics);
  return summary;
}

}  // namespace vitals::detail
