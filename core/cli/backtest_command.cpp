// SPDX-License-Identifier: Apache-2.0
#include "cli_common.hpp"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>
#include <sstream>

namespace vitals::cli {

namespace {

// At most this many periods: fifty years of months.
constexpr int kMaxPeriods = 600;

struct Raised {
  std::string indicator;
  std::string title;
  std::string criterion;
  std::string rule;
  std::string message;
};

using Key = std::pair<std::string, std::string>;  // indicator id, criterion

std::map<Key, Raised> exceptions_of(const EvaluationReport& report) {
  std::map<Key, Raised> out;
  for (const IndicatorResult& r : report.indicators) {
    for (const RuleOutcome* o : r.reasons()) {
      out.emplace(Key{r.indicator_id, o->criterion},
                  Raised{r.indicator_id, r.title, o->criterion, o->rule_id, o->message});
    }
  }
  return out;
}

struct PeriodChange {
  Period period;
  std::size_t current = 0;
  std::size_t proposed = 0;
  std::vector<Raised> added;
  std::vector<Raised> removed;
};

std::string json_string(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buffer[8];
          std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned char>(c));
          out += buffer;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string criterion_words(std::string criterion) {
  for (char& c : criterion) {
    if (c == '_') c = ' ';
  }
  return criterion;
}

void print_text(const std::vector<PeriodChange>& changes, const std::vector<std::string>& rules,
                std::ostream& out) {
  std::string dirs;
  for (const std::string& d : rules) dirs += (dirs.empty() ? "" : ", ") + d;
  out << "Backtest of the rules in " << dirs << " against the catalogue's rules, "
      << changes.front().period.label() << " to " << changes.back().period.label() << "\n\n";
  std::size_t added = 0;
  std::size_t removed = 0;
  std::size_t changed = 0;
  for (const PeriodChange& c : changes) {
    added += c.added.size();
    removed += c.removed.size();
    if (c.added.empty() && c.removed.empty()) {
      out << c.period.label() << ": no change (" << c.current
          << (c.current == 1 ? " indicator" : " indicators") << " reported by exception)\n";
      continue;
    }
    ++changed;
    out << c.period.label() << ": " << c.current << (c.current == 1 ? " indicator" : " indicators")
        << " reported by exception now, " << c.proposed << " with the proposed rules\n";
    for (const Raised& r : c.added) {
      out << "  + " << r.indicator << " (" << criterion_words(r.criterion)
          << "): " << printable(r.message) << "\n";
    }
    for (const Raised& r : c.removed) {
      out << "  - " << r.indicator << " (" << criterion_words(r.criterion)
          << "): " << printable(r.message) << "\n";
    }
  }
  out << "\nTotal: " << count_text(added) << " added, " << count_text(removed) << " removed, in "
      << count_text(changed) << " of " << count_text(changes.size(), "period", "periods") << "\n";
}

void print_json(const std::vector<PeriodChange>& changes, const std::vector<std::string>& rules,
                std::ostream& out) {
  auto list = [&out](const std::vector<Raised>& items) {
    out << "[";
    for (std::size_t i = 0; i < items.size(); ++i) {
      const Raised& r = items[i];
      out << (i ? ",\n        " : "\n        ") << "{\"indicator\": " << json_string(r.indicator)
          << ", \"title\": " << json_string(r.title)
          << ", \"criterion\": " << json_string(r.criterion)
          << ", \"rule\": " << json_string(r.rule) << ", \"message\": " << json_string(r.message)
          << "}";
    }
    out << (items.empty() ? "]" : "\n      ]");
  };
  std::size_t added = 0;
  std::size_t removed = 0;
  out << "{\n  \"from\": " << json_string(changes.front().period.to_string())
      << ",\n  \"to\": " << json_string(changes.back().period.to_string()) << ",\n  \"rules\": [";
  for (std::size_t i = 0; i < rules.size(); ++i) out << (i ? ", " : "") << json_string(rules[i]);
  out << "],\n  \"periods\": [";
  for (std::size_t i = 0; i < changes.size(); ++i) {
    const PeriodChange& c = changes[i];
    added += c.added.size();
    removed += c.removed.size();
    out << (i ? ",\n" : "\n") << "    {\n      \"period\": " << json_string(c.period.to_string())
        << ",\n      \"current\": " << c.current << ",\n      \"proposed\": " << c.proposed
        << ",\n      \"added\": ";
    list(c.added);
    out << ",\n      \"removed\": ";
    list(c.removed);
    out << "\n    }";
  }
  out << "\n  ],\n  \"added\": " << added << ",\n  \"removed\": " << removed << "\n}\n";
}

std::optional<Period> parse_period(const Args& args, const char* name) {
  auto text = args.get(name);
  if (!text) {
    std::cerr << "vitals: backtest needs --" << name << " (e.g. --" << name << " 2017-03)\n";
    return std::nullopt;
  }
  auto period = Period::parse(*text);
  if (!period.ok()) {
    std::cerr << "vitals: --" << name << ": " << period.status().message() << "\n";
    return std::nullopt;
  }
  return *period;
}

}  // namespace

const CommandSpec& backtest_command() {
  static const CommandSpec spec = {
      "backtest",
      "replay proposed rules over stored history against the current ones",
      "vitals backtest --catalogue DIR --rules DIR --from PERIOD --to PERIOD [options]",
      "Replays a proposed rule set over the stored history: for every period from\n"
      "--from to --to (stepping by the length of --from), evaluates the catalogue\n"
      "with its current rules and with the rules in --rules, and shows which\n"
      "exceptions the proposed rules would have added or removed. Nothing is\n"
      "recorded in the store.\n",
      {
          {"rules", "DIR", "the proposed rules (repeatable: all folders together)", true},
          {"from", "PERIOD", "the first period, e.g. 2016-04"},
          {"to", "PERIOD", "the last period, of the same length as --from"},
          {"format", "FORMAT", "text (default) or json", false, "text json"},
          {"no-ingest", "", "use the stored data without fetching the sources"},
      },
      kEngineOptions,
      "",
      true,
  };
  return spec;
}

int run_backtest(int argc, char** argv) {
  Args args;
  if (int rc = parse(argc, argv, backtest_command(), args); rc >= 0) return rc;
  std::vector<std::string> rules = args.all("rules");
  if (rules.empty()) {
    std::cerr << "vitals: backtest needs --rules DIR (the proposed rules)\n";
    return kExitUsage;
  }
  auto from = parse_period(args, "from");
  auto to = parse_period(args, "to");
  if (!from || !to) return kExitUsage;
  if (from->frequency() != to->frequency()) {
    std::cerr << "vitals: --from " << from->to_string() << " and --to " << to->to_string()
              << " must be periods of the same length\n";
    return kExitUsage;
  }
  if (*to < *from) {
    std::cerr << "vitals: --to " << to->to_string() << " is before --from " << from->to_string()
              << "\n";
    return kExitUsage;
  }
  if (to->steps_since(*from) >= kMaxPeriods) {
    std::cerr << "vitals: a backtest covers at most " << kMaxPeriods << " periods\n";
    return kExitUsage;
  }
  const std::optional<bool> json = json_format(args);
  if (!json) return kExitUsage;

  int exit_code = kExitOk;
  auto engine = open_engine(args, true, exit_code);
  if (!engine) return exit_code;
  if (!args.has_flag("no-ingest")) {
    auto ingested = engine->ingest();
    if (!ingested.ok()) {
      std::cerr << "vitals: " << ingested.status().to_string() << "\n";
      return kExitFailure;
    }
  }

  EvaluateOptions current_options;
  current_options.record_run = false;
  EvaluateOptions proposed_options = current_options;
  for (const std::string& dir : rules) proposed_options.rule_dirs.emplace_back(dir);

  std::vector<PeriodChange> changes;
  std::vector<Diagnostic> diagnostics;
  for (Period p = *from; p <= *to; p = p.next()) {
    auto current = engine->evaluate(p, current_options);
    auto proposed = current.ok() ? engine->evaluate(p, proposed_options) : current;
    if (!current.ok() || !proposed.ok()) {
      std::cerr << "vitals: " << (current.ok() ? proposed : current).status().to_string() << "\n";
      return kExitFailure;
    }
    // The catalogue may set parameters for a rule that only one of the two
    // rule sets loads (one being proposed, or one the proposal drops): that
    // is an unknown rule only when neither set loads it.
    for (const auto* r : {&*current, &*proposed}) {
      const std::vector<Diagnostic>& other = (r == &*current ? proposed : current)->diagnostics;
      for (const Diagnostic& d : r->diagnostics) {
        bool other_knows = d.code == "config.unknown_rule" &&
                           std::find(other.begin(), other.end(), d) == other.end();
        if (!other_knows) diagnostics.push_back(d);
      }
    }
    PeriodChange change;
    change.period = p;
    change.current = current->exceptions().size();
    change.proposed = proposed->exceptions().size();
    std::map<Key, Raised> before = exceptions_of(*current);
    std::map<Key, Raised> after = exceptions_of(*proposed);
    for (const auto& [key, raised] : after) {
      if (before.count(key) == 0) change.added.push_back(raised);
    }
    for (const auto& [key, raised] : before) {
      if (after.count(key) == 0) change.removed.push_back(raised);
    }
    changes.push_back(std::move(change));
  }
  sort_and_deduplicate(diagnostics);
  print_diagnostics(diagnostics, std::cerr, true);
  if (*json) {
    print_json(changes, rules, std::cout);
  } else {
    print_text(changes, rules, std::cout);
  }
  return has_errors(diagnostics) ? kExitDiagnostics : kExitOk;
}

}  // namespace vitals::cli
