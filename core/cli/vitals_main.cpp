// SPDX-License-Identifier: Apache-2.0
// The `vitals` command: a thin client of libvitals' public API.
#include <cstring>
#include <iostream>
#include <string>

#include <vitals/version.hpp>

#include "commands.hpp"

namespace {

constexpr const char* kUsage = R"(usage: vitals <command> [options]

Commands:
  evaluate   ingest the catalogue's sources, evaluate every indicator for a
             period and print the committee's exception summary
  check      validate a catalogue and its rules without evaluating
  ingest     fetch the catalogue's sources into the store
  version    print the version

Run 'vitals <command> --help' for a command's options.

Exit status: 0 success (exceptions found or not); 1 the run completed but
some rules or sources failed (see the diagnostics); 2 invalid input or usage;
3 the store or an internal step failed.
)";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], "help") == 0 || std::strcmp(argv[1], "--help") == 0 ||
      std::strcmp(argv[1], "-h") == 0) {
    std::cout << kUsage;
    return argc < 2 ? vitals::cli::kExitUsage : vitals::cli::kExitOk;
  }
  std::string command = argv[1];
  if (command == "version" || command == "--version") {
    std::cout << "vitals " << vitals::version_string() << "\n";
    return vitals::cli::kExitOk;
  }
  if (command == "evaluate") return vitals::cli::run_evaluate(argc, argv);
  if (command == "check") return vitals::cli::run_check(argc, argv);
  if (command == "ingest") return vitals::cli::run_ingest(argc, argv);
  std::cerr << "vitals: unknown command '" << command << "'\n\n" << kUsage;
  return vitals::cli::kExitUsage;
}
