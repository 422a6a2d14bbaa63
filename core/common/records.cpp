// SPDX-License-Identifier: Apache-2.0
#include "common/record_fields.hpp"
#include "common/ascii_text.hpp"
#include "common/number_format.hpp"
#include "common/user_text.hpp"

#include <array>
#include <cmath>

namespace vitals {

const char* risk_band_name(RiskBand band) {
  switch (band) {
    case RiskBand::kLow:
      return "low";
    case RiskBand::kMedium:
      return "medium";
    case RiskBand::kHigh:
      return "high";
  }
  return "low";
}

const char* risk_band_label(RiskBand band) {
  switch (band) {
    case RiskBand::kLow:
      return "Low";
    case RiskBand::kMedium:
      return "Medium";
    case RiskBand::kHigh:
      return "High";
  }
  return "Low";
}

const char* risk_level_name(RiskLevel level) {
  switch (level) {
    case RiskLevel::kCorporate:
      return "corporate";
    case RiskLevel::kDepartmental:
      return "departmental";
    case RiskLevel::kNotGiven:
      return "";
  }
  return "";
}

int finance_period_month(int finance_period) {
  if (finance_period < 1 || finance_period > 13) return 0;
  if (finance_period == 13) return 3;
  return (finance_period + 2) % 12 + 1;  // P1 April ... P9 December, P10 January
}

std::string finance_period_name(int finance_period) {
  if (finance_period_month(finance_period) == 0) return {};
  return "P" + std::to_string(finance_period);
}

const char* budget_basis_name(BudgetBasis basis) {
  return basis == BudgetBasis::kGross ? "gross" : "net";
}

RiskBand risk_band(int score) {
  if (score >= 16) return RiskBand::kHigh;
  if (score >= 6) return RiskBand::kMedium;
  return RiskBand::kLow;
}

}  // namespace vitals

namespace vitals::detail {

namespace {

enum class FieldType { kText, kNumber };

struct FieldSpec {
  std::string_view name;
  FieldType type;
};

constexpr std::array kBudgetLineFields = {
    FieldSpec{"title", FieldType::kText}, FieldSpec{"parent", FieldType::kText},
    FieldSpec{"budget", FieldType::kNumber}, FieldSpec{"forecast", FieldType::kNumber},
    FieldSpec{"variance", FieldType::kNumber}, FieldSpec{"basis", FieldType::kText},
    FieldSpec{"finance_period", FieldType::kNumber},
    FieldSpec{"previous_variance", FieldType::kNumber}};
constexpr std::array kSavingFields = {
    FieldSpec{"name", FieldType::kText}, FieldSpec{"budget_line", FieldType::kText},
    FieldSpec{"rag", FieldType::kText}, FieldSpec{"planned", FieldType::kNumber},
    FieldSpec{"forecast", FieldType::kNumber}};
constexpr std::array kRiskFields = {
    FieldSpec{"title", FieldType::kText},
    FieldSpec{"description", FieldType::kText},
    FieldSpec{"target_date", FieldType::kText},
    FieldSpec{"prospects", FieldType::kText},
    FieldSpec{"owner", FieldType::kText},
    FieldSpec{"original_likelihood", FieldType::kNumber},
    FieldSpec{"original_impact", FieldType::kNumber},
    FieldSpec{"current_likelihood", FieldType::kNumber},
    FieldSpec{"current_impact", FieldType::kNumber},
    FieldSpec{"target_likelihood", FieldType::kNumber},
    FieldSpec{"target_impact", FieldType::kNumber},
    FieldSpec{"level", FieldType::kText},
    FieldSpec{"area", FieldType::kText},
    FieldSpec{"date_entered", FieldType::kText},
    FieldSpec{"mitigation", FieldType::kText},
    FieldSpec{"progress", FieldType::kText},
    FieldSpec{"reviewed_by", FieldType::kText},
    FieldSpec{"last_review", FieldType::kText},
    FieldSpec{"next_review", FieldType::kText}};
constexpr std::array<std::string_view, 3> kScoreNames = {"original", "current", "target"};

std::string describe(const Record& r) {
  return r.kind + " '" + r.key + "' for " + r.period.to_string();
}

Status invalid(const Record& r, const std::string& message) {
  return Status(StatusCode::kInvalidArgument, describe(r) + ": " + message, r.location);
}

template <std::size_t N>
Status check_types(const Record& r, const std::array<FieldSpec, N>& specs) {
  for (const auto& [name, value] : r.fields) {
    if (const double* d = std::get_if<double>(&value); d != nullptr && !std::isfinite(*d)) {
      return invalid(r, "field '" + name + "' is not a finite number");
    }
    for (const FieldSpec& spec : specs) {
      if (spec.name != name) continue;
      bool is_number = std::holds_alternative<double>(value);
      if (spec.type == FieldType::kNumber && !is_number) {
        return invalid(r, "field '" + name + "' must be a number, not text " +
                              quote_user_text(std::get<std::string>(value)));
      }
      if (spec.type == FieldType::kText && is_number) {
        return invalid(r, "field '" + name + "' must be text, not a number");
      }
    }
  }
  return Status::ok();
}

Status check_rag(const Record& r, std::string_view field) {
  std::string text = record_text(r, field);
  if (field == "rag" && is_red_or_amber_text(text)) return Status::ok();
  if (!parse_rag_text(text)) {
    if (field == "rag") {
      return invalid(r, "field 'rag' is '" + text +
                            "'; expected red, amber, green, red_or_amber or nothing");
    }
    return invalid(r, "field '" + std::string(field) + "' is '" + text +
                          "'; expected red, amber, green or nothing");
  }
  return Status::ok();
}

// `text` without surrounding spaces and tabs, in lower case (ASCII): how
// the register's keywords (red, amber, C, corporate...) are compared.
std::string keyword(std::string_view text) { return lower_ascii(trim_blanks(text)); }

// A budget line's finance period and basis, and the month it is filed under.
Status check_budget_line(const Record& r) {
  if (auto p = record_number(r, "finance_period"); p.has_value()) {
    if (*p != std::floor(*p) || finance_period_month(static_cast<int>(*p)) == 0) {
      return invalid(r, "field 'finance_period' is " + format_number(*p, 3) +
                            "; expected a whole number from 1 (April) to 13 (the year end)");
    }
    const int month = finance_period_month(static_cast<int>(*p));
    if (r.period.frequency() == Frequency::kMonthly && r.period.last_month_index() % 12 + 1 != month) {
      return invalid(r, "finance period " + finance_period_name(static_cast<int>(*p)) +
                            " is filed under " + r.period.label() + "; " +
                            finance_period_name(static_cast<int>(*p)) + " is the figures for " +
                            Period::month(2000, month).label().substr(0, 3) +
                            ", so file it under that month");
    }
  }
  const std::string basis = keyword(record_text(r, "basis"));
  if (!basis.empty() && basis != "net" && basis != "gross") {
    return invalid(r, "field 'basis' is '" + record_text(r, "basis") + "'; expected net, gross or nothing");
  }
  return Status::ok();
}

// The register's "C" or "D", or the words; nullopt for anything else.
std::optional<RiskLevel> parse_risk_level(std::string_view text) {
  const std::string lower = keyword(text);
  if (lower.empty()) return RiskLevel::kNotGiven;
  if (lower == "c" || lower == "corporate") return RiskLevel::kCorporate;
  if (lower == "d" || lower == "departmental") return RiskLevel::kDepartmental;
  return std::nullopt;
}

std::optional<RiskScore> score_of(const Record& r, std::string_view which) {
  auto likelihood = record_number(r, std::string(which) + "_likelihood");
  auto impact = record_number(r, std::string(which) + "_impact");
  if (!likelihood || !impact) return std::nullopt;
  return RiskScore{static_cast<int>(*likelihood), static_cast<int>(*impact)};
}

}  // namespace

std::string record_text(const Record& record, std::string_view name) {
  auto it = record.fields.find(std::string(name));
  if (it == record.fields.end()) return {};
  const std::string* text = std::get_if<std::string>(&it->second);
  return text != nullptr ? *text : std::string();
}

std::optional<double> record_number(const Record& record, std::string_view name) {
  auto it = record.fields.find(std::string(name));
  if (it == record.fields.end()) return std::nullopt;
  const double* d = std::get_if<double>(&it->second);
  return d != nullptr ? std::optional<double>(*d) : std::nullopt;
}

bool is_red_or_amber_text(std::string_view text) {
  const std::string lower = keyword(text);
  return lower == "red_or_amber" || lower == "red or amber";
}

std::optional<Rag> parse_rag_text(std::string_view text) {
  const std::string lower = keyword(text);
  if (lower.empty()) return Rag::kNone;
  if (lower == "red") return Rag::kRed;
  if (lower == "amber") return Rag::kAmber;
  if (lower == "green") return Rag::kGreen;
  return std::nullopt;
}

Status validate_record(const Record& r) {
  if (r.kind == kBudgetLineRecord) {
    if (Status s = check_types(r, kBudgetLineFields); !s.is_ok()) return s;
    return check_budget_line(r);
  }
  if (r.kind == kSavingRecord) {
    if (Status s = check_types(r, kSavingFields); !s.is_ok()) return s;
    if (record_text(r, "budget_line").empty()) {
      return invalid(r, "field 'budget_line' must name the budget line the saving belongs to");
    }
    return check_rag(r, "rag");
  }
  if (r.kind == kRiskRecord) {
    if (Status s = check_types(r, kRiskFields); !s.is_ok()) return s;
    for (std::string_view which : kScoreNames) {
      const std::string likelihood = std::string(which) + "_likelihood";
      const std::string impact = std::string(which) + "_impact";
      auto l = record_number(r, likelihood);
      auto i = record_number(r, impact);
      if (l.has_value() != i.has_value()) {
        return invalid(r, "field '" + (l ? impact : likelihood) + "' is missing: a score needs " +
                              "both likelihood and impact");
      }
      for (const auto& [name, v] : {std::pair{likelihood, l}, std::pair{impact, i}}) {
        if (v && (*v < 1 || *v > 5 || *v != std::floor(*v))) {
          return invalid(r, "field '" + name + "' must be a whole number from 1 to 5");
        }
      }
    }
    if (!parse_risk_level(record_text(r, "level"))) {
      return invalid(r, "field 'level' is '" + record_text(r, "level") +
                            "'; expected corporate (C), departmental (D) or nothing");
    }
    return check_rag(r, "prospects");
  }
  return Status::ok();
}

BudgetLine budget_line_from_record(const Record& r) {
  BudgetLine line;
  line.id = r.key;
  line.title = record_text(r, "title");
  if (line.title.empty()) line.title = r.key;
  line.parent = record_text(r, "parent");
  line.period = r.period;
  if (auto p = record_number(r, "finance_period"); p.has_value()) line.finance_period = static_cast<int>(*p);
  if (keyword(record_text(r, "basis")) == "gross") line.basis = BudgetBasis::kGross;
  line.previous_variance = record_number(r, "previous_variance");
  line.budget = record_number(r, "budget");
  line.forecast = record_number(r, "forecast");
  line.variance = record_number(r, "variance");
  if (!line.variance && line.budget && line.forecast) line.variance = *line.forecast - *line.budget;
  if (line.variance && line.budget && *line.budget != 0) {
    line.variance_pct = *line.variance / std::fabs(*line.budget) * 100.0;
  }
  return line;
}

Saving saving_from_record(const Record& r) {
  Saving saving;
  saving.id = r.key;
  saving.name = record_text(r, "name");
  if (saving.name.empty()) saving.name = r.key;
  saving.budget_line = record_text(r, "budget_line");
  saving.planned = record_number(r, "planned");
  saving.forecast = record_number(r, "forecast");
  if (is_red_or_amber_text(record_text(r, "rag"))) {
    saving.red_or_amber = true;
    saving.rag = Rag::kAmber;
  } else {
    saving.rag = parse_rag_text(record_text(r, "rag")).value_or(Rag::kNone);
  }
  return saving;
}

Risk risk_from_record(const Record& r) {
  Risk risk;
  risk.id = r.key;
  risk.title = record_text(r, "title");
  if (risk.title.empty()) risk.title = r.key;
  risk.description = record_text(r, "description");
  risk.owner = record_text(r, "owner");
  risk.period = r.period;
  risk.original = score_of(r, "original");
  risk.current = score_of(r, "current");
  risk.target = score_of(r, "target");
  risk.target_date = record_text(r, "target_date");
  risk.prospects = parse_rag_text(record_text(r, "prospects")).value_or(Rag::kNone);
  risk.level = parse_risk_level(record_text(r, "level")).value_or(RiskLevel::kNotGiven);
  risk.area = record_text(r, "area");
  risk.date_entered = record_text(r, "date_entered");
  risk.mitigation = record_text(r, "mitigation");
  risk.progress = record_text(r, "progress");
  risk.reviewed_by = record_text(r, "reviewed_by");
  risk.last_review = record_text(r, "last_review");
  risk.next_review = record_text(r, "next_review");
  return risk;
}

}  // namespace vitals::detail
