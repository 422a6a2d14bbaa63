// SPDX-License-Identifier: Apache-2.0
#include "cli_common.hpp"

#include "diagnostic_groups.hpp"
#include "terminal.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

namespace fs = std::filesystem;

namespace vitals::cli {

namespace {


fs::path executable_dir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path(".") : exe.parent_path();
}

std::vector<fs::path> plugin_dirs(const Args& args) {
  std::vector<fs::path> dirs;
  auto add = [&dirs](const fs::path& dir) {
    std::error_code ec;
    if (fs::is_directory(dir, ec)) dirs.push_back(dir);
  };
  fs::path here = executable_dir();
  add(here / "plugins");                       // the build tree
  add(here.parent_path() / "lib" / "vitals" / "plugins");  // an installed tree
  if (const char* env = std::getenv("VITALS_PLUGIN_PATH")) {
    std::stringstream list(env);
    std::string dir;
    while (std::getline(list, dir, ':')) {
      if (!dir.empty()) add(dir);
    }
  }
  for (const std::string& dir : args.all("plugin-dir")) dirs.emplace_back(dir);
  return dirs;
}

}  // namespace

EngineOptions engine_options(const Args& args, bool with_store) {
  EngineOptions options;
  options.store_path = with_store ? fs::path(args.get("store").value_or("vitals.db")) : ":memory:";
  options.plugins.enabled = true;
  options.plugins.dirs = plugin_dirs(args);
  options.log_level = quiet()                ? LogLevel::kError
                      : args.verbosity >= 2 ? LogLevel::kDebug
                      : args.verbosity == 1 ? LogLevel::kInfo
                                            : LogLevel::kWarning;
  TerminalSinks sinks = terminal_sinks();
  options.progress = std::move(sinks.progress);
  options.log_sink = std::move(sinks.log);
  fs::path shipped = executable_dir().parent_path() / "share" / "vitals" / "rules";
  std::error_code ec;
  if (fs::is_directory(shipped, ec)) options.default_rule_dirs.push_back(shipped);
  return options;
}

void print_diagnostics(const std::vector<Diagnostic>& diagnostics, std::ostream& out,
                       bool errors_only, bool by_indicator) {
  // --quiet keeps standard error to the errors; a command's own output
  // (vitals check's list) is not cut.
  if (quiet() && &out == &std::cerr) errors_only = true;
  const bool colour = colour_on(out);
  const bool grouped = by_indicator && verbosity() == 0;
  for (const Diagnostic& d : grouped ? group_by_indicator(diagnostics) : diagnostics) {
    if (errors_only && d.severity != Severity::kError) continue;
    std::string line = d.to_string();
    if (colour && d.severity != Severity::kNote) {
      // The severity after the location: "FILE:LINE:COL: error: ...".
      const std::string word = severity_name(d.severity);
      std::size_t at = line.starts_with(word + ":") ? 0 : line.find(": " + word + ": ");
      if (at != std::string::npos) {
        if (at != 0) at += 2;
        line.replace(at, word.size(),
                     paint(word, d.severity == Severity::kError ? Colour::kRed : Colour::kYellow,
                           true));
      }
    }
    out << line << "\n";
  }
}

int parse(int argc, char** argv, const CommandSpec& command, Args& args, int first) {
  if (auto problem = parse_args(argc, argv, first, command, args)) {
    std::cerr << "vitals: " << *problem << "\n"
              << "Run 'vitals " << command.name << " --help' for its options.\n";
    return kExitUsage;
  }
  if (auto problem = set_output_style(args)) {
    std::cerr << "vitals: " << *problem << "\n";
    return kExitUsage;
  }
  if (args.has_flag("help")) {
    std::cout << help_text(command);
    return kExitOk;
  }
  if (command.catalogue_required && !args.get("catalogue")) {
    std::cerr << "vitals: " << args.command << " needs --catalogue DIR\n";
    return kExitUsage;
  }
  return -1;
}

// Opens the engine and loads the catalogue, printing what went wrong.
std::optional<bool> json_format(const Args& args) {
  const std::string format = args.get("format").value_or("text");
  if (format == "json" || format == "text") return format == "json";
  std::cerr << "vitals: unknown format '" << format << "' (use text or json)\n";
  return std::nullopt;
}

std::optional<Engine> open_engine(const Args& args, bool with_store, int& exit_code,
                                  std::vector<Diagnostic>* catalogue_errors,
                                  bool read_series_early, bool evaluates_once) {
  EngineOptions options = engine_options(args, with_store);
  options.read_series_early = read_series_early;
  options.keep_series = !evaluates_once;
  auto engine = Engine::open(options);
  if (!engine.ok()) {
    std::cerr << "vitals: " << engine.status().to_string() << "\n";
    exit_code = kExitFailure;
    return std::nullopt;
  }
  Status loaded = engine->load_catalogue(*args.get("catalogue"));
  if (!loaded.is_ok() && catalogue_errors != nullptr &&
      loaded.code() == StatusCode::kValidationError) {
    *catalogue_errors = engine->diagnostics();
    sort_and_deduplicate(*catalogue_errors);
    exit_code = kExitUsage;
    return std::nullopt;
  }
  if (!loaded.is_ok()) {
    print_diagnostics(engine->diagnostics(), std::cerr, false);
    std::cerr << "vitals: " << loaded.message() << "\n";
    exit_code = loaded.code() == StatusCode::kValidationError ? kExitUsage : kExitFailure;
    return std::nullopt;
  }
  return std::move(*engine);
}

bool output_written(const Status& written) {
  if (written.is_ok()) return true;
  std::cerr << "vitals: " << written.message() << "\n";
  return false;
}

void log_timing(const Args& args, std::string_view what,
                std::chrono::steady_clock::time_point start) {
  if (args.verbosity < 2) return;
  const double took =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.2f", took);
  std::cerr << "vitals: debug: " << what << " in " << seconds << " s\n";
}

std::optional<std::string> rendered(const EvaluationReport& report, ReportFormat format) {
  std::ostringstream out;
  if (Status st = render(report, format, out); !st.is_ok()) {
    std::cerr << "vitals: " << st.to_string() << "\n";
    return std::nullopt;
  }
  return out.str();
}


std::optional<EvaluationReport> evaluate_period(Engine& engine, const Period& period, bool ingest,
                                                int& exit_code, RunDiagnostics shown,
                                                const EvaluateOptions& options) {
  exit_code = kExitFailure;
  std::vector<const IndicatorDefinition*> indicators;
  for (const IndicatorDefinition& d : engine.catalogue().indicators) indicators.push_back(&d);
  if (Status fits = check_evaluation_period(indicators, period); !fits.is_ok()) {
    std::cerr << "vitals: " << fits.message() << "\n";
    exit_code = kExitUsage;
    return std::nullopt;
  }
  if (ingest) {
    auto ingested = engine.ingest();
    if (!ingested.ok()) {
      std::cerr << "vitals: " << ingested.status().to_string() << "\n";
      return std::nullopt;
    }
  }
  auto report = engine.evaluate(period, options);
  if (!report.ok()) {
    std::cerr << "vitals: " << report.status().to_string() << "\n";
    return std::nullopt;
  }
  print_diagnostics(report->diagnostics, std::cerr, shown == RunDiagnostics::kErrors, true);
  return std::move(*report);
}

void print_incomplete(const EvaluationReport& report, std::ostream& out) {
  out << "vitals: the run is incomplete:\n";
  for (const IncompleteReason& reason : report.incomplete) out << "  " << reason.message << "\n";
}

bool refuse_incomplete(const EvaluationReport& report, const Args& args, const char* nothing_done,
                       const char* do_anyway) {
  if (report.complete()) return false;
  print_incomplete(report, std::cerr);
  if (args.has_flag("allow-incomplete")) return false;
  std::cerr << "vitals: the run is incomplete, so " << nothing_done
            << "; fix the problems above, or give --allow-incomplete to " << do_anyway
            << " with a banner saying what is missing\n";
  return true;
}

std::optional<Period> period_option(const Args& args, const char* command) {
  auto text = args.get("period");
  if (!text) {
    std::cerr << "vitals: " << command << " needs --period (e.g. --period 2017-03)\n";
    return std::nullopt;
  }
  auto period = Period::parse(*text);
  if (!period.ok()) {
    std::cerr << "vitals: " << period.status().message() << "\n";
    return std::nullopt;
  }
  return *period;
}

}  // namespace vitals::cli
