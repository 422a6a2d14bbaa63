// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <vitals/export.hpp>
#include <vitals/period.hpp>
#include <vitals/records.hpp>
#include <vitals/report.hpp>
#include <vitals/status.hpp>

namespace vitals {

/// How to build a risk report (Engine::risk_report).
struct RiskReportOptions {
  /// Risks are reported by exception from this current score (the council's 12).
  int threshold = 12;
};

/// A significant change between two registers, as the reconciliation report
/// lists them.
struct RiskChange {
  enum class Kind {
    kNew,                 // in the register now, not in the previous one
    kClosed,              // in the previous register, not now
    kScoreChanged,        // the current score changed
    kTitleChanged,        // the title was reworded
    kDescriptionChanged,  // the description was reworded
  };
  Kind kind = Kind::kNew;
  std::string risk_id;
  std::string title;  // the current title (the previous one when closed)
  std::optional<int> score_before;
  std::optional<int> score_after;
  std::string text_before;  // the old title or description
  std::string text_after;   // the new title or description
};
/// "new", "closed", "score_changed", "title_changed" or "description_changed".
VITALS_API const char* risk_change_name(RiskChange::Kind kind);

/// The risk exception report and the reconciliation of the register with the
/// previous one.
struct RiskReport {
  std::string catalogue_name;
  std::string committee;
  Period period;                          // the reporting period asked for
  std::optional<Period> register_period;  // the register used: the latest at or before `period`
  std::optional<Period> previous_period;  // the register reconciled against
  int threshold = 12;
  std::vector<Risk> register_risks;  // the whole register, by id
  /// Risks reported by exception: current score at or above the threshold
  /// with prospects Red or Amber; highest score first, then by id.
  std::vector<Risk> exceptions;
  /// Significant changes since the previous register, by risk id, then in
  /// the order of RiskChange::Kind. Empty when there is no previous register.
  std::vector<RiskChange> changes;
};

/// True when `risk` is reported by exception: its current score is at least
/// `threshold` and its prospects are Red or Amber.
VITALS_API bool is_risk_exception(const Risk& risk, int threshold);

/// The significant changes from `previous` to `current` (each by id): new and
/// closed risks, a changed current score, a changed title or description
/// (compared exactly). One risk can have several changes.
VITALS_API std::vector<RiskChange> reconcile_risks(const std::vector<Risk>& previous,
                                                   const std::vector<Risk>& current);

/// Writes `report` as `format`: a plain-text or Markdown paper (the risks
/// reported by exception with score, band, likelihood x impact, target,
/// prospects and owner, then the reconciliation), or JSON (see
/// docs/risk-report-format.md). kInvalidArgument for formats it does not
/// support. Never throws.
VITALS_API Status render_risk_report(const RiskReport& report, ReportFormat format,
                                     std::ostream& out);

}  // namespace vitals
