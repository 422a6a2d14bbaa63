// SPDX-License-Identifier: Apache-2.0
#pragma once

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
  int verbosity = 0;  // each -v adds one

  /// The last value given for `name`, if any.
  std::optional<std::string> get(const std::string& name) const;
  /// Every value given for `name`, in order.
  std::vector<std::string> all(const std::string& name) const;
  bool has_flag(const std::string& name) const;
};

/// Parses argv. `value_options` take a value; `flag_options` do not. -v
/// and -vv add to verbosity; -q is the flag "quiet".
/// Returns an error message for unknown options or missing values.
std::optional<std::string> parse_args(int argc, char** argv,
                                      const std::vector<std::string>& value_options,
                                      const std::vector<std::string>& flag_options, Args& out);

}  // namespace vitals::cli
