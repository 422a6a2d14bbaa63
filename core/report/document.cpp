// SPDX-License-Identifier: Apache-2.0
// The committee report API: loads the templates (built-in, then a council's
// overrides), builds the view, renders and writes the files.

#include <algorithm>
#include <exception>
#include <fstream>
#include <set>
#include <sstream>
#include <system_error>

#include <vitals/output_file.hpp>
#include <vitals/report.hpp>

#include "report/builtin_templates.hpp"
#include "report/criterion.hpp"
#include "report/document_files.hpp"
#include "report/escape.hpp"
#include "report/presentation.hpp"
#include "report/renderers.hpp"
#include "report/report_view.hpp"
#include "report/template_engine.hpp"

namespace fs = std::filesystem;

namespace vitals {

namespace detail {

Status template_failure(const std::vector<Diagnostic>& diagnostics, std::size_t first) {
  for (std::size_t i = first; i < diagnostics.size(); ++i) {
    if (diagnostics[i].severity == Severity::kError) {
      return Status(StatusCode::kValidationError, "report templates: " + diagnostics[i].to_string(),
                    diagnostics[i].location);
    }
  }
  return Status(StatusCode::kValidationError, "report templates have errors");
}

}  // namespace detail

namespace {

using detail::template_failure;

constexpr const char* kReportTemplate = "committee_report";
constexpr const char* kCardTemplate = "card_page";

bool template_file_name(const std::string& name) {
  std::size_t dot = name.rfind('.');
  if (dot == std::string::npos || dot == 0) return false;
  std::string ext = name.substr(dot);
  if (ext != ".html" && ext != ".md" && ext != ".css") return false;
  return std::all_of(name.begin(), name.begin() + static_cast<std::ptrdiff_t>(dot), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

Diagnostic problem(Severity severity, std::string code, std::string message, SourceLocation where) {
  return Diagnostic::make(severity, std::move(code), std::move(message), std::move(where));
}

// The built-in templates overlaid with those in `dir`. `overrides` receives
// the names of the files read from `dir`.
detail::TemplateSet load_templates(const fs::path& dir, std::vector<Diagnostic>& diagnostics,
                                   std::vector<std::string>* overrides = nullptr) {
  detail::TemplateSet set;
  for (const detail::BuiltinTemplate& t : detail::builtin_templates()) {
    set.add(std::string(t.name), "builtin:" + std::string(t.name), t.text, diagnostics);
  }
  if (dir.empty()) return set;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    diagnostics.push_back(problem(Severity::kError, "template.missing_dir",
                                  "the template directory does not exist", SourceLocation{dir.string(), 0, 0}));
    return set;
  }
  std::vector<std::string> names;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (!template_file_name(name) || !it->is_regular_file(ec)) continue;
    names.push_back(name);
  }
  if (ec) {
    diagnostics.push_back(problem(Severity::kError, "template.io_error",
                                  "cannot list the template directory: " + ec.message(),
                                  SourceLocation{dir.string(), 0, 0}));
  }
  std::sort(names.begin(), names.end());
  const std::size_t limit = set.limits().max_template_bytes;
  for (const std::string& name : names) {
    fs::path path = dir / name;
    std::ifstream in(path, std::ios::binary);
    // Read one byte past the limit so an oversized file is refused without
    // reading all of it.
    std::string text(limit + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (in.bad() || (!in && !in.eof())) {
      diagnostics.push_back(problem(Severity::kError, "template.io_error", "cannot read the template",
                                    SourceLocation{path.string(), 0, 0}));
      continue;
    }
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (set.add(name, path.string(), text, diagnostics) && overrides != nullptr) overrides->push_back(name);
  }
  return set;
}

}  // namespace

namespace detail {
TemplateSet report_templates(const fs::path& dir, std::vector<Diagnostic>& diagnostics) {
  return load_templates(dir, diagnostics);
}
}  // namespace detail

namespace {

detail::Escaper escaper_for(DocumentFormat format) {
  return format == DocumentFormat::kHtml ? detail::html_escape : detail::md_escape;
}

detail::ViewTarget view_target(DocumentFormat format) {
  return format == DocumentFormat::kHtml ? detail::ViewTarget::kHtml : detail::ViewTarget::kMarkdown;
}

// Renders one document to a string. `card` selects a card page, else the
// whole committee report.
Result<std::string> render_document(const ReportInputs& inputs, DocumentFormat format,
                                    const IndicatorResult* card, std::vector<Diagnostic>& diagnostics) {
  if (format == DocumentFormat::kJson) {
    std::ostringstream out;
    detail::render_document_json(inputs, out);
    return out.str();
  }
  const std::size_t first = diagnostics.size();
  detail::TemplateSet templates = load_templates(inputs.template_dir, diagnostics);
  if (has_errors(std::vector<Diagnostic>(diagnostics.begin() + static_cast<std::ptrdiff_t>(first),
                                         diagnostics.end()))) {
    return template_failure(diagnostics, first);
  }
  detail::TemplateValue view = card != nullptr ? detail::card_page_view(inputs, *card, view_target(format))
                                               : detail::committee_report_view(inputs, view_target(format));
  std::string name = std::string(card != nullptr ? kCardTemplate : kReportTemplate) + "." +
                     document_format_extension(format);
  auto text = templates.render(name, view, escaper_for(format), diagnostics);
  if (!text) return template_failure(diagnostics, first);
  // A council's own templates must not hide that results are missing.
  if (!inputs.report.complete() &&
      text->find(escaper_for(format)(detail::kIncompleteIntro)) == std::string::npos) {
    return Status(StatusCode::kValidationError,
                  "report templates: " + name +
                      " does not show the incomplete-run banner, and this run is incomplete; "
                      "keep {{#document.is_incomplete}} from the shipped header template");
  }
  return std::move(*text);
}

Status write_out(const std::string& text, std::ostream& out) {
  out << text;
  out.flush();
  if (!out) return Status(StatusCode::kIoError, "could not write the report");
  return Status::ok();
}

const IndicatorResult* find_result(const EvaluationReport& report, std::string_view id) {
  for (const IndicatorResult& r : report.indicators) {
    if (r.indicator_id == id) return &r;
  }
  return nullptr;
}

}  // namespace

Result<DocumentFormat> parse_document_format(std::string_view text) {
  if (text == "html") return DocumentFormat::kHtml;
  if (text == "markdown" || text == "md") return DocumentFormat::kMarkdown;
  if (text == "json") return DocumentFormat::kJson;
  return Status(StatusCode::kInvalidArgument,
                "unknown document format '" + std::string(text) + "': expected html, markdown or json");
}

const char* document_format_extension(DocumentFormat format) {
  switch (format) {
    case DocumentFormat::kHtml: return "html";
    case DocumentFormat::kMarkdown: return "md";
    case DocumentFormat::kJson: return "json";
  }
  return "html";
}

std::vector<AwaitingCommentary> awaiting_commentary(const ReportInputs& inputs) {
  std::vector<AwaitingCommentary> out;
  for (const IndicatorResult* r : inputs.report.exceptions()) {
    auto missing = detail::missing_commentary(inputs.commentary, *r, inputs.report.period);
    if (missing.empty()) continue;
    const IndicatorDefinition* def = inputs.catalogue.find_indicator(r->indicator_id);
    out.push_back(AwaitingCommentary{r->indicator_id, r->title, def != nullptr ? def->lead_officer : "",
                                     std::move(missing)});
  }
  return out;
}

Status render_committee_report(const ReportInputs& inputs, DocumentFormat format, std::ostream& out,
                               std::vector<Diagnostic>* diagnostics) {
  try {
    std::vector<Diagnostic> found;
    auto text = render_document(inputs, format, nullptr, found);
    if (diagnostics != nullptr) diagnostics->insert(diagnostics->end(), found.begin(), found.end());
    if (!text.ok()) return text.status();
    return write_out(*text, out);
  } catch (const std::exception& e) {
    return Status(StatusCode::kInternal, std::string("rendering failed: ") + e.what());
  }
}

Status render_card(const ReportInputs& inputs, std::string_view indicator_id, DocumentFormat format,
                   std::ostream& out, std::vector<Diagnostic>* diagnostics) {
  try {
    const IndicatorResult* result = find_result(inputs.report, indicator_id);
    if (result == nullptr) {
      return Status(StatusCode::kNotFound, "no indicator '" + std::string(indicator_id) + "' in the report");
    }
    if (format == DocumentFormat::kJson) {
      std::ostringstream json;
      detail::render_card_json(inputs, *result, json);
      return write_out(json.str(), out);
    }
    std::vector<Diagnostic> found;
    auto text = render_document(inputs, format, result, found);
    if (diagnostics != nullptr) diagnostics->insert(diagnostics->end(), found.begin(), found.end());
    if (!text.ok()) return text.status();
    return write_out(*text, out);
  } catch (const std::exception& e) {
    return Status(StatusCode::kInternal, std::string("rendering failed: ") + e.what());
  }
}

Status write_committee_report(const ReportInputs& inputs, DocumentFormat format, const fs::path& out_dir,
                              WrittenReport* written) {
  WrittenReport local;
  WrittenReport& w = written != nullptr ? *written : local;
  try {
    w.awaiting_commentary = awaiting_commentary(inputs);
    std::error_code ec;
    fs::create_directories(out_dir, ec);
    if (ec) return Status(StatusCode::kIoError, "cannot create " + out_dir.string() + ": " + ec.message());

    const std::string period = detail::period_file_text(inputs.report.period);
    const std::string ext = document_format_extension(format);
    auto text = render_document(inputs, format, nullptr, w.diagnostics);
    if (!text.ok()) return text.status();
    fs::path report_path = out_dir / ("committee-report-" + period + "." + ext);
    if (Status st = write_output_file(report_path, *text); !st.is_ok()) return st;
    w.files.push_back(report_path);

    if (format == DocumentFormat::kJson) return Status::ok();
    auto exceptions = inputs.report.exceptions();
    if (exceptions.empty()) return Status::ok();
    fs::path cards = out_dir / "cards";
    fs::create_directories(cards, ec);
    if (ec) return Status(StatusCode::kIoError, "cannot create " + cards.string() + ": " + ec.message());
    for (const IndicatorResult* r : exceptions) {
      auto card = render_document(inputs, format, r, w.diagnostics);
      if (!card.ok()) return card.status();
      fs::path path = cards / (r->indicator_id + "-" + period + "." + ext);
      if (Status st = write_output_file(path, *card); !st.is_ok()) return st;
      w.files.push_back(path);
    }
    return Status::ok();
  } catch (const std::exception& e) {
    return Status(StatusCode::kInternal, std::string("writing the report failed: ") + e.what());
  }
}

std::vector<Diagnostic> check_report_templates(const fs::path& template_dir) {
  std::vector<Diagnostic> diagnostics;
  try {
    std::vector<std::string> overrides;
    detail::TemplateSet set = load_templates(template_dir, diagnostics, &overrides);
    std::set<std::string> used;
    for (const detail::BuiltinTemplate& t : detail::builtin_templates()) used.insert(std::string(t.name));
    for (const std::string& name : set.names()) {
      const detail::Template* t = set.find(name);
      for (const detail::Template::PartialRef& ref : t->partials()) {
        std::string file = detail::partial_file_name(ref.name, name);
        used.insert(file);
        if (!set.contains(file)) {
          diagnostics.push_back(problem(Severity::kError, "template.unknown_partial",
                                        "no template '" + file + "' for '{{>" + ref.name + "}}'",
                                        SourceLocation{t->file(), ref.line, ref.column}));
        }
      }
    }
    for (const std::string& name : overrides) {
      if (used.count(name) != 0) continue;
      diagnostics.push_back(problem(Severity::kWarning, "template.unused_file",
                                    "'" + name +
                                        "' replaces no built-in template and no template includes it; "
                                        "check its name",
                                    SourceLocation{(template_dir / name).string(), 0, 0}));
    }
  } catch (const std::exception& e) {
    diagnostics.push_back(problem(Severity::kError, "template.internal", e.what(), SourceLocation{}));
  }
  return diagnostics;
}

}  // namespace vitals
