// SPDX-License-Identifier: Apache-2.0
#include "catch.hpp"
#include "common/visible_text.hpp"

using vitals::detail::trim_unicode_space;
using vitals::detail::visible_quote;

TEST_CASE("invisible characters are quoted as escapes a reader can see", "[common][text]") {
  CHECK(visible_quote("flat_breaks") == "'flat_breaks'");
  CHECK(visible_quote("flat_breaks\xC2\xA0") == "'flat_breaks\\u00a0'");
  CHECK(visible_quote("a\tb\x1b[31m") == "'a\\u0009b\\u001b[31m'");
  CHECK(visible_quote("\xEF\xBB\xBFid\xE2\x80\x8B") == "'\\ufeffid\\u200b'");
  CHECK(visible_quote("caf\xC3\xA9 \xC2\xA3") == "'caf\xC3\xA9 \xC2\xA3'");  // visible text stays
  CHECK(visible_quote("\xA3" "5\xFF") == "'\\xa35\\xff'");                   // not UTF-8
  CHECK(visible_quote("\xE2\x82") == "'\\xe2\\x82'");                         // cut short
}

TEST_CASE("trimming removes the Unicode spaces spreadsheets leave behind", "[common][text]") {
  CHECK(trim_unicode_space("  id \t") == "id");
  CHECK(trim_unicode_space("id\xC2\xA0") == "id");
  CHECK(trim_unicode_space("\xEF\xBB\xBF\xE2\x80\x83id\xE3\x80\x80 ") == "id");
  CHECK(trim_unicode_space("a\xC2\xA0" "b") == "a\xC2\xA0" "b");  // inside: kept
  CHECK(trim_unicode_space("caf\xC3\xA9") == "caf\xC3\xA9");
  CHECK(trim_unicode_space("\xC2\xA0") == "");
  CHECK(trim_unicode_space("\xA0") == "\xA0");  // a stray byte is not a space
}
