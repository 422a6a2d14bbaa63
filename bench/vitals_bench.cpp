// SPDX-License-Identifier: Apache-2.0
// The Vitals benchmark: one phase per process, so each phase's peak memory is
// its own. bench/run.sh runs the phases in order and prints the table.
//
//   vitals_bench ingest   --workload DIR --store FILE [--plugin-dir DIR]
//   vitals_bench evaluate --workload DIR --store FILE --period P [--threads N]
//                         [--repeat N] [--results FILE] [--record]
//   vitals_bench render   --workload DIR --store FILE --period P --council c001
//                         [--out DIR]
//   vitals_bench publish  --workload DIR --store FILE --period P --council c001
//                         --out DIR
//   vitals_bench catalogue --workload DIR --store FILE [--threads N] [--repeat N]
//                         (loading the catalogue alone, on N threads)
//   vitals_bench cli      --workload DIR --store FILE --period P --vitals BIN
//                         (the `vitals` command itself, run as processes)
//
// Each phase prints "RESULT <name> <value> <unit>" lines for run.sh, and
// plain sentences for people.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <vitals/engine.hpp>
#include <vitals/publish.hpp>
#include <vitals/report.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// CPU seconds (user + system) this process has used, on all its threads.
double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto secs = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return secs(usage.ru_utime) + secs(usage.ru_stime);
}

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

// One machine-readable figure for run.sh, with every digit a row count has.
void result(const std::string& name, double value, const std::string& unit) {
  std::ostringstream text;
  text << std::setprecision(12) << value;
  std::cout << "RESULT " << name << " " << text.str() << " " << unit << std::endl;
}

[[noreturn]] void fail(const std::string& message) {
  std::cerr << "vitals_bench: " << message << "\n";
  std::exit(1);
}

struct Args {
  std::string phase;
  std::map<std::string, std::string> values;
  bool has(const std::string& name) const { return values.count(name) != 0; }
  std::string get(const std::string& name, const std::string& fallback = {}) const {
    auto it = values.find(name);
    return it == values.end() ? fallback : it->second;
  }
  std::string need(const std::string& name) const {
    if (!has(name)) fail(phase + " needs --" + name);
    return get(name);
  }
};

Args parse(int argc, char** argv) {
  if (argc < 2) fail("usage: vitals_bench ingest|evaluate|render|publish|cli --workload DIR --store FILE ...");
  Args args;
  args.phase = argv[1];
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--", 0) != 0) fail("unexpected argument " + a);
    a = a.substr(2);
    if (a == "record") {
      args.values[a] = "1";
    } else if (i + 1 < argc) {
      args.values[a] = argv[++i];
    } else {
      fail("--" + a + " needs a value");
    }
  }
  return args;
}

vitals::EngineOptions engine_options(const Args& args, int threads) {
  vitals::EngineOptions options;
  options.store_path = args.need("store");
  options.threads = threads;
  options.plugins.enabled = true;
  options.plugins.dirs.push_back(args.get("plugin-dir", VITALS_BENCH_PLUGIN_DIR));
  options.log_level = vitals::LogLevel::kError;
  return options;
}

// Opens the engine and loads the workload's catalogue, timing the load.
vitals::Engine open_engine(const Args& args, int threads) {
  auto engine = vitals::Engine::open(engine_options(args, threads));
  if (!engine.ok()) fail(engine.status().to_string());
  auto start = Clock::now();
  const double cpu_start = cpu_seconds();
  vitals::Status loaded = engine->load_catalogue(fs::path(args.need("workload")) / "catalogue");
  double took = seconds_since(start);
  const double cpu = cpu_seconds() - cpu_start;
  if (!loaded.is_ok()) {
    for (const auto& d : engine->diagnostics()) std::cerr << d.to_string() << "\n";
    fail(loaded.to_string());
  }
  std::cout << "loaded " << engine->catalogue().indicators.size() << " indicators and "
            << engine->rule_ids().size() << " rules on " << threads << " thread(s) in " << took
            << " s (" << cpu << " s of CPU)\n";
  result("catalogue_load_s", took, "s");
  result("catalogue_load_cpu_s", cpu, "s");
  return std::move(*engine);
}

int run_ingest(const Args& args) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(args.need("store") + suffix, ec);
  vitals::Engine engine = open_engine(args, 1);
  auto start = Clock::now();
  auto summary = engine.ingest();
  double took = seconds_since(start);
  if (!summary.ok()) fail(summary.status().to_string());
  for (const auto& d : summary->diagnostics) std::cerr << d.to_string() << "\n";
  if (summary->sources == 0) fail("nothing was ingested");
  const double rows = summary->inserted + summary->revised + summary->unchanged;
  std::cout << "ingested " << static_cast<long long>(rows) << " rows (" << summary->series
            << " series) from CSV into a new store in " << took << " s: " << rows / took
            << " rows/s, committed\n";
  result("ingest_rows", rows, "rows");
  result("ingest_s", took, "s");
  result("ingest_rows_per_s", rows / took, "rows/s");
  result("ingest_peak_rss_mib", peak_rss_mib(), "MiB");
  return 0;
}

const char* short_status(const vitals::IndicatorResult& r, const std::string& rule) {
  for (const auto& o : r.outcomes) {
    if (o.rule_id == rule) return vitals::outcome_status_name(o.status);
  }
  return "missing";
}

void write_results(const vitals::EvaluationReport& report, const std::string& path) {
  std::ofstream out(path, std::ios::binary);
  out << "indicator_id,off_target,deterioration\n";
  for (const auto& r : report.indicators) {
    out << r.indicator_id << ',' << short_status(r, "off_target") << ','
        << short_status(r, "deterioration") << '\n';
  }
  if (!out.flush()) fail("cannot write " + path);
}

int run_evaluate(const Args& args) {
  const int threads = std::stoi(args.get("threads", "2"));
  const int repeat = std::max(1, std::stoi(args.get("repeat", "3")));
  auto period = vitals::Period::parse(args.need("period"));
  if (!period.ok()) fail(period.status().to_string());
  vitals::Engine engine = open_engine(args, threads);
  const std::size_t indicators = engine.catalogue().indicators.size();
  const std::size_t rules = engine.rule_ids().size();

  vitals::EvaluateOptions what_if;
  what_if.record_run = false;
  double cpu = 0;  // of the last timed call
  auto timed = [&](const vitals::EvaluateOptions& options, double& took) {
    auto start = Clock::now();
    const double cpu_start = cpu_seconds();
    auto report = engine.evaluate(*period, options);
    took = seconds_since(start);
    cpu = cpu_seconds() - cpu_start;
    if (!report.ok()) fail(report.status().to_string());
    return std::move(*report);
  };

  // Cold: the first evaluation after opening reads every series from the store.
  double cold = 0;
  vitals::EvaluationReport report = timed(what_if, cold);
  std::cout << "cold evaluation (reads the store): " << indicators << " indicators x " << rules
            << " rules on " << threads << " thread(s) in " << cold << " s (" << cpu
            << " s of CPU)\n";
  result("evaluate_cold_s", cold, "s");
  result("evaluate_cold_cpu_s", cpu, "s");

  std::vector<double> warm, warm_cpu;
  for (int i = 0; i < repeat; ++i) {
    double took = 0;
    report = vitals::EvaluationReport{};  // one report in memory at a time
    report = timed(what_if, took);
    warm.push_back(took);
    warm_cpu.push_back(cpu);
  }
  std::sort(warm.begin(), warm.end());
  std::sort(warm_cpu.begin(), warm_cpu.end());
  const double median = warm[warm.size() / 2];
  const double median_cpu = warm_cpu[warm_cpu.size() / 2];
  std::cout << "warm evaluation: median " << median << " s of " << repeat << " (best " << warm[0]
            << " s; " << median_cpu << " s of CPU): " << indicators * rules / median
            << " series x rules per second, " << indicators * rules / median_cpu
            << " per CPU second\n";
  result("evaluate_warm_cpu_s", median_cpu, "s");
  result("evaluate_series_rules_per_cpu_s", indicators * rules / median_cpu, "1/s");
  result("evaluate_warm_s", median, "s");
  result("evaluate_warm_best_s", warm[0], "s");
  result("evaluate_series_rules_per_s", indicators * rules / median, "1/s");
  result("evaluate_exceptions", static_cast<double>(report.exceptions().size()), "indicators");
  result("evaluate_diagnostics", static_cast<double>(report.diagnostics.size()), "diagnostics");
  if (args.has("results")) write_results(report, args.get("results"));

  if (args.has("record")) {
    report = vitals::EvaluationReport{};
    double took = 0;
    auto recorded = timed(vitals::EvaluateOptions{}, took);
    std::cout << "evaluation recorded in the store (run " << recorded.run_id << ") in " << took
              << " s\n";
    result("evaluate_and_record_s", took, "s");
  }
  result("evaluate_peak_rss_mib", peak_rss_mib(), "MiB");
  return 0;
}

// Evaluates the indicators of one council ("c001_..."), without recording.
vitals::EvaluateOptions council_options(const vitals::Engine& engine, const std::string& council) {
  vitals::EvaluateOptions options;
  options.record_run = false;
  for (const auto& indicator : engine.catalogue().indicators) {
    if (indicator.id.rfind(council + "_", 0) == 0) options.indicators.push_back(indicator.id);
  }
  if (options.indicators.empty()) fail("no indicator of council " + council);
  return options;
}

int run_render(const Args& args) {
  auto period = vitals::Period::parse(args.need("period"));
  if (!period.ok()) fail(period.status().to_string());
  const std::string council = args.need("council");
  vitals::Engine engine = open_engine(args, std::stoi(args.get("threads", "2")));
  vitals::EvaluateOptions options = council_options(engine, council);
  auto start = Clock::now();
  auto report = engine.evaluate(*period, options);
  double evaluated = seconds_since(start);
  if (!report.ok()) fail(report.status().to_string());

  vitals::CommentarySet commentary;
  vitals::ReportInputs inputs{engine.catalogue(), *report, commentary};
  std::ostringstream html;
  start = Clock::now();
  vitals::Status rendered = vitals::render_committee_report(inputs, vitals::DocumentFormat::kHtml, html);
  double took = seconds_since(start);
  if (!rendered.is_ok()) fail(rendered.to_string());
  std::ostringstream summary;
  auto summary_start = Clock::now();
  if (vitals::Status s = vitals::render(*report, vitals::ReportFormat::kJson, summary); !s.is_ok()) {
    fail(s.to_string());
  }
  double json_took = seconds_since(summary_start);
  std::cout << "council " << council << ": " << options.indicators.size() << " indicators, "
            << report->exceptions().size() << " exceptions; evaluated in " << evaluated
            << " s; committee report (HTML, " << html.str().size() / 1024 << " KiB) rendered in "
            << took << " s; JSON result in " << json_took << " s\n";
  if (args.has("out")) {
    fs::create_directories(args.get("out"));
    std::ofstream(fs::path(args.get("out")) / ("committee-report-" + council + ".html")) << html.str();
  }
  result("render_indicators", static_cast<double>(options.indicators.size()), "indicators");
  result("render_exceptions", static_cast<double>(report->exceptions().size()), "indicators");
  result("render_html_s", took, "s");
  result("render_html_kib", static_cast<double>(html.str().size()) / 1024.0, "KiB");
  result("render_json_s", json_took, "s");
  return 0;
}

// Publishes one council's indicators as the website `vitals publish` writes
// (every indicator's page with its full history, the CSV and xlsx
// downloads), timing the publication alone.
int run_publish(const Args& args) {
  auto period = vitals::Period::parse(args.need("period"));
  if (!period.ok()) fail(period.status().to_string());
  const std::string council = args.need("council");
  const fs::path site = args.need("out");
  vitals::Engine engine = open_engine(args, std::stoi(args.get("threads", "2")));
  vitals::EvaluateOptions options = council_options(engine, council);
  options.full_history = true;
  auto start = Clock::now();
  auto report = engine.evaluate(*period, options);
  double evaluated = seconds_since(start);
  if (!report.ok()) fail(report.status().to_string());
  std::size_t points = 0;
  for (const auto& r : report->indicators) points += r.full_history.size();

  vitals::CommentarySet commentary;
  vitals::ReportInputs inputs{engine.catalogue(), *report, commentary};
  vitals::PublishOptions publish;
  publish.site_dir = site;
  publish.period = *period;
  publish.replace = true;
  start = Clock::now();
  auto summary = vitals::publish_site(inputs, publish);
  double took = seconds_since(start);
  if (!summary.ok()) fail(summary.status().to_string());
  std::uintmax_t bytes = 0;
  for (const fs::path& file : summary->files) bytes += fs::file_size(summary->folder / file);
  std::cout << "council " << council << ": " << options.indicators.size() << " indicators, " << points
            << " points of history; evaluated in " << evaluated << " s; site published ("
            << summary->files.size() << " files, " << bytes / (1024 * 1024) << " MiB) in " << took
            << " s\n";
  result("publish_indicators", static_cast<double>(options.indicators.size()), "indicators");
  result("publish_files", static_cast<double>(summary->files.size()), "files");
  result("publish_mib", static_cast<double>(bytes) / (1024.0 * 1024.0), "MiB");
  result("publish_s", took, "s");
  return 0;
}


// What one child process cost, from wait4(2): its wall clock, CPU and peak memory.
struct ChildCost {
  double wall_s = 0;
  double user_s = 0;
  double sys_s = 0;
  double peak_rss_mib = 0;
};

// Runs `argv` with standard output and error into files, and fails unless it
// exits with 0.
ChildCost run_child(const std::vector<std::string>& argv, const fs::path& out, const fs::path& err) {
  std::vector<char*> c_argv;
  for (const std::string& a : argv) c_argv.push_back(const_cast<char*>(a.c_str()));
  c_argv.push_back(nullptr);
  auto start = Clock::now();
  const pid_t pid = fork();
  if (pid < 0) fail("fork failed");
  if (pid == 0) {
    const int out_fd = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err_fd = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out_fd < 0 || err_fd < 0) _exit(126);
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    execv(c_argv[0], c_argv.data());
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  if (wait4(pid, &status, 0, &usage) != pid) fail("wait4 failed");
  ChildCost cost;
  cost.wall_s = seconds_since(start);
  auto secs = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  cost.user_s = secs(usage.ru_utime);
  cost.sys_s = secs(usage.ru_stime);
  cost.peak_rss_mib = static_cast<double>(usage.ru_maxrss) / 1024.0;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::ifstream log(err);
    std::cerr << log.rdbuf();
    fail(argv[0] + " " + argv[1] + " failed (exit status " +
         std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + "); its output: " +
         err.string());
  }
  return cost;
}

double file_mib(const fs::path& path) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  return ec ? 0.0 : static_cast<double>(size) / (1024.0 * 1024.0);
}

// One `vitals` command, timed as a process: prints its cost and RESULT lines
// named `name`_s, _cpu_s and _peak_rss_mib, and its `-vv` timing lines
// ("vitals: debug: ... in N s"), the profile of where its time went.
void measure_command(const std::string& name, const std::vector<std::string>& argv,
                     const fs::path& out, const fs::path& err) {
  std::cout << "+";
  for (std::size_t i = 1; i < argv.size(); ++i) std::cout << " " << argv[i];
  std::cout << "\n";
  const ChildCost cost = run_child(argv, out, err);
  std::cout << name << ": " << cost.wall_s << " s wall, " << cost.user_s << " s user, "
            << cost.sys_s << " s system, peak " << cost.peak_rss_mib << " MiB; standard output "
            << file_mib(out) << " MiB\n";
  std::ifstream log(err);
  for (std::string line; std::getline(log, line);) {
    if (line.find(": debug: ") != std::string::npos && line.find(" in ") != std::string::npos) {
      std::cout << "    " << line << "\n";
    }
  }
  result(name + "_s", cost.wall_s, "s");
  result(name + "_cpu_s", cost.user_s + cost.sys_s, "s");
  result(name + "_peak_rss_mib", cost.peak_rss_mib, "MiB");
  result(name + "_stdout_mib", file_mib(out), "MiB");
}

// The `vitals` command as a user runs it: `vitals ingest` into a new store and
// again unchanged, then `vitals evaluate --no-ingest` with the text summary
// alone, with --json (the full report), with --json --compact and with --all
// (every exception listed), each a process of its own.
int run_cli(const Args& args) {
  const std::string vitals = args.need("vitals");
  const std::string store = args.need("store");
  const std::string catalogue = (fs::path(args.need("workload")) / "catalogue").string();
  const std::string period = args.need("period");
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(store + suffix, ec);
  const std::vector<std::string> common = {"--catalogue", catalogue, "--store", store, "-vv"};
  auto command = [&](std::vector<std::string> argv) {
    argv.insert(argv.begin(), vitals);
    argv.insert(argv.end(), common.begin(), common.end());
    return argv;
  };
  const std::string base = store + ".cli";
  measure_command("cli_ingest_new", command({"ingest"}), base + ".ingest.txt", base + ".ingest.log");
  measure_command("cli_ingest_unchanged", command({"ingest"}), base + ".ingest.txt",
                  base + ".ingest.log");
  measure_command("cli_evaluate_text", command({"evaluate", "--period", period, "--no-ingest"}),
                  base + ".summary.txt", base + ".evaluate.log");
  measure_command("cli_evaluate_json",
                  command({"evaluate", "--period", period, "--no-ingest", "--json", base + ".json"}),
                  base + ".summary.txt", base + ".evaluate-json.log");
  std::cout << "JSON result: " << file_mib(base + ".json") << " MiB\n";
  result("cli_evaluate_json_mib", file_mib(base + ".json"), "MiB");
  measure_command("cli_evaluate_compact",
                  command({"evaluate", "--period", period, "--no-ingest", "--json",
                           base + ".compact.json", "--compact"}),
                  base + ".summary.txt", base + ".evaluate-compact.log");
  std::cout << "compact JSON result: " << file_mib(base + ".compact.json") << " MiB\n";
  result("cli_evaluate_compact_json_mib", file_mib(base + ".compact.json"), "MiB");
  measure_command("cli_evaluate_all", command({"evaluate", "--period", period, "--no-ingest", "--all"}),
                  base + ".summary-all.txt", base + ".evaluate-all.log");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Args args = parse(argc, argv);
  if (args.phase == "ingest") return run_ingest(args);
  if (args.phase == "evaluate") return run_evaluate(args);
  if (args.phase == "render") return run_render(args);
  if (args.phase == "publish") return run_publish(args);
  if (args.phase == "cli") return run_cli(args);
  if (args.phase == "catalogue") {
    const int repeat = std::max(1, std::stoi(args.get("repeat", "1")));
    for (int i = 0; i < repeat; ++i) open_engine(args, std::stoi(args.get("threads", "2")));
    return 0;
  }
  fail("unknown phase '" + args.phase + "' (ingest, evaluate, render, publish, cli or catalogue)");
}
