// SPDX-License-Identifier: Apache-2.0
// The wording every rendering of the risk report shares.
#include "report/risk_report_parts.hpp"

namespace vitals::detail {

std::string risk_score_text(const std::optional<RiskScore>& s) {
  if (!s) return "-";
  return std::to_string(s->score()) + " (" + risk_band_label(risk_band(s->score())) + ")";
}

std::string risk_score_detail(const std::optional<RiskScore>& s) {
  if (!s) return "-";
  return std::to_string(s->score()) + " (" + risk_band_label(risk_band(s->score())) + ", " +
         std::to_string(s->likelihood) + " x " + std::to_string(s->impact) + ")";
}

std::string risk_prospects_text(Rag prospects) {
  switch (prospects) {
    case Rag::kRed:
      return "Red";
    case Rag::kAmber:
      return "Amber";
    case Rag::kGreen:
      return "Green";
    default:
      return "not given";
  }
}

std::string risk_target_text(const Risk& r) {
  std::string text = r.target ? std::to_string(r.target->score()) : std::string("-");
  if (!r.target_date.empty()) text += " by " + r.target_date;
  return text;
}

std::string risk_level_text(const Risk& r) {
  std::string level;
  if (r.level == RiskLevel::kCorporate) level = "Corporate";
  if (r.level == RiskLevel::kDepartmental) level = "Departmental";
  if (level.empty()) return r.area.empty() ? "-" : r.area;
  return r.area.empty() ? level : level + " (" + r.area + ")";
}

std::string risk_owner_text(const Risk& r) { return r.owner.empty() ? "-" : r.owner; }

std::string risk_review_text(const Risk& r) {
  if (r.reviewed_by.empty() && r.last_review.empty()) return "-";
  if (r.last_review.empty()) return r.reviewed_by;
  if (r.reviewed_by.empty()) return r.last_review;
  return r.reviewed_by + ", " + r.last_review;
}

std::vector<std::pair<std::string, std::string>> risk_entry(const Risk& r) {
  std::vector<std::pair<std::string, std::string>> items;
  auto item = [&](const char* label, const std::string& text) {
    if (!text.empty() && text != "-") items.emplace_back(label, text);
  };
  item("Level", risk_level_text(r));
  item("Description", r.description);
  item("Entered on the register", r.date_entered);
  item("Original score", risk_score_detail(r.original));
  item("Current score", risk_score_detail(r.current));
  item("Target score", risk_score_detail(r.target));
  item("Target date", r.target_date);
  item("Prospects of meeting the target score by the target date",
       risk_prospects_text(r.prospects));
  item("Tasks to mitigate the risk", r.mitigation);
  item("Progress update", r.progress);
  item("Risk owner", r.owner);
  item("Reviewed and/or updated by", risk_review_text(r));
  item("Next review", r.next_review);
  return items;
}

const char* risk_change_label(RiskChange::Kind kind) {
  switch (kind) {
    case RiskChange::Kind::kNew:
      return "new risk";
    case RiskChange::Kind::kClosed:
      return "closed risk";
    case RiskChange::Kind::kScoreChanged:
      return "change of score";
    case RiskChange::Kind::kTitleChanged:
      return "change of title";
    case RiskChange::Kind::kDescriptionChanged:
      return "change of description";
  }
  return "change";
}

std::string risk_change_text(const RiskChange& c) {
  std::string text = c.risk_id + " " + c.title;
  auto score = [](const std::optional<int>& s) { return s ? std::to_string(*s) : "-"; };
  switch (c.kind) {
    case RiskChange::Kind::kNew:
      return text + " (score " + score(c.score_after) + ")";
    case RiskChange::Kind::kClosed:
      return text + " (last score " + score(c.score_before) + ")";
    case RiskChange::Kind::kScoreChanged:
      return text + ": score " + score(c.score_before) + " → " + score(c.score_after);
    case RiskChange::Kind::kTitleChanged:
    case RiskChange::Kind::kDescriptionChanged:
      return text + ": was \"" + c.text_before + "\"";
  }
  return text;
}

std::string risk_report_heading(const RiskReport& report) {
  std::string who = !report.committee.empty() ? report.committee : report.catalogue_name;
  return who + ": risk management report, " + report.period.label();
}

std::string risk_register_line(const RiskReport& report) {
  if (!report.register_period) {
    return "No risk register is stored for " + report.period.label() + " or earlier.";
  }
  std::string line = "Risk register as at " + report.register_period->label() + "; ";
  line += report.previous_period ? "reconciled with the register as at " +
                                       report.previous_period->label() + "."
                                 : "no earlier register to reconcile with.";
  std::string next = register_next_review(report.register_risks);
  if (!next.empty()) line += " Next review due: " + next + ".";
  return line;
}

std::string risk_summary_heading(const RiskReport& report) {
  return "Summary of all risks on the register: " + std::to_string(report.register_risks.size());
}

std::string risk_band_sentence(const RiskBandCounts& c) {
  std::string text = std::to_string(c.high) + " High (16-25), " + std::to_string(c.medium) +
                     " Medium (6-15) and " + std::to_string(c.low) +
                     " Low (1-5), by current score";
  if (c.unscored > 0) text += "; " + std::to_string(c.unscored) + " without a current score";
  return text + ".";
}

std::string risk_exceptions_heading(const RiskReport& report) {
  return "Risks reported by exception (current score " + std::to_string(report.threshold) +
         " or more, prospects red or amber): " + std::to_string(report.exceptions.size());
}

std::string risk_changes_heading(const RiskReport& report) {
  if (!report.previous_period) return "Changes since the previous register";
  return "Changes since the register as at " + report.previous_period->label();
}

const char* risk_likelihood_label(int likelihood) {
  switch (likelihood) {
    case 5:
      return "Almost certain";
    case 4:
      return "Likely";
    case 3:
      return "Possible";
    case 2:
      return "Unlikely";
    default:
      return "Rare";
  }
}

const char* risk_impact_label(int impact) {
  switch (impact) {
    case 5:
      return "Extreme";
    case 4:
      return "Major";
    case 3:
      return "Moderate";
    case 2:
      return "Minor";
    default:
      return "Insignificant";
  }
}

}  // namespace vitals::detail
