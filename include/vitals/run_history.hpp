// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <vitals/evaluation.hpp>
#include <vitals/export.hpp>
#include <vitals/lifecycle.hpp>
#include <vitals/period.hpp>
#include <vitals/report.hpp>
#include <vitals/status.hpp>

namespace vitals {

/// A stored run, as Engine::runs() lists it.
struct RunInfo {
  std::int64_t id = 0;
  std::string catalogue;  // catalogue name
  std::string committee;
  Period period;
  std::int64_t created_at = 0;  // unix seconds
  int indicators = 0;
  int exceptions = 0;
  int diagnostics = 0;
  RunManifest manifest;
  /// The run that re-ran the same catalogue and period, when this one was
  /// replaced. Replaced runs are kept for audit but no longer count.
  std::optional<std::int64_t> replaced_by;
  /// False when the run could not read or evaluate everything
  /// (EvaluationReport::incomplete; Engine::load_run() gives the reasons).
  bool complete = true;
};

/// What changed between two runs (Engine::load_run of each, then diff_runs).
struct RunDiff {
  /// An indicator whose exception appeared, went or changed.
  struct Change {
    std::string indicator_id;
    std::string title;
    ExceptionState before = ExceptionState::kNone;  // kNone: not an exception in run A
    ExceptionState after = ExceptionState::kNone;   // kNone: not an exception in run B
    std::vector<std::string> criteria_before;        // in report order
    std::vector<std::string> criteria_after;
  };
  /// One manifest entry that differs ("engine_version", "catalogue_hash", ...).
  struct ManifestChange {
    std::string field;
    std::string before;
    std::string after;
  };
  std::int64_t run_a = 0;
  std::int64_t run_b = 0;
  std::vector<Change> added;    // exceptions in B, not in A
  std::vector<Change> removed;  // exceptions in A, not in B
  std::vector<Change> changed;  // exceptions in both whose state or criteria differ
  std::vector<ManifestChange> manifest;

  bool empty() const {
    return added.empty() && removed.empty() && changed.empty() && manifest.empty();
  }
};

/// Unix seconds as people read a time stamp in a report: "2017-05-04 09:30:00
/// UTC".
VITALS_API std::string utc_time_text(std::int64_t unix_seconds);

/// Compares run `a` with run `b` (usually the older with the newer), by
/// indicator id; each list is sorted by indicator id.
VITALS_API RunDiff diff_runs(const EvaluationReport& a, const EvaluationReport& b);

/// Writes a list of runs (Engine::runs) as text (a paragraph per run with
/// shortened digests) or JSON (full digests; format "vitals.runs/1").
/// kInvalidArgument for Markdown. Never throws.
VITALS_API Status render_runs(const std::vector<RunInfo>& runs, ReportFormat format,
                              std::ostream& out);

/// Writes `diff` between runs `a` and `b` as text or JSON (format
/// "vitals.run_diff/1"). kInvalidArgument for Markdown. Never throws.
VITALS_API Status render_run_diff(const RunDiff& diff, const RunInfo& a, const RunInfo& b,
                                  ReportFormat format, std::ostream& out);

}  // namespace vitals
