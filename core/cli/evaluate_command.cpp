// SPDX-License-Identifier: Apache-2.0
#include <iostream>

#include "cli_common.hpp"

namespace vitals::cli {

namespace {

constexpr const char* kEvaluateHelp = R"(usage: vitals evaluate --catalogue DIR --period PERIOD [options]

Fetches the catalogue's sources into the store, evaluates every indicator for
PERIOD (YYYY-MM, YYYY-Qn, YYYY or YYYY/YY) with the catalogue's rules, records
the run and prints the committee's exception summary. A run that could not
read every source or evaluate every indicator says so first and exits 1.

  --period PERIOD     the reporting period, e.g. 2017-03
  --format FORMAT     text (default), markdown or json
  --output FILE       write the report to FILE instead of standard output
  --json FILE         also write the JSON result (docs/report-format.md) to FILE
  --no-ingest         evaluate the stored data without fetching the sources
)";

}  // namespace

int run_evaluate(int argc, char** argv) {
  Args args;
  if (int rc = parse(argc, argv, kEvaluateHelp, with_common({"period", "format", "output", "json"}),
                     {"no-ingest"}, args);
      rc >= 0) {
    return rc;
  }
  auto period = period_option(args, "evaluate");
  if (!period) return kExitUsage;
  auto format = parse_report_format(args.get("format").value_or("text"));
  if (!format.ok()) {
    std::cerr << "vitals: " << format.status().message() << "\n";
    return kExitUsage;
  }

  int exit_code = kExitOk;
  auto engine = open_engine(args, true, exit_code);
  if (!engine) return exit_code;
  auto report = evaluate_period(*engine, *period, !args.has_flag("no-ingest"), exit_code);
  if (!report) return exit_code;

  auto main_output = rendered(*report, *format);
  if (!main_output) return kExitFailure;
  if (auto path = args.get("output")) {
    if (!write_file_atomically(*path, *main_output)) {
      std::cerr << "vitals: cannot write " << *path << "\n";
      return kExitFailure;
    }
  } else {
    std::cout << *main_output;
  }
  if (auto path = args.get("json")) {
    auto json = rendered(*report, ReportFormat::kJson);
    if (!json || !write_file_atomically(*path, *json)) {
      std::cerr << "vitals: cannot write " << *path << "\n";
      return kExitFailure;
    }
  }
  if (!report->complete()) print_incomplete(*report, std::cerr);
  return has_errors(report->diagnostics) || !report->complete() ? kExitDiagnostics : kExitOk;
}

}  // namespace vitals::cli
