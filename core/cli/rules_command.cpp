// SPDX-License-Identifier: Apache-2.0
#include "cli_common.hpp"

#include "diagnostic_groups.hpp"
#include "terminal.hpp"

#include "common/did_you_mean.hpp"

#include <vitals/install.hpp>
#include <vitals/rule_tests.hpp>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <optional>

namespace vitals::cli {

namespace {

// The value of --coverage-min: a number from 0 to 100.
std::optional<double> coverage_minimum(const std::string& text) {
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !(value >= 0 && value <= 100)) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

const CommandSpec& rules_command() {
  static const CommandSpec spec = {
      "rules test",
      "run the rule tests (vitals rules test [DIR...])",
      "vitals rules test [DIR or FILE...] [options]",
      "Runs rule tests. Each <rule>.test.toml under DIR (searched recursively), or\n"
      "each test FILE named, tests the rule <rule>.lua beside it. DIR may name a rule\n"
      "pack shipped with Vitals (vitals:council); with no DIR, the shipped rules are\n"
      "tested. The series each test describes is run through the rule and the\n"
      "status, message and evidence are compared with what the test expects. Prints\n"
      "PASS or FAIL for every test, with what differed (in green and red on a\n"
      "terminal; see --color).\n"
      "The test file format is in docs/rule-authoring.md.\n"
      "\n"
      "Exit status: 0 every test passed; 1 a test failed, a test file has errors,\n"
      "no test matches --run, or the line coverage is below --coverage-min; 2 invalid\n"
      "usage, or a missing folder or file.\n",
      {
          {"run", "REGEX", "run only the tests whose name matches REGEX\n"
           "(e.g. --run 'boundary|5%')"},
          {"junit", "FILE", "also write the results as JUnit XML to FILE"},
          {"format", "FORMAT", "text (default) or json: one \"vitals.rule_tests/1\"\n"
           "document on standard output (docs/report-format.md)", false, "text json"},
          {"coverage", "", "also list the rules without tests (and, with --catalogue,\n"
           "the indicators no test names), and the line coverage of\n"
           "each rule and module: its percentage and the lines no\n"
           "test ran"},
          {"coverage-min", "N", "exit with status 1 when the tests run less than N% (0 to\n"
           "100) of the lines of the rules and their modules"},
          {"catalogue", "DIR", "let tests take an indicator's definition from this\n"
           "catalogue (indicator = \"<id>\" in the test)"},
      },
      kPluginDirOption,
      "DIR or FILE",
      false,
  };
  return spec;
}

int run_rules(int argc, char** argv) {
  const bool help = argc >= 3 && (std::strcmp(argv[2], "--help") == 0 || std::strcmp(argv[2], "-h") == 0);
  if (argc < 3 || (std::strcmp(argv[2], "test") != 0 && !help)) {
    std::cerr << "vitals: 'vitals rules' needs a subcommand: vitals rules test [DIR or FILE...]";
    if (argc >= 3) std::cerr << "; not '" << argv[2] << "'" << detail::did_you_mean(argv[2], {"test"});
    std::cerr << "\n\n" << help_text(rules_command());
    return kExitUsage;
  }
  // The options and folders follow "test" (or are --help alone).
  Args args;
  if (int rc = parse(argc, argv, rules_command(), args, help ? 2 : 3); rc >= 0) return rc;
  std::vector<std::filesystem::path> dirs(args.operands.begin(), args.operands.end());
  const std::filesystem::path shipped = shipped_rules_dir();
  for (std::filesystem::path& dir : dirs) {
    const std::string name = dir.string();
    if (!shipped.empty() && name.starts_with(kShippedRulesPrefix)) {
      dir = shipped / name.substr(kShippedRulesPrefix.size());
    }
  }
  if (dirs.empty()) dirs.push_back(shipped.empty() ? std::filesystem::path("rules") : shipped);
  const std::optional<bool> json = json_format(args);
  if (!json) return kExitUsage;

  std::optional<double> minimum;
  if (auto text = args.get("coverage-min")) {
    minimum = coverage_minimum(*text);
    if (!minimum) {
      std::cerr << "vitals: --coverage-min must be a percentage from 0 to 100, not '" << *text
                << "'\n";
      return kExitUsage;
    }
  }

  RuleTestOptions options;
  options.dirs = dirs;
  options.coverage = args.has_flag("coverage") || minimum.has_value();
  options.run = args.get("run").value_or("");
  std::optional<Engine> engine;
  if (args.get("catalogue")) {
    int exit_code = kExitOk;
    engine = open_engine(args, false, exit_code);
    if (!engine) return exit_code;
    options.catalogue = &engine->catalogue();
  }
  auto report = run_rule_tests(options);
  if (!report.ok()) {
    std::cerr << "vitals: " << report.status().message() << "\n";
    const StatusCode code = report.status().code();
    return code == StatusCode::kNotFound || code == StatusCode::kInvalidArgument ? kExitUsage : kExitFailure;
  }
  if (*json) {
    std::cout << rule_test_json(*report, args.has_flag("coverage"));
  } else {
    // Diagnostics that differ only in their indicator are listed once, with a
    // count, unless -v is given; the JSON and JUnit results keep every one.
    RuleTestReport shown = *report;
    if (args.verbosity == 0) shown.diagnostics = group_by_indicator(report->diagnostics);
    std::cout << colour_pass_fail(format_rule_test_report(shown, args.has_flag("coverage")),
                                  std::cout);
  }
  if (auto path = args.get("junit")) {
    if (!output_written(write_output_file(*path, rule_test_junit_xml(*report)))) {
      return kExitFailure;
    }
  }
  // A selection that runs nothing must not pass unnoticed in a CI job.
  if (!options.run.empty() && report->test_count() == 0) {
    std::cerr << "vitals: no test's name matches --run '" << options.run << "'\n";
    return kExitDiagnostics;
  }
  if (minimum) {
    if (Status status = check_rule_coverage(*report, *minimum); !status.is_ok()) {
      std::cerr << "vitals: " << status.message() << "\n";
      return kExitDiagnostics;
    }
  }
  return report->ok() ? kExitOk : kExitDiagnostics;
}

}  // namespace vitals::cli
