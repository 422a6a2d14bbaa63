// SPDX-License-Identifier: Apache-2.0
#include "common/number_format.hpp"

#include <vitals/figures.hpp>

#include <cstdio>
#include <limits>
#include <string>

#include "catch.hpp"

using vitals::Unit;
using vitals::detail::format_figure;
using vitals::detail::format_fixed;
using vitals::detail::format_json_number;
using vitals::detail::format_number;
using vitals::detail::NumberStyle;

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

TEST_CASE("fixed decimals keep their zeros, so a column reads alike", "[common][format]") {
  CHECK(format_fixed(3, 1) == "3.0");
  CHECK(format_fixed(3.56, 1) == "3.6");
  CHECK(format_fixed(3.56, 2) == "3.56");
  CHECK(format_fixed(3, 2) == "3.00");
  CHECK(format_fixed(1.5, 0) == "2");
  CHECK(format_fixed(3523, 0) == "3,523");
  CHECK(format_fixed(1234567.891, 1) == "1,234,567.9");
  CHECK(format_fixed(4.3991, 3) == "4.399");
  CHECK(format_fixed(-1194.5, 1) == "-1,194.5");
  CHECK(format_fixed(0.125, 2) == "0.12");  // an exact tie to even, as printf
  CHECK(format_fixed(3.14159, 6) == "3.141590");
}

TEST_CASE("a figure that rounds to zero has no sign", "[common][format]") {
  CHECK(format_fixed(-0.04, 1) == "0.0");
  CHECK(format_fixed(-0.0, 0) == "0");
  CHECK(format_fixed(-0.0004, 3) == "0.000");
  NumberStyle brackets;
  brackets.brackets = true;
  CHECK(format_fixed(-0.0004, 3, brackets) == "0.000");
}

TEST_CASE("finance tables bracket negatives and may leave out separators", "[common][format]") {
  NumberStyle finance;
  finance.brackets = true;
  finance.thousands = false;
  CHECK(format_fixed(-0.471, 3, finance) == "(0.471)");
  CHECK(format_fixed(0.471, 3, finance) == "0.471");
  CHECK(format_fixed(-1234.5678, 3, finance) == "(1234.568)");
  CHECK(format_fixed(1234.5, 1, finance) == "1234.5");
  NumberStyle grouped;
  grouped.brackets = true;
  CHECK(format_fixed(-1234.5, 1, grouped) == "(1,234.5)");
}

TEST_CASE("decimals out of range are brought within it", "[common][format]") {
  CHECK(format_fixed(3.56, -1) == "4");
  CHECK(format_fixed(0.1, 40) == format_fixed(0.1, 30));
  CHECK(format_fixed(0.1, 30).size() == 32);
}

TEST_CASE("not-a-number and infinities are words, whatever the decimals", "[common][format]") {
  CHECK(format_fixed(std::numeric_limits<double>::quiet_NaN(), 1) == "n/a");
  CHECK(format_fixed(std::numeric_limits<double>::infinity(), 1) == "∞");
  CHECK(format_fixed(-std::numeric_limits<double>::infinity(), 2) == "-∞");
}

TEST_CASE("format_number is format_fixed without trailing zeros", "[common][format]") {
  for (double value : {3.0, 3.5, 3.56, -0.471, 1234.5, 0.0, -0.004}) {
    for (int decimals : {0, 1, 2, 3}) {
      NumberStyle trimmed;
      trimmed.trim_zeros = true;
      INFO(value << " with " << decimals);
      CHECK(format_number(value, decimals) == format_fixed(value, decimals, trimmed));
    }
  }
}

TEST_CASE("an indicator's figure carries its unit's sign", "[common][format]") {
  CHECK(format_figure(2, Unit::kPercent, 1) == "2.0%");
  CHECK(format_figure(3.7, Unit::kPercent, 1) == "3.7%");
  CHECK(format_figure(71.25, Unit::kPercent, 0) == "71%");
  CHECK(format_figure(1234.5, Unit::kCurrency, 0) == "£1,234");  // a tie to even
  CHECK(format_figure(1234.56, Unit::kCurrency, 2) == "£1,234.56");
  CHECK(format_figure(-20, Unit::kCurrency, 0) == "-£20");
  CHECK(format_figure(-0.2, Unit::kCurrency, 0) == "£0");
  CHECK(format_figure(3, Unit::kPer100k, 1) == "3.0");
  CHECK(format_figure(3523, Unit::kCount, 0) == "3,523");
  CHECK(format_figure(0.75, Unit::kNumber, 2) == "0.75");
}

TEST_CASE("each unit has its default decimals", "[common][format]") {
  CHECK(vitals::default_decimals(Unit::kPercent) == 1);
  CHECK(vitals::default_decimals(Unit::kPer100k) == 1);
  CHECK(vitals::default_decimals(Unit::kCount) == 0);
  CHECK(vitals::default_decimals(Unit::kCurrency) == 0);
  CHECK(vitals::default_decimals(Unit::kNumber) == 2);
  CHECK(vitals::shown_decimals(Unit::kPercent, std::nullopt) == 1);
  CHECK(vitals::shown_decimals(Unit::kPercent, 3) == 3);
  CHECK(vitals::shown_decimals(Unit::kCount, 0) == 0);
}

TEST_CASE("figure_text writes an indicator's figure with its decimals or its unit's",
          "[common][format]") {
  CHECK(vitals::figure_text(2, Unit::kPercent, std::nullopt) == "2.0%");
  CHECK(vitals::figure_text(3.56, Unit::kPer100k, 2) == "3.56");
  CHECK(vitals::figure_text(1.5, Unit::kPer100k, 2) == "1.50");
  CHECK(vitals::figure_text(16.64, Unit::kPer100k, std::nullopt) == "16.6");
  CHECK(vitals::figure_text(3523, Unit::kCount, std::nullopt) == "3,523");
  CHECK(vitals::figure_text(std::numeric_limits<double>::quiet_NaN(), Unit::kNumber, 2) == "n/a");
}
