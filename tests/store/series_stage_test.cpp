// SPDX-License-Identifier: Apache-2.0
#include "store/series_stage.hpp"

#include "catch.hpp"
#include "store/store_test_support.hpp"

#include <vitals/observation.hpp>
#include <vitals/period.hpp>

#include <optional>
#include <string>
#include <vector>

using namespace vitals;
using vitals::detail::SeriesStage;

namespace {

std::vector<Series> batch(int first, int count) {
  std::vector<Series> out;
  for (int s = first; s < first + count; ++s) {
    Series series{"s" + std::to_string(s), {}};
    for (int m = 0; m < 5; ++m) {
      Observation o;
      o.period = Period::month(2017, 1).shifted(m);
      if (m != 1) o.value = s + m * 0.25;
      if (m % 2 == 0) o.numerator = m;
      if (m % 2 == 0) o.denominator = 10;
      if (m == 4) o.target = -1.5;
      series.observations.push_back(o);
    }
    out.push_back(std::move(series));
  }
  out.push_back(Series{"empty", {}});
  return out;
}

// Every batch as "key: observations" lines, to compare.
std::vector<std::string> flatten(const std::vector<std::vector<Series>>& batches) {
  std::vector<std::string> out;
  for (const auto& b : batches) {
    for (const Series& s : b) {
      std::string line = s.key + ":";
      for (const Observation& o : s.observations) {
        line += " " + o.period.to_string();
        for (const std::optional<double>& f : {o.value, o.numerator, o.denominator, o.target}) {
          line += f ? "," + std::to_string(*f) : ",-";
        }
      }
      out.push_back(line);
    }
    out.emplace_back("--");
  }
  return out;
}

}  // namespace

TEST_CASE("staged batches come back in order, as added, from memory or a spill file",
          "[store][stage]") {
  const std::size_t limit = GENERATE(std::size_t{1} << 20, std::size_t{64});
  SeriesStage stage(limit);
  std::vector<std::vector<Series>> added;
  for (int b = 0; b < 20; ++b) {
    added.push_back(batch(b * 3, 3));
    REQUIRE(stage.add(added.back()).is_ok());
  }
  CHECK(stage.observations() == 20 * 3 * 5);
  std::vector<std::vector<Series>> replayed;
  REQUIRE(stage
              .replay([&](std::vector<Series>&& b) {
                replayed.push_back(std::move(b));
                return Status::ok();
              })
              .is_ok());
  CHECK(flatten(replayed) == flatten(added));

  // The first error of the writer stops the replay and is returned.
  int calls = 0;
  Status stopped = stage.replay([&](std::vector<Series>&&) {
    ++calls;
    return Status(StatusCode::kStoreError, "full");
  });
  CHECK(stopped.message() == "full");
  CHECK(calls == 1);
}

TEST_CASE("staged records come back in order, byte for byte, from memory or a spill file",
          "[store][stage]") {
  const std::size_t limit = GENERATE(std::size_t{1} << 20, std::size_t{64});
  SeriesStage stage(limit);
  std::vector<std::string> added;
  for (int r = 0; r < 50; ++r) {
    std::string record(static_cast<std::size_t>(r * 7), static_cast<char>('a' + r % 26));
    if (r % 5 == 0) record += std::string("\0\xff", 2);
    added.push_back(record);
    REQUIRE(stage.add_record(added.back()).is_ok());
  }
  std::vector<std::string> replayed;
  REQUIRE(stage
              .replay_records([&](std::string_view r) {
                replayed.emplace_back(r);
                return Status::ok();
              })
              .is_ok());
  CHECK(replayed == added);
  int calls = 0;
  Status stopped = stage.replay_records([&](std::string_view) {
    ++calls;
    return Status(StatusCode::kStoreError, "full");
  });
  CHECK(stopped.message() == "full");
  CHECK(calls == 1);
}
