// SPDX-License-Identifier: Apache-2.0
#pragma once
// The wording the risk report's renderings share (text, Markdown, HTML), and
// the renderings themselves, which render_risk_report() dispatches to.

#include <vitals/risk_report.hpp>

#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace vitals::detail {

/// "20 (High)", or "-" without a score.
std::string risk_score_text(const std::optional<RiskScore>& score);
/// "20 (High, 4 x 5)", or "-" without a score.
std::string risk_score_detail(const std::optional<RiskScore>& score);
/// "Amber", or "not given".
std::string risk_prospects_text(Rag prospects);
/// "8 by 2030-03-31", "8", or "-".
std::string risk_target_text(const Risk& risk);
/// "Corporate (Adult Social Care Committee)", "Departmental", "Finance" or "-".
std::string risk_level_text(const Risk& risk);
/// "James Bullion", or "-".
std::string risk_owner_text(const Risk& risk);
/// "Debbie Bartlett, 2017-05-31", or "-".
std::string risk_review_text(const Risk& risk);
/// A risk's full entry as the register prints it: (label, text) for each
/// field it gives, in the register's order ("Level", "Description",
/// "Entered on the register", "Original score", ... "Next review").
std::vector<std::pair<std::string, std::string>> risk_entry(const Risk& risk);
/// "new risk", "change of score", ...
const char* risk_change_label(RiskChange::Kind kind);
/// "RM14247 Failure in the care market: score 9 → 12" and the like.
std::string risk_change_text(const RiskChange& change);

/// "Adult Social Care Committee: risk management report, Mar 2017".
std::string risk_report_heading(const RiskReport& report);
/// "Risk register as at March 2017; reconciled with ... Next review due: ...".
std::string risk_register_line(const RiskReport& report);
/// "Summary of all risks on the register: 19".
std::string risk_summary_heading(const RiskReport& report);
/// "4 High (16-25), 14 Medium (6-15) and 1 Low (1-5), by current score."
std::string risk_band_sentence(const RiskBandCounts& counts);
/// "Risks reported by exception (current score 12 or more, ...): 13".
std::string risk_exceptions_heading(const RiskReport& report);
/// "Changes since the register as at December 2016" (or the previous register missing).
std::string risk_changes_heading(const RiskReport& report);

/// The council's matrix labels: likelihood 5 "Almost certain" ... 1 "Rare",
/// impact 5 "Extreme" ... 1 "Insignificant".
const char* risk_likelihood_label(int likelihood);
const char* risk_impact_label(int impact);

/// What a link says of the risk: "which measures its consequence 'rise in
/// ...' and weakens the risk when deteriorating", or the plain link's reading.
std::string risk_link_mechanism_text(const RiskIndicatorLink& link);
/// One linked indicator in a risk's entry: its title and id, the mechanism,
/// then "; now: <why>" when it weakens the risk.
std::string risk_link_text(const RiskIndicatorLink& link);
/// The register summary's cell: "weakened now by a, b; linked, not
/// weakening it now: c", or "-" when no indicator is linked.
std::string risk_links_cell(const RiskReport& report, const std::string& risk_id);

void render_risk_text(const RiskReport& report, std::ostream& out);
void render_risk_markdown(const RiskReport& report, std::ostream& out);
void render_risk_json(const RiskReport& report, std::ostream& out);
void render_risk_html(const RiskReport& report, std::ostream& out);

}  // namespace vitals::detail
