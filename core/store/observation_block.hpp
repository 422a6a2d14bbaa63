// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <vitals/observation.hpp>
#include <vitals/status.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace vitals::detail {

// The store keeps a series' observations in blocks: one row of
// observation_blocks per series and ingest, holding the periods that ingest
// added or revised, as a JSON array of points in ascending period order:
//
//   [["2024-04",12.5],["2024-05",13,26,200],["2024-06"],["2024-07",null,null,null,80]]
//
// A point is [period, value, numerator, denominator, target], its trailing
// blanks left out and a blank before a figure written null. Figures are the
// shortest text that reads back exactly. SQLite's json functions read it, so
// the store's views (migrations.cpp) show one row per revision.

/// One point of a block, as read back.
struct BlockPoint {
  std::int32_t period = 0;  // pack_period()
  double value = 0, numerator = 0, denominator = 0, target = 0;  // NaN when blank

  Observation observation() const;
  static BlockPoint of(const Observation& o);
};

/// Appends `o` (its period's canonical text is `period_text`) to `block`,
/// which is empty or holds the points appended so far.
void append_block_point(std::string& block, std::string_view period_text, const Observation& o);

/// Ends a block that append_block_point() filled.
void finish_block(std::string& block);

/// Reads blocks back. It remembers the period texts it has met, so reading a
/// store's millions of points parses each distinct period once.
class BlockReader {
 public:
  /// Appends the points of `json` to `out`, in their order. kInvalidArgument
  /// saying what is wrong and at which byte when `json` is not a block (what
  /// it read of it is then left in `out`).
  Status read(std::string_view json, std::vector<BlockPoint>& out);

 private:
  std::unordered_map<std::string, std::int32_t> periods_;
  std::string text_;  // the period being looked up, reused
};

/// What a store error says of a stored block that read() refused (`why`).
std::string unreadable_block(std::int64_t block_id, std::int64_t series_id, const Status& why);

/// Turns the points of one series' blocks, read oldest block first, into the
/// current revision of each period (the one from the latest block), in
/// ascending period order.
void keep_current(std::vector<BlockPoint>& points);

}  // namespace vitals::detail
