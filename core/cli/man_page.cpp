// SPDX-License-Identifier: Apache-2.0
// The manual page vitals(1), made from the commands' specs.
#include "command_spec.hpp"

#include <vitals/version.hpp>

#include <cctype>
#include <sstream>

namespace vitals::cli {

namespace {

// `text` for roff: backslashes escaped, hyphens as \-, and a line starting
// with '.' or '\'' protected so it is not read as a request.
std::string roff(std::string_view text) {
  std::string out;
  bool line_start = true;
  for (char c : text) {
    if (line_start && (c == '.' || c == '\'')) out += "\\&";
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else {
      out += c;
    }
    line_start = c == '\n';
  }
  return out;
}

// Paragraphs for roff: a blank line becomes .PP, other lines are kept (the
// formatter fills them).
std::string paragraphs(std::string_view text) {
  std::string out;
  std::istringstream lines{std::string(text)};
  std::string line;
  bool first = true;
  while (std::getline(lines, line)) {
    if (line.empty()) {
      if (!first) out += ".PP\n";
      continue;
    }
    first = false;
    out += roff(line) + "\n";
  }
  return out;
}

// .TP with the option in bold and its value in italics, then its help.
void write_option(std::ostream& out, const OptionSpec& o) {
  out << ".TP\n";
  if (o.counted) {
    out << "\\fB\\-" << o.short_name << "\\fR, \\fB\\-" << o.short_name << o.short_name
        << "\\fR\n";
  } else {
    if (o.short_name != 0) out << "\\fB\\-" << o.short_name << "\\fR, ";
    out << "\\fB\\-\\-" << roff(o.name) << "\\fR";
    if (!o.value.empty()) out << " \\fI" << roff(o.value) << "\\fR";
    out << "\n";
  }
  std::string help(o.help);
  for (char& c : help) {
    if (c == '\n') c = ' ';
  }
  out << roff(help) << "\n";
}

}  // namespace

std::string man_page() {
  std::ostringstream out;
  out << ".TH VITALS 1 \"\" \"vitals " << roff(version_string()) << "\" \"User Commands\"\n"
      << ".nh\n"
         ".ad l\n"
         ".SH NAME\n"
         "vitals \\- evaluate performance indicators against rules and report the exceptions\n"
         ".SH SYNOPSIS\n"
         ".B vitals\n"
         ".I command\n"
         "[\\fIoptions\\fR]\n"
         ".SH DESCRIPTION\n"
         "Vitals evaluates a catalogue of performance indicators (vital signs) with\n"
         "its rules and reports the exceptions to a committee.\n"
         "Each command below takes the options listed under it and those under\n"
         ".BR \"GENERAL OPTIONS\" .\n"
         ".B vitals help\n"
         ".I command\n"
         "and\n"
         ".B vitals\n"
         ".I command\n"
         ".B \\-\\-help\n"
         "show the same.\n"
         ".SH COMMANDS\n";
  for (const CommandSpec* c : command_specs()) {
    out << ".SS \"" << roff(c->usage) << "\"\n";
    std::string summary(c->summary);
    if (!summary.empty()) summary[0] = static_cast<char>(std::toupper(summary[0]));
    out << roff(summary) << ".\n";
    if (!c->description.empty()) out << ".PP\n" << paragraphs(c->description);
    const std::vector<OptionSpec> options = all_options(*c);
    for (std::size_t i = 0; i + general_options().size() < options.size(); ++i) {
      write_option(out, options[i]);
    }
  }
  out << ".SH GENERAL OPTIONS\n"
         "Every command takes these.\n";
  for (const OptionSpec& o : general_options()) write_option(out, o);
  out << ".SH ENVIRONMENT\n"
         ".TP\n"
         ".B VITALS_PLUGIN_PATH\n"
         "Folders, separated by colons, whose source plugins are loaded as well as those\n"
         "beside the vitals binary.\n"
         ".TP\n"
         ".B NO_COLOR\n"
         "When set, no colour unless \\fB\\-\\-color always\\fR is given.\n"
         ".SH EXIT STATUS\n"
         ".TP\n"
         ".B 0\n"
         "Success, whether or not exceptions were found.\n"
         ".TP\n"
         ".B 1\n"
         "The run completed but some rules or sources failed (see the diagnostics).\n"
         ".TP\n"
         ".B 2\n"
         "Invalid input or usage.\n"
         ".TP\n"
         ".B 3\n"
         "The store or an internal step failed.\n";
  return out.str();
}

}  // namespace vitals::cli
