// SPDX-License-Identifier: Apache-2.0
#include <iostream>

#include "cli_common.hpp"

namespace vitals::cli {

const CommandSpec& report_command() {
  static const CommandSpec spec = {
      "report",
      "write the committee report: summary, dashboard and report cards",
      "vitals report --catalogue DIR --period PERIOD --out DIR [options]",
      "Evaluates PERIOD like `vitals evaluate` and writes the committee exception\n"
      "report: the summary, the RAG dashboard and a report card per exception, with\n"
      "the officers' commentary from the catalogue's commentary/ folder. Cards whose\n"
      "commentary is missing are still written, marked \"commentary required from\n"
      "<lead officer>\", and listed at the end.\n",
      {
          {"period", "PERIOD", "the reporting period, e.g. 2017-03"},
          {"out", "DIR", "where to write committee-report-<period>.<ext> and cards/"},
          {"format", "FORMAT", "html (default), markdown or json", false, "html markdown json"},
          {"year-end", "", "include the year-end summary (each vital sign grouped as\n"
           "sustained good, improved, worsened or still challenging\n"
           "over the financial year so far); a report for a period\n"
           "that ends the financial year (March, the quarter ending\n"
           "in March, the financial year) always includes it"},
          {"meeting", "DATE", "the date of the committee meeting the report goes to\n"
           "(YYYY-MM-DD): the follow-ups of earlier decisions due\n"
           "then are listed, and each card shows the committee's\n"
           "previous decision. Default: the meeting whose file in\n"
           "the catalogue's meetings folder names PERIOD."},
          {"no-ingest", "", "use the stored data without fetching the sources"},
          {"allow-incomplete", "", "write the report even when the run is incomplete (a\n"
           "source could not be read, a rule failed, data is under\n"
           "an unknown series or of the wrong frequency); every page\n"
           "and card then carries a banner saying what is missing.\n"
           "Without it an incomplete run writes nothing and exits 1."},
      },
      kEngineOptions,
      "",
      true,
  };
  return spec;
}

int run_report(int argc, char** argv) {
  Args args;
  if (int rc = parse(argc, argv, report_command(), args); rc >= 0) return rc;
  auto period = period_option(args, "report");
  if (!period) return kExitUsage;
  auto out_dir = args.get("out");
  if (!out_dir) {
    std::cerr << "vitals: report needs --out DIR\n";
    return kExitUsage;
  }
  auto format = parse_document_format(args.get("format").value_or("html"));
  if (!format.ok()) {
    std::cerr << "vitals: " << format.status().message() << "\n";
    return kExitUsage;
  }

  std::string meeting = args.get("meeting").value_or("");
  if (!meeting.empty() && !is_calendar_date(meeting)) {
    std::cerr << "vitals: --meeting must be a date such as 2017-06-19, not '" << meeting << "'\n";
    return kExitUsage;
  }

  int exit_code = kExitOk;
  auto engine = open_engine(args, true, exit_code, nullptr, args.has_flag("no-ingest"),
                            /*evaluates_once=*/true);
  if (!engine) return exit_code;
  auto report = evaluate_period(*engine, *period, !args.has_flag("no-ingest"), exit_code,
                                RunDiagnostics::kAll);
  if (!report) return exit_code;
  if (refuse_incomplete(*report, args, "no report was written", "write it")) return kExitDiagnostics;

  ReportInputs inputs = report_inputs(*engine, *report);
  inputs.meeting_date = meeting;
  inputs.year_end_summary = args.has_flag("year-end");
  WrittenReport written;
  Status st = write_committee_report(inputs, *format, *out_dir, &written);
  print_diagnostics(written.diagnostics, std::cerr, false);
  if (!st.is_ok()) {
    std::cerr << "vitals: " << st.to_string() << "\n";
    return st.code() == StatusCode::kValidationError ? kExitUsage : kExitFailure;
  }
  for (const auto& file : written.files) std::cout << "wrote " << file.string() << "\n";
  for (const AwaitingCommentary& card : written.awaiting_commentary) {
    std::cout << "awaiting commentary: " << card.title << " (commentary required from "
              << (card.lead_officer.empty() ? "the lead officer" : card.lead_officer) << ")\n";
  }
  return has_errors(report->diagnostics) || !report->complete() ? kExitDiagnostics : kExitOk;
}

}  // namespace vitals::cli
