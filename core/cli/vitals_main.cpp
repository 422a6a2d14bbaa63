// SPDX-License-Identifier: Apache-2.0
// The `vitals` command: a thin client of libvitals' public API. Each command
// lives in its own <name>_command.cpp; this file only dispatches.
#include <array>
#include <iostream>
#include <string_view>

#include <vitals/version.hpp>

#include "cli_common.hpp"

namespace {

struct Command {
  std::string_view name;
  int (*run)(int argc, char** argv);
  std::string_view summary;
};

int run_version(int, char**) {
  std::cout << "vitals " << vitals::version_string() << "\n";
  return vitals::cli::kExitOk;
}

constexpr std::array kCommands = {
    Command{"evaluate", vitals::cli::run_evaluate,
            "ingest the sources, evaluate a period, print the exception summary"},
    Command{"check", vitals::cli::run_check,
            "validate a catalogue and its rules without evaluating"},
    Command{"ingest", vitals::cli::run_ingest, "fetch the catalogue's sources into the store"},
    Command{"report", vitals::cli::run_report,
            "write the committee report: summary, dashboard and report cards"},
    Command{"publish", vitals::cli::run_publish,
            "publish every vital sign of a period as a static website"},
    Command{"rules", vitals::cli::run_rules, "run the rule tests (vitals rules test [DIR...])"},
    Command{"explain", vitals::cli::run_explain,
            "explain, rule by rule, why an indicator is or is not an exception"},
    Command{"backtest", vitals::cli::run_backtest,
            "replay proposed rules over stored history against the current ones"},
    Command{"runs", vitals::cli::run_runs, "list the recorded runs with their manifests"},
    Command{"diff", vitals::cli::run_diff, "show what changed between two runs (vitals diff A B)"},
    Command{"risks", vitals::cli::run_risks,
            "print the risk exception report and the register's reconciliation"},
    Command{"version", run_version, "print the version"},
};

void usage(std::ostream& out) {
  out << "usage: vitals <command> [options]\n\nCommands:\n";
  for (const Command& c : kCommands) {
    out << "  " << c.name << std::string(12 - c.name.size(), ' ') << c.summary << "\n";
  }
  out << "\nRun 'vitals <command> --help' for a command's options.\n\n"
         "Exit status: 0 success (exceptions found or not); 1 the run completed but\n"
         "some rules or sources failed (see the diagnostics); 2 invalid input or usage;\n"
         "3 the store or an internal step failed.\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    usage(std::cerr);
    return vitals::cli::kExitUsage;
  }
  std::string_view name = argv[1];
  if (name == "help" || name == "--help" || name == "-h") {
    usage(std::cout);
    return vitals::cli::kExitOk;
  }
  if (name == "--version") name = "version";
  for (const Command& c : kCommands) {
    if (c.name == name) return c.run(argc, argv);
  }
  std::cerr << "vitals: unknown command '" << name << "'\n\n";
  usage(std::cerr);
  return vitals::cli::kExitUsage;
}
