// SPDX-License-Identifier: Apache-2.0
#include "common/number_format.hpp"

#include <cstdio>
#include <limits>
#include <string>

#include "catch.hpp"

using vitals::detail::format_json_number;
using vitals::detail::format_number;

TEST_CASE("numbers read as a committee paper prints them", "[common][format]") {
  CHECK(format_number(3523) == "3,523");
  CHECK(format_number(3.56) == "3.56");
  CHECK(format_number(1.50) == "1.5");
  CHECK(format_number(573) == "573");
  CHECK(format_number(137.3333) == "137.33");
  CHECK(format_number(1234567.891) == "1,234,567.89");
  CHECK(format_number(-1194.5) == "-1,194.5");
  CHECK(format_number(-0.004) == "0");
  CHECK(format_number(0) == "0");
  CHECK(format_number(999.999) == "1,000");
  CHECK(format_number(7.46, 1) == "7.5");
  CHECK(format_number(137.33, 0) == "137");
}

TEST_CASE("JSON numbers round-trip exactly and never print NaN", "[common][format]") {
  CHECK(format_json_number(0.1) == "0.1");
  CHECK(format_json_number(3.56) == "3.56");
  CHECK(format_json_number(573) == "573");
  CHECK(format_json_number(-2.5) == "-2.5");
  CHECK(format_json_number(std::numeric_limits<double>::quiet_NaN()) == "null");
  CHECK(format_json_number(std::numeric_limits<double>::infinity()) == "null");
}

TEST_CASE("large, tiny and negative numbers keep their grouping and sign", "[common][format]") {
  CHECK(format_number(1e15) == "1,000,000,000,000,000");
  CHECK(format_number(-1234567) == "-1,234,567");
  CHECK(format_number(0.005) == "0.01");  // 0.005 is just above a half in binary
  CHECK(format_number(0.125, 2) == "0.12");  // an exact tie rounds to even, as printf does
  CHECK(format_number(-0.0) == "0");
  CHECK(format_number(100) == "100");
  CHECK(format_number(1000) == "1,000");
  CHECK(format_number(3.14159, -1) == "3.14159");  // a negative precision means six decimals
}

TEST_CASE("numbers print the same whether or not they are whole once scaled",
          "[common][format]") {
  // Every figure with up to two decimals in a range, and the in-betweens that
  // need rounding, against the general printer (printf's rounding).
  for (int cents = -200000; cents <= 200000; cents += 7) {
    for (double value : {cents / 100.0, cents / 1000.0, cents / 7.0}) {
      for (int decimals : {0, 1, 2, 3, 6, 7}) {
        char expected[64];
        std::snprintf(expected, sizeof expected, "%.*f", decimals, value);
        std::string plain = format_number(value, decimals);
        std::string without_commas;
        for (char c : plain) {
          if (c != ',') without_commas += c;
        }
        // format_number drops trailing zeros and a lone sign of zero.
        std::string want = expected;
        if (want.find('.') != std::string::npos) {
          while (want.back() == '0') want.pop_back();
          if (want.back() == '.') want.pop_back();
        }
        if (want == "-0") want = "0";
        INFO(value << " with " << decimals << " decimals");
        REQUIRE(without_commas == want);
      }
    }
  }
}
