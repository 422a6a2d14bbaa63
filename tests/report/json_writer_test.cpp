// SPDX-License-Identifier: Apache-2.0
#include "report/json_writer.hpp"

#include <sstream>

#include "catch.hpp"

using vitals::detail::JsonWriter;

TEST_CASE("the JSON writer nests and indents deterministically", "[report][json]") {
  std::ostringstream out;
  JsonWriter w(out);
  w.begin_object();
  w.field("period", "2017-03");
  w.field("value", 3.56);
  w.field("count", 5);
  w.field("flag", true);
  w.key("missing").null();
  w.field("target", std::optional<double>());
  w.key("empty").begin_array().end_array();
  w.key("list").begin_array();
  w.value(1.5).value("x");
  w.begin_object().field("a", 1).end_object();
  w.end_array();
  w.end_object();
  CHECK(out.str() ==
        "{\n"
        "  \"period\": \"2017-03\",\n"
        "  \"value\": 3.56,\n"
        "  \"count\": 5,\n"
        "  \"flag\": true,\n"
        "  \"missing\": null,\n"
        "  \"target\": null,\n"
        "  \"empty\": [],\n"
        "  \"list\": [\n"
        "    1.5,\n"
        "    \"x\",\n"
        "    {\n"
        "      \"a\": 1\n"
        "    }\n"
        "  ]\n"
        "}\n");
}

TEST_CASE("the JSON writer puts containers below its one-line depth on one line", "[report][json]") {
  std::ostringstream out;
  JsonWriter w(out, 2);
  w.begin_object();
  w.field("format", "x");
  w.key("rows").begin_array();
  w.begin_object().field("a", 1).key("b").begin_array().value(2).value(3).end_array();
  w.key("c").begin_object().end_object().end_object();
  w.begin_object().end_object();
  w.end_array();
  w.key("none").begin_array().end_array();
  w.end_object();
  CHECK(out.str() ==
        "{\n"
        "  \"format\": \"x\",\n"
        "  \"rows\": [\n"
        "    {\"a\": 1, \"b\": [2, 3], \"c\": {}},\n"
        "    {}\n"
        "  ],\n"
        "  \"none\": []\n"
        "}\n");
}
