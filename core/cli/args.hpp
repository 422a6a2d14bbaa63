// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "command_spec.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace vitals::cli {

/// Command-line arguments: `vitals <command> [--option value]... [--flag]...`.
/// Options may repeat; `--name=value` is accepted too.
struct Args {
  std::string command;
  std::map<std::string, std::vector<std::string>> options;
  std::vector<std::string> flags;
  std::vector<std::string> operands;  // the plain arguments, for a command that takes them
  int verbosity = 0;                  // each -v adds one

  /// The last value given for `name`, if any.
  std::optional<std::string> get(const std::string& name) const;
  /// Every value given for `name`, in order.
  std::vector<std::string> all(const std::string& name) const;
  bool has_flag(const std::string& name) const;
};

/// Parses argv[first..argc) with CLI11 as the options of `command`
/// (all_options). -h and --help are the flag "help"; -v and -vv add to
/// verbosity; -q is the flag "quiet". Returns an error message for an unknown
/// option (with "did you mean" for a misspelt one), a missing value, or a
/// plain argument the command does not take.
std::optional<std::string> parse_args(int argc, char** argv, int first, const CommandSpec& command,
                                      Args& out);

}  // namespace vitals::cli
