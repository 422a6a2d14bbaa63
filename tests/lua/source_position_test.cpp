// SPDX-License-Identifier: Apache-2.0
// Columns of Lua syntax errors and lines of misspelt rule fields
// (core/lua/source_position.cpp).
#include "catch.hpp"
#include "lua/source_position.hpp"

using vitals::detail::field_position;
using vitals::detail::syntax_error_column;

TEST_CASE("a syntax error's column is that of the token it names, when the line has it once", "[lua]") {
  const char* text = "return {\n  id = 'x',\r\n  value = 3 +* 4,\n}\n";
  CHECK(syntax_error_column(text, 3, "unexpected symbol near '*'") == 14);
  CHECK(syntax_error_column(text, 2, "'}' expected (to close '{' at line 1) near 'id'") == 3);
  // The token twice on the line, not on it, or no token named.
  CHECK(syntax_error_column("x = = 1", 1, "unexpected symbol near '='") == 0);
  CHECK(syntax_error_column(text, 1, "unexpected symbol near '*'") == 0);
  CHECK(syntax_error_column(text, 3, "unfinished string") == 0);
  CHECK(syntax_error_column(text, 3, "unexpected symbol near <eof>") == 0);
  // A line past the end, or none.
  CHECK(syntax_error_column(text, 40, "unexpected symbol near '*'") == 0);
  CHECK(syntax_error_column(text, 0, "unexpected symbol near '*'") == 0);
}

TEST_CASE("a field's position is where it is set, not where it is compared or commented", "[lua]") {
  const char* text =
      "-- evalute = old name\n"
      "local evalute_count = 1\n"
      "if evalute == nil then end\n"
      "return {\n"
      "  id = 'x',\n"
      "  evalute= function(ctx) end,\n"
      "}\n";
  const auto at = field_position(text, "evalute");
  CHECK(at.line == 6);
  CHECK(at.column == 3);
  CHECK(field_position(text, "id").line == 5);
  CHECK(field_position(text, "colour").line == 0);
  CHECK(field_position(text, "").line == 0);
  CHECK(field_position("x = 1", "x").column == 1);
}
