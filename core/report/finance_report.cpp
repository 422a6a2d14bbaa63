// SPDX-License-Identifier: Apache-2.0
#include "report/finance_report.hpp"

#include <cctype>
#include <cmath>
#include <map>
#include <vector>

#include "common/number_format.hpp"

namespace vitals::detail {

namespace {

using V = TemplateValue;

// Amounts are compared and printed to the £1k the council's tables show.
double to_thousands(double pounds) { return std::round(pounds / 1e3); }

// The finance tables print figures without thousands separators: "1234.567".
std::string fixed(double value, int decimals, bool brackets = false) {
  NumberStyle style;
  style.thousands = false;
  style.brackets = brackets;
  return format_fixed(value, decimals, style);
}

std::string pct_text(const std::optional<double>& pct, int decimals) {
  return pct ? fixed(*pct, decimals) + "%" : "";
}

// "£5.230m"
std::string pounds_m(double pounds) { return "£" + fixed(std::fabs(pounds) / 1e6, 3) + "m"; }

const BudgetLine* headline_line(const FinanceMonitoring& f) {
  for (const BudgetLine& line : f.lines) {
    if (line.parent.empty()) return &line;
  }
  return nullptr;
}

std::string period_words(std::optional<int> finance_period) {
  if (!finance_period) return "";
  return "Period " + std::to_string(*finance_period);
}

// "the position reported at the end of Period 10"
std::string previous_words(const FinanceMonitoring& f) {
  if (f.previous_finance_period) {
    return "the position reported at the end of " + period_words(f.previous_finance_period);
  }
  if (f.previous_period) return "the position reported for " + f.previous_period->label();
  return "the position at the previous report";
}

std::string previous_heading(const FinanceMonitoring& f) {
  if (f.previous_finance_period)
    return "Variance @ " + finance_period_name(*f.previous_finance_period);
  return "Variance at previous report";
}

std::string forecast_heading(const FinanceMonitoring& f) {
  return f.finance_period && *f.finance_period >= 12 ? "Outturn" : "Forecast outturn";
}

// Which group of the savings table a saving is in.
enum class SavingGroup { kRedOrAmber, kOnTarget, kNotRated };

SavingGroup group_of(const Saving& s) {
  if (s.red_or_amber || s.rag == Rag::kRed || s.rag == Rag::kAmber) return SavingGroup::kRedOrAmber;
  if (s.rag == Rag::kGreen) return SavingGroup::kOnTarget;
  return SavingGroup::kNotRated;
}

const char* group_key(SavingGroup g) {
  switch (g) {
    case SavingGroup::kRedOrAmber:
      return "red_or_amber";
    case SavingGroup::kOnTarget:
      return "on_target";
    case SavingGroup::kNotRated:
      return "not_rated";
  }
  return "not_rated";
}

const char* group_label(SavingGroup g) {
  switch (g) {
    case SavingGroup::kRedOrAmber:
      return "Savings not or partly achieved (Red or Amber)";
    case SavingGroup::kOnTarget:
      return "Savings on target";
    case SavingGroup::kNotRated:
      return "Savings not rated";
  }
  return "";
}

struct SavingTotals {
  double planned = 0;
  double forecast = 0;
  double shortfall() const { return planned - forecast; }
  void add(const Saving& s) {
    planned += s.planned.value_or(0);
    forecast += s.forecast.value_or(0);
  }
};

std::optional<double> shortfall_of(const Saving& s) {
  if (!s.planned || !s.forecast) return std::nullopt;
  return *s.planned - *s.forecast;
}

std::optional<double> change_since_previous(const BudgetLine& line) {
  if (!line.variance || !line.previous_variance) return std::nullopt;
  return (to_thousands(*line.variance) - to_thousands(*line.previous_variance)) * 1e3;
}

// The tables: each line with lines under it, its children then itself as the total.
struct LineTable {
  const BudgetLine* total;
  std::vector<const BudgetLine*> rows;
};

std::vector<LineTable> line_tables(const FinanceMonitoring& f) {
  std::vector<LineTable> tables;
  for (const BudgetLine& line : f.lines) {
    LineTable t{&line, {}};
    for (const BudgetLine& child : f.lines) {
      if (!child.parent.empty() && (child.parent == line.title || child.parent == line.id)) {
        t.rows.push_back(&child);
      }
    }
    if (!t.rows.empty()) tables.push_back(std::move(t));
  }
  return tables;
}

constexpr const char* kGrossNote =
    " is gross spend before income: its variance is not an overspend of the net budget";

V line_view(const BudgetLine& line) {
  V v = V::object();
  v.set("id", line.id);
  v.set("title", line.title);
  v.set("budget", finance_amount_text(line.budget));
  v.set("forecast", finance_amount_text(line.forecast));
  v.set("variance", finance_amount_text(line.variance));
  v.set("variance_pct", pct_text(line.variance_pct, 1));
  v.set("previous_variance", finance_amount_text(line.previous_variance));
  v.set("is_gross", line.basis == BudgetBasis::kGross);
  v.set("basis", budget_basis_name(line.basis));
  return v;
}

V saving_view(const Saving& s) {
  V v = V::object();
  v.set("id", s.id);
  v.set("name", s.name);
  v.set("planned", finance_amount_text(s.planned));
  v.set("forecast", finance_amount_text(s.forecast));
  v.set("shortfall", finance_amount_text(shortfall_of(s)));
  return v;
}

V totals_view(const SavingTotals& t) {
  V v = V::object();
  v.set("planned", finance_amount_text(t.planned));
  v.set("forecast", finance_amount_text(t.forecast));
  v.set("shortfall", finance_amount_text(t.shortfall()));
  return v;
}

}  // namespace

std::string finance_amount_text(const std::optional<double>& pounds) {
  if (!pounds) return "";
  double m = to_thousands(*pounds) / 1e3;
  return fixed(m, 3, /*brackets=*/true);
}

std::string finance_headline_text(const FinanceMonitoring& f) {
  const BudgetLine* h = headline_line(f);
  if (h == nullptr || !h->variance) return "";
  std::string text;
  if (h->forecast && h->budget) {
    text = forecast_heading(f) + " " + pounds_m(*h->forecast) + " against a budget of " +
           pounds_m(*h->budget) + ": ";
  }
  const double variance = to_thousands(*h->variance);
  if (variance == 0) {
    text += "on budget";
  } else {
    text += std::string(variance > 0 ? "an overspend of " : "an underspend of ") +
            pounds_m(*h->variance);
    if (h->variance_pct) text += " (" + fixed(std::fabs(*h->variance_pct), 2) + "%)";
  }
  if (auto change = change_since_previous(*h)) {
    if (*change == 0) {
      text += ", no change on " + previous_words(f);
    } else {
      text += std::string(*change < 0 ? ", a decrease of " : ", an increase of ") +
              pounds_m(*change) + " on " + previous_words(f);
    }
  }
  if (!text.empty()) text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  return text + ".";
}

TemplateValue finance_part(const FinanceMonitoring& f) {
  V v = V::object();
  const bool has = f.period.has_value();
  v.set("has_finance", has);
  v.set("period_label", has ? f.period->label() : "");
  v.set("finance_period", f.finance_period ? finance_period_name(*f.finance_period) : "");
  std::string heading = "Finance monitoring";
  if (f.finance_period) {
    heading +=
        ": " + period_words(f.finance_period) + (*f.finance_period == 13 ? " (year end)" : "");
  }
  if (has) heading += ", " + f.period->label();
  v.set("heading", heading);
  v.set("forecast_heading", forecast_heading(f));
  v.set("previous_heading", previous_heading(f));
  const std::string headline = finance_headline_text(f);
  v.set("has_headline", !headline.empty());
  v.set("headline", headline);

  V tables = V::list();
  V notes = V::list();
  if (has) {
    for (const LineTable& t : line_tables(f)) {
      V table = V::object();
      table.set("title", t.total->title);
      V rows = V::list();
      bool has_previous = t.total->previous_variance.has_value();
      for (const BudgetLine* row : t.rows) {
        rows.push(line_view(*row));
        has_previous = has_previous || row->previous_variance.has_value();
        if (row->basis == BudgetBasis::kGross) notes.push(V::text(row->title + kGrossNote + "."));
      }
      table.set("rows", std::move(rows));
      table.set("total", line_view(*t.total));
      table.set("has_previous", has_previous);
      tables.push(std::move(table));
    }
  }
  v.set("has_tables", tables.truthy());
  v.set("tables", std::move(tables));
  v.set("has_notes", notes.truthy());
  v.set("notes", std::move(notes));

  std::map<SavingGroup, std::vector<const Saving*>> groups;
  SavingTotals all;
  for (const Saving& s : f.savings) {
    groups[group_of(s)].push_back(&s);
    all.add(s);
  }
  V saving_groups = V::list();
  for (const auto& [group, savings] : groups) {
    V g = V::object();
    g.set("key", group_key(group));
    g.set("label", group_label(group));
    V items = V::list();
    SavingTotals totals;
    for (const Saving* s : savings) {
      items.push(saving_view(*s));
      totals.add(*s);
    }
    g.set("savings", std::move(items));
    g.set("totals", totals_view(totals));
    saving_groups.push(std::move(g));
  }
  v.set("has_savings", !f.savings.empty());
  v.set("savings_groups", std::move(saving_groups));
  v.set("savings_total", totals_view(all));
  return v;
}

void write_finance_json(JsonWriter& w, const FinanceMonitoring& f) {
  w.key("finance");
  if (!f.period) {
    w.null();
    return;
  }
  auto amount = [&](std::string_view key, const std::optional<double>& pounds) {
    w.key(key);
    if (pounds) {
      w.value(to_thousands(*pounds) * 1e3);
    } else {
      w.null();
    }
  };
  w.begin_object();
  w.field("format", "vitals.finance/1");
  w.field("period", f.period->to_string());
  w.key("finance_period").value(f.finance_period);
  w.key("previous_period");
  if (f.previous_period) {
    w.value(f.previous_period->to_string());
  } else {
    w.null();
  }
  w.key("previous_finance_period").value(f.previous_finance_period);
  w.field("headline", finance_headline_text(f));
  w.key("lines").begin_array();
  for (const BudgetLine& line : f.lines) {
    w.begin_object();
    w.field("id", line.id);
    w.field("title", line.title);
    w.field("parent", line.parent);
    w.field("basis", budget_basis_name(line.basis));
    amount("budget", line.budget);
    amount("forecast", line.forecast);
    amount("variance", line.variance);
    w.key("variance_pct");
    if (line.variance_pct) {
      w.value(std::round(*line.variance_pct * 100) / 100);
    } else {
      w.null();
    }
    amount("previous_variance", line.previous_variance);
    amount("change_since_previous", change_since_previous(line));
    w.end_object();
  }
  w.end_array();
  std::map<SavingGroup, SavingTotals> totals;
  SavingTotals all;
  w.key("savings").begin_array();
  for (const Saving& s : f.savings) {
    w.begin_object();
    w.field("id", s.id);
    w.field("name", s.name);
    w.field("budget_line", s.budget_line);
    w.field("group", group_key(group_of(s)));
    w.field("rag", s.red_or_amber ? "red_or_amber" : rag_name(s.rag));
    amount("planned", s.planned);
    amount("forecast", s.forecast);
    amount("shortfall", shortfall_of(s));
    w.end_object();
    totals[group_of(s)].add(s);
    all.add(s);
  }
  w.end_array();
  auto write_totals = [&](const SavingTotals& t) {
    w.begin_object();
    amount("planned", t.planned);
    amount("forecast", t.forecast);
    amount("shortfall", t.shortfall());
    w.end_object();
  };
  w.key("savings_groups").begin_array();
  for (const auto& [group, t] : totals) {
    w.begin_object();
    w.field("group", group_key(group));
    w.field("label", group_label(group));
    w.key("totals");
    write_totals(t);
    w.end_object();
  }
  w.end_array();
  w.key("savings_total");
  write_totals(all);
  w.end_object();
}

}  // namespace vitals::detail
