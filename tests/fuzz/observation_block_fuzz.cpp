// SPDX-License-Identifier: Apache-2.0
// The store's observation-block codec: any text read back from a store either
// decodes or is refused with a Status; a decoded block written out again reads
// back to the same points.

#include "fuzz_support.hpp"
#include "store/observation_block.hpp"

#include <vitals/period.hpp>

#include <cmath>
#include <cstdlib>
#include <vector>

namespace {

bool same_figure(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vitals::detail;
  BlockReader reader;
  std::vector<BlockPoint> points;
  if (!reader.read(vitals::fuzz::as_text(data, size), points).is_ok()) return 0;

  // Round trip: what was read is written again and must read back identically.
  std::string block;
  for (const BlockPoint& p : points) {
    vitals::Observation o = p.observation();
    append_block_point(block, o.period.to_string(), o);
  }
  finish_block(block);
  std::vector<BlockPoint> again;
  if (!reader.read(block, again).is_ok() || again.size() != points.size()) std::abort();
  for (std::size_t i = 0; i < points.size(); ++i) {
    const BlockPoint& a = points[i];
    const BlockPoint& b = again[i];
    if (a.period != b.period || !same_figure(a.value, b.value) ||
        !same_figure(a.numerator, b.numerator) || !same_figure(a.denominator, b.denominator) ||
        !same_figure(a.target, b.target)) {
      std::abort();
    }
  }
  keep_current(points);
  return 0;
}
