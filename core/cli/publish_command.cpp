// SPDX-License-Identifier: Apache-2.0
#include <iostream>

#include <vitals/publish.hpp>

#include "cli_common.hpp"

namespace vitals::cli {

const CommandSpec& publish_command() {
  static const CommandSpec spec = {
      "publish",
      "publish every vital sign of a period as a static website",
      "vitals publish --catalogue DIR --period PERIOD --out DIR [options]",
      "Publishes every vital sign of PERIOD, exceptions or not, as a static website\n"
      "for the council's pages (docs/publishing.md): DIR/index.html lists every\n"
      "publication, newest first; DIR/<period>/ holds this one: index.html (the RAG\n"
      "dashboard), indicators/<id>.html (each report card with its full history and\n"
      "comparators) and downloads/ (dashboard.csv, series.csv, vital-signs.xlsx).\n"
      "A period already published is left as it is unless --replace is given;\n"
      "other publications are never changed.\n",
      {
          {"period", "PERIOD", "a month (2017-03) or a quarter (2016/17-Q4); for a\n"
           "quarter each indicator is shown at its latest period\n"
           "inside it by its own frequency"},
          {"out", "DIR", "the site's folder (created when missing)"},
          {"replace", "", "replace the publication of PERIOD if there is one"},
          {"no-ingest", "", "use the stored data without fetching the sources"},
          {"allow-incomplete", "", "publish even when the run is incomplete; every page\n"
           "then carries a banner saying what is missing"},
      },
      kEngineOptions,
      "",
      true,
  };
  return spec;
}

int run_publish(int argc, char** argv) {
  Args args;
  if (int rc = parse(argc, argv, publish_command(), args); rc >= 0) return rc;
  auto period = period_option(args, "publish");
  if (!period) return kExitUsage;
  auto out_dir = args.get("out");
  if (!out_dir) {
    std::cerr << "vitals: publish needs --out DIR (the site's folder)\n";
    return kExitUsage;
  }

  int exit_code = kExitOk;
  auto engine = open_engine(args, true, exit_code, nullptr, args.has_flag("no-ingest"),
                            /*evaluates_once=*/true);
  if (!engine) return exit_code;
  const Catalogue& catalogue = engine->catalogue();
  EvaluateOptions options;
  options.full_history = true;
  auto report = evaluate_period(*engine, publication_evaluation_period(catalogue, *period),
                                !args.has_flag("no-ingest"), exit_code, RunDiagnostics::kAll,
                                options);
  if (!report) return exit_code;
  if (refuse_incomplete(*report, args, "nothing was published", "publish")) return kExitDiagnostics;

  ReportInputs inputs = report_inputs(*engine, *report);
  PublishOptions publish;
  publish.site_dir = *out_dir;
  publish.period = *period;
  publish.replace = args.has_flag("replace");
  auto summary = publish_site(inputs, publish);
  if (!summary.ok()) {
    std::cerr << "vitals: " << summary.status().to_string() << "\n";
    return summary.status().code() == StatusCode::kIoError ||
                   summary.status().code() == StatusCode::kInternal
               ? kExitFailure
               : kExitUsage;
  }
  print_diagnostics(summary->diagnostics, std::cerr, false);
  std::cout << (summary->replaced ? "replaced " : "published ") << period->label() << " in "
            << summary->folder.string() << " ("
            << count_text(summary->files.size(), "file", "files") << ")\n";
  std::cout << "site index: " << (std::filesystem::path(*out_dir) / "index.html").string() << " lists "
            << count_text(summary->publications.size(), "publication", "publications") << "\n";
  return has_errors(report->diagnostics) || !report->complete() ? kExitDiagnostics : kExitOk;
}

}  // namespace vitals::cli
