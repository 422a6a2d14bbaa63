// SPDX-License-Identifier: Apache-2.0
#include <chrono>

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
  Diagnostic d;
  d.code = std::move(code);
  d.message = std::move(message);
  d.location = source.location;
  return d;
}

void add_counts(IngestSummary& summary, const IngestCounts& counts) {
  summary.inserted += counts.inserted;
  summary.revised += counts.revised;
  summary.unchanged += counts.unchanged;
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
    auto instance = engine.plugins->create_source(source);
    if (!instance.ok()) {
      summary.diagnostics.push_back(source_diagnostic(
          source, "source.unavailable",
          "source '" + source.name + "' could not be opened: " + instance.status().message()));
      continue;
    }
    FetchOutput fetched;
    Status st = (*instance)->fetch(fetched);
    for (Diagnostic& d : fetched.diagnostics) summary.diagnostics.push_back(std::move(d));
    if (!st.is_ok()) {
      summary.diagnostics.push_back(source_diagnostic(
          source, "source.rejected",
          "source '" + source.name + "' was not ingested (" + st.message() +
              "); the stored history is unchanged"));
      continue;
    }
    auto counts = engine.store->ingest(source.name, fetched.series, now_unix());
    if (!counts.ok()) {
      summary.diagnostics.push_back(source_diagnostic(
          source, "store.ingest_failed",
          "source '" + source.name + "' could not be stored: " + counts.status().message()));
      continue;
    }
    if (!ingest_fetched_records(engine, source, fetched.records, summary)) continue;
    engine.logger->info("ingested source '{}': {} series, {} new, {} revised, {} unchanged",
                        source.name, fetched.series.size(), counts->inserted, counts->revised,
                        counts->unchanged);
    ++summary.sources;
    summary.series += static_cast<int>(fetched.series.size());
    add_counts(summary, *counts);
  }
  sort_and_deduplicate(summary.diagnostics);
  return summary;
}

}  // namespace vitals::detail
