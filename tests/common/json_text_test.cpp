// SPDX-License-Identifier: Apache-2.0
#include "common/json_text.hpp"

#include <string>

#include "catch.hpp"

using vitals::detail::json_quote;

TEST_CASE("JSON strings escape quotes, control characters and closing script tags", "[report][json]") {
  CHECK(json_quote("plain") == "\"plain\"");
  CHECK(json_quote("say \"hi\"\\") == "\"say \\\"hi\\\"\\\\\"");
  CHECK(json_quote("a\nb\tc\r") == "\"a\\nb\\tc\\r\"");
  CHECK(json_quote(std::string("\x01", 1)) == "\"\\u0001\"");
  CHECK(json_quote("</script>") == "\"<\\/script>\"");
  CHECK(json_quote("a/b") == "\"a/b\"");
  CHECK(json_quote("£1.2m – ok") == "\"£1.2m – ok\"");
}

TEST_CASE("a JSON string appended to text is the quoted string after it", "[report][json]") {
  using vitals::detail::append_json_quoted;
  for (const std::string text :
       {std::string(), std::string("plain"), std::string("\"\\\b\f\n\r\t"), std::string("</</a>/"),
        std::string("x\x1f" "y\x7f", 4), std::string("bad \xff byte"), std::string("end \"")}) {
    INFO(text);
    std::string out = "[1,";
    append_json_quoted(out, text);
    CHECK(out == "[1," + json_quote(text));
  }
  // Bytes that are not UTF-8 become U+FFFD, as json_quote writes them.
  CHECK(json_quote("a\xff") == "\"a\xEF\xBF\xBD\"");
}
