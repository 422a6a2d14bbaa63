// SPDX-License-Identifier: Apache-2.0
#include <iostream>
#include <vector>

#include <vitals/command_output.hpp>

#include "cli_common.hpp"

namespace vitals::cli {

const CommandSpec& check_command() {
  static const CommandSpec spec = {
      "check",
      "validate a catalogue and its rules without evaluating",
      "vitals check --catalogue DIR [options]",
      "Validates the catalogue (every TOML file, its commentary, its meeting files\n"
      "and accepted.toml), its rule scripts, the rule parameters it sets (against\n"
      "what each rule declares) and each source's settings (through its plugin,\n"
      "which checks them without fetching), without fetching or evaluating\n"
      "anything. Problems are printed as FILE:LINE:COLUMN: error: MESSAGE [code].\n"
      "Exit status: 0 when all is well, 1 when rule scripts, rule parameters,\n"
      "plugins or source settings have errors, 2 when the catalogue, its commentary,\n"
      "its meeting files or its accepted.toml does.\n",
      {
          {"modules", "", "also list each module the rules load with require and\n"
           "the file it came from (\"rule deterioration:\n"
           "vitals.series from rules/lib/series.lua\")"},
          {"format", "FORMAT", "text (default) or json: one \"vitals.check/1\" document\n"
           "on standard output (docs/report-format.md)", false, "text json"},
      },
      kCatalogueOption | kPluginDirOption,
      "",
      true,
  };
  return spec;
}

int run_check(int argc, char** argv) {
  Args args;
  if (int rc = parse(argc, argv, check_command(), args); rc >= 0) return rc;
  const std::optional<bool> json = json_format(args);
  if (!json) return kExitUsage;
  CheckReport check;
  int exit_code = kExitOk;
  auto engine = open_engine(args, false, exit_code, *json ? &check.diagnostics : nullptr);
  if (!engine) {
    if (exit_code == kExitUsage && *json && !render_check_json(check, std::cout).is_ok()) {
      return kExitFailure;
    }
    return exit_code;
  }
  const Catalogue& catalogue = engine->catalogue();
  // A run would only drop the accepted.toml entries in error; check treats
  // them as the invalid input they are.
  const std::vector<Diagnostic> accepted = check_acceptances(catalogue);
  check.diagnostics = engine->diagnostics();
  check.diagnostics.insert(check.diagnostics.end(), accepted.begin(), accepted.end());
  sort_and_deduplicate(check.diagnostics);
  check.loaded = true;
  check.catalogue = catalogue.name;
  check.indicators = catalogue.indicators.size();
  check.sources = catalogue.sources.size();
  check.rules = engine->rule_ids().size();
  if (args.has_flag("modules")) check.modules = engine->rule_modules();
  const bool errors = has_errors(check.diagnostics);
  if (*json) {
    if (!render_check_json(check, std::cout).is_ok()) return kExitFailure;
  } else {
    print_diagnostics(check.diagnostics, std::cout, false);
    for (const RuleModule& m : check.modules) {
      std::cout << "rule " << m.rule_id << ": " << m.module << " from " << m.file << "\n";
    }
    std::cout << catalogue.name << ": " << check.indicators << " indicators, " << check.sources
              << " sources, " << check.rules << " rules" << (errors ? ": errors found\n" : ": OK\n");
  }
  if (has_errors(accepted)) return kExitUsage;
  return errors ? kExitDiagnostics : kExitOk;
}

}  // namespace vitals::cli
