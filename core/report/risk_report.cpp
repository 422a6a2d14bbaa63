// SPDX-License-Identifier: Apache-2.0
// The risk report's content: which risks are reported by exception, the
// reconciliation of two registers, the band counts and the risk matrix; and
// render_risk_report(), which hands over to the renderings
// (risk_report_paper.cpp, risk_report_json.cpp, risk_report_html.cpp).
#include <vitals/risk_report.hpp>

#include "report/risk_report_parts.hpp"

#include <exception>
#include <map>
#include <sstream>

namespace vitals {

namespace {

std::optional<int> current_score(const Risk& r) {
  return r.current ? std::optional<int>(r.current->score()) : std::nullopt;
}

// Renders `report` with `render` into a buffer, then writes it to `out`, so
// a failure leaves nothing half-written.
Status written(const RiskReport& report, void (*render)(const RiskReport&, std::ostream&),
               std::ostream& out) {
  try {
    std::ostringstream buffer;
    render(report, buffer);
    out << buffer.str();
    if (!out) return Status(StatusCode::kIoError, "cannot write the risk report");
    return Status::ok();
  } catch (const std::exception& e) {
    return Status(StatusCode::kInternal, std::string("cannot render the risk report: ") + e.what());
  }
}

}  // namespace

const char* risk_change_name(RiskChange::Kind kind) {
  switch (kind) {
    case RiskChange::Kind::kNew:
      return "new";
    case RiskChange::Kind::kClosed:
      return "closed";
    case RiskChange::Kind::kScoreChanged:
      return "score_changed";
    case RiskChange::Kind::kTitleChanged:
      return "title_changed";
    case RiskChange::Kind::kDescriptionChanged:
      return "description_changed";
  }
  return "new";
}

RiskBandCounts count_risk_bands(const std::vector<Risk>& risks) {
  RiskBandCounts counts;
  for (const Risk& r : risks) {
    if (!r.current) {
      ++counts.unscored;
      continue;
    }
    switch (risk_band(r.current->score())) {
      case RiskBand::kHigh:
        ++counts.high;
        break;
      case RiskBand::kMedium:
        ++counts.medium;
        break;
      case RiskBand::kLow:
        ++counts.low;
        break;
    }
  }
  return counts;
}

RiskMatrix place_risks(const std::vector<Risk>& risks) {
  RiskMatrix matrix;
  for (const Risk& r : risks) {
    // Scores were checked to be 1 to 5 when the record was read; a risk
    // built by hand with others is left out rather than misplaced.
    if (!r.current || r.current->likelihood < 1 || r.current->likelihood > 5 ||
        r.current->impact < 1 || r.current->impact > 5) {
      continue;
    }
    matrix.cells[r.current->likelihood - 1][r.current->impact - 1].push_back(r.id);
  }
  return matrix;
}

std::string register_next_review(const std::vector<Risk>& risks) {
  std::string next;
  for (const Risk& r : risks) {
    if (r.next_review.empty()) continue;
    if (next.empty()) {
      next = r.next_review;
    } else if (next != r.next_review) {
      return "";
    }
  }
  return next;
}

bool is_risk_exception(const Risk& risk, int threshold) {
  return risk.current && risk.current->score() >= threshold &&
         (risk.prospects == Rag::kRed || risk.prospects == Rag::kAmber);
}

std::vector<RiskChange> reconcile_risks(const std::vector<Risk>& previous,
                                        const std::vector<Risk>& current) {
  std::map<std::string, const Risk*> before;
  std::map<std::string, const Risk*> after;
  for (const Risk& r : previous) before.emplace(r.id, &r);
  for (const Risk& r : current) after.emplace(r.id, &r);
  std::vector<RiskChange> out;
  // Both maps are sorted by id: walk them together.
  auto b = before.begin();
  auto a = after.begin();
  while (b != before.end() || a != after.end()) {
    if (a == after.end() || (b != before.end() && b->first < a->first)) {
      const Risk& r = *b->second;
      out.push_back(RiskChange{RiskChange::Kind::kClosed, r.id, r.title, current_score(r),
                               std::nullopt, "", ""});
      ++b;
      continue;
    }
    if (b == before.end() || a->first < b->first) {
      const Risk& r = *a->second;
      out.push_back(RiskChange{RiskChange::Kind::kNew, r.id, r.title, std::nullopt,
                               current_score(r), "", ""});
      ++a;
      continue;
    }
    const Risk& old_risk = *b->second;
    const Risk& new_risk = *a->second;
    if (current_score(old_risk) != current_score(new_risk)) {
      out.push_back(RiskChange{RiskChange::Kind::kScoreChanged, new_risk.id, new_risk.title,
                               current_score(old_risk), current_score(new_risk), "", ""});
    }
    if (old_risk.title != new_risk.title) {
      out.push_back(RiskChange{RiskChange::Kind::kTitleChanged, new_risk.id, new_risk.title,
                               std::nullopt, std::nullopt, old_risk.title, new_risk.title});
    }
    if (old_risk.description != new_risk.description) {
      out.push_back(RiskChange{RiskChange::Kind::kDescriptionChanged, new_risk.id,
                               new_risk.title, std::nullopt, std::nullopt, old_risk.description,
                               new_risk.description});
    }
    ++a;
    ++b;
  }
  return out;
}

Status render_risk_report(const RiskReport& report, ReportFormat format, std::ostream& out) {
  switch (format) {
    case ReportFormat::kText:
      return written(report, detail::render_risk_text, out);
    case ReportFormat::kMarkdown:
      return written(report, detail::render_risk_markdown, out);
    case ReportFormat::kJson:
      return written(report, detail::render_risk_json, out);
  }
  return Status(StatusCode::kInvalidArgument, "the risk report is written as text, markdown or json");
}

Status render_risk_report_html(const RiskReport& report, std::ostream& out) {
  return written(report, detail::render_risk_html, out);
}

}  // namespace vitals
