// SPDX-License-Identifier: Apache-2.0
#pragma once

// The synthetic national workload, shared by the generator and the benchmark:
// which councils and indicators exist, how each indicator is defined, and its
// monthly series. Everything is a pure function of the spec and the ids, so
// any indicator can be rebuilt on its own.

#include <vitals/period.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace vitals::bench {

struct WorkloadSpec {
  int councils = 150;
  int indicators = 1000;  // per council
  int months = 120;       // ten years of monthly results
  Period end = Period::month(2025, 3);
  std::uint64_t seed = 20170619;
};

enum class TargetKind { kNone, kFixed, kProfiled };

struct IndicatorSpec {
  std::string id;     // "c001_i0001"
  std::string title;
  int council = 0, number = 0;
  bool bigger_is_better = true;
  const char* unit = "number";
  int decimals = 1;       // as the figures are printed
  double base = 0.0;      // the level the series wanders around
  TargetKind target_kind = TargetKind::kNone;
  double fixed_target = 0.0;
  std::vector<std::pair<std::string, double>> profile;  // from period -> target
  bool data_target = false;  // no catalogue target; the data publish one
  double red_variance_pct = 5.0;
  double variance_pct = 5.0;  // off_target threshold
  int run = 3;                // deterioration run
  int allowed_lag = 0;
  int first_month = 0;    // offset of the first published month (late starters)
  int missing_tail = 0;   // latest months not published yet
};

/// One CSV row of a series.
struct Row {
  std::string period;
  bool has_value = false;
  double value = 0.0;
  bool has_fraction = false;
  double numerator = 0.0, denominator = 0.0;
  bool has_target = false;
  double target = 0.0;
};

// splitmix64: small, fast and good enough for synthetic data.
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // [0, 1)
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  bool chance(double p) { return uniform() < p; }
  int below(int n) { return static_cast<int>(uniform() * n); }
  // Roughly normal (Irwin-Hall with 4 terms), mean 0, sd 1.
  double normal() { return (uniform() + uniform() + uniform() + uniform() - 2.0) * 1.7320508; }

 private:
  std::uint64_t state_;
};

inline std::uint64_t mix(std::uint64_t seed, int council, int indicator, int stream) {
  Random r(seed ^ (static_cast<std::uint64_t>(council) << 40) ^
           (static_cast<std::uint64_t>(indicator) << 16) ^ static_cast<std::uint64_t>(stream));
  return r.next();
}

inline std::string council_id(int council) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "c%03d", council);
  return buf;
}

inline std::string council_name(int council) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "Council %03d", council);
  return buf;
}

inline std::string indicator_id(int council, int indicator) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "c%03d_i%04d", council, indicator);
  return buf;
}

inline double round_to(double v, int decimals) {
  double scale = std::pow(10.0, decimals);
  return std::round(v * scale) / scale;
}

inline Period first_period(const WorkloadSpec& spec) { return spec.end.shifted(-(spec.months - 1)); }

inline IndicatorSpec indicator_spec(const WorkloadSpec& spec, int council, int number) {
  static const char* const kThemes[] = {
      "Admissions to residential care 65+ per 100,000",
      "Delayed transfers of care per 100,000",
      "% people receiving reablement with no ongoing service",
      "% carers assessed in the month",
      "Waiting list for assessment",
      "% reviews completed on time",
      "% people with learning disabilities in paid employment",
      "Safeguarding enquiries concluded in 28 days",
  };
  Random r(mix(spec.seed, council, number, 1));
  IndicatorSpec ind;
  ind.id = indicator_id(council, number);
  ind.council = council;
  ind.number = number;
  ind.title = council_name(council) + ": " + kThemes[number % 8] + " (" + std::to_string(number) + ")";
  ind.bigger_is_better = r.chance(0.5);
  double u = r.uniform();
  if (u < 0.35) {
    ind.unit = "percent";
    ind.decimals = 1;
    ind.base = r.uniform(20.0, 90.0);
  } else if (u < 0.60) {
    ind.unit = "per_100k";
    ind.decimals = 1;
    ind.base = r.uniform(5.0, 700.0);
  } else if (u < 0.80) {
    ind.unit = "count";
    ind.decimals = 0;
    ind.base = r.uniform(50.0, 5000.0);
  } else {
    ind.unit = "number";
    ind.decimals = 2;
    ind.base = r.uniform(1.0, 100.0);
  }
  // Targets sit a little on the good side of where the series wanders.
  double sign = ind.bigger_is_better ? 1.0 : -1.0;
  double t = r.uniform();
  if (t < 0.50) {
    ind.target_kind = TargetKind::kProfiled;
    // A step every April (and a stretch every October), tightening each year.
    Period first = first_period(spec);
    double level = ind.base * (1.0 + sign * r.uniform(-0.02, 0.04));
    for (Period p = first; p <= spec.end; p = p.next()) {
      int month = p.last_month_index() % 12 + 1;
      if (p == first || month == 4 || month == 10) {
        if (p != first) level *= 1.0 + sign * r.uniform(-0.005, 0.015);
        ind.profile.emplace_back(p.to_string(), std::max(0.1, round_to(level, 1)));
      }
    }
  } else if (t < 0.85) {
    ind.target_kind = TargetKind::kFixed;
    ind.fixed_target = std::max(0.1, round_to(ind.base * (1.0 + sign * r.uniform(-0.03, 0.05)), 1));
  } else {
    ind.target_kind = TargetKind::kNone;
    ind.data_target = r.chance(0.5);
  }
  if (r.chance(0.2)) ind.red_variance_pct = 10.0;
  if (r.chance(0.05)) ind.variance_pct = 10.0;
  if (r.chance(0.1)) ind.run = 4;
  if (r.chance(0.1)) ind.allowed_lag = 1;
  if (r.chance(0.02)) ind.first_month = 12 + r.below(36);
  if (r.chance(0.03)) ind.missing_tail = 1 + r.below(3);
  return ind;
}

/// The rows of one indicator, ascending by period (gaps left out).
inline void series_rows(const WorkloadSpec& spec, const IndicatorSpec& ind, std::vector<Row>& rows) {
  rows.clear();
  Random r(mix(spec.seed, ind.council, ind.number, 2));
  const bool fraction = std::string_view(ind.unit) == "percent";
  const double sigma = ind.base * 0.03;
  const double denominator_base = r.uniform(200.0, 2000.0);
  const double data_target = std::max(0.1, round_to(ind.base, 1));
  double level = ind.base;
  Period p = first_period(spec);
  for (int m = 0; m < spec.months; ++m, p = p.next()) {
    level += 0.05 * (ind.base - level) + sigma * r.normal();
    if (level < 0.0) level = -level;
    bool absent = r.chance(0.015);
    bool blank = r.chance(0.01);
    if (m < ind.first_month || m >= spec.months - ind.missing_tail || absent) continue;
    Row row;
    row.period = p.to_string();
    if (!blank) {
      row.has_value = true;
      if (fraction) {
        double den = std::round(denominator_base * r.uniform(0.9, 1.1));
        double num = std::min(den, std::round(std::min(level, 100.0) / 100.0 * den));
        row.has_fraction = true;
        row.numerator = num;
        row.denominator = den;
        row.value = round_to(num / den * 100.0, ind.decimals);
      } else {
        row.value = round_to(level, ind.decimals);
      }
    }
    if (ind.data_target) {
      row.has_target = true;
      row.target = data_target;
    }
    rows.push_back(std::move(row));
  }
}

}  // namespace vitals::bench
