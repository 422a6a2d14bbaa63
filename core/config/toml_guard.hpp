// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vitals::detail {

/// A reason not to hand a text to toml++, and where it is: a 1-based line,
/// and a 1-based column counted in code points (as toml++ counts them).
struct TomlTextProblem {
  std::string code;  // "config.bad_utf8" or "config.syntax"
  std::string message;
  int line = 1;
  int column = 1;
};

/// Checks a TOML document before toml++ 3.3 parses it, and returns the first
/// problem, or nullopt. toml++ 3.3 reaches undefined behaviour on some
/// malformed input (fixed in later releases); this rejects every input of
/// those kinds, each of which is also an error in TOML 1.0 or (the last one)
/// a rare construct with a simple alternative:
///  - bytes that are not strict UTF-8 (overlong forms, surrogates, code
///    points above U+10FFFF, stray continuation bytes, truncated sequences);
///  - a non-ASCII character outside strings and comments (toml++ asks its
///    broken Unicode whitespace table about it). A quote opens a string only
///    where toml++ starts a token (after '=', '[', '{', ',', '.', a space, or
///    at the start of a line);
///  - a table header whose '[' or '[[' is not followed by a key or ']' (an
///    assertion in toml++'s key parser, e.g. "[{");
///  - a '}' inside an array, outside any inline table (an assertion in
///    toml++'s value parser, e.g. "a = [}]");
///  - a bare value (after '=', or in an array) that is not a well-formed
///    boolean, integer, float, date, time or date-time: toml++ picks a parser
///    from a glance at its characters, and the parsers assert what the glance
///    did not check (e.g. "2017-03-01 1", "1979-05-27Tp07:32");
///  - in a multi-line basic string ("""), a backslash followed by a
///    non-ASCII character, or a line-ending backslash whose next
///    non-whitespace character is non-ASCII.
/// A UTF-8 byte order mark at the start is allowed. Runs in one pass over
/// `text`.
std::optional<TomlTextProblem> check_toml_text(std::string_view text);

}  // namespace vitals::detail
