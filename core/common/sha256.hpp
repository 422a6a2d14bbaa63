// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nettle/sha2.h>

namespace vitals::detail {

/// SHA-256 (FIPS 180-4), incremental: update() any number of times, then
/// hex_digest() once. Used for run manifests (hashes of the catalogue, rules,
/// plugins and input data), not for security decisions. Computed by nettle,
/// which uses the processor's SHA instructions where it has them.
/// Thread safety: a Sha256 is a plain value; use one per thread.
class Sha256 {
 public:
  Sha256();

  void update(const void* data, std::size_t size);
  void update(std::string_view text) { update(text.data(), text.size()); }

  /// Adds `text` followed by a NUL byte, so that consecutive fields cannot run
  /// into each other ("ab" + "c" hashes differently from "a" + "bc").
  void field(std::string_view text);

  /// Finishes and returns the 32-byte digest. REQUIRES: called once.
  std::array<std::uint8_t, 32> digest();
  /// Finishes and returns the digest as 64 lowercase hex digits. REQUIRES: called once.
  std::string hex_digest();

 private:
  sha256_ctx ctx_;
};

/// The SHA-256 of `data` as 64 lowercase hex digits.
std::string sha256_hex(std::string_view data);

}  // namespace vitals::detail
