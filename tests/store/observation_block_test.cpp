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

namespace {

using vitals::detail::append_packed_point;
using vitals::detail::finish_packed_block;
using vitals::detail::pack_block;
using vitals::detail::PackedReader;

std::string packed_of(const std::vector<Observation>& observations) {
  std::string packed;
  for (const Observation& o : observations) append_packed_point(packed, o);
  finish_packed_block(packed);
  return packed;
}

// A block with every frequency, blanks in every place, and figures that
// text rounds badly, in ascending period order (a quarter before the
// financial quarter that ends in the same month).
std::vector<Observation> varied_points() {
  return {Observation{Period::financial_year(2015), 1.0 / 3, std::nullopt, 7.0, std::nullopt},
          Observation{month(2017, 1), -0.0, 1e-300, 1e300, 0.1},
          Observation{Period::quarter(2017, 1), 42.0, 4.0, 10.0, std::nullopt},
          Observation{Period::financial_quarter(2016, 4), std::nullopt, std::nullopt, std::nullopt,
                      std::nullopt},
          Observation{Period::calendar_year(2017), std::nullopt, std::nullopt, std::nullopt, -5.5}};
}

bool same_points(const std::vector<BlockPoint>& a, const std::vector<BlockPoint>& b) {
  auto same = [](double x, double y) {
    return (std::isnan(x) && std::isnan(y)) ||
           (x == y && std::signbit(x) == std::signbit(y));
  };
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].period != b[i].period || !same(a[i].value, b[i].value) ||
        !same(a[i].numerator, b[i].numerator) || !same(a[i].denominator, b[i].denominator) ||
        !same(a[i].target, b[i].target)) {
      return false;
    }
  }
  return true;
}

}  // namespace

TEST_CASE("a packed block reads back the same points as its text", "[store][observation_block]") {
  const auto observations = varied_points();
  BlockReader text_reader;
  std::vector<BlockPoint> from_text;
  REQUIRE(text_reader.read(block_of(observations), from_text).is_ok());

  const std::string packed = packed_of(observations);
  CHECK(packed.size() == 16 + 5 * 5 + 8 * 10);  // header, period and mask, ten figures
  CHECK(packed == pack_block(from_text));
  PackedReader reader;
  std::vector<BlockPoint> from_packed;
  REQUIRE(reader.read(packed, from_packed).is_ok());
  CHECK(same_points(from_packed, from_text));

  SECTION("an empty block is its header alone") {
    const std::string empty = packed_of({});
    CHECK(empty.size() == 16);
    std::vector<BlockPoint> none;
    CHECK(reader.read(empty, none).is_ok());
    CHECK(none.empty());
  }
  SECTION("points are appended after those already read") {
    REQUIRE(reader.read(packed, from_packed).is_ok());
    CHECK(from_packed.size() == 2 * observations.size());
  }
}

TEST_CASE("every damaged or cut packed block is refused and leaves what was read",
          "[store][observation_block]") {
  const std::string packed = packed_of(varied_points());
  PackedReader reader;
  const std::vector<BlockPoint> before = {point(month(2016, 1), 1.0)};

  // Every byte changed, in every bit, and every length cut short or
  // overlong: none reads, so no damaged byte ever becomes a figure.
  for (std::size_t at = 0; at < packed.size(); ++at) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string damaged = packed;
      damaged[at] = static_cast<char>(damaged[at] ^ (1 << bit));
      std::vector<BlockPoint> out = before;
      INFO("byte " << at << " bit " << bit);
      CHECK_FALSE(reader.read(damaged, out).is_ok());
      CHECK(same_points(out, before));
    }
  }
  for (std::size_t size = 0; size < packed.size(); ++size) {
    std::vector<BlockPoint> out = before;
    INFO("cut to " << size << " bytes");
    CHECK_FALSE(reader.read(std::string_view(packed).substr(0, size), out).is_ok());
    CHECK(same_points(out, before));
  }
  std::vector<BlockPoint> out;
  CHECK_FALSE(reader.read(packed + '\0', out).is_ok());
  CHECK(out.empty());
}

TEST_CASE("a packed block whose checksum holds is still checked point by point",
          "[store][observation_block]") {
  PackedReader reader;
  std::vector<BlockPoint> out;
  // Points built by hand, each wrong in one way, then packed with a sound
  // header: only the checks on the points can refuse them.
  const double blank = std::numeric_limits<double>::quiet_NaN();
  auto refused = [&](std::vector<BlockPoint> points) {
    out.clear();
    auto status = reader.read(pack_block(points), out);
    CHECK(out.empty());
    REQUIRE_FALSE(status.is_ok());
    CHECK(status.code() == StatusCode::kInvalidArgument);
    return status.message();
  };
  CHECK(refused({point(month(2017, 2), 1), point(month(2017, 1), 2)}) ==
        "packed observation block: its periods are not in ascending order");
  CHECK(refused({point(month(2017, 2), 1), point(month(2017, 2), 2)}) ==
        "packed observation block: its periods are not in ascending order");
  // A quarter must end in March, June, September or December.
  BlockPoint misaligned = point(Period::quarter(2017, 1), 1);
  misaligned.period -= 8;  // the same frequency, a month earlier
  CHECK(refused({misaligned}) == "packed observation block: point 0 has no period");
  BlockPoint no_frequency = point(month(2017, 1), 1);
  no_frequency.period |= 7;
  CHECK(refused({no_frequency}) == "packed observation block: point 0 has no period");
  CHECK(refused({BlockPoint{pack_period(month(2017, 1)), std::numeric_limits<double>::infinity(),
                            blank, blank, blank}}) ==
        "packed observation block: point 0 has a figure that is not finite");
}
