// SPDX-License-Identifier: Apache-2.0
#include <iostream>

#include "cli_common.hpp"

namespace vitals::cli {

const CommandSpec& ingest_command() {
  static const CommandSpec spec = {
      "ingest",
      "fetch the catalogue's sources into the store",
      "vitals ingest --catalogue DIR [options]",
      "Fetches every source of the catalogue into the store. A source with a bad\n"
      "row stores nothing; earlier history is kept.\n",
      {
      },
      kEngineOptions,
      "",
      true,
  };
  return spec;
}

int run_ingest(int argc, char** argv) {
  Args args;
  if (int rc = parse(argc, argv, ingest_command(), args); rc >= 0) return rc;
  int exit_code = kExitOk;
  auto engine = open_engine(args, true, exit_code);
  if (!engine) return exit_code;
  auto summary = engine->ingest();
  if (!summary.ok()) {
    std::cerr << "vitals: " << summary.status().to_string() << "\n";
    return kExitFailure;
  }
  print_diagnostics(summary->diagnostics, std::cerr, false);
  std::cout << "ingested " << count_text(summary->sources, "source", "sources") << ", "
            << count_text(summary->series, "series", "series") << ": "
            << count_text(summary->inserted) << " new, " << count_text(summary->revised)
            << " revised, " << count_text(summary->unchanged) << " unchanged\n";
  // The engine notes each source it did not read again ("source.unchanged").
  std::size_t skipped = 0;
  for (const Diagnostic& d : summary->diagnostics) skipped += d.code == "source.unchanged" ? 1 : 0;
  if (skipped > 0) {
    std::cout << count_text(skipped, "source", "sources")
              << " unchanged since last read, not read again (source.unchanged)\n";
  }
  if (!summary->failed.empty()) {
    std::cout << count_text(summary->failed.size()) << " source(s) could not be read:";
    for (const SourceFailure& f : summary->failed) std::cout << " " << f.source;
    std::cout << "\n";
  }
  if (!summary->unknown_series.empty()) {
    std::cout << count_text(summary->unknown_series.size())
              << " series no indicator reads (data.unknown_series; stored, not used)\n";
  }
  return has_errors(summary->diagnostics) ? kExitDiagnostics : kExitOk;
}

}  // namespace vitals::cli
