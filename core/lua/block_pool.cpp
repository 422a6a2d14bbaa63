// SPDX-License-Identifier: Apache-2.0
#include "lua/block_pool.hpp"

#include <cstdlib>
#include <new>

namespace vitals::detail {

BlockPool::~BlockPool() {
  for (void* chunk : chunks_) std::free(chunk);
}

void* BlockPool::allocate(std::size_t size, std::size_t cap_bytes, bool must) noexcept {
  const std::size_t c = class_of(size);
  if (FreeBlock* block = free_[c]) {
    free_[c] = block->next;
    return block;
  }
  const std::size_t bytes = (c + 1) * kGranule;
  if (cursor_ == nullptr || static_cast<std::size_t>(limit_ - cursor_) < bytes) {
    if (!must && chunk_bytes() + kChunkBytes > cap_bytes) {
      // At the cap: a free block of a larger class will do.
      for (std::size_t larger = c + 1; larger < free_.size(); ++larger) {
        if (FreeBlock* block = free_[larger]) {
          free_[larger] = block->next;
          return block;
        }
      }
      return nullptr;
    }
    void* chunk = std::malloc(kChunkBytes);
    if (chunk == nullptr) return nullptr;
    try {
      chunks_.push_back(chunk);
    } catch (const std::bad_alloc&) {
      std::free(chunk);
      return nullptr;
    }
    cursor_ = static_cast<char*>(chunk);
    limit_ = cursor_ + kChunkBytes;
  }
  void* block = cursor_;
  cursor_ += bytes;
  return block;
}

void BlockPool::release(void* block, std::size_t size) noexcept {
  // A block handed out from a larger class goes back to the smaller class:
  // it is big enough for it, and the pool never frees single blocks.
  auto* free_block = static_cast<FreeBlock*>(block);
  const std::size_t c = class_of(size);
  free_block->next = free_[c];
  free_[c] = free_block;
}

}  // namespace vitals::detail
