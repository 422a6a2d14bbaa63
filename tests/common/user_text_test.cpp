// SPDX-License-Identifier: Apache-2.0
#include "common/user_text.hpp"

#include <string>

#include "catch.hpp"

using namespace vitals::detail;
using namespace std::string_literals;

TEST_CASE("UTF-8 is checked as Unicode defines it", "[common][text]") {
  CHECK(is_valid_utf8(""));
  CHECK(is_valid_utf8("plain ascii"));
  CHECK(is_valid_utf8("£1.2m – ok 😀"));
  CHECK(invalid_utf8_offset("abc\xA3") == 3);         // Windows-1252 pound sign
  CHECK(invalid_utf8_offset("\xFF") == 0);            // never in UTF-8
  CHECK(invalid_utf8_offset("ab\xC0\xAF") == 2);      // overlong "/"
  CHECK(invalid_utf8_offset("\xED\xA0\x80") == 0);    // a surrogate
  CHECK(invalid_utf8_offset("\xF4\x90\x80\x80") == 0);  // above U+10FFFF
  CHECK(invalid_utf8_offset("x\xE2\x82") == 1);       // cut short
}

TEST_CASE("a bad byte is found wherever it falls among long ASCII runs", "[common][text]") {
  // ASCII is skipped eight bytes at a time: a bad byte at every position
  // of the first two words and past them, and after a valid sequence.
  for (std::size_t at = 0; at < 20; ++at) {
    std::string text(24, 'a');
    text[at] = '\xA3';
    INFO("bad byte at " << at);
    CHECK(invalid_utf8_offset(text) == at);
    std::string after_pound = "\xC2\xA3" + std::string(at, 'b') + "\xFF" + std::string(9, 'c');
    CHECK(invalid_utf8_offset(after_pound) == at + 2);
  }
  CHECK(invalid_utf8_offset(std::string(64, 'z')) == std::string::npos);
  CHECK(invalid_utf8_offset(std::string(15, 'z') + "\xE2\x82\xAC") == std::string::npos);  // "€" across a word
}

TEST_CASE("ill-formed bytes become one U+FFFD per maximal subpart", "[common][text]") {
  CHECK(replace_invalid_utf8("\xA3" "5") == "\xEF\xBF\xBD" "5");
  CHECK(replace_invalid_utf8("a\xE2\x82z") == "a\xEF\xBF\xBDz");
  CHECK(replace_invalid_utf8("\xFF\xFE") == "\xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(replace_invalid_utf8("£ ok") == "£ ok");
}

TEST_CASE("text is cut at a character boundary", "[common][text]") {
  const std::string pound = "££";  // C2 A3 C2 A3
  CHECK(utf8_prefix_length(pound, 10) == 4);
  CHECK(utf8_prefix_length(pound, 3) == 2);
  CHECK(utf8_prefix_length(pound, 2) == 2);
  CHECK(utf8_prefix_length(pound, 1) == 0);
  CHECK(utf8_prefix_length("😀", 3) == 0);
}

TEST_CASE("invisible characters in quoted user text are shown", "[common][text]") {
  CHECK(quote_user_text("9\xC2\xA0") == "'9\\u00a0'");
  CHECK(quote_user_text("a\x1b[31mred") == "'a\\u001b[31mred'");
  CHECK(quote_user_text("a\0b"s) == "'a\\u0000b'");
  CHECK(quote_user_text("two\nlines\t") == "'two\\nlines\\t'");
  CHECK(quote_user_text("\xEF\xBB\xBFid") == "'\\ufeffid'");
  CHECK(quote_user_text("zero\xE2\x80\x8Bwidth") == "'zero\\u200bwidth'");
  CHECK(quote_user_text("\xA3" "5") == "'\\xa35'");
  CHECK(quote_user_text("£5 – Café") == "'£5 – Café'");
  CHECK(quote_user_text(std::string(500, 'x')) == "'" + std::string(200, 'x') + "...'");
  CHECK(quote_user_text("ab£", 3) == "'ab...'");
}

TEST_CASE("printable text keeps layout and visible characters, escapes controls", "[common][text]") {
  CHECK(printable_text("line\nnext\ttab") == "line\nnext\ttab");
  CHECK(printable_text("9\xC2\xA0%") == "9\xC2\xA0%");
  CHECK(printable_text("\x1b[2J") == "\\u001b[2J");
  CHECK(printable_text("a\0b"s) == "a\\u0000b");
  CHECK(printable_text("\xC2\x85") == "\\u0085");  // NEL, a C1 control
  CHECK(printable_text("\xA3" "5") == "\xEF\xBF\xBD" "5");
  CHECK_FALSE(needs_printable("£ ok\n"));
  CHECK(needs_printable("\x7f"));
}

TEST_CASE("trimming removes the Unicode spaces spreadsheets leave behind", "[common][text]") {
  CHECK(vitals::detail::trim_unicode_space("  id \t") == "id");
  CHECK(vitals::detail::trim_unicode_space("id\xC2\xA0") == "id");
  CHECK(vitals::detail::trim_unicode_space("\xEF\xBB\xBF\xE2\x80\x83id\xE3\x80\x80 ") == "id");
  CHECK(vitals::detail::trim_unicode_space("a\xC2\xA0" "b") == "a\xC2\xA0" "b");  // inside: kept
  CHECK(vitals::detail::trim_unicode_space("caf\xC3\xA9") == "caf\xC3\xA9");
  CHECK(vitals::detail::trim_unicode_space("\xC2\xA0") == "");
  CHECK(vitals::detail::trim_unicode_space("\xA0") == "\xA0");  // a stray byte is not a space
}

TEST_CASE("a count takes the singular noun for one and the plural otherwise", "[common][text]") {
  CHECK(vitals::detail::count_text(0, "indicator", "indicators") == "0 indicators");
  CHECK(vitals::detail::count_text(1, "indicator has", "indicators have") == "1 indicator has");
  CHECK(vitals::detail::count_text(2, "series", "series") == "2 series");
}
