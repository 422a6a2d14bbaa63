// SPDX-License-Identifier: Apache-2.0
#include "authoring/rule_test_file.hpp"

#include "config/file_context.hpp"
#include "config/indicator_parser.hpp"
#include "config/indicator_schema.hpp"
#include "config/toml_source.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <iterator>
#include <system_error>

namespace vitals::detail {

namespace {

constexpr std::array kFileKeys = {
    KeySpec{"test", ValueKind::kArray, false, "an array of tables ([[test]])"},
    KeySpec{"defaults", ValueKind::kTable, false, "a table ([defaults])"},
};
constexpr std::array kFileHints = {
    KeyHint{"tests", "write each test as a [[test]] table"},
};
const TableSchema kFileSchema{kFileKeys, kFileHints};

constexpr std::array kDefaultsKeys = {
    KeySpec{"indicator", ValueKind::kString},
    KeySpec{"polarity", ValueKind::kString},
    KeySpec{"frequency", ValueKind::kString},
    KeySpec{"unit", ValueKind::kString},
    KeySpec{"decimals", ValueKind::kInteger, false, "an integer from 0 to 6"},
    KeySpec{"start", ValueKind::kString},
    KeySpec{"target", ValueKind::kNumber},
    KeySpec{"targets", ValueKind::kString, false, "text such as \"100 100 95\""},
    KeySpec{"tolerance", ValueKind::kTable},
    KeySpec{"allowed_lag", ValueKind::kInteger},
    KeySpec{"params", ValueKind::kTable},
};
constexpr std::array kDefaultsHints = {
    KeyHint{"series", "each test needs its own series"},
    KeyHint{"expect", "each test says what it expects"},
};
const TableSchema kDefaultsSchema{kDefaultsKeys, kDefaultsHints};

template <std::size_t A, std::size_t B>
constexpr std::array<KeySpec, A + B> joined(const std::array<KeySpec, A>& a,
                                            const std::array<KeySpec, B>& b) {
  std::array<KeySpec, A + B> out{};
  for (std::size_t i = 0; i < A; ++i) out[i] = a[i];
  for (std::size_t i = 0; i < B; ++i) out[A + i] = b[i];
  return out;
}

// [[test]]: the keys of [defaults], plus what only a test can say.
constexpr std::array kTestOnlyKeys = {
    KeySpec{"name", ValueKind::kString, true},
    KeySpec{"series", ValueKind::kString, true, "text such as \"72 71 70 69\""},
    KeySpec{"period", ValueKind::kString},
    KeySpec{"expect", ValueKind::kString},
    KeySpec{"message", ValueKind::kString},
    KeySpec{"evidence", ValueKind::kTable},
    KeySpec{"expect_by_period", ValueKind::kTable},
    KeySpec{"budget_lines", ValueKind::kArray, false, "an array of tables ([[test.budget_lines]])"},
    KeySpec{"risks", ValueKind::kArray, false, "an array of tables ([[test.risks]])"},
    KeySpec{"comparators", ValueKind::kTable, false, "a table ([test.comparators])"},
};
constexpr auto kTestKeys = joined(kTestOnlyKeys, kDefaultsKeys);
constexpr std::array kTestHints = {
    KeyHint{"expected", "the key is 'expect'"},
    KeyHint{"status", "the expected status is written expect = \"...\""},
};
const TableSchema kTestSchema{kTestKeys, kTestHints};

constexpr std::array kToleranceKeys = {
    KeySpec{"red_variance_pct", ValueKind::kNumber},
    KeySpec{"amber_variance_pct", ValueKind::kNumber},
};
const TableSchema kTestToleranceSchema{kToleranceKeys};

constexpr std::array kBudgetLineKeys = {
    KeySpec{"id", ValueKind::kString, true},
    KeySpec{"title", ValueKind::kString},
    KeySpec{"parent", ValueKind::kString},
    KeySpec{"budget", ValueKind::kNumber},
    KeySpec{"forecast", ValueKind::kNumber},
    KeySpec{"variance", ValueKind::kNumber},
    KeySpec{"previous_variance", ValueKind::kNumber},
    KeySpec{"finance_period", ValueKind::kInteger},
    KeySpec{"basis", ValueKind::kString},
    KeySpec{"savings", ValueKind::kArray, false,
            "an array of tables ([[test.budget_lines.savings]])"},
    KeySpec{"cost_driver", ValueKind::kTable, false,
            "a table (unit_cost, per, population, ...): the indicator's cost driver, charged "
            "to this line"},
};
const TableSchema kBudgetLineSchema{kBudgetLineKeys};

constexpr std::array kSavingKeys = {
    KeySpec{"id", ValueKind::kString, true}, KeySpec{"name", ValueKind::kString},
    KeySpec{"planned", ValueKind::kNumber},  KeySpec{"forecast", ValueKind::kNumber},
    KeySpec{"rag", ValueKind::kString},
};
const TableSchema kSavingSchema{kSavingKeys};

constexpr std::array kRiskKeys = {
    KeySpec{"id", ValueKind::kString, true},
    KeySpec{"title", ValueKind::kString},
    KeySpec{"description", ValueKind::kString},
    KeySpec{"owner", ValueKind::kString},
    KeySpec{"likelihood", ValueKind::kInteger},
    KeySpec{"impact", ValueKind::kInteger},
    KeySpec{"original_likelihood", ValueKind::kInteger},
    KeySpec{"original_impact", ValueKind::kInteger},
    KeySpec{"target_likelihood", ValueKind::kInteger},
    KeySpec{"target_impact", ValueKind::kInteger},
    KeySpec{"target_date", ValueKind::kString},
    KeySpec{"prospects", ValueKind::kString},
    KeySpec{"previous_score", ValueKind::kInteger},
    // The link's mechanism (docs/indicator-format.md), all or none of them.
    KeySpec{"measures", ValueKind::kString},
    KeySpec{"quote", ValueKind::kString},
    KeySpec{"when", ValueKind::kString},
    KeySpec{"threshold", ValueKind::kNumber},
};
const TableSchema kRiskSchema{kRiskKeys};

constexpr std::array kComparatorKeys = {
    KeySpec{"measure", ValueKind::kString},      KeySpec{"period", ValueKind::kString},
    KeySpec{"council", ValueKind::kNumber},      KeySpec{"rank", ValueKind::kInteger},
    KeySpec{"ranked", ValueKind::kInteger},      KeySpec{"quartile", ValueKind::kInteger},
    KeySpec{"england", ValueKind::kNumber},      KeySpec{"region", ValueKind::kNumber},
    KeySpec{"family_group", ValueKind::kNumber},
};
const TableSchema kComparatorSchema{kComparatorKeys};

constexpr std::array kPeriodExpectationKeys = {
    KeySpec{"expect", ValueKind::kString, true},
    KeySpec{"message", ValueKind::kString},
    KeySpec{"evidence", ValueKind::kTable},
};
const TableSchema kPeriodExpectationSchema{kPeriodExpectationKeys};

const std::vector<std::string> kStatuses = {"exception", "ok", "insufficient_data",
                                            "not_applicable", "error"};

// The values of a [defaults] table or [[test]] entry, not yet combined.
struct Fields {
  const toml::table* table = nullptr;

  const toml::node* get(std::string_view key) const {
    return table == nullptr ? nullptr : table->get(key);
  }
};

// The node for `key` in the test, else in the defaults.
const toml::node* pick(const Fields& test, const Fields& defaults, std::string_view key) {
  if (const toml::node* n = test.get(key)) return n;
  return defaults.get(key);
}

class Reader {
 public:
  Reader(const TomlSource& source, const Catalogue* catalogue, std::vector<Diagnostic>& diagnostics)
      : source_(source), ctx_(source, diagnostics), catalogue_(catalogue) {}

  std::optional<RuleTestSpec> read_test(const toml::table& table, const Fields& defaults);
  FileContext& ctx() { return ctx_; }

 private:
  SourceLocation at(const toml::node& node) const { return source_.location(node.source()); }
  void error(std::string code, std::string message, const toml::node& node) {
    ctx_.error(std::move(code), std::move(message), at(node));
  }

  std::optional<std::vector<std::optional<double>>> series(const toml::node& node,
                                                           std::string_view key);
  std::optional<Period> period(const toml::node& node, std::string_view key,
                               std::optional<Frequency> frequency);
  bool expectation(const toml::table& table, PeriodExpectation& out);
  bool evidence(const toml::table& table, std::vector<EvidenceExpectation>& out);
  int written_decimals(const toml::node& node, std::string& written) const;
  std::optional<Rag> rag(const toml::table& table, const char* key, std::string_view what);
  void budget_lines(const toml::array& array, RuleTestSpec& spec);
  void risks(const toml::array& array, RuleTestSpec& spec);
  void comparators(const toml::table& table, RuleTestSpec& spec);

  const TomlSource& source_;
  FileContext ctx_;
  const Catalogue* catalogue_;
};

std::optional<std::vector<std::optional<double>>> Reader::series(const toml::node& node,
                                                                 std::string_view key) {
  std::string_view text = *node.value<std::string_view>();
  std::string problem;
  std::size_t offset = 0;
  auto values = parse_compact_series(text, problem, offset);
  if (!values) {
    SourceLocation where = at(node);
    // Past the opening quote, to the token (exact for strings without escapes).
    if (where.column > 0) where.column += 1 + static_cast<int>(offset);
    ctx_.error("ruletest.bad_series", std::string(key) + ": " + problem, std::move(where));
    return std::nullopt;
  }
  if (values->empty()) {
    error("ruletest.bad_series",
          std::string(key) + " is empty; write the results oldest first, e.g. \"72 71 70 69\"",
          node);
    return std::nullopt;
  }
  return values;
}

std::optional<Period> Reader::period(const toml::node& node, std::string_view key,
                                     std::optional<Frequency> frequency) {
  auto text = node.value<std::string>();
  if (!text) {
    error("config.type", type_message(key, "a period such as \"2017-03\"", node), node);
    return std::nullopt;
  }
  Result<Period> parsed = Period::parse(*text);
  if (!parsed.ok()) {
    error("ruletest.bad_value", std::string(key) + ": " + parsed.status().message(), node);
    return std::nullopt;
  }
  if (frequency && parsed->frequency() != *frequency) {
    error("ruletest.bad_value",
          std::string(key) + " '" + *text + "' is not a " + frequency_name(*frequency) +
              " period like the series",
          node);
    return std::nullopt;
  }
  return *parsed;
}

int Reader::written_decimals(const toml::node& node, std::string& written) const {
  const toml::source_position begin = node.source().begin;
  std::string_view line = source_.line_text(static_cast<int>(begin.line));
  std::size_t from = begin.column > 0 ? static_cast<std::size_t>(begin.column - 1) : line.size();
  from = std::min(from, line.size());
  std::size_t to = from;
  while (to < line.size() && line[to] != ',' && line[to] != '}' && line[to] != ']' &&
         line[to] != '#' && !std::isspace(static_cast<unsigned char>(line[to]))) {
    ++to;
  }
  written = std::string(line.substr(from, to - from));
  if (written.empty()) {
    written = node.is_integer() ? std::to_string(*node.value<std::int64_t>())
                                : std::to_string(*node.value<double>());
    return node.is_integer() ? 0 : -1;
  }
  if (written.find_first_of("eE") != std::string::npos && written.find("0x") == std::string::npos)
    return -1;
  std::size_t dot = written.find('.');
  if (dot == std::string::npos) return 0;
  int decimals = 0;
  for (std::size_t i = dot + 1;
       i < written.size() && std::isdigit(static_cast<unsigned char>(written[i])); ++i) {
    ++decimals;
  }
  return decimals;
}

bool Reader::evidence(const toml::table& table, std::vector<EvidenceExpectation>& out) {
  bool ok = true;
  for (auto&& [key, node] : table) {
    EvidenceExpectation e;
    e.key = std::string(key.str());
    e.location = at(node);
    if (auto b = node.value_exact<bool>()) {
      e.value = *b;
      e.written = *b ? "true" : "false";
    } else if (node.is_number()) {
      e.value = *node.value<double>();
      e.decimals = written_decimals(node, e.written);
    } else if (auto s = node.value_exact<std::string>()) {
      e.value = *s;
      e.written = *s;
    } else {
      error("config.type", type_message("evidence." + e.key, "a number, text or true/false", node),
            node);
      ok = false;
      continue;
    }
    out.push_back(std::move(e));
  }
  return ok;
}

bool Reader::expectation(const toml::table& table, PeriodExpectation& out) {
  bool ok = true;
  // Each key's type is checked here: a number where text belongs must be an
  // error, never a read of an empty value.
  for (const char* key : {"expect", "message"}) {
    if (const toml::node* n = table.get(key); n != nullptr && !n->is_string()) {
      error("config.type", type_message(key, "text", *n), *n);
      return false;
    }
  }
  if (const toml::node* n = table.get("evidence"); n != nullptr && !n->is_table()) {
    error("config.type", type_message("evidence", "a table { key = value, ... }", *n), *n);
    return false;
  }
  if (const toml::node* n = table.get("expect")) {
    std::string status = *n->value<std::string>();
    if (std::find(kStatuses.begin(), kStatuses.end(), status) == kStatuses.end()) {
      error("ruletest.bad_value",
            "expect must be " + quoted_alternatives(kStatuses) + ", got '" + status + "'" +
                did_you_mean(status, kStatuses),
            *n);
      ok = false;
    } else {
      out.status = status;
      out.status_location = at(*n);
    }
  }
  if (const toml::node* n = table.get("message")) {
    out.message = *n->value<std::string>();
    out.message_location = at(*n);
  }
  if (const toml::node* n = table.get("evidence"))
    ok = evidence(*n->as_table(), out.evidence) && ok;
  return ok;
}

std::optional<Rag> Reader::rag(const toml::table& table, const char* key, std::string_view what) {
  const toml::node* node = table.get(key);
  if (node == nullptr || !node->is_string()) return Rag::kNone;
  std::string text = *node->value<std::string>();
  if (text == "red") return Rag::kRed;
  if (text == "amber") return Rag::kAmber;
  if (text == "green") return Rag::kGreen;
  error("ruletest.bad_value",
        std::string(what) + "." + key + " must be 'red', 'amber' or 'green', got '" + text + "'",
        *node);
  return std::nullopt;
}

void Reader::budget_lines(const toml::array& array, RuleTestSpec& spec) {
  spec.has_budget_lines = true;
  for (const toml::node& node : array) {
    const toml::table* t = node.as_table();
    if (t == nullptr) {
      error("config.type", type_message("budget_lines", "a table ([[test.budget_lines]])", node),
            node);
      continue;
    }
    if (!check_table(*t, kBudgetLineSchema, "[[test.budget_lines]]", "budget_lines.", ctx_))
      continue;
    BudgetLine line;
    line.id = *(*t)["id"].value<std::string>();
    line.title = (*t)["title"].value_or(line.id);
    line.parent = (*t)["parent"].value_or(std::string());
    if (auto v = (*t)["budget"].value<double>()) line.budget = *v;
    if (auto v = (*t)["forecast"].value<double>()) line.forecast = *v;
    if (auto v = (*t)["variance"].value<double>()) {
      line.variance = *v;
    } else if (line.budget && line.forecast) {
      line.variance = *line.forecast - *line.budget;
    }
    if (line.variance && line.budget && *line.budget != 0) {
      line.variance_pct = *line.variance / std::fabs(*line.budget) * 100.0;
    }
    if (auto v = (*t)["previous_variance"].value<double>()) line.previous_variance = *v;
    if (const toml::node* n = t->get("finance_period")) {
      const std::int64_t p = n->value<std::int64_t>().value_or(0);
      if (finance_period_month(static_cast<int>(p)) == 0) {
        error("ruletest.bad_value",
              "budget_lines.finance_period must be a whole number from 1 (April) to 13 (the "
              "year end), got " + std::to_string(p),
              *n);
      } else {
        line.finance_period = static_cast<int>(p);
      }
    }
    if (const toml::node* n = t->get("basis")) {
      const std::string basis = n->value_or(std::string());
      if (basis == "gross") {
        line.basis = BudgetBasis::kGross;
      } else if (basis != "net") {
        error("ruletest.bad_value",
              "budget_lines.basis must be 'net' or 'gross', got '" + basis + "'", *n);
      }
    }
    if (const toml::array* savings = (*t)["savings"].as_array()) {
      for (const toml::node& sn : *savings) {
        const toml::table* st = sn.as_table();
        if (st == nullptr ||
            !check_table(*st, kSavingSchema, "[[test.budget_lines.savings]]", "savings.", ctx_)) {
          if (st == nullptr) error("config.type", type_message("savings", "a table", sn), sn);
          continue;
        }
        Saving saving;
        saving.id = *(*st)["id"].value<std::string>();
        saving.name = (*st)["name"].value_or(saving.id);
        saving.budget_line = line.id;
        if (auto v = (*st)["planned"].value<double>()) saving.planned = *v;
        if (auto v = (*st)["forecast"].value<double>()) saving.forecast = *v;
        if ((*st)["rag"].value_or(std::string()) == "red_or_amber") {
          saving.rag = Rag::kAmber;
          saving.red_or_amber = true;
        } else if (auto r = rag(*st, "rag", "savings")) {
          saving.rag = *r;
        }
        line.savings.push_back(std::move(saving));
      }
      std::sort(line.savings.begin(), line.savings.end(),
                [](const Saving& a, const Saving& b) { return a.id < b.id; });
    }
    if (const toml::table* d = (*t)["cost_driver"].as_table()) {
      toml::table driver_table = *d;
      driver_table.insert("budget_line", line.id);
      if (auto driver = read_cost_driver(driver_table, nullptr, nullptr, ctx_)) {
        spec.cost_driver = std::move(*driver);
      }
    }
    spec.budget_lines.push_back(std::move(line));
  }
}

void Reader::comparators(const toml::table& table, RuleTestSpec& spec) {
  if (!check_table(table, kComparatorSchema, "[test.comparators]", "comparators.", ctx_)) return;
  IndicatorComparators c;
  c.measure = table["measure"].value_or(std::string());
  c.period = table["period"].value_or(std::string());
  c.council_value = table["council"].value<double>();
  if (auto rank = table["rank"].value<std::int64_t>()) c.rank = static_cast<int>(*rank);
  c.ranked = static_cast<int>(table["ranked"].value_or(std::int64_t{0}));
  if (auto q = table["quartile"].value<std::int64_t>()) c.quartile = static_cast<int>(*q);
  for (const char* kind : {"england", "region", "family_group"}) {
    auto value = table[kind].value<double>();
    if (!value) continue;
    ComparatorFigure figure;
    figure.kind = kind;
    figure.name = std::string(kind) == "england" ? "England"
                  : std::string(kind) == "region" ? "Region"
                                                  : "Family group";
    figure.value = *value;
    c.figures.push_back(std::move(figure));
  }
  spec.comparators = std::move(c);
}

void Reader::risks(const toml::array& array, RuleTestSpec& spec) {
  spec.has_risks = true;
  for (const toml::node& node : array) {
    const toml::table* t = node.as_table();
    if (t == nullptr) {
      error("config.type", type_message("risks", "a table ([[test.risks]])", node), node);
      continue;
    }
    if (!check_table(*t, kRiskSchema, "[[test.risks]]", "risks.", ctx_)) continue;
    Risk risk;
    risk.id = *(*t)["id"].value<std::string>();
    risk.title = (*t)["title"].value_or(risk.id);
    risk.description = (*t)["description"].value_or(std::string());
    risk.owner = (*t)["owner"].value_or(std::string());
    risk.target_date = (*t)["target_date"].value_or(std::string());
    auto score = [&](const char* likelihood, const char* impact) -> std::optional<RiskScore> {
      auto l = (*t)[likelihood].value<std::int64_t>();
      auto i = (*t)[impact].value<std::int64_t>();
      if (!l && !i) return std::nullopt;
      for (const char* key : {likelihood, impact}) {
        auto v = (*t)[key].value<std::int64_t>();
        if (!v || *v < 1 || *v > 5) {
          const toml::node* n = t->get(key);
          ctx_.error("ruletest.bad_value",
                     std::string("risks.") + key + " must be a whole number from 1 to 5",
                     n != nullptr ? at(*n) : at(*t));
          return std::nullopt;
        }
      }
      return RiskScore{static_cast<int>(*l), static_cast<int>(*i)};
    };
    risk.current = score("likelihood", "impact");
    risk.original = score("original_likelihood", "original_impact");
    risk.target = score("target_likelihood", "target_impact");
    if (auto r = rag(*t, "prospects", "risks")) risk.prospects = *r;
    if (auto p = (*t)["previous_score"].value<std::int64_t>())
      risk.previous_score = static_cast<int>(*p);
    if (t->contains("measures") || t->contains("quote") || t->contains("when") ||
        t->contains("threshold")) {
      std::optional<RiskMechanism> mechanism = read_risk_mechanism(*t, "risks", ctx_);
      if (!mechanism) continue;
      mechanism->risk_id = risk.id;
      spec.risk_mechanisms.push_back(std::move(*mechanism));
    }
    spec.risks.push_back(std::move(risk));
  }
}

template <std::size_t N>
std::optional<std::string> one_of(const std::string& value,
                                  const std::array<const char*, N>& names) {
  for (const char* name : names) {
    if (value == name) return value;
  }
  return std::nullopt;
}

std::optional<RuleTestSpec> Reader::read_test(const toml::table& table, const Fields& defaults) {
  const int errors_before = ctx_.error_count();
  check_table(table, kTestSchema, "[[test]]", "", ctx_);
  const Fields test{&table};
  RuleTestSpec spec;
  spec.location = at(table);
  if (auto name = table["name"].value<std::string>()) spec.name = *name;

  // A test's diagnostics name the indicator it takes, so that the same
  // problem in the tests of many indicators can be shown once with a count.
  ctx_.set_indicator_id("");
  if (const toml::node* n = pick(test, defaults, "indicator"); n && n->is_string()) {
    spec.indicator_id = *n->value<std::string>();
    ctx_.set_indicator_id(spec.indicator_id);
    if (catalogue_ == nullptr) {
      error("ruletest.no_catalogue",
            "test names indicator '" + spec.indicator_id +
                "', which needs a catalogue: run with --catalogue DIR",
            *n);
    } else if (catalogue_->find_indicator(spec.indicator_id) == nullptr) {
      std::vector<std::string> ids;
      for (const IndicatorDefinition& i : catalogue_->indicators) ids.push_back(i.id);
      error("ruletest.unknown_indicator",
            "indicator '" + spec.indicator_id + "' is not in the catalogue" +
                did_you_mean(spec.indicator_id, ids),
            *n);
    }
  }
  if (const toml::node* n = pick(test, defaults, "polarity"); n && n->is_string()) {
    std::string text = *n->value<std::string>();
    if (text == "bigger") {
      spec.polarity = Polarity::kBiggerIsBetter;
    } else if (text == "smaller") {
      spec.polarity = Polarity::kSmallerIsBetter;
    } else {
      error("ruletest.bad_value", "polarity must be 'bigger' or 'smaller', got '" + text + "'", *n);
    }
  }
  if (const toml::node* n = pick(test, defaults, "frequency"); n && n->is_string()) {
    Result<Frequency> f = parse_frequency(*n->value<std::string>());
    if (f.ok()) {
      spec.frequency = *f;
    } else {
      error("ruletest.bad_value",
            "frequency must be 'monthly', 'quarterly', 'annual', 'financial_year' or "
            "'financial_quarterly', got '" +
                *n->value<std::string>() + "'",
            *n);
    }
  }
  if (const toml::node* n = pick(test, defaults, "unit"); n && n->is_string()) {
    static const std::array kUnits = {"percent", "per_100k", "count", "currency", "number"};
    std::string text = *n->value<std::string>();
    if (!one_of(text, kUnits)) {
      error(
          "ruletest.bad_value",
          "unit must be 'percent', 'per_100k', 'count', 'currency' or 'number', got '" + text + "'",
          *n);
    } else if (text == "percent") {
      spec.unit = Unit::kPercent;
    } else if (text == "per_100k") {
      spec.unit = Unit::kPer100k;
    } else if (text == "count") {
      spec.unit = Unit::kCount;
    } else if (text == "currency") {
      spec.unit = Unit::kCurrency;
    } else {
      spec.unit = Unit::kNumber;
    }
  }
  // The frequency periods are checked against: the test's, the indicator's, or monthly.
  std::optional<Frequency> frequency = spec.frequency;
  if (!frequency && !spec.indicator_id.empty() && catalogue_ != nullptr) {
    if (const IndicatorDefinition* d = catalogue_->find_indicator(spec.indicator_id))
      frequency = d->frequency;
  }
  if (!frequency) frequency = Frequency::kMonthly;

  if (const toml::node* n = pick(test, defaults, "start"); n && n->is_string()) {
    spec.start = period(*n, "start", frequency);
  }
  if (const toml::node* n = table.get("series"); n && n->is_string()) {
    if (auto values = series(*n, "series")) spec.series = std::move(*values);
  }
  if (const toml::node* n = pick(test, defaults, "target"); n && n->is_number()) {
    double value = *n->value<double>();
    if (!std::isfinite(value)) {
      error("ruletest.bad_value", "target must be a finite number", *n);
    } else {
      spec.target = value;
    }
  }
  if (const toml::node* n = pick(test, defaults, "targets"); n && n->is_string()) {
    if (pick(test, defaults, "target") != nullptr) {
      error("ruletest.bad_value", "give either target or targets, not both", *n);
    } else if (auto values = series(*n, "targets")) {
      if (!spec.series.empty() && values->size() != spec.series.size()) {
        error("ruletest.bad_series",
              "targets has " + std::to_string(values->size()) + " values but series has " +
                  std::to_string(spec.series.size()) +
                  "; give one target per result ('-' for none)",
              *n);
      } else {
        spec.targets = std::move(*values);
      }
    }
  }
  for (const Fields* f : {&defaults, &test}) {
    const toml::node* n = f->get("tolerance");
    if (n == nullptr || !n->is_table()) continue;
    const toml::table& t = *n->as_table();
    check_table(t, kTestToleranceSchema, "tolerance", "tolerance.", ctx_);
    for (const char* key : {"red_variance_pct", "amber_variance_pct"}) {
      const toml::node* v = t.get(key);
      if (v == nullptr || !v->is_number()) continue;
      double value = *v->value<double>();
      if (!std::isfinite(value) || value < 0) {
        error("ruletest.bad_value",
              std::string("tolerance.") + key + " must be a number of at least 0", *v);
        continue;
      }
      (std::string_view(key) == "red_variance_pct" ? spec.red_variance_pct
                                                   : spec.amber_variance_pct) = value;
    }
  }
  if (const toml::node* n = pick(test, defaults, "decimals"); n && n->is_integer()) {
    const std::int64_t decimals = *n->value<std::int64_t>();
    if (decimals < 0 || decimals > kMaxDecimals) {
      error("ruletest.bad_value",
            "decimals must be from 0 to " + std::to_string(kMaxDecimals) + ", found " +
                std::to_string(decimals),
            *n);
    } else {
      spec.decimals = static_cast<int>(decimals);
    }
  }
  if (const toml::node* n = pick(test, defaults, "allowed_lag"); n && n->is_integer()) {
    std::int64_t lag = *n->value<std::int64_t>();
    if (lag < 0 || lag > 1000) {
      error("ruletest.bad_value", "allowed_lag must be a whole number from 0 to 1000", *n);
    } else {
      spec.allowed_lag = static_cast<int>(lag);
    }
  }
  for (const Fields* f : {&defaults, &test}) {
    const toml::node* n = f->get("params");
    if (n == nullptr || !n->is_table()) continue;
    for (auto&& [key, value] : *n->as_table()) {
      std::string name(key.str());
      if (auto b = value.value_exact<bool>()) {
        spec.params[name] = *b;
      } else if (auto i = value.value_exact<std::int64_t>()) {
        spec.params[name] = *i;
      } else if (auto d = value.value_exact<double>()) {
        spec.params[name] = *d;
      } else if (auto s = value.value_exact<std::string>()) {
        spec.params[name] = *s;
      } else {
        error("config.type",
              type_message("params." + name, "a string, number or true/false", value), value);
      }
    }
  }

  if (const toml::node* n = table.get("budget_lines"); n && n->is_array()) {
    budget_lines(*n->as_array(), spec);
  }
  if (const toml::node* n = table.get("risks"); n && n->is_array()) risks(*n->as_array(), spec);
  if (const toml::node* n = table.get("comparators"); n && n->is_table()) {
    comparators(*n->as_table(), spec);
  }

  const Period last =
      (spec.start ? *spec.start
                  : Period::parse(*frequency == Frequency::kMonthly              ? "2016-04"
                                  : *frequency == Frequency::kQuarterly          ? "2016-Q2"
                                  : *frequency == Frequency::kAnnual             ? "2016"
                                  : *frequency == Frequency::kFinancialQuarterly ? "2016/17-Q1"
                                                                                 : "2016/17")
                        .value())
          .shifted(static_cast<int>(spec.series.empty() ? 0 : spec.series.size() - 1));
  if (const toml::node* n = table.get("period"); n != nullptr)
    spec.period = period(*n, "period", frequency);

  if (const toml::node* n = table.get("expect_by_period"); n && n->is_table()) {
    for (auto&& [key, value] : *n->as_table()) {
      PeriodExpectation e;
      Result<Period> p = Period::parse(key.str());
      if (!p.ok() || p->frequency() != *frequency) {
        ctx_.error("ruletest.bad_value",
                   "expect_by_period: '" + std::string(key.str()) + "' is not a " +
                       frequency_name(*frequency) + " period like the series",
                   source_.location(key.source()));
        continue;
      }
      e.period = *p;
      if (value.is_string()) {
        std::string status = *value.value<std::string>();
        if (std::find(kStatuses.begin(), kStatuses.end(), status) == kStatuses.end()) {
          error("ruletest.bad_value",
                "expect_by_period: '" + status + "' must be " + quoted_alternatives(kStatuses) +
                    did_you_mean(status, kStatuses),
                value);
          continue;
        }
        e.status = status;
        e.status_location = at(value);
      } else if (value.is_table()) {
        if (!check_table(*value.as_table(), kPeriodExpectationSchema,
                         "expect_by_period." + std::string(key.str()), "", ctx_)) {
          continue;
        }
        if (!expectation(*value.as_table(), e)) continue;
      } else {
        error("config.type",
              type_message("expect_by_period." + std::string(key.str()),
                           "a status such as \"ok\" or a table { expect = ..., message = ... }",
                           value),
              value);
        continue;
      }
      spec.expectations.push_back(std::move(e));
    }
    std::sort(
        spec.expectations.begin(), spec.expectations.end(),
        [](const PeriodExpectation& a, const PeriodExpectation& b) { return a.period < b.period; });
  }
  PeriodExpectation final_expectation;
  final_expectation.period = spec.period.value_or(last);
  expectation(table, final_expectation);
  if (final_expectation.status || final_expectation.message ||
      !final_expectation.evidence.empty()) {
    spec.expectations.push_back(std::move(final_expectation));
  } else if (!table.contains("expect_by_period") && ctx_.error_count() == errors_before) {
    ctx_.error("ruletest.nothing_checked",
               "test '" + spec.name +
                   "' checks nothing: add expect = \"exception\" (or \"ok\", ...), a message, "
                   "evidence or [test.expect_by_period]",
               spec.location);
  }
  if (ctx_.error_count() > errors_before) return std::nullopt;
  return spec;
}

}  // namespace

std::optional<std::vector<std::optional<double>>> parse_compact_series(std::string_view text,
                                                                       std::string& error,
                                                                       std::size_t& offset) {
  std::vector<std::optional<double>> values;
  std::size_t i = 0;
  auto separator = [](char c) { return c == ',' || std::isspace(static_cast<unsigned char>(c)); };
  while (i < text.size()) {
    while (i < text.size() && separator(text[i])) ++i;
    if (i >= text.size()) break;
    std::size_t begin = i;
    while (i < text.size() && !separator(text[i])) ++i;
    std::string_view token = text.substr(begin, i - begin);
    if (token == "-") {
      values.emplace_back(std::nullopt);
      continue;
    }
    double value = 0;
    const char* first = token.data();
    if (!token.empty() && token.front() == '+') ++first;
    auto [end, ec] = std::from_chars(first, token.data() + token.size(), value);
    if (ec != std::errc() || end != token.data() + token.size() || !std::isfinite(value)) {
      error = "'" + std::string(token) +
              "' is not a number; write numbers such as 72 or 3.56 separated by spaces, and - "
              "for a missing result";
      offset = begin;
      return std::nullopt;
    }
    values.emplace_back(value);
  }
  return values;
}

RuleTestFileSpec read_rule_test_file(const std::filesystem::path& path, const std::string& display,
                                     const Catalogue* catalogue,
                                     std::vector<Diagnostic>& diagnostics) {
  RuleTestFileSpec out;
  out.path = path;
  out.display = display;

  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec || size > kMaxConfigFileBytes) {
    Diagnostic d;
    d.code = ec ? "config.io_error" : "config.file_too_large";
    d.message =
        ec ? "cannot read the test file: " + ec.message()
           : "the test file is larger than " + std::to_string(kMaxConfigFileBytes) + " bytes";
    d.location = SourceLocation{display, 0, 0};
    diagnostics.push_back(std::move(d));
    return out;
  }
  std::ifstream in(path, std::ios::binary);
  std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  TomlSource source(display, std::move(text));
  Reader reader(source, catalogue, diagnostics);

  std::optional<toml::table> parsed = parse_toml(reader.ctx());
  if (!parsed) return out;
  const toml::table& root = *parsed;
  check_table(root, kFileSchema, "the test file", "", reader.ctx());

  Fields defaults;
  if (const toml::node* n = root.get("defaults"); n && n->is_table()) {
    defaults.table = n->as_table();
    check_table(*defaults.table, kDefaultsSchema, "[defaults]", "", reader.ctx());
  }
  const toml::array* tests = root["test"].as_array();
  if (tests == nullptr || tests->empty()) {
    if (root.get("test") == nullptr || tests != nullptr) {
      reader.ctx().error("ruletest.no_tests",
                         "the test file has no tests; add one with [[test]], name = ..., series = "
                         "... and expect = ...",
                         source.whole_file());
    }
    return out;
  }
  for (const toml::node& node : *tests) {
    const toml::table* table = node.as_table();
    if (table == nullptr) {
      reader.ctx().error("config.type", type_message("test", "a table ([[test]])", node),
                         source.location(node.source()));
      continue;
    }
    if (auto spec = reader.read_test(*table, defaults)) out.tests.push_back(std::move(*spec));
  }
  return out;
}

}  // namespace vitals::detail
