// SPDX-License-Identifier: Apache-2.0
#pragma once

// What every `vitals` command shares: option parsing, engine set-up, output.

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <vitals/vitals.hpp>

#include "args.hpp"

namespace vitals::cli {

constexpr int kExitOk = 0;
constexpr int kExitDiagnostics = 1;  // completed, with error diagnostics
constexpr int kExitUsage = 2;        // invalid input or usage
constexpr int kExitFailure = 3;      // store or internal failure

/// Parses the arguments of `command` from argv[first] on (parse_args);
/// prints its help (for -h or --help) or the problem. Returns -1 to go on,
/// else the exit code. REQUIRES: argv[1] is the command. When the command's
/// catalogue_required, --catalogue is required.
int parse(int argc, char** argv, const CommandSpec& command, Args& args, int first = 2);

/// Engine options from the common arguments. Without a store the engine
/// uses an in-memory one (nothing is written).
EngineOptions engine_options(const Args& args, bool with_store);

/// Whether --format asks for JSON ("json") or text ("text", the default);
/// nullopt, after saying so on stderr, for any other value.
std::optional<bool> json_format(const Args& args);

/// Opens the engine and loads --catalogue, printing what went wrong and
/// setting `exit_code` when it returns nullopt. With `catalogue_errors`, a
/// catalogue that has errors is not printed: its diagnostics are stored
/// there instead (exit_code kExitUsage), for a caller that reports them in
/// its own format. With `read_series_early` (a command that evaluates the
/// stored data without ingesting), the store's series are read while the
/// catalogue loads (EngineOptions::read_series_early). With `evaluates_once`
/// (a command that evaluates one period), the series are freed as they are
/// evaluated (EngineOptions::keep_series).
std::optional<Engine> open_engine(const Args& args, bool with_store, int& exit_code,
                                  std::vector<Diagnostic>* catalogue_errors = nullptr,
                                  bool read_series_early = false, bool evaluates_once = false);

/// Prints diagnostics one per line (FILE:LINE:COL: severity: message [code]).
/// With `by_indicator`, those that differ only in their indicator are printed
/// once, with a count (group_by_indicator), unless -v was given; without it
/// (vitals check, a catalogue's errors) every one is printed, so an editor
/// can go to each.
void print_diagnostics(const std::vector<Diagnostic>& diagnostics, std::ostream& out,
                       bool errors_only, bool by_indicator = false);

/// Whether an output file the user named (--output, --json, --junit) was
/// written by write_output_file (vitals/output_file.hpp: whole or not at
/// all, links followed, devices written in place); when not, prints
/// "vitals: cannot write PATH: REASON" on stderr.
bool output_written(const Status& written);

/// At -vv, "vitals: debug: <what> in N.NN s" on stderr, as the engine's own
/// timing lines, for the time since `start`.
void log_timing(const Args& args, std::string_view what,
                std::chrono::steady_clock::time_point start);

/// `report` rendered as `format`, or nullopt after printing the problem.
std::optional<std::string> rendered(const EvaluationReport& report, ReportFormat format);

/// Which of a run's diagnostics evaluate_period prints on stderr: the
/// errors alone (for `evaluate`, whose summary lists the warnings and notes),
/// or every one (for the commands whose output is a document, where a
/// warning would otherwise be seen nowhere).
enum class RunDiagnostics { kErrors, kAll };

/// Ingests the catalogue's sources (when `ingest`), evaluates `period`,
/// records the run and prints the run's `shown` diagnostics to stderr (those
/// that differ only in their indicator once, with a count, unless -v; with
/// --quiet only errors). Returns
/// nullopt after printing the problem and setting `exit_code`: kExitUsage
/// when no indicator is reported at the period's frequency (checked before
/// anything is fetched), kExitFailure when the store or engine failed.
std::optional<EvaluationReport> evaluate_period(Engine& engine, const Period& period, bool ingest,
                                                int& exit_code, RunDiagnostics shown,
                                                const EvaluateOptions& options = {});

/// "vitals: the run is incomplete:" and one line per reason, for stderr.
void print_incomplete(const EvaluationReport& report, std::ostream& out);

/// For the commands that write documents from a run (report, publish): when
/// `report` is incomplete, prints why on stderr and, unless --allow-incomplete
/// was given, that `nothing_done` ("no report was written") and how to
/// `do_anyway` ("write it"), and returns true: the command writes nothing.
bool refuse_incomplete(const EvaluationReport& report, const Args& args, const char* nothing_done,
                       const char* do_anyway);

/// The parsed --period, or nullopt after printing the problem.
std::optional<Period> period_option(const Args& args, const char* command);

// One function per command, each in its own <command>_command.cpp with the
// spec of what it accepts.
int run_evaluate(int argc, char** argv);
int run_check(int argc, char** argv);
int run_ingest(int argc, char** argv);
int run_report(int argc, char** argv);
int run_rules(int argc, char** argv);
int run_explain(int argc, char** argv);
int run_backtest(int argc, char** argv);
int run_runs(int argc, char** argv);
int run_diff(int argc, char** argv);
int run_risks(int argc, char** argv);
int run_publish(int argc, char** argv);
const CommandSpec& evaluate_command();
const CommandSpec& check_command();
const CommandSpec& ingest_command();
const CommandSpec& report_command();
const CommandSpec& rules_command();
const CommandSpec& explain_command();
const CommandSpec& backtest_command();
const CommandSpec& runs_command();
const CommandSpec& diff_command();
const CommandSpec& risks_command();
const CommandSpec& publish_command();

}  // namespace vitals::cli
