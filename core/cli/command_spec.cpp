// SPDX-License-Identifier: Apache-2.0
#include "command_spec.hpp"

#include <sstream>

namespace vitals::cli {

namespace {

// The help of the engine options, shared by the commands that take them.
const std::vector<OptionSpec>& engine_options() {
  static const std::vector<OptionSpec> options = {
      {"catalogue", "DIR", "the catalogue directory (catalogue.toml, indicators/)"},
      {"store", "FILE", "the SQLite store (default: vitals.db in this directory)"},
      {"plugin-dir", "DIR",
       "also load source plugins from DIR (repeatable); the\n"
       "plugins beside the vitals binary and those in\n"
       "$VITALS_PLUGIN_PATH are always loaded",
       true},
  };
  return options;
}

constexpr unsigned kEngineOptionBits[] = {kCatalogueOption, kStoreOption, kPluginDirOption};

constexpr std::string_view kProgressNote =
    "On a terminal, loading a catalogue of more than 2,000 files, ingesting more\n"
    "than 2,000 series and evaluating more than 2,000 indicators show a progress\n"
    "bar on standard error; piped or redirected output never has one.\n";

// "  --period PERIOD     the reporting period": the option in 22 columns,
// its help beside it and under it.
void write_option(std::ostream& out, const OptionSpec& o) {
  std::string left = "  ";
  if (o.counted) {
    left += std::string("-") + o.short_name + ", -" + o.short_name + o.short_name;
  } else {
    if (o.short_name != 0) left += std::string("-") + o.short_name + ", ";
    left += "--" + std::string(o.name);
    if (!o.value.empty()) left += " " + std::string(o.value);
  }
  constexpr std::size_t kColumn = 22;
  if (left.size() + 2 > kColumn) {
    out << left << "\n" << std::string(kColumn, ' ');
  } else {
    out << left << std::string(kColumn - left.size(), ' ');
  }
  for (char c : o.help) {
    out << c;
    if (c == '\n') out << std::string(kColumn, ' ');
  }
  out << "\n";
}

}  // namespace

const std::vector<OptionSpec>& general_options() {
  static const std::vector<OptionSpec> options = {
      {"verbose", "", "log more (to standard error)", false, {}, 'v', true},
      {"quiet", "",
       "print only errors on standard error: no progress bar,\n"
       "warnings or notes",
       false, {}, 'q'},
      {"color", "WHEN",
       "colour PASS/FAIL and errors: auto (the default: only on\n"
       "a terminal, and not when NO_COLOR is set), always, never",
       false, "auto always never"},
      {"help", "", "print this help", false, {}, 'h'},
  };
  return options;
}

std::vector<OptionSpec> all_options(const CommandSpec& command) {
  std::vector<OptionSpec> all = command.options;
  auto declared = [&command](std::string_view name) {
    for (const OptionSpec& o : command.options) {
      if (o.name == name) return true;
    }
    return false;
  };
  for (std::size_t i = 0; i < engine_options().size(); ++i) {
    const OptionSpec& o = engine_options()[i];
    if ((command.common & kEngineOptionBits[i]) != 0 && !declared(o.name)) all.push_back(o);
  }
  for (const OptionSpec& o : general_options()) all.push_back(o);
  return all;
}

std::string help_text(const CommandSpec& command) {
  std::ostringstream out;
  out << "usage: " << command.usage << "\n";
  if (!command.description.empty()) out << "\n" << command.description;
  out << "\n";
  for (const OptionSpec& o : all_options(command)) write_option(out, o);
  if ((command.common & kCatalogueOption) != 0) out << "\n" << kProgressNote;
  return out.str();
}

}  // namespace vitals::cli
