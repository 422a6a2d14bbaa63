// SPDX-License-Identifier: Apache-2.0
#include "common/progress_meter.hpp"

#include <atomic>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"

using vitals::Progress;
using vitals::ProgressSink;
using vitals::detail::ProgressMeter;
using namespace std::chrono_literals;

namespace {

// What a sink saw, copied out of each call.
struct Seen {
  std::string phase;
  std::size_t done;
  std::size_t total;
  std::string unit;
  bool finished;
};

struct Recorder {
  std::mutex mutex;
  std::vector<Seen> calls;
  ProgressSink sink() {
    return [this](const Progress& p) {
      std::lock_guard lock(mutex);
      calls.push_back({std::string(p.phase), p.done, p.total, std::string(p.unit), p.finished});
    };
  }
};

}  // namespace

TEST_CASE("a step is reported at its start and once at its end with the final count",
          "[common][progress]") {
  Recorder seen;
  {
    ProgressMeter meter(seen.sink(), "evaluating", "indicators", 5, 1h);
    for (int i = 0; i < 5; ++i) meter.add();
    meter.finish();
    meter.finish();  // once only, and not again from the destructor
    meter.add();     // after the end: not reported
  }
  REQUIRE(seen.calls.size() == 2);
  CHECK(seen.calls[0].phase == "evaluating");
  CHECK(seen.calls[0].unit == "indicators");
  CHECK(seen.calls[0].done == 0);
  CHECK(seen.calls[0].total == 5);
  CHECK_FALSE(seen.calls[0].finished);
  CHECK(seen.calls[1].done == 5);
  CHECK(seen.calls[1].total == 5);
  CHECK(seen.calls[1].finished);
}

TEST_CASE("the destructor ends a step that was not finished", "[common][progress]") {
  Recorder seen;
  {
    ProgressMeter meter(seen.sink(), "ingesting", "series", 0, 1h);
    meter.add(1234);
  }
  REQUIRE(seen.calls.size() == 2);
  CHECK(seen.calls[1].done == 1234);
  CHECK(seen.calls[1].total == 0);
  CHECK(seen.calls[1].finished);
}

TEST_CASE("reports come no more often than the interval", "[common][progress]") {
  Recorder seen;
  const auto interval = 20ms;
  const auto started = std::chrono::steady_clock::now();
  std::size_t added = 0;
  {
    ProgressMeter meter(seen.sink(), "evaluating", "indicators", 0, interval);
    while (std::chrono::steady_clock::now() - started < 300ms) {
      meter.add();
      ++added;
      std::this_thread::sleep_for(100us);
    }
  }
  const auto elapsed = std::chrono::steady_clock::now() - started;
  // The start, the end, and at most one report per interval between them.
  const auto most = static_cast<std::size_t>(elapsed / interval) + 2;
  CHECK(seen.calls.size() <= most);
  CHECK(seen.calls.size() >= 3);  // some progress between start and end
  CHECK(added > seen.calls.size() * 5);
  CHECK(seen.calls.back().done == added);
  for (std::size_t i = 1; i < seen.calls.size(); ++i) {
    CHECK(seen.calls[i].done >= seen.calls[i - 1].done);
  }
}

TEST_CASE("several threads count into one meter; the sink is never entered twice at once",
          "[common][progress]") {
  constexpr int kThreads = 4;
  constexpr std::size_t kEach = 20000;
  std::atomic<int> inside{0};
  std::atomic<bool> overlapped{false};
  std::vector<std::size_t> counts;  // guarded by the meter: one caller at a time
  bool finished_last = false;
  ProgressSink sink = [&](const Progress& p) {
    if (inside.fetch_add(1) != 0) overlapped = true;
    counts.push_back(p.done);
    finished_last = p.finished;
    std::this_thread::sleep_for(50us);
    inside.fetch_sub(1);
  };
  {
    ProgressMeter meter(sink, "evaluating", "indicators", kThreads * kEach, 1ms);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&meter] {
        for (std::size_t i = 0; i < kEach; ++i) meter.add();
      });
    }
    for (std::thread& t : threads) t.join();
    CHECK(meter.done() == kThreads * kEach);
    meter.finish();
  }
  CHECK_FALSE(overlapped);
  REQUIRE(counts.size() >= 2);
  CHECK(counts.back() == kThreads * kEach);
  CHECK(finished_last);
  for (std::size_t i = 1; i < counts.size(); ++i) CHECK(counts[i] >= counts[i - 1]);
}

TEST_CASE("a sink that throws is not called again and the work goes on", "[common][progress]") {
  int calls = 0;
  ProgressSink sink = [&calls](const Progress&) {
    ++calls;
    throw std::runtime_error("the terminal went away");
  };
  ProgressMeter meter(sink, "evaluating", "indicators", 3, 0ms);
  CHECK_NOTHROW(meter.add());
  CHECK_NOTHROW(meter.add());
  CHECK_NOTHROW(meter.finish());
  CHECK(calls == 1);
  CHECK(meter.done() == 2);
}

TEST_CASE("without a sink nothing is reported or counted", "[common][progress]") {
  ProgressMeter meter(ProgressSink{}, "evaluating", "indicators", 3);
  meter.add(3);
  meter.finish();
  CHECK(meter.done() == 0);
}
