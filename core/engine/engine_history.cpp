// SPDX-License-Identifier: Apache-2.0
// The engine's records, run history and risk report (Engine::ingest_records,
// runs, load_run, risk_report), and diff_runs.
#include <algorithm>
#include <map>

#include "engine/engine_impl.hpp"
#include "engine/lifecycle.hpp"
#include "engine/records_ingest.hpp"
#include "store/derived_inputs.hpp"
#include "store/source_reads.hpp"
#include "store/record_store.hpp"
#include "store/run_history_store.hpp"
#include "store/source_state.hpp"

namespace vitals {

namespace detail {

bool ingest_fetched_records(Engine::Impl& engine, const SourceDefinition& source,
                            const std::vector<Record>& records, IngestSummary& summary) {
  if (records.empty()) return true;
  auto stored = store_records(engine.store->db(), source.name, records, now_unix());
  if (!stored.ok()) {
    Diagnostic d;
    d.code = "store.ingest_failed";
    d.location = source.location;
    d.message = "the records of source '" + source.name +
                "' could not be stored: " + stored.status().message();
    summary.diagnostics.push_back(std::move(d));
    return false;
  }
  engine.logger->info("ingested source '{}': {} records{}", source.name, count_text(stored->records),
                      stored->stored ? "" : ", unchanged");
  summary.records += stored->records;
  return true;
}

}  // namespace detail

Result<IngestSummary> Engine::ingest_records(const std::string& source,
                                             const std::vector<Record>& records) {
  return detail::guard_api([&]() -> Result<IngestSummary> {
    if (Status st = detail::require_catalogue(*impl_); !st.is_ok()) return st;
    for (const SourceDefinition& def : impl_->catalogue->sources) {
      if (def.name != source) continue;
      // What is pushed replaces what the source's last read stored.
      if (Status s = detail::forget_source_read(impl_->store->db(), source); !s.is_ok()) return s;
      auto stored = detail::store_records(impl_->store->db(), source, records, detail::now_unix());
      if (!stored.ok()) return stored.status();
      // The source has been read: an earlier failure of it no longer stands.
      if (Status s = detail::record_source_outcomes(impl_->store->db(), {source}, {}); !s.is_ok()) return s;
      IngestSummary summary;
      summary.sources = 1;
      summary.records = stored->records;
      return summary;
    }
    return Status(StatusCode::kInvalidArgument,
                  "unknown source '" + source + "': it is not declared in the catalogue");
  });
}

Result<std::vector<RunInfo>> Engine::runs() {
  return detail::guard_api([&]() -> Result<std::vector<RunInfo>> {
    return detail::list_run_infos(impl_->store->db());
  });
}

Result<EvaluationReport> Engine::load_run(std::int64_t run_id) {
  return detail::guard_api([&]() -> Result<EvaluationReport> {
    detail::Db& db = impl_->store->db();
    auto info = detail::run_info(db, run_id);
    if (!info.ok()) return info.status();
    auto report = impl_->store->load_run(run_id);
    if (!report.ok()) return report.status();
    auto rows = detail::load_lifecycle(db, run_id);
    if (!rows.ok()) return rows.status();
    report->manifest = info->manifest;
    std::map<std::string, const detail::LifecycleRow*> by_id;
    for (const detail::LifecycleRow& row : *rows) by_id.emplace(row.indicator_id, &row);
    for (IndicatorResult& r : report->indicators) {
      auto it = by_id.find(r.indicator_id);
      if (it == by_id.end() || it->second->state == ExceptionState::kResolved) continue;
      const detail::LifecycleRow& row = *it->second;
      r.lifecycle.state = row.state;
      r.lifecycle.first_reported = row.first_reported;
      r.lifecycle.periods_reported = row.periods_reported;
      r.lifecycle.acceptance = row.acceptance;
    }
    for (const detail::LifecycleRow& row : *rows) {
      if (row.state != ExceptionState::kResolved) continue;
      report->resolved.push_back(ResolvedException{row.indicator_id, row.title, row.first_reported,
                                                   row.last_reported, row.periods_reported,
                                                   row.criteria});
    }
    return report;
  });
}

Result<std::vector<DerivedInputUse>> Engine::derived_inputs(const std::string& indicator_id,
                                                            const Period& period) {
  return detail::guard_api([&]() -> Result<std::vector<DerivedInputUse>> {
    if (Status st = detail::require_catalogue(*impl_); !st.is_ok()) return st;
    const IndicatorDefinition* def = impl_->catalogue->find_indicator(indicator_id);
    if (def == nullptr || !def->derived) {
      return Status(StatusCode::kInvalidArgument,
                    "the catalogue has no derived indicator '" + indicator_id + "'");
    }
    auto revisions = impl_->store->revisions(kDerivedSourceName, indicator_id, period);
    if (!revisions.ok()) return revisions.status();
    for (const detail::ObservationRevision& r : *revisions) {
      if (r.current) {
        return detail::load_derived_inputs(impl_->store->db(), indicator_id, period, r.ingested_at);
      }
    }
    return std::vector<DerivedInputUse>{};
  });
}

Result<RiskReport> Engine::risk_report(const Period& period, const RiskReportOptions& options) {
  return detail::guard_api([&]() -> Result<RiskReport> {
    if (Status st = detail::require_catalogue(*impl_); !st.is_ok()) return st;
    if (options.threshold < 1 || options.threshold > 25) {
      return Status(StatusCode::kInvalidArgument,
                    "the risk threshold must be a score from 1 to 25, not " +
                        std::to_string(options.threshold));
    }
    RiskReport report;
    report.catalogue_name = impl_->catalogue->name;
    report.committee = impl_->catalogue->committee;
    report.period = period;
    report.threshold = options.threshold;
    std::vector<Risk> previous;
    std::vector<Diagnostic> ignored;  // duplicates across sources were reported at evaluation
    auto risks = detail::load_risk_register(*impl_, period, report.register_period, previous,
                                            report.previous_period, ignored);
    if (!risks.ok()) return risks.status();
    report.register_risks = std::move(*risks);
    for (const Risk& r : report.register_risks) {
      if (is_risk_exception(r, options.threshold)) report.exceptions.push_back(r);
    }
    std::stable_sort(report.exceptions.begin(), report.exceptions.end(),
                     [](const Risk& a, const Risk& b) {
                       return a.current->score() > b.current->score();
                     });
    if (report.previous_period) report.changes = reconcile_risks(previous, report.register_risks);
    if (options.indicators) {
      // The period's own evaluation, not recorded: a risk report does not make a run.
      EvaluateOptions what_if;
      what_if.record_run = false;
      auto evaluation = evaluate(period, what_if);
      if (evaluation.ok()) {
        report.indicator_links = risk_indicator_links(*impl_->catalogue, *evaluation);
        report.indicators_evaluated = true;
      }
    }
    return report;
  });
}

namespace {

std::vector<std::string> criteria_of(const IndicatorResult& r) {
  std::vector<std::string> out;
  for (const RuleOutcome* o : r.reasons()) {
    if (std::find(out.begin(), out.end(), o->criterion) == out.end()) out.push_back(o->criterion);
  }
  return out;
}

}  // namespace

RunDiff diff_runs(const EvaluationReport& a, const EvaluationReport& b) {
  RunDiff diff;
  diff.run_a = a.run_id;
  diff.run_b = b.run_id;
  std::map<std::string, const IndicatorResult*> before;
  std::map<std::string, const IndicatorResult*> after;
  for (const IndicatorResult& r : a.indicators) {
    if (r.is_exception) before.emplace(r.indicator_id, &r);
  }
  for (const IndicatorResult& r : b.indicators) {
    if (r.is_exception) after.emplace(r.indicator_id, &r);
  }
  for (const auto& [id, r] : after) {
    RunDiff::Change c{id, r->title, ExceptionState::kNone, r->lifecycle.state, {}, criteria_of(*r)};
    auto old = before.find(id);
    if (old == before.end()) {
      diff.added.push_back(std::move(c));
      continue;
    }
    c.before = old->second->lifecycle.state;
    c.criteria_before = criteria_of(*old->second);
    if (c.before != c.after || c.criteria_before != c.criteria_after) {
      diff.changed.push_back(std::move(c));
    }
  }
  for (const auto& [id, r] : before) {
    if (after.count(id) > 0) continue;
    diff.removed.push_back(
        RunDiff::Change{id, r->title, r->lifecycle.state, ExceptionState::kNone, criteria_of(*r), {}});
  }
  const std::pair<const char*, std::string RunManifest::*> fields[] = {
      {"engine_version", &RunManifest::engine_version},
      {"catalogue_hash", &RunManifest::catalogue_hash},
      {"rules_hash", &RunManifest::rules_hash},
      {"plugins_hash", &RunManifest::plugins_hash},
      {"data_hash", &RunManifest::data_hash}};
  for (const auto& [name, member] : fields) {
    if (a.manifest.*member != b.manifest.*member) {
      diff.manifest.push_back(RunDiff::ManifestChange{name, a.manifest.*member, b.manifest.*member});
    }
  }
  return diff;
}

}  // namespace vitals
