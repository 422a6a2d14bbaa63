// SPDX-License-Identifier: Apache-2.0
#include "args.hpp"

#include <algorithm>

namespace vitals::cli {

std::optional<std::string> Args::get(const std::string& name) const {
  auto it = options.find(name);
  if (it == options.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> Args::all(const std::string& name) const {
  auto it = options.find(name);
  return it == options.end() ? std::vector<std::string>{} : it->second;
}

bool Args::has_flag(const std::string& name) const {
  return std::find(flags.begin(), flags.end(), name) != flags.end();
}

std::optional<std::string> parse_args(int argc, char** argv,
                                      const std::vector<std::string>& value_options,
                                      const std::vector<std::string>& flag_options, Args& out) {
  auto known = [](const std::vector<std::string>& list, const std::string& name) {
    return std::find(list.begin(), list.end(), name) != list.end();
  };
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "-v" || arg == "--verbose") {
      ++out.verbosity;
      continue;
    }
    if (arg == "-vv") {
      out.verbosity += 2;
      continue;
    }
    if (arg == "-q") {
      out.flags.push_back("quiet");
      continue;
    }
    if (arg.rfind("--", 0) != 0) return "unexpected argument '" + arg + "'";
    std::string name = arg.substr(2);
    std::optional<std::string> value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    if (known(flag_options, name) && !value) {
      out.flags.push_back(name);
    } else if (known(value_options, name)) {
      if (!value) {
        if (i + 1 >= argc) return "option --" + name + " needs a value";
        value = argv[++i];
      }
      out.options[name].push_back(*value);
    } else {
      return "unknown option '--" + name + "' for 'vitals " + out.command + "'";
    }
  }
  return std::nullopt;
}

}  // namespace vitals::cli
