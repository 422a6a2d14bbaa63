// SPDX-License-Identifier: Apache-2.0
#pragma once

// Work shared out over a few threads: the evaluation's indicators, a
// publication's pages.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace vitals::detail {

/// How many threads share `count` items taken `chunk` at a time: `requested`
/// (0 or less: one per core), but no more than there are chunks.
inline std::size_t worker_count(int requested, std::size_t count, std::size_t chunk) {
  const std::size_t n = requested > 0 ? static_cast<std::size_t>(requested)
                                      : std::max(1u, std::thread::hardware_concurrency());
  const std::size_t useful = std::max<std::size_t>(1, (count + chunk - 1) / chunk);
  return std::min(n, useful);
}

/// Runs body(worker, index) for every index below `count` on `workers`
/// threads (the calling thread is worker 0), each taking `chunk` indexes at
/// a time in increasing order. After the first exception no new chunk is
/// started; it is rethrown once every thread has stopped.
template <typename Body>
void run_parallel(std::size_t workers, std::size_t count, std::size_t chunk, Body&& body) {
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto work = [&](std::size_t worker) {
    try {
      while (!failed.load(std::memory_order_relaxed)) {
        const std::size_t begin = next.fetch_add(chunk, std::memory_order_relaxed);
        if (begin >= count) return;
        const std::size_t end = std::min(count, begin + chunk);
        for (std::size_t i = begin; i < end; ++i) body(worker, i);
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(error_mutex);
      if (!error) error = std::current_exception();
      failed = true;
    }
  };
  std::vector<std::thread> threads;
  threads.reserve(workers > 0 ? workers - 1 : 0);
  for (std::size_t w = 1; w < workers; ++w) threads.emplace_back(work, w);
  work(0);
  for (std::thread& t : threads) t.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace vitals::detail
