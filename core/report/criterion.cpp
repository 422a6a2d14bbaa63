// SPDX-License-Identifier: Apache-2.0
#include "report/criterion.hpp"

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

namespace vitals::detail {

std::string criterion_label(std::string_view criterion) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 4> kLabels = {{
      {"off_target", "off target"},
      {"deterioration", "deteriorating"},
      {"budget_impact", "affecting the budget"},
      {"risk_impact", "affecting a corporate risk"},
  }};
  for (const auto& [id, label] : kLabels) {
    if (id == criterion) return std::string(label);
  }
  std::string out(criterion);
  std::replace(out.begin(), out.end(), '_', ' ');
  return out;
}

std::string reason_label(const RuleOutcome& outcome) {
  return outcome.label.empty() ? criterion_label(outcome.criterion) : outcome.label;
}

namespace {

// `text` without trailing spaces and full stops: a sentence the report ends
// itself (the templates put the full stop after it).
std::string_view without_full_stop(std::string_view text) {
  while (!text.empty() && (text.back() == '.' || text.back() == ' ')) text.remove_suffix(1);
  return text;
}

// The labels of the criteria whose outcome has `status`, each once, in the
// council's criterion order.
std::vector<std::string> criterion_labels(const IndicatorResult& result, RuleOutcome::Status status) {
  // IndicatorResult::reasons() holds that order, for exceptions: present the
  // chosen outcomes as exceptions to reuse it.
  IndicatorResult chosen;
  for (const RuleOutcome& o : result.outcomes) {
    if (o.status != status) continue;
    RuleOutcome& c = chosen.outcomes.emplace_back();
    c.rule_id = o.rule_id;
    c.criterion = o.criterion;
    c.label = o.label;
    c.status = RuleOutcome::Status::kException;
  }
  std::vector<std::string> labels;
  for (const RuleOutcome* o : chosen.reasons()) {
    std::string label = reason_label(*o);
    if (std::find(labels.begin(), labels.end(), label) == labels.end()) labels.push_back(label);
  }
  return labels;
}

}  // namespace

std::string reasons_label(const IndicatorResult& result, ReasonsShown shown) {
  std::vector<std::string> labels = criterion_labels(result, RuleOutcome::Status::kException);
  if (shown == ReasonsShown::kFirst && labels.size() > 1) labels.resize(1);
  std::string out = "(";
  for (std::size_t i = 0; i < labels.size(); ++i) out += (i ? ", " : "") + labels[i];
  return out + ")";
}

std::string reason_message(std::string_view label, std::string_view message) {
  if (message.size() > label.size() + 1 && message.substr(0, label.size()) == label &&
      message.substr(label.size(), 2) == ": ") {
    return std::string(message.substr(label.size() + 2));
  }
  return std::string(message);
}

std::string no_result_text(const IndicatorResult& result) {
  if (result.incomplete.empty()) return "";
  std::string out = "No result: ";
  for (std::size_t i = 0; i < result.incomplete.size(); ++i) {
    out += (i > 0 ? "; " : "") + result.incomplete[i];
  }
  return out;
}

std::string late_data_text(const IndicatorResult& result) {
  if (result.data_state == DataState::kNoData || !result.latest) return "no data at or before the period";
  return "latest figure is for " + result.latest->period.label();
}

std::string late_data_note(const IndicatorResult& result, const Period& period, int allowed_lag) {
  std::string out = late_data_text(result);
  // The oldest figure that would still have been current.
  const Period due = period.latest_complete(result.frequency).shifted(-allowed_lag);
  out += " (expected " + due.label() + (allowed_lag > 0 ? " or later)" : ")");
  std::vector<std::string> unjudged = criterion_labels(result, RuleOutcome::Status::kInsufficientData);
  if (unjudged.empty()) return out;
  out += ", so it could not be judged as ";
  for (std::size_t i = 0; i < unjudged.size(); ++i) {
    if (i > 0) out += i + 1 == unjudged.size() ? " or " : ", ";
    out += unjudged[i];
  }
  return out;
}

std::string list_letter(std::size_t n) {
  std::string out;
  ++n;
  while (n > 0) {
    --n;
    out.insert(out.begin(), static_cast<char>('a' + n % 26));
    n /= 26;
  }
  return out;
}

std::string lifecycle_text(const ExceptionLifecycle& l) {
  switch (l.state) {
    case ExceptionState::kNew: return "new this period";
    case ExceptionState::kContinuing:
      return "continuing since " + (l.first_reported ? l.first_reported->label() : std::string("?")) +
             " (" + std::to_string(l.periods_reported) + " periods)";
    case ExceptionState::kAccepted:
      if (!l.acceptance) return "accepted";
      return "accepted until " + l.acceptance->until + " by " + l.acceptance->approver + ": " +
             std::string(without_full_stop(l.acceptance->rationale));
    case ExceptionState::kAwaitingData: return "awaiting data";
    case ExceptionState::kResolved:
    case ExceptionState::kNone: return "";
  }
  return "";
}

std::string lifecycle_label(const ExceptionLifecycle& l) {
  switch (l.state) {
    case ExceptionState::kNew:
    case ExceptionState::kContinuing: return lifecycle_text(l);
    case ExceptionState::kAccepted:
      return l.acceptance ? "accepted until " + l.acceptance->until : "accepted";
    case ExceptionState::kAwaitingData:
    case ExceptionState::kResolved:
    case ExceptionState::kNone: return "";
  }
  return "";
}

}  // namespace vitals::detail
