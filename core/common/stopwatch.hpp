// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <ctime>

namespace vitals::detail {

/// Wall-clock seconds since construction or the last lap(), for the `-vv`
/// timing lines ("loaded the catalogue in 0.41 s").
/// Thread safety: not thread-safe; one per timed step.
class Stopwatch {
 public:
  /// Seconds since construction or the last lap().
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }
  /// Seconds since construction or the last lap(), and starts again.
  double lap() {
    const auto now = std::chrono::steady_clock::now();
    const double took = std::chrono::duration<double>(now - start_).count();
    start_ = now;
    return took;
  }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

/// CPU seconds (user + system, every thread) the process has used since
/// construction or the last lap(): on a busy machine a steadier measure of a
/// step than its wall clock. Made with CLOCK_THREAD_CPUTIME_ID, only the
/// calling thread's (a step that runs on a thread of its own).
/// Thread safety: not thread-safe; one per timed step.
class CpuStopwatch {
 public:
  explicit CpuStopwatch(clockid_t clock = CLOCK_PROCESS_CPUTIME_ID) : clock_(clock) {}

  /// CPU seconds since construction or the last lap(), and starts again.
  double lap() {
    const double now = seconds();
    const double took = now - start_;
    start_ = now;
    return took;
  }

 private:
  double seconds() const {
    timespec t{};
    clock_gettime(clock_, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
  }
  clockid_t clock_;
  double start_ = seconds();
};

}  // namespace vitals::detail
