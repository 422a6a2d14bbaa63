// SPDX-License-Identifier: Apache-2.0
// The exception lifecycle: where each exception stands compared with the
// previous run of the same catalogue, and the acceptances in force.
#include "engine/lifecycle.hpp"

#include "common/calendar.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <string_view>
#include <unordered_map>

namespace vitals::detail {

namespace {

bool is_open(ExceptionState state) {
  return state == ExceptionState::kNew || state == ExceptionState::kContinuing ||
         state == ExceptionState::kAccepted || state == ExceptionState::kAwaitingData;
}

// Of `acceptances` (those of one indicator, in file order), the ones that
// hold for `period` and those that have expired, covering `criteria`. An exception counts as accepted when every
// criterion it is reported for is covered by an acceptance in force; the one
// that ends first is shown.
struct AcceptanceMatch {
  std::optional<Acceptance> in_force;
  std::vector<const Acceptance*> expired;
};

AcceptanceMatch match_acceptances(const std::vector<const Acceptance*>& acceptances,
                                  const std::vector<std::string>& criteria,
                                  const std::string& period_end) {
  AcceptanceMatch out;
  std::set<std::string> covered;
  bool all = false;
  const Acceptance* binding = nullptr;
  for (const Acceptance* accepted : acceptances) {
    const Acceptance& a = *accepted;
    bool relevant = a.criterion.empty() ||
                    std::find(criteria.begin(), criteria.end(), a.criterion) != criteria.end();
    if (!relevant) continue;
    if (period_end > a.until) {
      out.expired.push_back(&a);
      continue;
    }
    if (a.criterion.empty()) {
      all = true;
    } else {
      covered.insert(a.criterion);
    }
    if (binding == nullptr || a.until < binding->until) binding = &a;
  }
  bool every = all || std::all_of(criteria.begin(), criteria.end(), [&](const std::string& c) {
                 return covered.count(c) > 0;
               });
  if (every && binding != nullptr) out.in_force = *binding;
  return out;
}

Diagnostic expired_note(const Acceptance& a, const IndicatorResult& r) {
  Diagnostic d = Diagnostic::make(
      Severity::kNote, "accepted.expired",
      "the acceptance of '" + r.indicator_id + "'" +
          (a.criterion.empty() ? std::string() : " (" + a.criterion + ")") + " by " + a.approver +
          " ran until " + a.until + "; the exception is reported again",
      a.location);
  d.indicator_id = r.indicator_id;
  return d;
}

}  // namespace

RunExtras apply_lifecycle(Engine::Impl& engine, EvaluationReport& report,
                          const EvaluateOptions& options, const RunInputs& inputs,
                          std::string data_hash) {
  RunExtras extras;
  const Period& period = report.period;
  const std::string period_end = period_end_date(period);

  // The previous run's lifecycle, by indicator id.
  std::map<std::string, LifecycleRow> previous;
  Db& db = engine.store->db();
  auto before = previous_run(db, report.catalogue_name, period);
  Status problem = before.status();
  if (before.ok() && *before) {
    auto rows = load_lifecycle(db, (*before)->id);
    problem = rows.status();
    if (rows.ok()) {
      for (LifecycleRow& row : *rows) previous.emplace(row.indicator_id, std::move(row));
    }
  }
  if (!problem.is_ok()) {
    Diagnostic d;
    d.severity = Severity::kWarning;
    d.code = "store.lifecycle_unavailable";
    d.message = "the previous run could not be read, so every exception is reported as new: " +
                problem.message();
    report.diagnostics.push_back(std::move(d));
    previous.clear();
  }

  // The rows to store are made only for a run that is recorded, and the ids
  // evaluated are needed only to carry the others forward in a partial run.
  const bool keep_rows = options.record_run;
  const bool partial = !options.indicators.empty();
  // The acceptances of each indicator that has any, in file order.
  std::unordered_map<std::string_view, std::vector<const Acceptance*>> accepted;
  for (const Acceptance& a : inputs.acceptances) accepted[a.indicator_id].push_back(&a);

  std::set<std::string> evaluated;
  for (IndicatorResult& r : report.indicators) {
    if (partial) evaluated.insert(r.indicator_id);
    auto prev = previous.find(r.indicator_id);
    const LifecycleRow* open =
        prev != previous.end() && is_open(prev->second.state) ? &prev->second : nullptr;
    r.lifecycle = ExceptionLifecycle{};
    if (r.is_exception) {
      r.lifecycle.state = open ? ExceptionState::kContinuing : ExceptionState::kNew;
      r.lifecycle.first_reported = open ? open->first_reported : period;
      r.lifecycle.periods_reported = open ? open->periods_reported + 1 : 1;
      auto acceptances = accepted.find(r.indicator_id);
      if (acceptances == accepted.end()) continue;  // its row is made when the run is recorded
      AcceptanceMatch match = match_acceptances(acceptances->second, criteria_of(r), period_end);
      if (match.in_force) {
        r.lifecycle.state = ExceptionState::kAccepted;
        r.lifecycle.acceptance = std::move(match.in_force);
      } else {
        for (const Acceptance* a : match.expired) report.diagnostics.push_back(expired_note(*a, r));
      }
      continue;  // its row is made from r.lifecycle when the run is recorded
    }
    if (open == nullptr) continue;
    if (r.data_state != DataState::kCurrent || !r.incomplete.empty()) {
      // Late data says nothing about performance, and neither does a result
      // the run could not complete (its source failed, a rule failed): the
      // exception is neither resolved nor continuing until it can be seen.
      r.lifecycle.state = ExceptionState::kAwaitingData;
      r.lifecycle.first_reported = open->first_reported;
      r.lifecycle.periods_reported = open->periods_reported;
      if (keep_rows) {
        LifecycleRow row = *open;
        row.state = ExceptionState::kAwaitingData;
        row.acceptance.reset();
        extras.lifecycle.push_back(std::move(row));
      }
      continue;
    }
    ResolvedException resolved;
    resolved.indicator_id = r.indicator_id;
    resolved.title = r.title;
    resolved.first_reported = open->first_reported;
    resolved.last_reported = open->last_reported;
    resolved.periods_reported = open->periods_reported;
    resolved.criteria = open->criteria;
    report.resolved.push_back(resolved);
    if (keep_rows) {
      LifecycleRow row = *open;
      row.state = ExceptionState::kResolved;
      row.title = r.title;
      row.acceptance.reset();
      extras.lifecycle.push_back(std::move(row));
    }
  }

  // A run limited to some indicators carries the others' exceptions forward
  // unchanged, so that the next full run still sees them.
  if (partial && keep_rows) {
    for (const auto& [id, row] : previous) {
      if (evaluated.count(id) > 0 || !is_open(row.state)) continue;
      if (engine.catalogue->find_indicator(id) == nullptr) continue;
      extras.lifecycle.push_back(row);
    }
  }
  std::sort(extras.lifecycle.begin(), extras.lifecycle.end(),
            [](const LifecycleRow& a, const LifecycleRow& b) {
              return a.indicator_id < b.indicator_id;
            });
  sort_and_deduplicate(report.diagnostics);

  if (options.record_run) {
    report.manifest = compute_manifest(
        engine, std::move(data_hash), options.rule_dirs.empty() ? engine.rule_dirs : options.rule_dirs);
    extras.manifest = report.manifest;
  }
  extras.replace_period = true;
  extras.rows_for_exceptions = keep_rows;
  return extras;
}

}  // namespace vitals::detail
