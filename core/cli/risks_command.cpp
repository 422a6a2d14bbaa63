// SPDX-License-Identifier: Apache-2.0
#include <charconv>
#include <iostream>
#include <sstream>

#include "cli_common.hpp"

namespace vitals::cli {

const CommandSpec& risks_command() {
  static const CommandSpec spec = {
      "risks",
      "print the risk exception report and the register's reconciliation",
      "vitals risks --catalogue DIR --period PERIOD [options]",
      "Fetches the catalogue's sources into the store and prints the risk report:\n"
      "a summary of every risk of the register as at PERIOD (the latest stored at\n"
      "or before it) with the band counts and the risk matrix, the risks reported\n"
      "by exception (current score at or above the threshold with prospects red or\n"
      "amber) with their full entries, then the reconciliation with the register\n"
      "before it (new and closed risks, changes of score, title or description).\n"
      "Each risk lists the vital signs linked to it: those that weaken it now (the\n"
      "risk_impact rule reports the link in PERIOD's evaluation, with the link's\n"
      "mechanism and the indicator's state) and those that do not.\n",
      {
          {"period", "PERIOD", "the reporting period, e.g. 2017-03"},
          {"threshold", "SCORE", "report risks scoring SCORE or more (default 12)"},
          {"format", "FORMAT", "text (default), markdown, html or json", false, "text markdown html json"},
          {"output", "FILE", "write the report to FILE instead of standard output"},
          {"no-ingest", "", "use the stored registers without fetching the sources"},
          {"no-indicators", "", "leave out the linked vital signs (no evaluation)"},
      },
      kEngineOptions,
      "",
      true,
  };
  return spec;
}

int run_risks(int argc, char** argv) {
  Args args;
  if (int rc = parse(argc, argv, risks_command(), args); rc >= 0) return rc;
  auto period = period_option(args, "risks");
  if (!period) return kExitUsage;
  const std::string format_text = args.get("format").value_or("text");
  const bool html = format_text == "html";
  auto format = parse_report_format(html ? "text" : format_text);
  if (!format.ok()) {
    std::cerr << "vitals: --format is '" << format_text
              << "'; expected text, markdown, html or json\n";
    return kExitUsage;
  }
  RiskReportOptions options;
  options.indicators = !args.has_flag("no-indicators");
  if (auto text = args.get("threshold")) {
    int value = 0;
    auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc() || ptr != text->data() + text->size() || value < 1 || value > 25) {
      std::cerr << "vitals: --threshold must be a risk score from 1 to 25, not '" << *text
                << "'\n";
      return kExitUsage;
    }
    options.threshold = value;
  }

  int exit_code = kExitOk;
  auto engine = open_engine(args, true, exit_code);
  if (!engine) return exit_code;
  bool errors = false;
  if (!args.has_flag("no-ingest")) {
    auto ingested = engine->ingest();
    if (!ingested.ok()) {
      std::cerr << "vitals: " << ingested.status().to_string() << "\n";
      return kExitFailure;
    }
    print_diagnostics(ingested->diagnostics, std::cerr, true);
    errors = has_errors(ingested->diagnostics);
  }
  auto report = engine->risk_report(*period, options);
  if (!report.ok()) {
    std::cerr << "vitals: " << report.status().to_string() << "\n";
    return kExitFailure;
  }
  std::ostringstream out;
  Status rendered = html ? render_risk_report_html(*report, out)
                         : render_risk_report(*report, *format, out);
  if (Status st = rendered; !st.is_ok()) {
    std::cerr << "vitals: " << st.to_string() << "\n";
    return kExitFailure;
  }
  if (auto path = args.get("output")) {
    if (!output_written(write_output_file(*path, out.str()))) {
      return kExitFailure;
    }
  } else {
    std::cout << out.str();
  }
  return errors ? kExitDiagnostics : kExitOk;
}

}  // namespace vitals::cli
