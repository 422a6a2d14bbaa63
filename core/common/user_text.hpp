// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace vitals::detail {

/// Text that came from outside the engine (a data file, a catalogue, a rule's
/// result, a plugin) is checked here before it goes anywhere: every output of
/// Vitals is valid UTF-8, and what a reader cannot see is shown.

/// The offset of the first byte of `text` that does not start or continue a
/// well-formed UTF-8 sequence (overlong forms, surrogates and code points
/// above U+10FFFF are ill-formed), or std::string_view::npos when `text` is
/// valid UTF-8.
std::size_t invalid_utf8_offset(std::string_view text);

/// The length of the well-formed UTF-8 sequence at text[i], with its code
/// point in `cp`, or 0 when the bytes there are ill-formed.
/// REQUIRES: i < text.size().
std::size_t decode_utf8(std::string_view text, std::size_t i, char32_t& cp);

inline bool is_valid_utf8(std::string_view text) {
  return invalid_utf8_offset(text) == std::string_view::npos;
}

/// `text` with each ill-formed sequence replaced by U+FFFD, the Unicode
/// replacement character (one per maximal ill-formed subpart, as Unicode
/// recommends). Callers report the replacement in a diagnostic.
std::string replace_invalid_utf8(std::string_view text);

/// The number of characters (code points) in UTF-8 `text`: bytes that do
/// not continue a sequence. Columns in diagnostics count these.
std::size_t utf8_char_count(std::string_view text);

/// The length of the longest prefix of `text` that is at most `max_bytes`
/// long and does not end inside a UTF-8 sequence: where to cut text that is
/// too long.
std::size_t utf8_prefix_length(std::string_view text, std::size_t max_bytes);

/// `text` with what a reader cannot see made visible, for diagnostics and
/// the terminal: line feed, carriage return and tab as \n, \r and \t; other
/// control characters (C0, DEL, C1) and invisible or space-like characters
/// (no-break space, zero-width and directional marks, the byte order mark,
/// Unicode spaces other than the ordinary one) as \u followed by four hex
/// digits (a no-break space is \u00a0, ESC is \u001b); bytes that are not
/// UTF-8 as \x and two hex digits (\xa3). Everything else is kept.
std::string visible_text(std::string_view text);

/// The one way a diagnostic quotes text from a user's file or a rule: in
/// single quotes, made visible with visible_text(), and cut (at a character
/// boundary, marked with "...") after `max_bytes` of the original text, so a
/// message shows a short excerpt and never a whole file. "9" followed by a
/// no-break space is shown as '9\u00a0'.
std::string quote_user_text(std::string_view text, std::size_t max_bytes = 200);

/// `text` without leading and trailing white space, including the Unicode
/// spaces spreadsheets leave behind (no-break space, zero-width space, byte
/// order mark and the other space separators).
std::string_view trim_unicode_space(std::string_view text);

/// `text` safe to print in an output meant for reading (a report, a summary,
/// the terminal): valid UTF-8 (ill-formed sequences become U+FFFD), and
/// control characters other than line feed, carriage return and tab written
/// as \u001b etc., so no escape sequence reaches a terminal and no NUL a
/// document. Visible and space-like characters are kept.
std::string printable_text(std::string_view text);

/// Whether printable_text(text) would change `text` (cheap: one scan).
bool needs_printable(std::string_view text);

/// `text` itself when it is printable already, else its printable_text()
/// held in `storage`: for writers that escape further without copying.
inline std::string_view printable_view(std::string_view text, std::string& storage) {
  if (!needs_printable(text)) return text;
  storage = printable_text(text);
  return storage;
}

/// A count and its noun for a message: "1 indicator", "3 indicators",
/// "2,351,666 observations".
std::string count_text(std::size_t n, const char* one, const char* many);

/// A count with thousands separated by commas: "2,351,666".
std::string thousands_text(std::size_t n);

}  // namespace vitals::detail
