// SPDX-License-Identifier: Apache-2.0
#include "store/observation_block.hpp"

#include "catch.hpp"
#include "store/series_table.hpp"
#include "store/store_test_support.hpp"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

using vitals::Observation;
using vitals::Period;
using vitals::StatusCode;
using vitals::detail::append_block_point;
using vitals::detail::BlockPoint;
using vitals::detail::BlockReader;
using vitals::detail::finish_block;
using vitals::detail::keep_current;
using vitals::detail::pack_period;
using vitals::testing::month;
using vitals::testing::obs;

namespace {

std::string block_of(const std::vector<Observation>& observations) {
  std::string block;
  for (const Observation& o : observations) append_block_point(block, o.period.to_string(), o);
  finish_block(block);
  return block;
}

std::vector<Observation> read_back(const std::string& block) {
  BlockReader reader;
  std::vector<BlockPoint> points;
  auto status = reader.read(block, points);
  REQUIRE(status.is_ok());
  std::vector<Observation> out;
  for (const BlockPoint& p : points) out.push_back(p.observation());
  return out;
}

std::string error_of(const std::string& block) {
  BlockReader reader;
  std::vector<BlockPoint> points;
  auto status = reader.read(block, points);
  REQUIRE_FALSE(status.is_ok());
  CHECK(status.code() == StatusCode::kInvalidArgument);
  return status.message();
}

BlockPoint point(const Period& period, double value) {
  const double blank = std::numeric_limits<double>::quiet_NaN();
  return BlockPoint{pack_period(period), value, blank, blank, blank};
}

}  // namespace

TEST_CASE("a block is a JSON array of points with trailing blanks left out",
          "[store][observation_block]") {
  const std::vector<Observation> observations = {
      obs(month(2024, 4), 12.5),
      obs(month(2024, 5), 13, 26, 200),
      obs(month(2024, 6), std::nullopt),
      obs(month(2024, 7), std::nullopt, {}, {}, 80),
      obs(Period::quarter(2024, 2), -0.25, {}, {}, 1e21),
      obs(Period::financial_year(2024), 7, 0, 0, 0),
  };
  const std::string block = block_of(observations);
  CHECK(block ==
        "[[\"2024-04\",12.5],[\"2024-05\",13,26,200],[\"2024-06\"],"
        "[\"2024-07\",null,null,null,80],[\"2024-Q2\",-0.25,null,null,1e+21],"
        "[\"2024/25\",7,0,0,0]]");
  CHECK(read_back(block) == observations);
  CHECK(block_of({}) == "[]");
  CHECK(read_back("[]").empty());
  CHECK(read_back(" [ [ \"2024-04\" , 1 , null ] ]\n") ==
        std::vector<Observation>{obs(month(2024, 4), 1)});
}

TEST_CASE("every figure reads back exactly", "[store][observation_block]") {
  const std::vector<double> figures = {0.1,
                                       1.0 / 3.0,
                                       -0.0,
                                       5e-324,
                                       std::numeric_limits<double>::max(),
                                       std::numeric_limits<double>::lowest(),
                                       std::numeric_limits<double>::min(),
                                       123456789012345678.0,
                                       0.30000000000000004};
  std::vector<Observation> observations;
  Period p = month(2000, 1);
  for (double f : figures) {
    observations.push_back(obs(p, f, f, f, f));
    p = p.shifted(1);
  }
  const auto back = read_back(block_of(observations));
  REQUIRE(back.size() == observations.size());
  for (std::size_t i = 0; i < back.size(); ++i) {
    CHECK(back[i] == observations[i]);
    CHECK(std::signbit(*back[i].value) == std::signbit(*observations[i].value));
  }
}

TEST_CASE("a block that is not one is refused at the byte where it goes wrong",
          "[store][observation_block]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "observation block at byte 0: expected '['"},
      {"{}", "observation block at byte 0: expected '['"},
      {"[", "observation block at byte 1: expected '[' to begin a point"},
      {"[[]]", "observation block at byte 2: expected a period in quotes"},
      {"[[2024]]", "observation block at byte 2: expected a period in quotes"},
      {"[[\"2024-04]]", "observation block at byte 12: expected a period in quotes"},
      {"[[\"2024\\u002d04\"]]", "observation block at byte 7: expected a period in quotes"},
      {"[[\"2024-13\"]]", "observation block at byte 11: '2024-13' is not a period"},
      {"[[\"2024-04\",]]", "observation block at byte 12: expected a value"},
      {"[[\"2024-04\",1.]]", "observation block at byte 14: expected a digit"},
      {"[[\"2024-04\",NaN]]", "observation block at byte 12: expected a value"},
      {"[[\"2024-04\",Infinity]]", "observation block at byte 12: expected a value"},
      {"[[\"2024-04\",9e999]]", "observation block at byte 12: a figure is too large"},
      {"[[\"2024-04\",1,2,3,4,5]]",
       "observation block at byte 19: expected ']' to end a point of at most 5 items"},
      {"[[\"2024-04\",1] [\"2024-05\"]]", "observation block at byte 15: expected ',' or ']'"},
      {"[[\"2024-04\",1]]x", "observation block at byte 15: unexpected text after the block"},
      {"[[\"2024-04\",1]", "observation block at byte 14: expected ',' or ']'"},
  };
  for (const auto& [block, message] : cases) {
    INFO(block);
    CHECK(error_of(block) == message);
  }
}

TEST_CASE("a reader reads many blocks, each period's text parsed once",
          "[store][observation_block]") {
  BlockReader reader;
  std::vector<BlockPoint> points;
  REQUIRE(reader.read("[[\"2024-04\",1],[\"2024-05\",2]]", points).is_ok());
  REQUIRE(reader.read("[[\"2024-04\",3],[\"2024-Q2\",4]]", points).is_ok());
  REQUIRE(points.size() == 4);
  CHECK(points[0].period == pack_period(month(2024, 4)));
  CHECK(points[2].period == pack_period(month(2024, 4)));
  CHECK(points[3].period == pack_period(Period::quarter(2024, 2)));
  CHECK(points[3].value == 4);
  CHECK(std::isnan(points[3].numerator));
}

TEST_CASE("the current revision of each period is the one from the latest block",
          "[store][observation_block]") {
  SECTION("blocks that only add later periods are kept as they are") {
    std::vector<BlockPoint> points = {point(month(2024, 4), 1), point(month(2024, 5), 2),
                                      point(month(2024, 6), 3)};
    keep_current(points);
    REQUIRE(points.size() == 3);
    CHECK(points[2].value == 3);
  }
  SECTION("revisions and earlier periods in later blocks") {
    // Block 1: April to June; block 2 revises May and adds March; block 3
    // revises May again and the quarter ending in June.
    std::vector<BlockPoint> points = {
        point(month(2024, 4), 1),   point(month(2024, 5), 2),   point(month(2024, 6), 3),
        point(month(2024, 3), 0.5), point(month(2024, 5), 2.5), point(month(2024, 5), 2.75),
        point(Period::quarter(2024, 2), 9)};
    keep_current(points);
    REQUIRE(points.size() == 5);
    CHECK(points[0].observation() == obs(month(2024, 3), 0.5));
    CHECK(points[1].observation() == obs(month(2024, 4), 1));
    CHECK(points[2].observation() == obs(month(2024, 5), 2.75));
    CHECK(points[3].observation() == obs(month(2024, 6), 3));
    CHECK(points[4].observation() == obs(Period::quarter(2024, 2), 9));
  }
  SECTION("nothing stays nothing") {
    std::vector<BlockPoint> points;
    keep_current(points);
    CHECK(points.empty());
  }
}
