// SPDX-License-Identifier: Apache-2.0
#include "engine/derived_series.hpp"


#include <algorithm>
#include <cmath>
#include <map>
#include <string>

namespace vitals::detail {

namespace {

// The start year of the financial year holding month index `month_index`.
int financial_year_start(int month_index) {
  const int year = month_index / 12;
  const int month = month_index % 12 + 1;
  return month >= 4 ? year : year - 1;
}

// One input's current revisions by period, of the frequency the operation needs.
struct InputSeries {
  const DerivedInput* input = nullptr;
  std::map<Period, const ObservationRevision*> by_period;

  const ObservationRevision* at(const Period& p) const {
    auto it = by_period.find(p);
    return it == by_period.end() ? nullptr : it->second;
  }
  // The value for `p`, or nullopt when the period is missing or blank.
  std::optional<double> value(const Period& p) const {
    const ObservationRevision* r = at(p);
    return r ? r->observation.value : std::nullopt;
  }
  DerivedInputUse use(const Period& p) const {
    const ObservationRevision* r = at(p);
    return DerivedInputUse{input->series.source, input->series.series, p, r ? r->ingested_at : 0};
  }
};

std::string describe_input(const DerivedInput& input) {
  return input.role + " '" + input.reference + "'";
}

// Why a period has no value, collected for one warning per indicator.
struct Gaps {
  std::vector<std::pair<Period, std::string>> periods;
  void add(const Period& p, std::string why) { periods.emplace_back(p, std::move(why)); }
};

class Deriver {
 public:
  Deriver(const IndicatorDefinition& indicator, DerivedValues& out)
      : indicator_(indicator), out_(out) {
    out_.series.key = indicator.id;
  }

  void value(const Period& p, double v, std::optional<double> numerator,
             std::optional<double> denominator, std::vector<DerivedInputUse> uses) {
    Observation o;
    o.period = p;
    o.value = v;
    o.numerator = numerator;
    o.denominator = denominator;
    push(std::move(o), std::move(uses));
  }
  void missing(const Period& p, std::string why, std::vector<DerivedInputUse> uses) {
    Observation o;
    o.period = p;
    push(std::move(o), std::move(uses));
    gaps_.add(p, std::move(why));
  }

  void report(std::vector<Diagnostic>& diagnostics) const {
    if (gaps_.periods.empty()) return;
    constexpr std::size_t kShown = 6;
    std::string list;
    for (std::size_t i = 0; i < gaps_.periods.size() && i < kShown; ++i) {
      if (i > 0) list += "; ";
      list += gaps_.periods[i].first.to_string() + " (" + gaps_.periods[i].second + ")";
    }
    if (gaps_.periods.size() > kShown) {
      list += "; and " + std::to_string(gaps_.periods.size() - kShown) + " more";
    }
    Diagnostic d = Diagnostic::make(
        Severity::kWarning, "data.derived_missing",
        "'" + indicator_.id + "' (" + derived_operation_name(indicator_.derived->operation) +
            ") has no value for " + std::to_string(gaps_.periods.size()) + " period(s): " + list,
        indicator_.derived->location);
    d.indicator_id = indicator_.id;
    diagnostics.push_back(std::move(d));
  }

 private:
  void push(Observation o, std::vector<DerivedInputUse> uses) {
    out_.series.observations.push_back(std::move(o));
    out_.inputs.push_back(std::move(uses));
  }

  const IndicatorDefinition& indicator_;
  DerivedValues& out_;
  Gaps gaps_;
};

void percentage(const InputSeries& num, const InputSeries& den, Deriver& d) {
  std::vector<Period> periods;
  for (const auto& [p, r] : num.by_period) periods.push_back(p);
  for (const auto& [p, r] : den.by_period) periods.push_back(p);
  std::sort(periods.begin(), periods.end());
  periods.erase(std::unique(periods.begin(), periods.end()), periods.end());
  for (const Period& p : periods) {
    std::vector<DerivedInputUse> uses;
    if (num.at(p)) uses.push_back(num.use(p));
    if (den.at(p)) uses.push_back(den.use(p));
    const std::optional<double> n = num.value(p);
    const std::optional<double> q = den.value(p);
    if (!n) {
      d.missing(p, "no " + describe_input(*num.input), std::move(uses));
    } else if (!q) {
      d.missing(p, "no " + describe_input(*den.input), std::move(uses));
    } else if (*q == 0) {
      d.missing(p, "the denominator is 0", std::move(uses));
    } else {
      d.value(p, 100.0 * *n / *q, n, q, std::move(uses));
    }
  }
}

void rate(const InputSeries& count, const InputSeries& population, Deriver& d) {
  for (const auto& [p, r] : count.by_period) {
    const Period year = population_year(p);
    std::vector<DerivedInputUse> uses{count.use(p)};
    if (population.at(year)) uses.push_back(population.use(year));
    const std::optional<double> c = count.value(p);
    const std::optional<double> pop = population.value(year);
    if (!c) {
      d.missing(p, "no " + describe_input(*count.input), std::move(uses));
    } else if (!pop) {
      d.missing(p, "no " + describe_input(*population.input) + " for " + year.to_string(),
                std::move(uses));
    } else if (*pop == 0) {
      d.missing(p, "the population for " + year.to_string() + " is 0", std::move(uses));
    } else {
      d.value(p, 100000.0 * *c / *pop, c, pop, std::move(uses));
    }
  }
}

// The sum of `input` over `first`..`last`, or the missing period.
void window(const InputSeries& input, const Period& first, const Period& last, bool average,
            const std::string& what, Deriver& d) {
  std::vector<DerivedInputUse> uses;
  double sum = 0;
  int n = 0;
  std::optional<Period> gap;
  for (Period p = first; p <= last; p = p.next()) {
    if (input.at(p)) uses.push_back(input.use(p));
    if (auto v = input.value(p)) {
      sum += *v;
      ++n;
    } else if (!gap) {
      gap = p;
    }
  }
  if (gap) {
    d.missing(last, "no " + describe_input(*input.input) + " for " + gap->to_string() + " in " + what,
              std::move(uses));
  } else {
    d.value(last, average ? sum / n : sum, std::nullopt, std::nullopt, std::move(uses));
  }
}

void rolling(const InputSeries& input, Frequency frequency, bool average, Deriver& d) {
  if (input.by_period.empty()) return;
  const int steps = 12 / Period::ending(frequency, 11).length_in_months();
  const Period first = input.by_period.begin()->first;
  const Period last = input.by_period.rbegin()->first;
  for (Period p = first.shifted(steps - 1); p <= last; p = p.next()) {
    window(input, p.shifted(-(steps - 1)), p, average, "the 12 months to " + p.to_string(), d);
  }
}

void year_to_date(const InputSeries& input, Frequency frequency, Deriver& d) {
  if (input.by_period.empty()) return;
  const Period first = input.by_period.begin()->first;
  const Period last = input.by_period.rbegin()->first;
  for (Period p = first; p <= last; p = p.next()) {
    const int start_year = financial_year_start(p.last_month_index());
    const Period april = Period::financial_year(start_year);
    const Period start =
        Period::ending(frequency, april.first_month_index() + p.length_in_months() - 1);
    if (start < first) continue;  // the input starts within this financial year
    window(input, start, p, false,
           "the year to date from " + start.to_string(), d);
  }
}

}  // namespace

Period population_year(const Period& period) {
  return Period::calendar_year(financial_year_start(period.last_month_index()));
}

DerivedValues compute_derived(const IndicatorDefinition& indicator,
                              const std::vector<std::vector<ObservationRevision>>& inputs,
                              std::vector<Diagnostic>& diagnostics) {
  const DerivedDefinition& derived = *indicator.derived;
  DerivedValues out;
  std::vector<InputSeries> series(derived.inputs.size());
  for (std::size_t i = 0; i < derived.inputs.size() && i < inputs.size(); ++i) {
    const DerivedInput& input = derived.inputs[i];
    series[i].input = &input;
    const Frequency wanted = input.role == "population" ? Frequency::kAnnual : indicator.frequency;
    int other = 0;
    std::optional<Period> example;
    for (const ObservationRevision& r : inputs[i]) {
      if (r.observation.period.frequency() != wanted) {
        ++other;
        if (!example) example = r.observation.period;
        continue;
      }
      series[i].by_period.emplace(r.observation.period, &r);
    }
    auto note = [&](Severity severity, std::string code, std::string message) {
      Diagnostic d = Diagnostic::make(severity, std::move(code), std::move(message), input.location);
      d.indicator_id = indicator.id;
      diagnostics.push_back(std::move(d));
    };
    const std::string name = "series '" + input.series.series + "' of source '" +
                             input.series.source + "'";
    if (other > 0) {
      note(Severity::kError, "data.frequency_mismatch",
           std::to_string(other) + " observation(s) of " + describe_input(input) + " (" + name +
               ", e.g. " + example->to_string() + ") are " + frequency_name(example->frequency()) +
               " periods, but '" + indicator.id + "' needs " + frequency_name(wanted) +
               " ones; they were left out");
    }
    if (inputs[i].empty()) {
      note(Severity::kWarning, "data.derived_no_input",
           describe_input(input) + " of '" + indicator.id + "' has no data (" + name +
               " holds no observations)");
    }
  }
  if (series.size() != derived.inputs.size() || inputs.size() != derived.inputs.size()) return out;

  Deriver d(indicator, out);
  switch (derived.operation) {
    case DerivedOperation::kPercentage: percentage(series[0], series[1], d); break;
    case DerivedOperation::kRatePer100k: rate(series[0], series[1], d); break;
    case DerivedOperation::kRolling12MonthSum: rolling(series[0], indicator.frequency, false, d); break;
    case DerivedOperation::kRolling12MonthAverage:
      rolling(series[0], indicator.frequency, true, d);
      break;
    case DerivedOperation::kYearToDate: year_to_date(series[0], indicator.frequency, d); break;
  }
  d.report(diagnostics);
  return out;
}

}  // namespace vitals::detail
