// SPDX-License-Identifier: Apache-2.0
// SHA-256 against the FIPS 180-4 / NIST CSRC example vectors.
#include "common/sha256.hpp"

#include <string>

#include "catch.hpp"

using vitals::detail::Sha256;
using vitals::detail::sha256_hex;

TEST_CASE("sha256 of the empty message matches FIPS 180-4", "[common][sha256]") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("sha256 of abc matches FIPS 180-4 (one block)", "[common][sha256]") {
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("sha256 of the 448-bit message matches FIPS 180-4 (two blocks)", "[common][sha256]") {
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST_CASE("sha256 of the 896-bit message matches FIPS 180-4", "[common][sha256]") {
  CHECK(sha256_hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopq"
                   "klmnopqrlmnopqrsmnopqrstnopqrstu") ==
        "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

TEST_CASE("sha256 of a million a's matches FIPS 180-4, fed in uneven pieces", "[common][sha256]") {
  Sha256 h;
  const std::string piece(997, 'a');  // a prime: pieces straddle block boundaries
  std::size_t left = 1000000;
  while (left > 0) {
    std::size_t n = left < piece.size() ? left : piece.size();
    h.update(piece.data(), n);
    left -= n;
  }
  CHECK(h.hex_digest() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("sha256 padding is right at every length around a block boundary", "[common][sha256]") {
  // 55 bytes fit the length in the same block; 56 to 63 need a second one.
  CHECK(sha256_hex(std::string(55, 'a')) ==
        "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
  CHECK(sha256_hex(std::string(56, 'a')) ==
        "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
  CHECK(sha256_hex(std::string(64, 'a')) ==
        "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

TEST_CASE("sha256 fields are separated so that boundaries count", "[common][sha256]") {
  Sha256 a;
  a.field("ab");
  a.field("c");
  Sha256 b;
  b.field("a");
  b.field("bc");
  CHECK(a.hex_digest() != b.hex_digest());
  Sha256 c;
  c.field("abc");
  CHECK(c.hex_digest() == sha256_hex(std::string("abc\0", 4)));
}
