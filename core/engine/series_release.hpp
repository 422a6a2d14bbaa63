// SPDX-License-Identifier: Apache-2.0
#pragma once

// Frees the store's series during an evaluation, for an engine that does not
// keep them between evaluations (EngineOptions::keep_series): each series is
// freed as soon as every pass that reads it is done with it, so that the
// evaluation's results take the series' place in memory instead of adding to
// them.

#include "store/series_table.hpp"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace vitals::detail {

class SeriesRelease {
 public:
  /// `columns[i]` is the series indicator i reads (nullptr: none), in a
  /// series table the caller owns and which is not const; `passes` is how
  /// many passes read every indicator (the evaluation, and the data hash when
  /// the run is recorded). A series read by several indicators is freed after
  /// the last of them.
  SeriesRelease(const std::vector<const SeriesColumns*>& columns, int passes);

  /// One pass is done with indicator i's series. Thread-safe; no pass may
  /// read the series again after calling it.
  void done(std::size_t i);

  /// Bytes of series freed so far.
  std::size_t freed_bytes() const { return freed_.load(std::memory_order_relaxed); }

 private:
  static constexpr std::uint32_t kNone = UINT32_MAX;
  std::vector<std::uint32_t> slot_;            // per indicator: its series' slot, or kNone
  std::vector<SeriesColumns*> series_;         // per slot
  std::unique_ptr<std::atomic<int>[]> left_;  // per slot: reads still to come
  std::atomic<std::size_t> freed_{0};
};

}  // namespace vitals::detail
