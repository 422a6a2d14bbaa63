// SPDX-License-Identifier: Apache-2.0
// The `vitals` command: a thin client of libvitals' public API. Each command
// lives in its own <name>_command.cpp with the spec of what it accepts; this
// file only dispatches, and answers help, version, completion and man.
#include "cli_common.hpp"
#include "common/did_you_mean.hpp"

#include <vitals/version.hpp>

#include <iostream>
#include <string>
#include <string_view>
#include <vector>

namespace vitals::cli {

namespace {

const CommandSpec& help_command() {
  static const CommandSpec spec = {
      "help",
      "list the commands, or show one command's help (vitals help evaluate)",
      "vitals help [COMMAND]",
      "",
      {},
      kNoCommonOptions,
      "COMMAND"};
  return spec;
}

const CommandSpec& version_command() {
  static const CommandSpec spec = {"version", "print the version", "vitals version", "", {}};
  return spec;
}

const CommandSpec& completion_command() {
  static const CommandSpec spec = {
      "completion",
      "print the bash or zsh completion script (vitals completion bash)",
      "vitals completion bash|zsh",
      "Prints the completion script for bash or zsh on standard output. An\n"
      "installed Vitals has them in share/bash-completion/completions/vitals and\n"
      "share/zsh/site-functions/_vitals, where the shells look for them.\n",
      {},
      kNoCommonOptions,
      "SHELL"};
  return spec;
}

const CommandSpec& man_command() {
  static const CommandSpec spec = {
      "man",
      "print the manual page vitals(1) in roff",
      "vitals man",
      "Prints the manual page vitals(1) (roff, man macros) on standard output:\n"
      "every command and option, as the help shows them. An installed Vitals has\n"
      "it in share/man/man1/vitals.1.\n",
      {}};
  return spec;
}

struct Command {
  const CommandSpec& (*spec)();
  int (*run)(int argc, char** argv);
};

int run_help(int argc, char** argv);
int run_version(int argc, char** argv);
int run_completion(int argc, char** argv);
int run_man(int argc, char** argv);

const std::vector<Command>& commands() {
  static const std::vector<Command> list = {
      {evaluate_command, run_evaluate},
      {check_command, run_check},
      {ingest_command, run_ingest},
      {report_command, run_report},
      {publish_command, run_publish},
      {rules_command, run_rules},
      {explain_command, run_explain},
      {backtest_command, run_backtest},
      {runs_command, run_runs},
      {diff_command, run_diff},
      {risks_command, run_risks},
      {help_command, run_help},
      {completion_command, run_completion},
      {man_command, run_man},
      {version_command, run_version},
  };
  return list;
}

// "rules" for "rules test": the word typed after `vitals`.
std::string_view first_word(std::string_view name) { return name.substr(0, name.find(' ')); }

std::vector<std::string> command_words() {
  std::vector<std::string> words;
  for (const Command& c : commands()) words.emplace_back(first_word(c.spec().name));
  return words;
}

const Command* find_command(std::string_view word) {
  for (const Command& c : commands()) {
    if (first_word(c.spec().name) == word) return &c;
  }
  return nullptr;
}

void usage(std::ostream& out) {
  out << "usage: vitals <command> [options]\n\nCommands:\n";
  for (const Command& c : commands()) {
    const std::string_view name = first_word(c.spec().name);
    out << "  " << name << std::string(12 - name.size(), ' ') << c.spec().summary << "\n";
  }
  out << "\nRun 'vitals <command> --help' or 'vitals help <command>' for a command's options.\n\n"
         "Exit status: 0 success (exceptions found or not); 1 the run completed but\n"
         "some rules or sources failed (see the diagnostics); 2 invalid input or usage;\n"
         "3 the store or an internal step failed.\n";
}

// "vitals: unknown command 'evalute'; did you mean 'evaluate'?" and the list.
int unknown_command(std::string_view word) {
  std::cerr << "vitals: unknown command '" << word << "'"
            << detail::did_you_mean(word, command_words()) << "\n\n";
  usage(std::cerr);
  return kExitUsage;
}

int run_help(int argc, char** argv) {
  Args args;
  if (int rc = parse(argc, argv, help_command(), args); rc >= 0) return rc;
  if (args.operands.empty()) {
    usage(std::cout);
    return kExitOk;
  }
  if (args.operands.size() > 1) {
    std::cerr << "vitals: help takes one command, e.g. vitals help evaluate\n";
    return kExitUsage;
  }
  const Command* c = find_command(args.operands[0]);
  if (c == nullptr) return unknown_command(args.operands[0]);
  std::cout << help_text(c->spec());
  return kExitOk;
}

int run_version(int argc, char** argv) {
  Args args;
  if (int rc = parse(argc, argv, version_command(), args); rc >= 0) return rc;
  std::cout << "vitals " << version_string() << "\n";
  return kExitOk;
}

int run_completion(int argc, char** argv) {
  Args args;
  if (int rc = parse(argc, argv, completion_command(), args); rc >= 0) return rc;
  const std::string shell = args.operands.size() == 1 ? args.operands[0] : "";
  if (shell == "bash") {
    std::cout << bash_completion();
  } else if (shell == "zsh") {
    std::cout << zsh_completion();
  } else {
    std::cerr << "vitals: completion needs a shell, bash or zsh"
              << (shell.empty()
                      ? ""
                      : ", not '" + shell + "'" + detail::did_you_mean(shell, {"bash", "zsh"}))
              << "\n";
    return kExitUsage;
  }
  return kExitOk;
}

int run_man(int argc, char** argv) {
  Args args;
  if (int rc = parse(argc, argv, man_command(), args); rc >= 0) return rc;
  std::cout << man_page();
  return kExitOk;
}

}  // namespace

const std::vector<const CommandSpec*>& command_specs() {
  static const std::vector<const CommandSpec*> specs = [] {
    std::vector<const CommandSpec*> list;
    for (const Command& c : commands()) list.push_back(&c.spec());
    return list;
  }();
  return specs;
}

}  // namespace vitals::cli

int main(int argc, char** argv) {
  using namespace vitals::cli;
  if (argc < 2) {
    usage(std::cerr);
    return kExitUsage;
  }
  std::string_view name = argv[1];
  if (name == "--help" || name == "-h") name = "help";
  if (name == "--version") name = "version";
  if (const Command* c = find_command(name)) return c->run(argc, argv);
  return unknown_command(name);
}
