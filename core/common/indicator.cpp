// SPDX-License-Identifier: Apache-2.0
#include <vitals/indicator.hpp>

#include "common/calendar.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>

namespace vitals {

const char* polarity_name(Polarity polarity) {
  return polarity == Polarity::kBiggerIsBetter ? "bigger" : "smaller";
}

const char* unit_name(Unit unit) {
  switch (unit) {
    case Unit::kPercent: return "percent";
    case Unit::kPer100k: return "per_100k";
    case Unit::kCount: return "count";
    case Unit::kCurrency: return "currency";
    case Unit::kNumber: return "number";
  }
  return "number";
}

int default_decimals(Unit unit) {
  switch (unit) {
    case Unit::kPercent:
    case Unit::kPer100k: return 1;
    case Unit::kCount:
    case Unit::kCurrency: return 0;
    case Unit::kNumber: break;
  }
  return 2;
}

int shown_decimals(Unit unit, const std::optional<int>& decimals) {
  return decimals ? *decimals : default_decimals(unit);
}

const char* derived_operation_name(DerivedOperation operation) {
  switch (operation) {
    case DerivedOperation::kPercentage: return "percentage";
    case DerivedOperation::kRatePer100k: return "rate_per_100k";
    case DerivedOperation::kRolling12MonthSum: return "rolling_12_month_sum";
    case DerivedOperation::kRolling12MonthAverage: return "rolling_12_month_average";
    case DerivedOperation::kYearToDate: return "year_to_date";
  }
  return "percentage";
}

const char* rag_name(Rag rag) {
  switch (rag) {
    case Rag::kNone: return "none";
    case Rag::kGreen: return "green";
    case Rag::kAmber: return "amber";
    case Rag::kRed: return "red";
  }
  return "none";
}

const char* risk_measures_name(RiskMechanism::Measures measures) {
  switch (measures) {
    case RiskMechanism::Measures::kCause: return "cause";
    case RiskMechanism::Measures::kConsequence: return "consequence";
    case RiskMechanism::Measures::kMitigation: return "mitigation";
  }
  return "cause";
}

const char* risk_when_name(RiskMechanism::When when) {
  switch (when) {
    case RiskMechanism::When::kOffTarget: return "off_target";
    case RiskMechanism::When::kDeteriorating: return "deteriorating";
    case RiskMechanism::When::kThreshold: return "threshold";
  }
  return "off_target";
}

const char* cost_per_name(CostDriver::Per per) {
  switch (per) {
    case CostDriver::Per::kWeek:
      return "week";
    case CostDriver::Per::kDay:
      return "day";
    case CostDriver::Per::kMonth:
      return "month";
    case CostDriver::Per::kOnce:
      return "once";
  }
  return "week";
}

double cost_periods_remaining(CostDriver::Per per, const Period& period) {
  if (per == CostDriver::Per::kOnce) return 1.0;
  const int last = period.last_month_index();
  // Months after the period's last one, up to and including March (month 2).
  const int months = (2 - last % 12 + 12) % 12;
  if (per == CostDriver::Per::kMonth) return months;
  int days = 0;
  for (int m = last + 1; m <= last + months; ++m) days += detail::days_in_month(m / 12, m % 12 + 1);
  return per == CostDriver::Per::kDay ? days : days / 7.0;
}

std::optional<double> Target::value_at(const Period& period) const {
  switch (kind) {
    case Kind::kNone: return std::nullopt;
    case Kind::kFixed: return fixed_value;
    case Kind::kProfiled: {
      // The first step starting after `period`; the one before it is in force.
      const int first_month = period.first_month_index();
      auto after = std::upper_bound(profile.begin(), profile.end(), first_month,
                                    [](int month, const TargetStep& step) {
                                      return month < step.from.first_month_index();
                                    });
      if (after == profile.begin()) return std::nullopt;
      return std::prev(after)->value;
    }
  }
  return std::nullopt;
}

namespace {
// Percentages computed in binary floating point land a hair either side of
// round figures (105 against 100 gives 5.000000000000001); a threshold is
// met when the variance is within this of it.
constexpr double kThresholdEpsilon = 1e-9;
}  // namespace

Assessment assess(double value, std::optional<double> target, Polarity polarity,
                  const Tolerance& tolerance) {
  Assessment a;
  a.target = target;
  if (!target) return a;
  double adverse_difference =
      polarity == Polarity::kSmallerIsBetter ? value - *target : *target - value;
  if (*target == 0.0) {
    a.rag = adverse_difference > 0 ? Rag::kRed : Rag::kGreen;
    return a;
  }
  double variance = adverse_difference / std::fabs(*target) * 100.0;
  a.variance_pct = variance;
  if (variance <= kThresholdEpsilon) {
    a.rag = Rag::kGreen;
  } else if (variance >= tolerance.red_variance_pct - kThresholdEpsilon) {
    a.rag = Rag::kRed;
  } else if (variance > tolerance.amber_variance_pct + kThresholdEpsilon) {
    a.rag = Rag::kAmber;
  } else {
    a.rag = Rag::kGreen;
  }
  return a;
}

}  // namespace vitals
