// SPDX-License-Identifier: Apache-2.0
// The store's packed observation blocks: any bytes read back from a store
// either decode or are refused with a Status, and bytes that decode are
// exactly what packing their points writes (so a damaged byte can never
// read as other figures). Points read from a block's text pack and read back
// to the same points.

#include "fuzz_support.hpp"
#include "store/observation_block.hpp"

#include <cmath>
#include <cstdlib>
#include <vector>

namespace {

bool same_figure(double a, double b) {
  return (std::isnan(a) && std::isnan(b)) || (a == b && std::signbit(a) == std::signbit(b));
}

bool same_points(const std::vector<vitals::detail::BlockPoint>& a,
                 const std::vector<vitals::detail::BlockPoint>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].period != b[i].period || !same_figure(a[i].value, b[i].value) ||
        !same_figure(a[i].numerator, b[i].numerator) ||
        !same_figure(a[i].denominator, b[i].denominator) || !same_figure(a[i].target, b[i].target)) {
      return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vitals::detail;
  const std::string_view bytes = vitals::fuzz::as_text(data, size);

  PackedReader packed;
  std::vector<BlockPoint> points;
  if (packed.read(bytes, points).is_ok()) {
    if (pack_block(points) != bytes) std::abort();
  } else if (!points.empty()) {
    std::abort();  // a refused block leaves nothing behind
  }

  // The same bytes as a block's text: what reads packs and reads back.
  BlockReader text;
  std::vector<BlockPoint> from_text;
  if (text.read(bytes, from_text).is_ok() && strictly_ascending(from_text)) {
    std::vector<BlockPoint> again;
    if (!packed.read(pack_block(from_text), again).is_ok() || !same_points(again, from_text)) {
      std::abort();
    }
  }
  return 0;
}
