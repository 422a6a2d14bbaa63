// SPDX-License-Identifier: Apache-2.0
#include <iostream>

#include "cli_common.hpp"

namespace vitals::cli {

namespace {

constexpr const char* kCheckHelp = R"(usage: vitals check --catalogue DIR [options]

Validates the catalogue (every TOML file), its rule scripts and that each
source's plugin is available, without fetching or evaluating anything.
Problems are printed as FILE:LINE:COLUMN: error: MESSAGE [code].
)";

}  // namespace

int run_check(int argc, char** argv) {
  Args args;
  if (int rc = parse(argc, argv, kCheckHelp, kCommonOptions, {}, args); rc >= 0) return rc;
  int exit_code = kExitOk;
  auto engine = open_engine(args, false, exit_code);
  if (!engine) return exit_code;
  print_diagnostics(engine->diagnostics(), std::cout, false);
  const Catalogue& catalogue = engine->catalogue();
  std::cout << catalogue.name << ": " << catalogue.indicators.size() << " indicators, "
            << catalogue.sources.size() << " sources, " << engine->rule_ids().size() << " rules";
  bool errors = has_errors(engine->diagnostics());
  std::cout << (errors ? ": errors found\n" : ": OK\n");
  return errors ? kExitDiagnostics : kExitOk;
}

}  // namespace vitals::cli
