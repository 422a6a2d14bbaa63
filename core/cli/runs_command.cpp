// SPDX-License-Identifier: Apache-2.0
#include <iostream>

#include "cli_common.hpp"

namespace vitals::cli {

const CommandSpec& runs_command() {
  static const CommandSpec spec = {
      "runs",
      "list the recorded runs with their manifests",
      "vitals runs [--store FILE] [--catalogue DIR] [options]",
      "Lists the runs recorded in the store, newest first: the period, the\n"
      "catalogue, when the run was recorded, its exceptions, whether a later run of\n"
      "the same period replaced it, and its manifest (the engine version and SHA-256\n"
      "digests of the catalogue, rules, plugins and input data it read; shortened in\n"
      "text, in full in JSON).\n",
      {
          {"catalogue", "DIR", "only the runs of this catalogue"},
          {"format", "FORMAT", "text (default) or json", false, "text json"},
      },
      kEngineOptions,
      "",
      false,
  };
  return spec;
}

int run_runs(int argc, char** argv) {
  Args args;
  if (int rc = parse(argc, argv, runs_command(), args); rc >= 0) return rc;
  auto format = parse_report_format(args.get("format").value_or("text"));
  if (!format.ok() || *format == ReportFormat::kMarkdown) {
    std::cerr << "vitals: runs are listed as text or json\n";
    return kExitUsage;
  }
  int exit_code = kExitOk;
  std::optional<Engine> engine;
  if (args.get("catalogue")) {
    engine = open_engine(args, true, exit_code);
  } else {
    auto opened = Engine::open(engine_options(args, true));
    if (!opened.ok()) {
      std::cerr << "vitals: " << opened.status().to_string() << "\n";
      return kExitFailure;
    }
    engine = std::move(*opened);
  }
  if (!engine) return exit_code;
  auto runs = engine->runs();
  if (!runs.ok()) {
    std::cerr << "vitals: " << runs.status().to_string() << "\n";
    return kExitFailure;
  }
  if (args.get("catalogue")) {
    const std::string& name = engine->catalogue().name;
    std::erase_if(*runs, [&](const RunInfo& r) { return r.catalogue != name; });
  }
  if (Status st = render_runs(*runs, *format, std::cout); !st.is_ok()) {
    std::cerr << "vitals: " << st.to_string() << "\n";
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace vitals::cli
