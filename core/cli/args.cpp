// SPDX-License-Identifier: Apache-2.0
#include "args.hpp"

#include "common/did_you_mean.hpp"

#include <CLI/CLI.hpp>
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

namespace {

// "--colour" -> "; did you mean '--color'?" among the command's options.
std::string option_suggestion(const std::string& arg, const std::vector<OptionSpec>& options) {
  std::vector<std::string> names;
  for (const OptionSpec& o : options) names.push_back("--" + std::string(o.name));
  std::string word = arg.substr(0, arg.find('='));
  return detail::did_you_mean(word, names);
}

}  // namespace

std::optional<std::string> parse_args(int argc, char** argv, int first, const CommandSpec& command,
                                      Args& out) {
  const std::vector<OptionSpec> options = all_options(command);
  CLI::App app{std::string(command.summary), "vitals " + std::string(command.name)};
  // Help, unknown options and plain arguments are answered here, in the
  // words of the other messages, rather than by CLI11's own printing.
  app.set_help_flag();
  app.allow_extras();
  app.positionals_at_end(false);
  int verbose = 0;
  std::map<std::string, CLI::Option*> parsed;
  for (const OptionSpec& o : options) {
    const std::string name(o.name);
    std::string flags = "--" + name;
    if (o.short_name != 0) flags = std::string("-") + o.short_name + "," + flags;
    if (o.counted) {  // -v, -vv: the verbosity
      app.add_flag(flags, verbose);
      continue;
    }
    CLI::Option* option = o.value.empty() ? app.add_flag(flags) : app.add_option(flags);
    if (!o.value.empty()) {
      option->type_size(1)->expected(1)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
      option->allow_extra_args(false);
    }
    parsed[name] = option;
  }
  std::vector<std::string> words;
  for (int i = argc - 1; i >= first; --i) words.emplace_back(argv[i]);  // CLI11 takes them reversed
  try {
    app.parse(words);
  } catch (const CLI::ArgumentMismatch& e) {
    std::string message = e.what();
    for (const OptionSpec& o : options) {
      if (!o.value.empty() && message.starts_with("--" + std::string(o.name) + ":")) {
        return "option --" + std::string(o.name) + " needs a value (" + std::string(o.value) + ")";
      }
    }
    return message;
  } catch (const CLI::ParseError& e) {
    return std::string(e.what());
  }
  out.command = std::string(command.name);
  out.verbosity += verbose;
  for (const auto& [name, option] : parsed) {
    if (option->count() == 0) continue;
    if (option->get_expected_min() == 0) {
      out.flags.push_back(name);
    } else {
      for (const std::string& value : option->results()) out.options[name].push_back(value);
    }
  }
  bool after_dashes = false;
  for (const std::string& arg : app.remaining()) {
    if (!after_dashes && arg == "--") {
      after_dashes = true;
      continue;
    }
    if (!after_dashes && arg.size() > 1 && arg[0] == '-') {
      return "unknown option '" + arg.substr(0, arg.find('=')) + "' for 'vitals " + out.command +
             "'" + option_suggestion(arg, options);
    }
    if (command.operands.empty()) {
      return "unexpected argument '" + arg + "' for 'vitals " + out.command + "'";
    }
    out.operands.push_back(arg);
  }
  return std::nullopt;
}

}  // namespace vitals::cli
