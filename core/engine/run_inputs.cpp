// SPDX-License-Identifier: Apache-2.0
// What an evaluation reads besides the series: budget lines, savings and
// risks as at the period, and the accepted exceptions.
#include <algorithm>
#include <cmath>
#include <map>

#include "common/number_format.hpp"
#include "common/record_fields.hpp"
#include "common/sha256.hpp"
#include "config/accepted_loader.hpp"
#include "engine/lifecycle.hpp"
#include "store/record_store.hpp"

namespace vitals::detail {

namespace {

Diagnostic warning(std::string code, std::string message) {
  return Diagnostic::make(Severity::kWarning, std::move(code), std::move(message));
}

// The lines as the council's tables print them: a line without a parent
// (or whose parent has no figures), then the lines under it, depth first,
// each level in title order.
std::vector<BudgetLine> in_table_order(const std::map<std::string, BudgetLine>& lines) {
  std::map<std::string, std::vector<const BudgetLine*>> children;  // parent -> lines
  std::vector<const BudgetLine*> roots;
  auto known = [&](const std::string& name) {
    if (name.empty()) return false;
    for (const auto& [id, line] : lines) {
      if (line.title == name || line.id == name) return true;
    }
    return false;
  };
  for (const auto& [id, line] : lines) {
    if (known(line.parent)) {
      children[line.parent].push_back(&line);
    } else {
      roots.push_back(&line);
    }
  }
  auto by_title = [](const BudgetLine* a, const BudgetLine* b) {
    return a->title != b->title ? a->title < b->title : a->id < b->id;
  };
  std::vector<BudgetLine> out;
  auto visit = [&](auto&& self, std::vector<const BudgetLine*> level) -> void {
    std::sort(level.begin(), level.end(), by_title);
    for (const BudgetLine* line : level) {
      out.push_back(*line);
      for (const std::string& name : {line->title, line->id}) {
        auto it = children.find(name);
        if (it == children.end()) continue;
        std::vector<const BudgetLine*> next = std::move(it->second);
        children.erase(it);
        self(self, std::move(next));
      }
    }
  };
  visit(visit, std::move(roots));
  return out;
}

}  // namespace

Result<KindRecords> load_kind_records(Engine::Impl& engine, std::string_view kind,
                                      const Period& period, bool before,
                                      std::vector<Diagnostic>& diagnostics) {
  KindRecords out;
  std::map<std::string, std::pair<Record, std::string>> by_key;  // key -> record, source
  for (const SourceDefinition& source : engine.catalogue->sources) {
    auto set = load_records(engine.store->db(), source.name, kind, period, before);
    if (!set.ok()) return set.status();
    if (!set->period) continue;
    if (!out.period || *out.period < *set->period) out.period = set->period;
    for (Record& r : set->records) {
      auto [it, inserted] = by_key.try_emplace(r.key, std::move(r), source.name);
      if (!inserted) {
        diagnostics.push_back(warning(
            "records.duplicate",
            std::string(kind) + " '" + it->first + "' is delivered by sources '" +
                it->second.second + "' and '" + source.name + "'; the figures of '" +
                it->second.second + "' are used"));
      }
    }
  }
  for (auto& [key, entry] : by_key) out.records.push_back(std::move(entry.first));
  return out;
}

Result<std::vector<Risk>> load_risk_register(Engine::Impl& engine, const Period& period,
                                             std::optional<Period>& register_period,
                                             std::vector<Risk>& previous,
                                             std::optional<Period>& previous_period,
                                             std::vector<Diagnostic>& diagnostics,
                                             std::string* digest) {
  std::vector<Risk> risks;
  previous.clear();
  auto current = load_kind_records(engine, kRiskRecord, period, false, diagnostics);
  if (!current.ok()) return current.status();
  register_period = current->period;
  previous_period.reset();
  if (!current->period) return risks;
  auto before = load_kind_records(engine, kRiskRecord, *current->period, true, diagnostics);
  if (!before.ok()) return before.status();
  previous_period = before->period;
  if (digest != nullptr) {
    *digest = records_digest(current->records) + records_digest(before->records);
  }
  std::map<std::string, int> previous_scores;
  for (const Record& r : before->records) {
    Risk risk = risk_from_record(r);
    if (risk.current) previous_scores.emplace(risk.id, risk.current->score());
    previous.push_back(std::move(risk));
  }
  for (const Record& r : current->records) {
    Risk risk = risk_from_record(r);
    if (auto it = previous_scores.find(risk.id); it != previous_scores.end()) {
      risk.previous_score = it->second;
    }
    risks.push_back(std::move(risk));
  }
  return risks;
}

RunInputs load_run_inputs(Engine::Impl& engine, const Period& period,
                          std::vector<Diagnostic>& diagnostics) {
  RunInputs inputs;
  const Catalogue& catalogue = *engine.catalogue;

  LoadedAcceptances accepted = load_acceptances(catalogue);
  inputs.acceptances = std::move(accepted.acceptances);
  diagnostics.insert(diagnostics.end(), accepted.diagnostics.begin(), accepted.diagnostics.end());

  Sha256 digest;
  auto fail = [&](const Status& st) {
    diagnostics.push_back(warning("store.records_unavailable",
                                  "budget and risk figures could not be read, so the rules see "
                                  "none: " + st.message()));
    inputs.links = LinkedRecords{};
    inputs.finance = FinanceMonitoring{};
    inputs.records_digest.clear();
  };

  auto lines = load_kind_records(engine, kBudgetLineRecord, period, false, diagnostics);
  if (!lines.ok()) {
    fail(lines.status());
    return inputs;
  }
  auto savings = load_kind_records(engine, kSavingRecord, period, false, diagnostics);
  if (!savings.ok()) {
    fail(savings.status());
    return inputs;
  }
  std::optional<Period> register_period;
  std::optional<Period> previous_period;
  std::vector<Risk> previous;
  std::string risks_digest;
  auto risks = load_risk_register(engine, period, register_period, previous, previous_period,
                                  diagnostics, &risks_digest);
  if (!risks.ok()) {
    fail(risks.status());
    return inputs;
  }
  // The previous snapshot gives each line its variance at the previous report.
  std::optional<KindRecords> before_lines;
  if (lines->period) {
    auto before = load_kind_records(engine, kBudgetLineRecord, *lines->period, true, diagnostics);
    if (!before.ok()) {
      fail(before.status());
      return inputs;
    }
    before_lines = std::move(*before);
  }
  digest.field(records_digest(lines->records));
  if (before_lines && before_lines->period) digest.field(records_digest(before_lines->records));
  digest.field(records_digest(savings->records));
  digest.field(risks_digest);

  for (const Record& r : lines->records) {
    BudgetLine line = budget_line_from_record(r);
    if (before_lines && before_lines->period) {
      for (const Record& earlier : before_lines->records) {
        if (earlier.key != r.key) continue;
        BudgetLine previous = budget_line_from_record(earlier);
        if (!previous.variance) break;
        // The council's tables print thousands: a difference below £500 is rounding.
        if (line.previous_variance && std::fabs(*line.previous_variance - *previous.variance) >= 500) {
          diagnostics.push_back(warning(
              "records.previous_variance_differs",
              "budget line '" + line.id + "': the variance at the previous report is " +
                  format_number(*previous.variance / 1e6, 3) + " (£m) in the " +
                  previous.period.to_string() + " snapshot but " +
                  format_number(*line.previous_variance / 1e6, 3) +
                  " (£m) as its source prints it for " + line.period.to_string() +
                  "; the snapshot's is used"));
        }
        line.previous_variance = previous.variance;
        line.previous_period = previous.period;
        line.previous_finance_period = previous.finance_period;
        break;
      }
    }
    if (r.fields.find("title") == r.fields.end()) {
      auto declared = std::find_if(catalogue.budget_lines.begin(), catalogue.budget_lines.end(),
                                   [&](const LinkTarget& t) { return t.id == r.key; });
      if (declared != catalogue.budget_lines.end()) line.title = declared->title;
    }
    inputs.links.budget_lines.emplace(line.id, std::move(line));
  }
  for (const Record& r : savings->records) {
    Saving saving = saving_from_record(r);
    inputs.finance.savings.push_back(saving);
    auto line = inputs.links.budget_lines.find(saving.budget_line);
    if (line == inputs.links.budget_lines.end()) {
      diagnostics.push_back(warning("records.unknown_budget_line",
                                    "saving '" + saving.id + "' is planned against budget line '" +
                                        saving.budget_line + "', which has no figures as at " +
                                        period.to_string() + "; the saving is not used"));
      continue;
    }
    line->second.savings.push_back(std::move(saving));
  }
  if (lines->period) {
    FinanceMonitoring& finance = inputs.finance;
    finance.period = lines->period;
    finance.lines = in_table_order(inputs.links.budget_lines);
    for (const BudgetLine& line : finance.lines) {
      if (!finance.finance_period) finance.finance_period = line.finance_period;
    }
    if (before_lines && before_lines->period) {
      finance.previous_period = before_lines->period;
      for (const Record& r : before_lines->records) {
        if (auto p = record_number(r, "finance_period"); p && !finance.previous_finance_period) {
          finance.previous_finance_period = static_cast<int>(*p);
        }
      }
    }
  }
  for (Risk& risk : *risks) {
    if (risk.title.empty() || risk.title == risk.id) {
      auto declared = std::find_if(catalogue.risks.begin(), catalogue.risks.end(),
                                   [&](const LinkTarget& t) { return t.id == risk.id; });
      if (declared != catalogue.risks.end()) risk.title = declared->title;
    }
    inputs.links.risks.emplace(risk.id, std::move(risk));
  }

  // A linked id without figures is worth a warning only when figures of
  // that kind exist at all: a catalogue without budget data is not at fault.
  auto check_links = [&](const char* what, auto&& has_any, auto&& has, auto&& ids_of) {
    if (!has_any()) return;
    std::map<std::string, int> missing;
    for (const IndicatorDefinition& indicator : catalogue.indicators) {
      for (const std::string& id : ids_of(indicator)) {
        if (!has(id)) ++missing[id];
      }
    }
    for (const auto& [id, count] : missing) {
      diagnostics.push_back(warning(
          "records.missing", std::string(what) + " '" + id + "' (linked by " +
                                 std::to_string(count) + (count == 1 ? " indicator" : " indicators") +
                                 ") has no figures as at " + period.to_string()));
    }
  };
  check_links(
      "budget line", [&] { return !inputs.links.budget_lines.empty(); },
      [&](const std::string& id) { return inputs.links.budget_lines.count(id) > 0; },
      [](const IndicatorDefinition& i) -> const std::vector<std::string>& { return i.budget_lines; });
  check_links(
      "risk", [&] { return !inputs.links.risks.empty(); },
      [&](const std::string& id) { return inputs.links.risks.count(id) > 0; },
      [](const IndicatorDefinition& i) -> const std::vector<std::string>& { return i.risks; });

  inputs.records_digest = digest.hex_digest();
  return inputs;
}

}  // namespace vitals::detail
