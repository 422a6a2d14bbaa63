// SPDX-License-Identifier: Apache-2.0
#include "catch.hpp"

#include <string>
#include <vector>

#include "cli/args.hpp"

using vitals::cli::Args;
using vitals::cli::CommandSpec;
using vitals::cli::parse_args;

namespace {

const CommandSpec& sample() {
  static const CommandSpec spec = {
      "sample",
      "a command for the tests",
      "vitals sample --period PERIOD [options]",
      "",
      {
          {"period", "PERIOD", "the period"},
          {"rules", "DIR", "rules (repeatable)", true},
          {"no-ingest", "", "do not fetch"},
      },
      vitals::cli::kStoreOption,
  };
  return spec;
}

// Parses `words` as `vitals sample WORDS...`; the problem, or "" when none.
std::string parse(std::vector<std::string> words, Args& args,
                  const CommandSpec& command = sample()) {
  words.insert(words.begin(), {"vitals", "sample"});
  std::vector<char*> argv;
  for (std::string& w : words) argv.push_back(w.data());
  auto problem = parse_args(static_cast<int>(argv.size()), argv.data(), 2, command, args);
  return problem.value_or("");
}

}  // namespace

TEST_CASE("options, flags, repeats, -v and -q are parsed as before", "[cli]") {
  Args args;
  REQUIRE(parse({"--period", "2017-03", "--rules", "a", "--rules=b", "--no-ingest", "-vv", "-q",
                 "--color", "never", "--store", "v.db"},
                args) == "");
  CHECK(args.command == "sample");
  CHECK(args.get("period") == "2017-03");
  CHECK(args.all("rules") == std::vector<std::string>{"a", "b"});
  CHECK(args.has_flag("no-ingest"));
  CHECK(args.has_flag("quiet"));
  CHECK_FALSE(args.has_flag("help"));
  CHECK(args.verbosity == 2);
  CHECK(args.get("color") == "never");
  CHECK(args.get("store") == "v.db");

  Args more;
  REQUIRE(parse({"-v", "--verbose", "--quiet", "-h"}, more) == "");
  CHECK(more.verbosity == 2);
  CHECK(more.has_flag("quiet"));
  CHECK(more.has_flag("help"));
  CHECK_FALSE(more.get("period"));
}

TEST_CASE("a misspelt option gets a suggestion, and options of other commands are unknown", "[cli]") {
  Args args;
  CHECK(parse({"--perod", "2017-03"}, args) ==
        "unknown option '--perod' for 'vitals sample'; did you mean '--period'?");
  CHECK(parse({"--colour=always"}, args) ==
        "unknown option '--colour' for 'vitals sample'; did you mean '--color'?");
  // --catalogue and --plugin-dir are not among this command's options.
  CHECK(parse({"--plugin-dir", "x"}, args).starts_with("unknown option '--plugin-dir'"));
  CHECK(parse({"--zzzzzz"}, args) == "unknown option '--zzzzzz' for 'vitals sample'");
}

TEST_CASE("a missing value and a plain argument are refused, unless the command takes them",
          "[cli]") {
  Args args;
  CHECK(parse({"--period"}, args) == "option --period needs a value (PERIOD)");
  CHECK(parse({"stray"}, args) == "unexpected argument 'stray' for 'vitals sample'");

  CommandSpec with_operands = sample();
  with_operands.operands = "RUN_A RUN_B";
  Args two;
  REQUIRE(parse({"3", "--period", "2017-03", "4"}, two, with_operands) == "");
  CHECK(two.operands == std::vector<std::string>{"3", "4"});
  CHECK(two.get("period") == "2017-03");
}

TEST_CASE("a command's help lists its own options, the common ones it takes and the general ones",
          "[cli]") {
  const std::string help = vitals::cli::help_text(sample());
  CHECK(help.starts_with("usage: vitals sample --period PERIOD [options]\n"));
  CHECK(help.find("  --period PERIOD     the period\n") != std::string::npos);
  CHECK(help.find("  --store FILE        the SQLite store") != std::string::npos);
  CHECK(help.find("--catalogue") == std::string::npos);
  CHECK(help.find("--plugin-dir") == std::string::npos);
  CHECK(help.find("  -h, --help          print this help\n") != std::string::npos);
  CHECK(help.find("  -q, --quiet") != std::string::npos);
  CHECK(help.find("  -v, -vv") != std::string::npos);
}
