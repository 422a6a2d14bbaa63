// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <filesystem>
#include <iostream>

#include "cli_common.hpp"
#include "diagnostic_groups.hpp"
#include "terminal.hpp"

namespace vitals::cli {

namespace {

// More exceptions (or indicators without a result, or late) than this are
// counted per indicators file unless --all is given.
constexpr std::size_t kListLimit = 50;

// "carers" for an indicator defined in indicators/carers.toml.
std::string indicator_group(const Catalogue& catalogue, const IndicatorResult& r) {
  const IndicatorDefinition* d = catalogue.find_indicator(r.indicator_id);
  if (d == nullptr) return "(no file)";
  return std::filesystem::path(d->location.file).stem().string();
}

}  // namespace

const CommandSpec& evaluate_command() {
  static const CommandSpec spec = {
      "evaluate",
      "ingest the sources, evaluate a period, print the exception summary",
      "vitals evaluate --catalogue DIR --period PERIOD [options]",
      "Fetches the catalogue's sources into the store, evaluates every indicator for\n"
      "PERIOD (YYYY-MM, YYYY-Qn, YYYY or YYYY/YY) with the catalogue's rules, records\n"
      "the run and prints the committee's exception summary. A run that could not\n"
      "read every source or evaluate every indicator says so first and exits 1.\n",
      {
          {"period", "PERIOD", "the reporting period, e.g. 2017-03"},
          {"format", "FORMAT", "text (default), markdown or json", false, "text markdown json"},
          {"output", "FILE", "write the report to FILE instead of standard output"},
          {"json", "FILE", "also write the JSON result (docs/report-format.md) to FILE"},
          {"compact", "", "--json and --format json write the compact result\n"
           "(vitals.results/1): each indicator's statuses on one\n"
           "line, the exceptions' reasons; no evidence or history"},
          {"json-history", "", "with --compact, each indicator's history as well"},
          {"all", "", "list every exception, indicator without a result and\n"
           "late indicator, however many; by default a run with\n"
           "more than 50 of one kind counts them by indicators file"},
          {"no-ingest", "", "evaluate the stored data without fetching the sources"},
      },
      kEngineOptions,
      "",
      true,
  };
  return spec;
}

int run_evaluate(int argc, char** argv) {
  Args args;
  if (int rc = parse(argc, argv, evaluate_command(), args); rc >= 0) return rc;
  auto period = period_option(args, "evaluate");
  if (!period) return kExitUsage;
  auto format = parse_report_format(args.get("format").value_or("text"));
  if (!format.ok()) {
    std::cerr << "vitals: " << format.status().message() << "\n";
    return kExitUsage;
  }

  int exit_code = kExitOk;
  auto engine = open_engine(args, true, exit_code, nullptr, args.has_flag("no-ingest"),
                            /*evaluates_once=*/true);
  if (!engine) return exit_code;
  // The report is left for the system to reclaim at exit: a national run's
  // is millions of small allocations (each indicator's history, messages and
  // evidence), and freeing them one by one took about half a second of CPU
  // after the output was written. The engine is closed as usual. The
  // pointer is kept in a static, so the report stays reachable to the end
  // (a leak checker does not count it) and the store cannot be optimised away.
  static std::optional<EvaluationReport>* volatile kept_until_exit = nullptr;
  kept_until_exit = new std::optional<EvaluationReport>(evaluate_period(
      *engine, *period, !args.has_flag("no-ingest"), exit_code, RunDiagnostics::kErrors));
  auto& report = *kept_until_exit;
  if (!report) return exit_code;

  RenderOptions options;
  options.list_limit = args.has_flag("all") ? 0 : kListLimit;
  const Catalogue& catalogue = engine->catalogue();
  options.group = [&catalogue](const IndicatorResult& r) { return indicator_group(catalogue, r); };
  options.compact = args.has_flag("compact");
  options.history = args.has_flag("json-history");
  // Each document is written as it is rendered: a national run's JSON is
  // never held in memory whole.
  auto write = [&](ReportFormat f) {
    return [&, f](std::ostream& out) {
      Status st = render(*report, f, options, out);
      if (!st.is_ok()) std::cerr << "vitals: " << st.to_string() << "\n";
      return st.is_ok();
    };
  };
  // The summary shows the run's diagnostics; on standard output it leaves
  // out the errors evaluate_period printed on standard error, so each is
  // shown once. Diagnostics that differ only in their indicator are shown
  // once, with a count, unless -v is given. The JSON keeps every one.
  std::vector<Diagnostic> diagnostics = report->diagnostics;
  const bool summary_on_stdout = !args.get("output") && *format != ReportFormat::kJson;
  if (*format != ReportFormat::kJson) {
    std::vector<Diagnostic> shown;
    for (const Diagnostic& d : diagnostics) {
      if (!summary_on_stdout || d.severity != Severity::kError) shown.push_back(d);
    }
    report->diagnostics = args.verbosity >= 1 ? std::move(shown) : group_by_indicator(shown);
  }
  auto started = std::chrono::steady_clock::now();
  if (auto path = args.get("output")) {
    if (!output_written(write_output_file(*path, write(*format)))) {
      return kExitFailure;
    }
  } else if (!write(*format)(std::cout)) {
    return kExitFailure;
  }
  log_timing(args, "wrote the summary", started);
  report->diagnostics = std::move(diagnostics);
  if (auto path = args.get("json")) {
    started = std::chrono::steady_clock::now();
    if (!output_written(write_output_file(*path, write(ReportFormat::kJson)))) {
      return kExitFailure;
    }
    log_timing(args, "wrote the JSON result", started);
  }
  if (!quiet() && options.list_limit != 0 && report->exceptions().size() > options.list_limit &&
      *format != ReportFormat::kJson) {
    std::cerr << "vitals: " << count_text(report->exceptions().size())
              << " exceptions are counted by indicators file; give --all to list every one\n";
  }
  if (!report->complete()) print_incomplete(*report, std::cerr);
  return has_errors(report->diagnostics) || !report->complete() ? kExitDiagnostics : kExitOk;
}

}  // namespace vitals::cli
