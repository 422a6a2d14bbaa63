// SPDX-License-Identifier: Apache-2.0
#pragma once

// Progress reports of one step, throttled and safe to call from any thread.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <string_view>

#include <vitals/progress.hpp>

namespace vitals::detail {

/// Counts one step's finished items and passes the count to a ProgressSink
/// no more often than every `interval`, plus once at the start and once from
/// finish() (or the destructor). A sink that throws is not called again.
/// Thread safety: add() may be called from several threads at once; the sink
/// is called by one thread at a time.
class ProgressMeter {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr Clock::duration kInterval = std::chrono::milliseconds(100);

  /// REQUIRES: `phase` and `unit` outlive the meter. An empty sink
  /// makes every call a no-op.
  ProgressMeter(const ProgressSink& sink, std::string_view phase, std::string_view unit,
                std::size_t total, Clock::duration interval = kInterval)
      : sink_(sink), phase_(phase), unit_(unit), total_(total), interval_(interval) {
    if (!sink_) return;
    std::lock_guard lock(mutex_);
    next_.store((Clock::now() + interval_).time_since_epoch().count(), std::memory_order_relaxed);
    report(0, false);
  }

  ~ProgressMeter() { finish(); }
  ProgressMeter(const ProgressMeter&) = delete;
  ProgressMeter& operator=(const ProgressMeter&) = delete;

  /// Adds `n` finished items; reports the count when the interval has passed
  /// and no other thread is reporting.
  void add(std::size_t n = 1) {
    if (!sink_) return;
    const std::size_t done = done_.fetch_add(n, std::memory_order_relaxed) + n;
    const Clock::rep now = Clock::now().time_since_epoch().count();
    if (now < next_.load(std::memory_order_relaxed)) return;
    std::unique_lock lock(mutex_, std::try_to_lock);
    if (!lock.owns_lock()) return;  // another thread is reporting
    if (now < next_.load(std::memory_order_relaxed)) return;  // one just did
    next_.store(now + interval_.count(), std::memory_order_relaxed);
    // Counts never go backwards, whichever thread reports.
    report(std::max(done, reported_), false);
  }

  /// Reports the final count, once; later calls do nothing.
  void finish() {
    if (!sink_) return;
    std::lock_guard lock(mutex_);
    if (finished_) return;
    finished_ = true;
    report(done_.load(std::memory_order_relaxed), true);
  }

  /// Items added so far.
  std::size_t done() const { return done_.load(std::memory_order_relaxed); }

 private:
  // REQUIRES: mutex_ held.
  void report(std::size_t done, bool finished) {
    if (failed_ || (finished_ && !finished)) return;
    reported_ = done;
    Progress p;
    p.phase = phase_;
    p.done = done;
    p.total = total_;
    p.unit = unit_;
    p.finished = finished;
    try {
      sink_(p);
    } catch (...) {
      failed_ = true;  // the sink's problem must not stop the work
    }
  }

  const ProgressSink sink_;
  const std::string_view phase_;
  const std::string_view unit_;
  const std::size_t total_;
  const Clock::duration interval_;
  std::atomic<std::size_t> done_{0};
  std::atomic<Clock::rep> next_{0};
  std::mutex mutex_;
  std::size_t reported_ = 0;
  bool finished_ = false;
  bool failed_ = false;
};

}  // namespace vitals::detail
