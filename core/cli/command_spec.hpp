// SPDX-License-Identifier: Apache-2.0
#pragma once

// What a `vitals` command accepts, declared once beside the command: the
// parser (CLI11), the help, the shell completion scripts and the man page
// are all made from it.

#include <string>
#include <string_view>
#include <vector>

namespace vitals::cli {

/// One `--name [VALUE]` option of a command.
struct OptionSpec {
  std::string_view name;          // "period" for --period
  std::string_view value;         // "PERIOD"; empty for a flag
  std::string_view help;          // lines of at most 56 columns, '\n' between them
  bool repeatable = false;        // may be given more than once (all values kept)
  std::string_view choices = {};  // the values it takes, space separated, for completion
  char short_name = 0;            // 'h' for -h as well as --help
  bool counted = false;           // a flag whose repeats add up: -v, -vv (verbosity)
};

/// The engine options a command takes, with the shared wording of their help.
enum CommonOptions : unsigned {
  kNoCommonOptions = 0,
  kCatalogueOption = 1,  // --catalogue DIR
  kStoreOption = 2,      // --store FILE
  kPluginDirOption = 4,  // --plugin-dir DIR (repeatable)
  kEngineOptions = kCatalogueOption | kStoreOption | kPluginDirOption,
};

/// A command: `vitals <name> ...` ("rules test" for a subcommand).
struct CommandSpec {
  std::string_view name;
  std::string_view summary;      // one line, for the command list
  std::string_view usage;        // "vitals evaluate --catalogue DIR ..."
  std::string_view description;  // the paragraphs the help shows after the usage
  std::vector<OptionSpec> options;
  unsigned common = kNoCommonOptions;
  std::string_view operands = {};  // "DIR or FILE" when plain arguments are taken
  bool catalogue_required = false;
};

/// The options every command takes: -h/--help, -v/-vv, -q/--quiet, --color.
const std::vector<OptionSpec>& general_options();

/// Every option `command` accepts, its own first, then the common ones it
/// takes (unless it declares one of the same name itself), then the general
/// ones.
std::vector<OptionSpec> all_options(const CommandSpec& command);

/// The text of `vitals <command> --help`.
std::string help_text(const CommandSpec& command);

/// The commands with their specs, in the order `vitals help` lists them.
const std::vector<const CommandSpec*>& command_specs();

/// The bash completion script for every command (the function _vitals).
std::string bash_completion();

/// The zsh completion script (#compdef vitals).
std::string zsh_completion();

/// The manual page vitals(1), in roff (man macros).
std::string man_page();

}  // namespace vitals::cli
