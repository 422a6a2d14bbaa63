// SPDX-License-Identifier: Apache-2.0
// The run manifest's data hash (docs/adr/0003): its value for a fixed input
// is pinned, so that a faster way of computing it cannot change what a
// stored manifest promises.
#include <vitals/indicator.hpp>
#include <vitals/observation.hpp>
#include <vitals/period.hpp>

#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "catch.hpp"
#include "engine/lifecycle.hpp"
#include "store/series_table.hpp"

using namespace vitals;
using namespace vitals::detail;

namespace {

constexpr double kBlank = std::numeric_limits<double>::quiet_NaN();

Period month(const char* text) { return *Period::parse(text); }

IndicatorDefinition indicator(const char* id, const char* source, const char* series) {
  IndicatorDefinition def;
  def.id = id;
  def.source.source = source;
  def.source.series = series;
  return def;
}

// Three indicators read from memory (one with every column, one with only
// values and some blanks, one with no observations), one read from the store
// and one whose observations could not be read; periods of several lengths,
// some after the reporting period (left out of the hash).
struct Fixture {
  std::vector<IndicatorDefinition> defs = {
      indicator("full", "csv", "s1"), indicator("values_only", "csv", "s2"),
      indicator("empty", "csv", "s3"), indicator("stored", "odbc", "s4"),
      indicator("unreadable", "odbc", "s5")};
  SeriesColumns full;
  SeriesColumns values_only;
  SeriesColumns empty;

  Fixture() {
    for (const char* p : {"2024-12", "2025-01", "2025-Q1", "2025-03", "2025-04"}) {
      full.periods.push_back(pack_period(*Period::parse(p)));
    }
    full.values = {1.5, -0.0, 3e300, 4.25, 5.0};
    full.numerators = {10, kBlank, 30, 40, 50};
    full.denominators = {100, 200, kBlank, 400, 500};
    full.targets = {kBlank, 2.0, 2.5, 1.0 / 3.0, 9.0};
    for (const char* p : {"2023", "2023/24", "2025-02", "2026-01"}) {
      values_only.periods.push_back(pack_period(*Period::parse(p)));
    }
    values_only.values = {7.0, kBlank, 1e-9, 8.0};
  }

  DataHashInputs inputs() const {
    DataHashInputs in;
    for (const IndicatorDefinition& d : defs) in.indicators.push_back(&d);
    in.columns = {&full, &values_only, &empty, nullptr, nullptr};
    std::vector<Observation> stored = {
        Observation{month("2025-01"), 12.0, std::nullopt, std::nullopt, 11.0},
        Observation{month("2025-03"), std::nullopt, 3.0, 4.0, std::nullopt},
        Observation{month("2025-05"), 1.0, std::nullopt, std::nullopt, std::nullopt}};
    in.stored = {std::nullopt, std::nullopt, std::nullopt, stored, std::nullopt};
    return in;
  }
};

}  // namespace

TEST_CASE("the data hash of a fixed input is pinned") {
  Fixture f;
  // Computed when the hash was first defined; a change here changes the
  // data_hash of every manifest stored since.
  CHECK(compute_data_hash(f.inputs(), month("2025-03"), "records-digest") ==
        "8a7ffc6d74879647173f075e2e2ef7fd849dfc34857a6365dbb6df74676c8a2f");
}

TEST_CASE("the data hash covers the reporting period's observations and nothing later") {
  Fixture f;
  const std::string march = compute_data_hash(f.inputs(), month("2025-03"), "r");
  CHECK(march.size() == 64);
  // A figure after the period does not count; one up to it does.
  f.full.values[4] = 6.0;
  CHECK(compute_data_hash(f.inputs(), month("2025-03"), "r") == march);
  f.full.values[3] = 4.5;
  CHECK(compute_data_hash(f.inputs(), month("2025-03"), "r") != march);
  f.full.values[3] = 4.25;
  // A blank figure differs from a present one, even zero.
  f.full.numerators[1] = 0.0;
  CHECK(compute_data_hash(f.inputs(), month("2025-03"), "r") != march);
  f.full.numerators[1] = kBlank;
  CHECK(compute_data_hash(f.inputs(), month("2025-03"), "r") == march);
  // The records' digest counts.
  CHECK(compute_data_hash(f.inputs(), month("2025-03"), "s") != march);
  // A column left empty is a column of blanks.
  f.values_only.numerators.assign(f.values_only.size(), kBlank);
  CHECK(compute_data_hash(f.inputs(), month("2025-03"), "r") == march);
}
