// SPDX-License-Identifier: Apache-2.0
// Derived indicators are computed after every ingest, from the stored current
// revisions of their inputs, and stored like a source's series (source
// kDerivedSourceName, key the indicator id): the store's revision rules then
// make a changed input a revision of the derived value, and evaluation reads
// derived series exactly as it reads the others. See docs/adr/0006.
#include <functional>
#include <map>
#include <set>

#include "engine/derived_series.hpp"
#include "engine/engine_impl.hpp"
#include "store/derived_inputs.hpp"
#include "store/source_state.hpp"
#include "store/sqlite_db.hpp"

namespace vitals::detail {

namespace {

// The derived indicators of `catalogue`, each after the derived ones it reads.
std::vector<const IndicatorDefinition*> derivation_order(const Catalogue& catalogue) {
  std::vector<const IndicatorDefinition*> order;
  std::set<std::string> placed;
  std::function<void(const IndicatorDefinition&)> place = [&](const IndicatorDefinition& def) {
    if (!placed.insert(def.id).second) return;
    for (const DerivedInput& input : def.derived->inputs) {
      if (input.indicator_id.empty()) continue;
      const IndicatorDefinition* from = catalogue.find_indicator(input.indicator_id);
      if (from != nullptr && from->derived) place(*from);
    }
    order.push_back(&def);
  };
  for (const IndicatorDefinition& def : catalogue.indicators) {
    if (def.derived) place(def);
  }
  return order;
}

Diagnostic derive_failed(const IndicatorDefinition& def, const Status& status) {
  Diagnostic d = Diagnostic::make(
      Severity::kError, "store.derive_failed",
      "derived indicator '" + def.id + "' could not be computed and stored: " + status.message(),
      def.derived->location);
  d.indicator_id = def.id;
  return d;
}

// Records the inputs of each derived value that the ingest at `now` wrote.
Status record_provenance(HistoryStore& store, const IndicatorDefinition& def,
                         const DerivedValues& values, std::int64_t now) {
  // The revisions this ingest wrote are those stored at `now`.
  auto stored = store.current_revisions(kDerivedSourceName, def.id);
  if (!stored.ok()) return stored.status();
  std::map<Period, std::size_t> index;
  for (std::size_t i = 0; i < values.series.observations.size(); ++i) {
    index.emplace(values.series.observations[i].period, i);
  }
  std::vector<DerivedProvenance> provenance;
  for (const ObservationRevision& r : *stored) {
    if (r.ingested_at != now) continue;
    auto it = index.find(r.observation.period);
    if (it == index.end()) continue;
    provenance.push_back(
        DerivedProvenance{def.id, r.observation.period, now, values.inputs[it->second]});
  }
  return record_derived_inputs(store.db(), provenance);
}

// Computes and stores one derived indicator, its values and their provenance
// in one transaction: a failure stores neither. What it writes is added to
// `summary` once committed.
Status derive_one(HistoryStore& store, const IndicatorDefinition& def, std::int64_t now,
                  IngestSummary& summary) {
  auto txn = Transaction::begin(store.db(), Transaction::Mode::kImmediate);
  if (!txn.ok()) return txn.status();
  std::vector<std::vector<ObservationRevision>> inputs;
  for (const DerivedInput& input : def.derived->inputs) {
    auto revisions = store.current_revisions(input.series.source, input.series.series);
    if (!revisions.ok()) return revisions.status();
    inputs.push_back(std::move(*revisions));
  }
  DerivedValues values = compute_derived(def, inputs, summary.diagnostics);
  if (values.series.observations.empty()) return Status::ok();
  auto counts = store.ingest(kDerivedSourceName, {values.series}, now);
  if (!counts.ok()) return counts.status();
  if (counts->inserted > 0 || counts->revised > 0) {
    if (Status s = record_provenance(store, def, values, now); !s.is_ok()) return s;
  }
  if (Status s = txn->commit(); !s.is_ok()) return s;
  add_counts(summary, *counts);
  return Status::ok();
}

// A derived indicator that could not be stored keeps values computed from
// older inputs: the derivation is then a failed source of its own
// (kDerivedSourceName), remembered in the store like the others, so that
// every derived indicator is reported incomplete, in this process and in a
// later one, until a derivation succeeds.
void remember_derivation(Engine::Impl& engine, const std::vector<std::string>& failures,
                         std::int64_t now, IngestSummary& summary) {
  std::vector<std::string> read;
  std::vector<StoredSourceFailure> failed;
  if (failures.empty()) {
    read.push_back(kDerivedSourceName);
  } else {
    std::string message = failures.front();
    if (failures.size() > 1) {
      message += " (and " + std::to_string(failures.size() - 1) + " more derived indicators)";
    }
    summary.failed.push_back(SourceFailure{kDerivedSourceName, message});
    failed.push_back(StoredSourceFailure{kDerivedSourceName, now, message});
  }
  if (Status s = record_source_outcomes(engine.store->db(), read, failed); !s.is_ok()) {
    Diagnostic d;
    d.severity = Severity::kWarning;
    d.code = "store.source_state_failed";
    d.message = "the store could not record whether the derived indicators were computed: " +
                s.message() + "; a later run with --no-ingest may not know that they are out of date";
    summary.diagnostics.push_back(std::move(d));
  }
}

}  // namespace

void derive_indicators(Engine::Impl& engine, IngestSummary& summary) {
  const std::vector<const IndicatorDefinition*> order = derivation_order(*engine.catalogue);
  if (order.empty()) return;
  std::set<std::string> failed;
  for (const SourceFailure& f : summary.failed) failed.insert(f.source);
  std::set<std::string> not_derived;  // derived indicators left as stored
  std::vector<std::string> failures;  // why a derived indicator could not be stored
  const std::int64_t now = now_unix();
  for (const IndicatorDefinition* def : order) {
    // An input that was not read, or not derived, would make a value of
    // stale and fresh figures: keep what is stored; completeness marks the
    // indicator as missing its source.
    bool stale = false;
    for (const std::string& source : def->derived->sources) stale = stale || failed.count(source) > 0;
    for (const DerivedInput& input : def->derived->inputs) {
      stale = stale || not_derived.count(input.indicator_id) > 0;
    }
    if (stale) {
      not_derived.insert(def->id);
      continue;
    }
    if (Status s = derive_one(*engine.store, *def, now, summary); !s.is_ok()) {
      Diagnostic d = derive_failed(*def, s);
      failures.push_back(d.message);
      summary.diagnostics.push_back(std::move(d));
      not_derived.insert(def->id);
    }
  }
  remember_derivation(engine, failures, now, summary);
}

}  // namespace vitals::detail
