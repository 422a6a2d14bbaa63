// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <cstddef>
#include <vector>

namespace vitals::detail {

/// Small blocks for one Lua state. Most of what a rule allocates is small and
/// short-lived (tables, their nodes, strings, closures), and recycling those
/// from free lists by size class is several times cheaper than malloc/free.
///
/// A block's size class follows from the size it was asked for, so release()
/// needs that size back (Lua's allocator always passes it). Memory goes back
/// to the system only when the pool is destroyed; `cap_bytes` bounds what the
/// pool may take from the system for fresh blocks, so a script churning
/// through size classes cannot make the pool grow without bound. Not
/// thread-safe: one per state.
class BlockPool {
 public:
  static constexpr std::size_t kGranule = 16;
  static constexpr std::size_t kMaxBlock = 256;  // larger blocks are not pooled
  static constexpr std::size_t kChunkBytes = 64 * 1024;

  BlockPool() = default;
  BlockPool(const BlockPool&) = delete;
  BlockPool& operator=(const BlockPool&) = delete;
  ~BlockPool();

  static bool pooled(std::size_t size) { return size > 0 && size <= kMaxBlock; }
  /// The size class of a pooled size: blocks of one class are interchangeable.
  static std::size_t class_of(std::size_t size) { return (size - 1) / kGranule; }

  /// A block of at least `size` bytes (REQUIRES pooled(size)), or null when
  /// the pool would pass `cap_bytes` of chunks and has no free block of this
  /// class or a larger one. With `must`, the cap is ignored (a shrink, which
  /// Lua requires to succeed); null then only when the system has no memory.
  void* allocate(std::size_t size, std::size_t cap_bytes, bool must = false) noexcept;

  /// Gives back a block allocate() returned for `size`.
  void release(void* block, std::size_t size) noexcept;

  /// Bytes taken from the system so far.
  std::size_t chunk_bytes() const { return chunks_.size() * kChunkBytes; }

 private:
  struct FreeBlock {
    FreeBlock* next;
  };
  std::array<FreeBlock*, kMaxBlock / kGranule> free_{};
  std::vector<void*> chunks_;
  char* cursor_ = nullptr;  // the unused rest of the newest chunk
  char* limit_ = nullptr;
};

}  // namespace vitals::detail
