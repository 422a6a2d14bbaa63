// SPDX-License-Identifier: Apache-2.0
#pragma once

// Where in a rule's source a problem is, when Lua does not say it all: Lua
// gives a syntax error's line but not its column, and a misspelt field of
// the rule's table (`evalute = ...`) is only found once the table is built.

#include <string_view>

namespace vitals::detail {

/// A 1-based line and column; 0 for unknown.
struct LinePosition {
  int line = 0;
  int column = 0;
};

/// The column of the token a Lua syntax error names ("unexpected symbol near
/// '='" on `line`): its 1-based column when the token occurs exactly once on
/// that line of `text`, else 0 (the line alone cannot tell which is meant).
int syntax_error_column(std::string_view text, int line, std::string_view message);

/// Where field `name` is set (`name =`, not `name ==`) first in `text`,
/// outside comments; {0, 0} when it is not written out.
LinePosition field_position(std::string_view text, std::string_view name);

}  // namespace vitals::detail
