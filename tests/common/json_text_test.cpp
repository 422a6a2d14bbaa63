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
