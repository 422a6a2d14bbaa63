// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>

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

}  // namespace vitals::detail
