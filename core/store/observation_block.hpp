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

// Beside its text a block is kept packed (observation_blocks.packed, schema
// version 8), which evaluation reads instead of parsing the text: a 16-byte
// header, the magic "VOB1", the number of points (32 bits) and a 64-bit
// checksum of what follows, then per point its packed period (32 bits), a
// byte whose bits 0 to 3 say which of value, numerator, denominator and
// target it has, and those figures as 64-bit doubles. Integers and doubles
// are little-endian. Both forms are written by one statement of one
// transaction; a packed block that fails its checks is never used.

/// Appends `o` to `packed`, which is empty or holds the points appended so
/// far (the header is reserved by the first point).
void append_packed_point(std::string& packed, const Observation& o);

/// Ends a block that append_packed_point() filled: writes its header.
void finish_packed_block(std::string& packed);

/// The packed form of `points` (as finish_packed_block() leaves it).
/// REQUIRES: their periods strictly ascend, as a stored block's do.
std::string pack_block(const std::vector<BlockPoint>& points);

/// Whether the periods of `points` strictly ascend (pack_block() requires it).
bool strictly_ascending(const std::vector<BlockPoint>& points);

/// Reads packed blocks back. Every check a text block gets is made here too
/// (periods that exist, in ascending order; finite figures), besides the
/// header, the checksum and the length, so that damaged bytes are refused
/// and never read as figures.
class PackedReader {
 public:
  /// Appends the points of `packed` to `out`. kInvalidArgument saying what is
  /// wrong when `packed` is not a sound packed block; `out` is then as it was.
  Status read(std::string_view packed, std::vector<BlockPoint>& out);

 private:
  std::vector<bool> valid_periods_;  // by period code: checked already
};

/// What a store error says of a stored block that read() refused (`why`).
std::string unreadable_block(std::int64_t block_id, std::int64_t series_id, const Status& why);

/// Turns the points of one series' blocks, read oldest block first, into the
/// current revision of each period (the one from the latest block), in
/// ascending period order.
void keep_current(std::vector<BlockPoint>& points);

}  // namespace vitals::detail
