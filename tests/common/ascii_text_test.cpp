// SPDX-License-Identifier: Apache-2.0
#include "common/ascii_text.hpp"

#include <string>

#include "catch.hpp"

using vitals::detail::ascii_lower;
using vitals::detail::lower_ascii;
using vitals::detail::trim_ascii_space;
using vitals::detail::trim_blanks;

TEST_CASE("ASCII capitals, and only they, are folded to lower case", "[common][ascii_text]") {
  CHECK(ascii_lower('A') == 'a');
  CHECK(ascii_lower('Z') == 'z');
  CHECK(ascii_lower('@') == '@');  // just before 'A'
  CHECK(ascii_lower('[') == '[');  // just after 'Z'
  CHECK(ascii_lower('a') == 'a');
  CHECK(lower_ascii("Red AMBER gReen") == "red amber green");
  // The bytes of "É" (U+00C9) are left as they are.
  CHECK(lower_ascii("\xC3\x89t\xC3\xA9") == "\xC3\x89t\xC3\xA9");
  CHECK(lower_ascii("").empty());
}

TEST_CASE("trim_blanks takes spaces and tabs from both ends, nothing else",
          "[common][ascii_text]") {
  CHECK(trim_blanks(" \t red \t") == "red");
  CHECK(trim_blanks("a b") == "a b");
  CHECK(trim_blanks("\nred\r") == "\nred\r");
  CHECK(trim_blanks(" \t ").empty());
  CHECK(trim_blanks("").empty());
}

TEST_CASE("trim_ascii_space takes the six ASCII white space characters from both ends",
          "[common][ascii_text]") {
  CHECK(trim_ascii_space(" \t\n\v\f\rSummary\r\n") == "Summary");
  CHECK(trim_ascii_space("a \n b") == "a \n b");
  // A no-break space (U+00A0) and the byte before tab are not ASCII white space.
  CHECK(trim_ascii_space("\xC2\xA0x") == "\xC2\xA0x");
  CHECK(trim_ascii_space("\x08x\x0E") == "\x08x\x0E");
  CHECK(trim_ascii_space("\t\n").empty());
}
