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

// Computes and stores one derived indicator; what it writes is added to `summary`.
Status derive_one(HistoryStore& store, const IndicatorDefinition& def, std::int64_t now,
                  IngestSummary& summary) {
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
  summary.inserted += counts->inserted;
  summary.revised += counts->revised;
  summary.unchanged += counts->unchanged;
  if (counts->inserted == 0 && counts->revised == 0) return Status::ok();

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

}  // namespace

void derive_indicators(Engine::Impl& engine, IngestSummary& summary) {
  const std::vector<const IndicatorDefinition*> order = derivation_order(*engine.catalogue);
  if (order.empty()) return;
  std::set<std::string> failed;
  for (const SourceFailure& f : summary.failed) failed.insert(f.source);
  std::set<std::string> not_derived;  // derived indicators left as stored
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
      summary.diagnostics.push_back(derive_failed(*def, s));
      not_derived.insert(def->id);
    }
  }
}

}  // namespace vitals::detail
