// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>

namespace vitals {

/// How far one long step of the engine has come: loading the catalogue's
/// files, ingesting the sources' series, evaluating the indicators.
struct Progress {
  /// "loading the catalogue", "ingesting" or "evaluating".
  std::string_view phase;
  /// Items finished so far in this step.
  std::size_t done = 0;
  /// Items the step will finish; 0 when not known in advance (an ingest
  /// cannot know how many series a source holds until it has read them).
  std::size_t total = 0;
  /// What is counted: "files", "series" or "indicators".
  std::string_view unit;
  /// True on the last report of the step, which is always made, once, with
  /// the final count (the step may have stopped early on an error).
  bool finished = false;
};

/// Receives the engine's progress reports.
///
/// The engine calls it at a bounded rate: at most about every 100 ms during
/// a step, plus once when the step starts (done = 0) and once when it ends
/// (finished = true). It is called from whichever of the engine's threads
/// made the progress, but never by two threads at a time, and the views in
/// the Progress are valid only during the call. It is never called while the
/// store holds a write transaction. It should return quickly: the work waits
/// for it. An exception it throws is caught and ends the reports of that
/// step; it never reaches the engine's work or its caller.
using ProgressSink = std::function<void(const Progress&)>;

}  // namespace vitals
