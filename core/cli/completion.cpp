// SPDX-License-Identifier: Apache-2.0
// The bash and zsh completion scripts, made from the commands' specs.
#include "command_spec.hpp"

#include <sstream>

namespace vitals::cli {

namespace {

// "rules" for "rules test".
std::string first_word(std::string_view name) {
  return std::string(name.substr(0, name.find(' ')));
}

// "-h --help" for an option with a short name; "-v -vv" for a counted one.
std::string option_words(const OptionSpec& o) {
  const std::string dash_short = std::string("-") + o.short_name;
  if (o.counted) return dash_short + " " + dash_short + o.short_name;
  std::string words = "--" + std::string(o.name);
  if (o.short_name != 0) words = dash_short + " " + words;
  return words;
}

// The shell words that complete an option's value: its choices, else
// directories for DIR and files for FILE.
enum class ValueKind { kNone, kChoices, kDirectory, kFile };

ValueKind value_kind(const OptionSpec& o) {
  if (!o.choices.empty()) return ValueKind::kChoices;
  if (o.value == "DIR") return ValueKind::kDirectory;
  if (o.value == "FILE") return ValueKind::kFile;
  return ValueKind::kNone;
}

// An option's help on one line, for zsh's description, with the characters
// _arguments gives a meaning to taken out.
std::string zsh_description(std::string_view help) {
  std::string out;
  for (char c : help) {
    if (c == '\n') {
      out += ' ';
    } else if (c == '[' || c == ']') {
      out += c == '[' ? '(' : ')';
    } else if (c == ':') {
      out += ' ';
    } else if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string bash_completion() {
  std::ostringstream out;
  out << "# bash completion for vitals, made by 'vitals completion bash'\n"
         "_vitals() {\n"
         "  local cur=\"${COMP_WORDS[COMP_CWORD]}\"\n"
         "  local prev=\"\"\n"
         "  (( COMP_CWORD > 0 )) && prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n"
         "  COMPREPLY=()\n"
         "  local commands=\"";
  std::string separator;
  for (const CommandSpec* c : command_specs()) {
    out << separator << first_word(c->name);
    separator = " ";
  }
  out << "\"\n"
         "  if (( COMP_CWORD == 1 )); then\n"
         "    COMPREPLY=( $(compgen -W \"$commands\" -- \"$cur\") )\n"
         "    return 0\n"
         "  fi\n"
         "  local command=\"${COMP_WORDS[1]}\"\n"
         "  case \"$command\" in\n"
         "    help) (( COMP_CWORD == 2 )) && COMPREPLY=( $(compgen -W \"$commands\" -- \"$cur\") "
         "); return 0 ;;\n"
         "    completion) (( COMP_CWORD == 2 )) && COMPREPLY=( $(compgen -W \"bash zsh\" -- "
         "\"$cur\") ); return 0 ;;\n"
         "    rules) if (( COMP_CWORD == 2 )); then COMPREPLY=( $(compgen -W \"test\" -- \"$cur\") "
         "); return 0; fi ;;\n"
         "  esac\n"
         "  local options=\"\"\n"
         "  case \"$command\" in\n";
  for (const CommandSpec* c : command_specs()) {
    const std::vector<OptionSpec> options = all_options(*c);
    out << "    " << first_word(c->name) << ")\n";
    // The value of an option first: its choices, folders or files.
    out << "      case \"$prev\" in\n";
    for (const OptionSpec& o : options) {
      if (o.value.empty()) continue;
      out << "        --" << o.name << ") ";
      switch (value_kind(o)) {
        case ValueKind::kChoices:
          out << "COMPREPLY=( $(compgen -W \"" << o.choices << "\" -- \"$cur\") ) ;;\n";
          break;
        case ValueKind::kDirectory:
          out << "COMPREPLY=( $(compgen -d -- \"$cur\") ) ;;\n";
          break;
        case ValueKind::kFile:
          out << "COMPREPLY=( $(compgen -f -- \"$cur\") ) ;;\n";
          break;
        case ValueKind::kNone:
          out << ";;\n";
          break;
      }
      out << "";
    }
    out << "        *) options=\"";
    separator.clear();
    for (const OptionSpec& o : options) {
      out << separator << option_words(o);
      separator = " ";
    }
    out << "\" ;;\n      esac\n";
    out << "      [[ -n \"$options\" ]] || return 0\n";
    out << "      ;;\n";
  }
  out << "    *) return 0 ;;\n"
         "  esac\n"
         "  if [[ \"$cur\" == -* ]]; then\n"
         "    COMPREPLY=( $(compgen -W \"$options\" -- \"$cur\") )\n"
         "  else\n"
         "    COMPREPLY=( $(compgen -f -- \"$cur\") )\n"
         "  fi\n"
         "  return 0\n"
         "}\n"
         "complete -F _vitals vitals\n";
  return out.str();
}

std::string zsh_completion() {
  std::ostringstream out;
  out << "#compdef vitals\n"
         "# zsh completion for vitals, made by 'vitals completion zsh'\n"
         "_vitals() {\n"
         "  local -a commands\n"
         "  commands=(\n";
  for (const CommandSpec* c : command_specs()) {
    out << "    '" << first_word(c->name) << ":" << zsh_description(c->summary) << "'\n";
  }
  out << "  )\n"
         "  if (( CURRENT == 2 )); then\n"
         "    _describe -t commands 'vitals command' commands\n"
         "    return\n"
         "  fi\n"
         "  local command=$words[2]\n"
         "  shift words\n"
         "  (( CURRENT-- ))\n"
         "  if [[ $command == rules ]]; then\n"
         "    if (( CURRENT == 2 )); then\n"
         "      compadd test\n"
         "      return\n"
         "    fi\n"
         "    shift words\n"
         "    (( CURRENT-- ))\n"
         "  fi\n"
         "  case $command in\n";
  for (const CommandSpec* c : command_specs()) {
    out << "    " << first_word(c->name) << ")\n      _arguments -s \\\n";
    for (const OptionSpec& o : all_options(*c)) {
      const std::string description = zsh_description(o.help);
      if (o.counted) {
        out << "        '*-" << o.short_name << "[" << description << "]' \\\n";
        continue;
      }
      std::string names = "--" + std::string(o.name);
      if (o.short_name != 0) names = std::string("{-") + o.short_name + "," + names + "}";
      const bool braces = names.front() == '{';
      out << "        " << (o.repeatable ? "'*'" : "") << (braces ? "" : "'") << names
          << (braces ? "'" : "") << "[" << description << "]";
      if (!o.value.empty()) {
        out << ":" << o.value << ":";
        switch (value_kind(o)) {
          case ValueKind::kChoices:
            out << "(" << o.choices << ")";
            break;
          case ValueKind::kDirectory:
            out << "_files -/";
            break;
          case ValueKind::kFile:
            out << "_files";
            break;
          case ValueKind::kNone:
            break;
        }
      }
      out << "' \\\n";
    }
    if (c->name == "help") {
      out << "        '1:command:(";
      std::string separator;
      for (const CommandSpec* other : command_specs()) {
        out << separator << first_word(other->name);
        separator = " ";
      }
      out << ")'\n";
    } else if (c->name == "completion") {
      out << "        '1:shell:(bash zsh)'\n";
    } else if (!c->operands.empty()) {
      const bool paths = c->operands.find("DIR") != std::string_view::npos ||
                         c->operands.find("FILE") != std::string_view::npos;
      out << "        '*:" << c->operands << ":" << (paths ? "_files" : " ") << "'\n";
    } else {
      out << "        && return 0\n";
    }
    out << "      ;;\n";
  }
  out << "  esac\n"
         "}\n"
         "_vitals \"$@\"\n";
  return out.str();
}

}  // namespace vitals::cli
