// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <vitals/catalogue.hpp>
#include <vitals/evaluation.hpp>
#include <vitals/export.hpp>
#include <vitals/indicator.hpp>
#include <vitals/period.hpp>
#include <vitals/records.hpp>
#include <vitals/report.hpp>
#include <vitals/status.hpp>

namespace vitals {

/// How to build a risk report (Engine::risk_report).
struct RiskReportOptions {
  /// Risks are reported by exception from this current score (the council's 12).
  int threshold = 12;
  /// Evaluate the catalogue's indicators for the period (without recording
  /// a run) to list, for each risk, the indicators that currently weaken it
  /// and those linked to it that do not (RiskReport::indicator_links).
  bool indicators = true;
};

/// An indicator linked to a risk (its `risks` in the catalogue) and whether,
/// in the period's evaluation, it currently weakens the risk: the
/// risk_impact rule reports the link for that risk (rules/council/
/// risk_impact.lua). A link that states its mechanism weakens the risk only
/// while the indicator's state is the one the link names; a plain link
/// while its performance is adverse and the risk is serious.
struct RiskIndicatorLink {
  std::string risk_id;
  std::string indicator_id;
  std::string indicator_title;
  /// The indicator's unit and catalogue `decimals`, so that the paper writes
  /// the mechanism's threshold as the cards write the indicator's figures
  /// (figure_text(): "at or beyond 2.0%").
  Unit unit = Unit::kNumber;
  std::optional<int> decimals;
  /// The link's mechanism (what in the risk the indicator measures, and when
  /// its state worsens the risk); unset for a plain link.
  std::optional<RiskMechanism> mechanism;
  bool weakens = false;
  /// Why it counts now, from the rule's finding: the indicator's state
  /// ("worse for 3 consecutive months: ...") for a link with a mechanism, the
  /// rule's message for a plain one. Empty when it does not weaken the risk.
  std::string state;
};

/// The links between `catalogue`'s indicators and risks as `evaluation` (the
/// catalogue's evaluation for a period) finds them: one per indicator and
/// linked risk, ordered by risk id, then those that weaken the risk before
/// those that do not, then in the evaluation's indicator order. An indicator
/// the evaluation does not hold is left out.
VITALS_API std::vector<RiskIndicatorLink> risk_indicator_links(const Catalogue& catalogue,
                                                               const EvaluationReport& evaluation);

/// The links of `links` to `risk_id` with weakens == `weakens`, in order.
VITALS_API std::vector<const RiskIndicatorLink*> links_of_risk(
    const std::vector<RiskIndicatorLink>& links, const std::string& risk_id, bool weakens);

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
  /// True when the indicators were evaluated for the period
  /// (RiskReportOptions::indicators) and `indicator_links` is filled.
  bool indicators_evaluated = false;
  /// Every indicator-risk link (risk_indicator_links()); the paper lists,
  /// for each risk, those that weaken it now and those that do not.
  std::vector<RiskIndicatorLink> indicator_links;
};

/// How many risks of a register fall in each band of their current score,
/// as the paper counts them ("four risks are reported as High ... 14 as
/// Medium ... and one as Low").
struct RiskBandCounts {
  int high = 0;
  int medium = 0;
  int low = 0;
  int unscored = 0;  // risks without a current score
};
VITALS_API RiskBandCounts count_risk_bands(const std::vector<Risk>& risks);

/// The council's 5x5 risk matrix with the risks placed by their current
/// score: cells[likelihood - 1][impact - 1] holds the ids of the risks with
/// that likelihood and impact, in the order `risks` gives them. Risks
/// without a current score are not placed.
struct RiskMatrix {
  std::array<std::array<std::vector<std::string>, 5>, 5> cells;
};
VITALS_API RiskMatrix place_risks(const std::vector<Risk>& risks);

/// When the register's next review is due: the `next_review` its risks give
/// when they all give the same (ignoring those that give none); "" when none
/// gives one or they differ (each risk's own date is then shown with it).
VITALS_API std::string register_next_review(const std::vector<Risk>& risks);

/// True when `risk` is reported by exception: its current score is at least
/// `threshold` and its prospects are Red or Amber.
VITALS_API bool is_risk_exception(const Risk& risk, int threshold);

/// The significant changes from `previous` to `current` (each by id): new and
/// closed risks, a changed current score, a changed title or description
/// (compared exactly). One risk can have several changes.
VITALS_API std::vector<RiskChange> reconcile_risks(const std::vector<Risk>& previous,
                                                   const std::vector<Risk>& current);

/// Writes `report` as `format`: a plain-text or Markdown paper, or JSON (see
/// docs/budget-risks-lifecycle.md). The paper has, as the council prints it:
/// a summary of every risk of the register with the band counts, the 5x5
/// risk matrix with the risks placed, the risks reported by exception with
/// their full entry (level and area, description, date entered, original,
/// current and target scores, mitigation tasks, progress update, target
/// date, prospects, owner, reviewer and date of review; the terminal text
/// leaves out the long description, tasks and progress), then the
/// reconciliation. kInvalidArgument for formats it does not support. Never
/// throws.
VITALS_API Status render_risk_report(const RiskReport& report, ReportFormat format,
                                     std::ostream& out);

/// Writes `report` as one self-contained HTML page (no scripts, no external
/// files; the committee report's styles) with the same content as the
/// Markdown paper. Never throws.
VITALS_API Status render_risk_report_html(const RiskReport& report, std::ostream& out);

}  // namespace vitals
