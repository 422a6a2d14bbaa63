// SPDX-License-Identifier: Apache-2.0
#include "store/evidence_json.hpp"

#include "catch.hpp"

#include <cmath>
#include <limits>
#include <string>

using vitals::Evidence;
using vitals::EvidenceValue;
using vitals::StatusCode;
using vitals::detail::evidence_from_json;
using vitals::detail::evidence_to_json;

TEST_CASE("evidence is written as one JSON object with keys in order", "[store][json]") {
  CHECK(evidence_to_json({}) == "{}");
  Evidence e = {{"b", 2.5}, {"a", true}, {"c", std::string("x")}, {"B", false}};
  CHECK(evidence_to_json(e) == R"({"B":false,"a":true,"b":2.5,"c":"x"})");
}

TEST_CASE("evidence strings and keys are escaped", "[store][json]") {
  Evidence e = {{"k\"ey\n", std::string("q\" b\\ \b\f\n\r\t \x1f \x7f / \xE2\x82\xAC")}};
  CHECK(evidence_to_json(e) ==
        "{\"k\\\"ey\\n\":\"q\\\" b\\\\ \\b\\f\\n\\r\\t \\u001f \x7f / \xE2\x82\xAC\"}");
  const std::string with_nul("a\0b", 3);
  CHECK(evidence_to_json({{"n", with_nul}}) == R"({"n":"a\u0000b"})");
}

TEST_CASE("evidence numbers use the shortest exact text", "[store][json]") {
  CHECK(evidence_to_json({{"x", 3.0}}) == R"({"x":3})");
  CHECK(evidence_to_json({{"x", 0.1}}) == R"({"x":0.1})");
  CHECK(evidence_to_json({{"x", -137.33333333333334}}) == R"({"x":-137.33333333333334})");
  CHECK(evidence_to_json({{"x", 1e300}}) == R"({"x":1e+300})");
  CHECK(evidence_to_json({{"x", std::numeric_limits<double>::infinity()}}) == R"({"x":9e999})");
  CHECK(evidence_to_json({{"x", -std::numeric_limits<double>::infinity()}}) == R"({"x":-9e999})");
  CHECK(evidence_to_json({{"x", std::nan("")}}) == R"({"x":null})");
}

TEST_CASE("evidence reads back exactly what was written", "[store][json]") {
  Evidence e = {{"bool", true},
                {"no", false},
                {"third", 1.0 / 3.0},
                {"small", 5e-324},
                {"big", -1.7976931348623157e308},
                {"neg_zero", -0.0},
                {"inf", std::numeric_limits<double>::infinity()},
                {"text", std::string("line\none \"q\" \\ \x01 \xC2\xA3")},
                {"", std::string()}};
  auto back = evidence_from_json(evidence_to_json(e));
  REQUIRE(back.ok());
  CHECK(*back == e);
  CHECK(std::signbit(std::get<double>(back->at("neg_zero"))));
}

TEST_CASE("evidence JSON from elsewhere is read with escapes and whitespace", "[store][json]") {
  auto e = evidence_from_json(
      " { \"a\" : \"\\u00e9\\u20AC\\ud83d\\ude00\\/\" ,\n\"b\":-0.5e2, \"c\":1E-400,"
      " \"d\":1e400, \"e\":null }\t");
  REQUIRE(e.ok());
  CHECK(std::get<std::string>(e->at("a")) == "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80/");
  CHECK(std::get<double>(e->at("b")) == -50.0);
  CHECK(std::get<double>(e->at("c")) == 0.0);
  CHECK(std::get<double>(e->at("d")) == std::numeric_limits<double>::infinity());
  CHECK(std::isnan(std::get<double>(e->at("e"))));
}

TEST_CASE("malformed evidence JSON is refused with the byte offset", "[store][json]") {
  struct Case {
    const char* text;
    const char* message;
  };
  auto c = GENERATE(values<Case>({
      {"", "evidence JSON at byte 0: expected '{'"},
      {"[]", "evidence JSON at byte 0: expected '{'"},
      {"{", "evidence JSON at byte 1: expected a string"},
      {"{\"a\" 1}", "evidence JSON at byte 5: expected ':'"},
      {"{\"a\":}", "evidence JSON at byte 5: expected a value"},
      {"{\"a\":1,}", "evidence JSON at byte 7: expected a string"},
      {"{\"a\":1 \"b\":2}", "evidence JSON at byte 7: expected ',' or '}'"},
      {"{\"a\":1}x", "evidence JSON at byte 7: unexpected text after the object"},
      {"{\"a\":1,\"a\":2}", "evidence JSON at byte 7: duplicate key"},
      {"{\"a\":01}", "evidence JSON at byte 6: expected ',' or '}'"},
      {"{\"a\":1.}", "evidence JSON at byte 7: expected a digit"},
      {"{\"a\":tru}", "evidence JSON at byte 5: expected a value"},
      {"{\"a\":\"x}", "evidence JSON at byte 8: unterminated string"},
      {"{\"a\":\"\\q\"}", "evidence JSON at byte 6: unknown escape"},
      {"{\"a\":\"\\u12\"}", "evidence JSON at byte 11: malformed \\u escape"},
      {"{\"a\":\"\\ud800\"}", "evidence JSON at byte 12: unpaired surrogate in a \\u escape"},
      {"{\"a\":\"\t\"}", "evidence JSON at byte 6: control character in a string"},
      {"{\"a\":{}}", "evidence JSON at byte 5: expected a value"},
  }));
  auto e = evidence_from_json(c.text);
  REQUIRE_FALSE(e.ok());
  CHECK(e.status().code() == StatusCode::kInvalidArgument);
  CHECK(e.status().message() == c.message);
}

TEST_CASE("evidence appended to text is its JSON object after it", "[store][json]") {
  const Evidence evidence = {{"met", true}, {"note", std::string("a \"b\"\n")}, {"x", 0.1}};
  std::string out = "prefix ";
  vitals::detail::append_evidence_json(out, evidence);
  CHECK(out == "prefix " + evidence_to_json(evidence));
  vitals::detail::append_evidence_json(out, Evidence{});
  CHECK(out == "prefix " + evidence_to_json(evidence) + "{}");
}
