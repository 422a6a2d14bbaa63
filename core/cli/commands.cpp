// SPDX-License-Identifier: Apache-2.0
#include "commands.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <vitals/vitals.hpp>

#include "args.hpp"

namespace fs = std::filesystem;

namespace vitals::cli {

namespace {

constexpr const char* kCommonHelp = R"(
  --catalogue DIR     the catalogue directory (catalogue.toml, indicators/)
  --store FILE        the SQLite store (default: vitals.db in this directory)
  --plugin-dir DIR    also load source plugins from DIR (repeatable); the
                      plugins beside the vitals binary and those in
                      $VITALS_PLUGIN_PATH are always loaded
  -v, -vv             log more (to standard error)
)";

const std::vector<std::string> kCommonOptions = {"catalogue", "store", "plugin-dir"};

std::vector<std::string> with_common(std::vector<std::string> extra) {
  extra.insert(extra.end(), kCommonOptions.begin(), kCommonOptions.end());
  return extra;
}

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

EngineOptions engine_options(const Args& args, bool with_store) {
  EngineOptions options;
  options.store_path = with_store ? fs::path(args.get("store").value_or("vitals.db")) : ":memory:";
  options.plugins.enabled = true;
  options.plugins.dirs = plugin_dirs(args);
  options.log_level = args.verbosity >= 2   ? LogLevel::kDebug
                      : args.verbosity == 1 ? LogLevel::kInfo
                                            : LogLevel::kWarning;
  fs::path shipped = executable_dir().parent_path() / "share" / "vitals" / "rules";
  std::error_code ec;
  if (fs::is_directory(shipped, ec)) options.default_rule_dirs.push_back(shipped);
  return options;
}

void print_diagnostics(const std::vector<Diagnostic>& diagnostics, std::ostream& out,
                       bool errors_only) {
  for (const Diagnostic& d : diagnostics) {
    if (errors_only && d.severity != Severity::kError) continue;
    out << d.to_string() << "\n";
  }
}

// Parses the arguments of one command; prints help or the problem.
// Returns -1 to go on, else the exit code.
int parse(int argc, char** argv, const char* help, const std::vector<std::string>& values,
          const std::vector<std::string>& flags, Args& args) {
  args.command = argv[1];
  std::vector<std::string> all_flags = flags;
  all_flags.push_back("help");
  if (auto problem = parse_args(argc, argv, values, all_flags, args)) {
    std::cerr << "vitals: " << *problem << "\n" << help << kCommonHelp;
    return kExitUsage;
  }
  if (args.has_flag("help")) {
    std::cout << help << kCommonHelp;
    return kExitOk;
  }
  if (!args.get("catalogue")) {
    std::cerr << "vitals: " << args.command << " needs --catalogue DIR\n";
    return kExitUsage;
  }
  return -1;
}

// Opens the engine and loads the catalogue, printing what went wrong.
std::optional<Engine> open_engine(const Args& args, bool with_store, int& exit_code) {
  auto engine = Engine::open(engine_options(args, with_store));
  if (!engine.ok()) {
    std::cerr << "vitals: " << engine.status().to_string() << "\n";
    exit_code = kExitFailure;
    return std::nullopt;
  }
  Status loaded = engine->load_catalogue(*args.get("catalogue"));
  if (!loaded.is_ok()) {
    print_diagnostics(engine->diagnostics(), std::cerr, false);
    std::cerr << "vitals: " << loaded.message() << "\n";
    exit_code = loaded.code() == StatusCode::kValidationError ? kExitUsage : kExitFailure;
    return std::nullopt;
  }
  return std::move(*engine);
}

// Writes `content` to `path` through a temporary file and a rename, so a
// reader never sees half a report.
bool write_file_atomically(const fs::path& path, const std::string& content) {
  std::error_code ec;
  if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
  fs::path tmp = path;
  tmp += ".tmp-" + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary);
    out << content;
    if (!out.flush()) {
      fs::remove(tmp, ec);
      return false;
    }
  }
  fs::rename(tmp, path, ec);
  if (ec) fs::remove(tmp, ec);
  return !ec;
}

std::optional<std::string> rendered(const EvaluationReport& report, ReportFormat format) {
  std::ostringstream out;
  if (Status st = render(report, format, out); !st.is_ok()) {
    std::cerr << "vitals: " << st.to_string() << "\n";
    return std::nullopt;
  }
  return out.str();
}

constexpr const char* kEvaluateHelp = R"(usage: vitals evaluate --catalogue DIR --period PERIOD [options]

Fetches the catalogue's sources into the store, evaluates every indicator for
PERIOD (YYYY-MM, YYYY-Qn, YYYY or YYYY/YY) with the catalogue's rules, records
the run and prints the committee's exception summary.

  --period PERIOD     the reporting period, e.g. 2017-03
  --format FORMAT     text (default), markdown or json
  --output FILE       write the report to FILE instead of standard output
  --json FILE         also write the JSON result (docs/report-format.md) to FILE
  --no-ingest         evaluate the stored data without fetching the sources
)";

constexpr const char* kCheckHelp = R"(usage: vitals check --catalogue DIR [options]

Validates the catalogue (every TOML file), its rule scripts and that each
source's plugin is available, without fetching or evaluating anything.
Problems are printed as FILE:LINE:COLUMN: error: MESSAGE [code].
)";

constexpr const char* kIngestHelp = R"(usage: vitals ingest --catalogue DIR [options]

Fetches every source of the catalogue into the store. A source with a bad
row stores nothing; earlier history is kept.
)";

}  // namespace

int run_evaluate(int argc, char** argv) {
  Args args;
  if (int rc = parse(argc, argv, kEvaluateHelp, with_common({"period", "format", "output", "json"}),
                     {"no-ingest"}, args);
      rc >= 0) {
    return rc;
  }
  auto period_text = args.get("period");
  if (!period_text) {
    std::cerr << "vitals: evaluate needs --period (e.g. --period 2017-03)\n";
    return kExitUsage;
  }
  auto period = Period::parse(*period_text);
  if (!period.ok()) {
    std::cerr << "vitals: " << period.status().message() << "\n";
    return kExitUsage;
  }
  auto format = parse_report_format(args.get("format").value_or("text"));
  if (!format.ok()) {
    std::cerr << "vitals: " << format.status().message() << "\n";
    return kExitUsage;
  }

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
  auto report = engine->evaluate(*period);
  if (!report.ok()) {
    std::cerr << "vitals: " << report.status().to_string() << "\n";
    return kExitFailure;
  }
  print_diagnostics(report->diagnostics, std::cerr, true);

  auto main_output = rendered(*report, *format);
  if (!main_output) return kExitFailure;
  if (auto path = args.get("output")) {
    if (!write_file_atomically(*path, *main_output)) {
      std::cerr << "vitals: cannot write " << *path << "\n";
      return kExitFailure;
    }
  } else {
    std::cout << *main_output;
  }
  if (auto path = args.get("json")) {
    auto json = rendered(*report, ReportFormat::kJson);
    if (!json || !write_file_atomically(*path, *json)) {
      std::cerr << "vitals: cannot write " << *path << "\n";
      return kExitFailure;
    }
  }
  return has_errors(report->diagnostics) ? kExitDiagnostics : kExitOk;
}

int run_check(int argc, char** argv) {
  Args args;
  if (int rc = parse(argc, argv, kCheckHelp, kCommonOptions, {}, args); rc >= 0) return rc;
  int exit_code = kExitOk;
  auto engine = open_engine(args, false, exit_code);
  if (!engine) return exit_code;
  print_diagnostics(engine->diagnostics(), std::cout, false);
  const Catalogue& catalogue = engine->catalogue();
  std::cout << catalogue.name << ": " << catalogue.indicators.size() << " indicators, "
            << catalogue.sources.size() << " sources, " << engine->rule_ids().size() << " rules";
  bool errors = has_errors(engine->diagnostics());
  std::cout << (errors ? ": errors found\n" : ": OK\n");
  return errors ? kExitDiagnostics : kExitOk;
}

int run_ingest(int argc, char** argv) {
  Args args;
  if (int rc = parse(argc, argv, kIngestHelp, kCommonOptions, {}, args); rc >= 0) return rc;
  int exit_code = kExitOk;
  auto engine = open_engine(args, true, exit_code);
  if (!engine) return exit_code;
  auto summary = engine->ingest();
  if (!summary.ok()) {
    std::cerr << "vitals: " << summary.status().to_string() << "\n";
    return kExitFailure;
  }
  print_diagnostics(summary->diagnostics, std::cerr, false);
  std::cout << "ingested " << summary->sources << " source(s), " << summary->series
            << " series: " << summary->inserted << " new, " << summary->revised << " revised, "
            << summary->unchanged << " unchanged\n";
  return has_errors(summary->diagnostics) ? kExitDiagnostics : kExitOk;
}

}  // namespace vitals::cli
