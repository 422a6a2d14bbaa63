// SPDX-License-Identifier: Apache-2.0
#include "common/sha256.hpp"

namespace vitals::detail {

Sha256::Sha256() { sha256_init(&ctx_); }

void Sha256::update(const void* data, std::size_t size) {
  sha256_update(&ctx_, size, static_cast<const std::uint8_t*>(data));
}

void Sha256::field(std::string_view text) {
  update(text);
  const std::uint8_t nul = 0;
  update(&nul, 1);
}

std::array<std::uint8_t, 32> Sha256::digest() {
  std::array<std::uint8_t, 32> out{};
  sha256_digest(&ctx_, out.size(), out.data());
  return out;
}

std::string Sha256::hex_digest() {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(64);
  for (std::uint8_t byte : digest()) {
    out.push_back(kHex[byte >> 4]);
    out.push_back(kHex[byte & 0x0f]);
  }
  return out;
}

std::string sha256_hex(std::string_view data) {
  Sha256 h;
  h.update(data);
  return h.hex_digest();
}

}  // namespace vitals::detail
