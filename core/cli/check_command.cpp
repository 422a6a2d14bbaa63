// SPDX-License-Identifier: Apache-2.0
#include <iostream>
#include <vector>

#include "cli_common.hpp"

namespace vitals::cli {

namespace {

constexpr const char* kCheckHelp = R"(usage: vitals check --catalogue DIR [options]

Validates the catalogue (every TOML file, its commentary, its meeting files
and accepted.toml), its rule scripts, the rule parameters it sets (against
what each rule declares) and each source's settings (through its plugin,
which checks them without fetching), without fetching or evaluating
anything. Problems are printed as FILE:LINE:COLUMN: error: MESSAGE [code].
Exit status: 0 when all is well, 1 when rule scripts, rule parameters,
plugins or source settings have errors, 2 when the catalogue, its commentary,
its meeting files or its accepted.toml does.

  --modules           also list each module the rules load with require and
                      the file it came from ("rule deterioration:
                      vitals.series from rules/lib/series.lua")
)";

}  // namespace

int run_check(int argc, char** argv) {
  Args args;
  if (int rc = parse(argc, argv, kCheckHelp, kCommonOptions, {"modules"}, args); rc >= 0)
    return rc;
  int exit_code = kExitOk;
  auto engine = open_engine(args, false, exit_code);
  if (!engine) return exit_code;
  const Catalogue& catalogue = engine->catalogue();
  // A run would only drop the accepted.toml entries in error; check treats
  // them as the invalid input they are.
  const std::vector<Diagnostic> accepted = check_acceptances(catalogue);
  std::vector<Diagnostic> diagnostics = engine->diagnostics();
  diagnostics.insert(diagnostics.end(), accepted.begin(), accepted.end());
  sort_and_deduplicate(diagnostics);
  print_diagnostics(diagnostics, std::cout, false);
  if (args.has_flag("modules")) {
    for (const RuleModule& m : engine->rule_modules()) {
      std::cout << "rule " << m.rule_id << ": " << m.module << " from " << m.file << "\n";
    }
  }
  std::cout << catalogue.name << ": " << catalogue.indicators.size() << " indicators, "
            << catalogue.sources.size() << " sources, " << engine->rule_ids().size() << " rules";
  bool errors = has_errors(diagnostics);
  std::cout << (errors ? ": errors found\n" : ": OK\n");
  if (has_errors(accepted)) return kExitUsage;
  return errors ? kExitDiagnostics : kExitOk;
}

}  // namespace vitals::cli
