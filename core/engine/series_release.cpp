// SPDX-License-Identifier: Apache-2.0
#include "engine/series_release.hpp"

#include <unordered_map>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace vitals::detail {
namespace {

std::size_t bytes_of(const SeriesColumns& c) {
  return c.periods.capacity() * sizeof(std::int32_t) +
         (c.values.capacity() + c.numerators.capacity() + c.denominators.capacity() +
          c.targets.capacity()) *
             sizeof(double);
}

// Freed memory is handed back to the system every so often: the series were
// read on a thread (and so into a malloc arena) the evaluation's results are
// not allocated from, so without it the process's memory would not fall.
constexpr std::size_t kTrimEvery = std::size_t{32} << 20;

}  // namespace

SeriesRelease::SeriesRelease(const std::vector<const SeriesColumns*>& columns, int passes)
    : slot_(columns.size(), kNone) {
  std::unordered_map<const SeriesColumns*, std::uint32_t> slot_of;
  std::vector<int> readers;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] == nullptr) continue;
    auto [it, added] = slot_of.emplace(columns[i], static_cast<std::uint32_t>(series_.size()));
    if (added) {
      // The caller's table is not const: only the passes see it so.
      series_.push_back(const_cast<SeriesColumns*>(columns[i]));
      readers.push_back(0);
    }
    slot_[i] = it->second;
    readers[it->second] += passes;
  }
  left_ = std::make_unique<std::atomic<int>[]>(series_.size());
  for (std::size_t s = 0; s < series_.size(); ++s) left_[s].store(readers[s], std::memory_order_relaxed);
}

void SeriesRelease::done(std::size_t i) {
  const std::uint32_t s = slot_[i];
  if (s == kNone) return;
  // acq_rel: every pass's reads happen before the last one frees the series.
  if (left_[s].fetch_sub(1, std::memory_order_acq_rel) != 1) return;
  const std::size_t bytes = bytes_of(*series_[s]);
  *series_[s] = SeriesColumns{};
  const std::size_t before = freed_.fetch_add(bytes, std::memory_order_relaxed);
#if defined(__GLIBC__)
  if ((before + bytes) / kTrimEvery != before / kTrimEvery) malloc_trim(0);
#endif
}

}  // namespace vitals::detail
