// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <vitals/catalogue.hpp>
#include <vitals/commentary.hpp>
#include <vitals/diagnostic.hpp>
#include <vitals/evaluation.hpp>
#include <vitals/meetings.hpp>
#include <vitals/export.hpp>
#include <vitals/status.hpp>

namespace vitals {

// ---------------------------------------------------------------------------
// The exception summary (`vitals evaluate`): needs only the evaluation.

enum class ReportFormat {
  kJson,      // the documented contract, docs/report-format.md
  kMarkdown,  // the committee's exception summary as Markdown
  kText,      // the same for a terminal
};

/// Parses "json", "markdown" or "text".
VITALS_API Result<ReportFormat> parse_report_format(std::string_view text);

/// Writes `report` to `out`. Output is deterministic: the same report gives
/// the same bytes. Never throws; returns kIoError when the stream fails.
VITALS_API Status render(const EvaluationReport& report, ReportFormat format, std::ostream& out);

/// How render() lays out a large run. The defaults give what render(report,
/// format, out) writes.
struct RenderOptions {
  /// Text and Markdown: when more indicators than this are exceptions (or
  /// have no result, or late data), that list is written as counts per group
  /// instead of one line per indicator, and Markdown leaves out its table of
  /// every indicator. 0: always list every one.
  std::size_t list_limit = 0;
  /// The group an indicator is counted in (`vitals evaluate`: the name of the
  /// indicators file that defines it, "carers" for indicators/carers.toml).
  /// Empty: every indicator in one group.
  std::function<std::string(const IndicatorResult&)> group;
  /// JSON: the compact "vitals.results/1" document (docs/report-format.md):
  /// each indicator's statuses on one line, the exceptions' reasons, the
  /// run's diagnostics; no evidence or history.
  bool compact = false;
  /// Compact JSON: each indicator's history (the 13 periods of the report's
  /// "history") as well.
  bool history = false;
};

/// As render(report, format, out), laid out by `options`. Written as it goes
/// (a national run's JSON is never held in memory).
VITALS_API Status render(const EvaluationReport& report, ReportFormat format,
                         const RenderOptions& options, std::ostream& out);

// ---------------------------------------------------------------------------
// The committee exception report (`vitals report`): the summary list, the RAG
// dashboard, a report card per exception, and the discussion prompts and
// follow-up actions, laid out by templates (docs/report-cards.md).
// Thread safety: these functions share no state and may run concurrently,
// each reading its own (unchanging) inputs.

enum class DocumentFormat {
  kHtml,      // one self-contained page: no scripts, no external files
  kMarkdown,  // the same content as Markdown (charts omitted, numbers kept)
  kJson,      // the JSON contract with the cards' content added
};

/// Parses "html", "markdown" (or "md") or "json"; kInvalidArgument otherwise.
VITALS_API Result<DocumentFormat> parse_document_format(std::string_view text);
/// The file extension for `format`, without the dot: "html", "md" or "json".
VITALS_API const char* document_format_extension(DocumentFormat format);

/// Everything a committee report is made from. The referenced objects must
/// outlive every call that is given the inputs.
struct ReportInputs {
  const Catalogue& catalogue;
  /// The evaluation of `catalogue` for the period being reported.
  const EvaluationReport& report;
  /// The catalogue's commentary (may be empty: every card then awaits it).
  const CommentarySet& commentary;
  /// A directory whose template files (*.html, *.md, *.css) replace the
  /// built-in templates of the same name, or add partials. Empty: built-ins only.
  std::filesystem::path template_dir = {};
  /// The council's name for the page heading, e.g. "Norfolk County Council".
  /// Empty: omitted.
  std::string organisation = {};
  /// The committee's meetings (Engine::meetings()): the report lists the
  /// follow-ups due at its meeting and each card the previous decision.
  /// nullptr or empty: neither is shown.
  const MeetingSet* meetings = nullptr;
  /// The date of the meeting the report goes to, "YYYY-MM-DD". Empty: the
  /// meeting whose file names the report's period, if any.
  std::string meeting_date = {};
  /// Include the year-end summary (vitals/year_end.hpp) even when the
  /// report's period does not end the financial year; it is always included
  /// when the period does (ends_financial_year()).
  bool year_end_summary = false;
};

/// A report card produced without some of the commentary it needs.
struct AwaitingCommentary {
  std::string indicator_id;
  std::string title;
  /// The officer the card asks for commentary ("commentary required from ...").
  std::string lead_officer;
  /// The sections not written (no entry at all: every section).
  std::vector<CommentarySection> missing;
};

/// The exception cards that lack commentary for `inputs.report.period`, in
/// the order the report lists the exceptions.
VITALS_API std::vector<AwaitingCommentary> awaiting_commentary(const ReportInputs& inputs);

/// Writes the whole committee report as one document in `format` to `out`.
/// Deterministic: the same inputs and templates give the same bytes. Problems
/// with the templates are appended to `diagnostics` (when not null), each
/// naming template file:line:column, and the Status is kValidationError;
/// kIoError when the stream fails. Never throws.
VITALS_API Status render_committee_report(const ReportInputs& inputs, DocumentFormat format,
                                          std::ostream& out,
                                          std::vector<Diagnostic>* diagnostics = nullptr);

/// Writes the report card of one indicator as a document of its own (any
/// indicator of the report, exception or not); in JSON, the "vitals.card/1"
/// document of docs/report-format.md. kNotFound when `indicator_id` is not in
/// the report; otherwise as render_committee_report.
VITALS_API Status render_card(const ReportInputs& inputs, std::string_view indicator_id,
                              DocumentFormat format, std::ostream& out,
                              std::vector<Diagnostic>* diagnostics = nullptr);

/// What write_committee_report produced.
struct WrittenReport {
  /// The files written, in order: the report, then (HTML and Markdown) one
  /// card per exception under cards/.
  std::vector<std::filesystem::path> files;
  /// As awaiting_commentary(), for the caller to list.
  std::vector<AwaitingCommentary> awaiting_commentary;
  /// Template problems, located.
  std::vector<Diagnostic> diagnostics;
};

/// Writes the committee report into `out_dir` (created when missing):
///   committee-report-<period>.<ext>
///   cards/<indicator id>-<period>.<ext>   (html and markdown only)
/// where <period> is the period's text with "/" written "_" ("2016_17").
/// Each file is written to a temporary name and renamed, so a reader never
/// sees half a file. On error nothing more is written, files already written
/// stay, and `written` (when not null) lists them. Returns kValidationError
/// for template problems (see written->diagnostics), kIoError when a file
/// cannot be written. Never throws.
VITALS_API Status write_committee_report(const ReportInputs& inputs, DocumentFormat format,
                                         const std::filesystem::path& out_dir,
                                         WrittenReport* written = nullptr);

/// Parses every template, built-in and from `template_dir` (empty: built-ins
/// only), without rendering: syntax errors, files that cannot be read,
/// partials that do not exist, and (warnings) files in `template_dir` that
/// replace no built-in template and are not included by any template. Names
/// of data are checked only when rendering. For `vitals check`. Never throws.
VITALS_API std::vector<Diagnostic> check_report_templates(const std::filesystem::path& template_dir);

}  // namespace vitals
