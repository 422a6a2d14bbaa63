// SPDX-License-Identifier: Apache-2.0
// Which indicators weaken each risk now: the risk_impact findings of the
// period's evaluation, read back per risk.
#include <vitals/risk_report.hpp>

#include <vitals/figures.hpp>

#include <algorithm>
#include <string_view>

#include "report/risk_report_parts.hpp"

namespace vitals {

namespace {

constexpr std::string_view kRiskCriterion = "risk_impact";

const RuleOutcome* risk_finding(const IndicatorResult& r) {
  for (const RuleOutcome& o : r.outcomes) {
    if (o.criterion == kRiskCriterion && o.status == RuleOutcome::Status::kException) return &o;
  }
  return nullptr;
}

std::string evidence_text(const RuleOutcome& o, std::string_view key) {
  auto it = o.evidence.find(key);
  if (it == o.evidence.end()) return "";
  if (const auto* text = std::get_if<std::string>(&it->second)) return *text;
  return "";
}

// The rule lists the risks a finding is for as "ASC-HOSP, RM14079".
bool lists_risk(const std::string& ids, const std::string& risk_id) {
  std::size_t start = 0;
  while (start <= ids.size()) {
    std::size_t comma = ids.find(',', start);
    std::string_view id(ids.data() + start, (comma == std::string::npos ? ids.size() : comma) - start);
    while (!id.empty() && id.front() == ' ') id.remove_prefix(1);
    while (!id.empty() && id.back() == ' ') id.remove_suffix(1);
    if (id == risk_id) return true;
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return false;
}

}  // namespace

std::vector<RiskIndicatorLink> risk_indicator_links(const Catalogue& catalogue,
                                                    const EvaluationReport& evaluation) {
  std::vector<RiskIndicatorLink> links;
  for (const IndicatorResult& r : evaluation.indicators) {
    const IndicatorDefinition* def = catalogue.find_indicator(r.indicator_id);
    if (def == nullptr) continue;
    const RuleOutcome* finding = risk_finding(r);
    const std::string listed = finding ? evidence_text(*finding, "risks") : "";
    for (const std::string& risk_id : def->risks) {
      RiskIndicatorLink link;
      link.risk_id = risk_id;
      link.indicator_id = r.indicator_id;
      link.indicator_title = r.title;
      link.unit = def->unit;
      link.decimals = def->decimals;
      for (const RiskMechanism& m : def->risk_mechanisms) {
        if (m.risk_id == risk_id) link.mechanism = m;
      }
      link.weakens = finding != nullptr && lists_risk(listed, risk_id);
      if (link.weakens) {
        link.state = link.mechanism ? evidence_text(*finding, "performance") : finding->message;
        if (link.state.empty()) link.state = finding->message;
      }
      links.push_back(std::move(link));
    }
  }
  std::stable_sort(links.begin(), links.end(),
                   [](const RiskIndicatorLink& a, const RiskIndicatorLink& b) {
                     if (a.risk_id != b.risk_id) return a.risk_id < b.risk_id;
                     return a.weakens && !b.weakens;
                   });
  return links;
}

std::vector<const RiskIndicatorLink*> links_of_risk(const std::vector<RiskIndicatorLink>& links,
                                                    const std::string& risk_id, bool weakens) {
  std::vector<const RiskIndicatorLink*> out;
  for (const RiskIndicatorLink& l : links) {
    if (l.risk_id == risk_id && l.weakens == weakens) out.push_back(&l);
  }
  return out;
}

namespace detail {

namespace {

const char* measures_text(RiskMechanism::Measures m) {
  switch (m) {
    case RiskMechanism::Measures::kCause: return "its cause";
    case RiskMechanism::Measures::kConsequence: return "its consequence";
    case RiskMechanism::Measures::kMitigation: return "progress on its mitigation";
  }
  return "";
}

std::string when_text(const RiskIndicatorLink& link) {
  const RiskMechanism& m = *link.mechanism;
  switch (m.when) {
    case RiskMechanism::When::kOffTarget: return "off target";
    case RiskMechanism::When::kDeteriorating: return "deteriorating";
    case RiskMechanism::When::kThreshold:
      return "at or beyond " + figure_text(m.threshold, link.unit, link.decimals);
  }
  return "";
}

std::string ids_of(const std::vector<const RiskIndicatorLink*>& links) {
  std::string out;
  for (const RiskIndicatorLink* l : links) out += (out.empty() ? "" : ", ") + l->indicator_id;
  return out;
}

}  // namespace

std::string risk_link_mechanism_text(const RiskIndicatorLink& link) {
  if (!link.mechanism) {
    return "linked without a stated mechanism (it counts while its performance is adverse)";
  }
  return "which measures " + std::string(measures_text(link.mechanism->measures)) + " '" +
         link.mechanism->quote + "' and weakens the risk when " + when_text(link);
}

std::string risk_link_text(const RiskIndicatorLink& link) {
  std::string text = link.indicator_title + " (" + link.indicator_id + "), " +
                     risk_link_mechanism_text(link);
  if (link.weakens) return text + "; now: " + link.state;
  return text;
}

std::string risk_links_cell(const RiskReport& report, const std::string& risk_id) {
  const auto weakening = links_of_risk(report.indicator_links, risk_id, true);
  const auto others = links_of_risk(report.indicator_links, risk_id, false);
  std::string out;
  if (!weakening.empty()) out = "weakened now by " + ids_of(weakening);
  if (!others.empty()) {
    out += (out.empty() ? "" : "; ") + std::string("linked, not weakening it now: ") + ids_of(others);
  }
  return out.empty() ? "-" : out;
}

}  // namespace detail

}  // namespace vitals
