// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace vitals::detail {

/// Decodes the UTF-8 sequence starting at text[i]: returns its code point and
/// sets `length` to its bytes (1 to 4), or sets `length` to 0 when the bytes
/// there are not well-formed UTF-8 (overlong forms, surrogates and code points
/// above U+10FFFF included). REQUIRES: i < text.size().
std::uint32_t decode_utf8(std::string_view text, std::size_t i, std::size_t& length);

/// `text` in single quotes with every character a reader cannot see written
/// as an escape: control characters and invisible or space-like code points
/// (no-break space, zero-width space, byte order mark...) as \uXXXX, bytes
/// that are not UTF-8 as \xNN. "flat_breaks" + U+00A0 -> 'flat_breaks\u00a0'.
std::string visible_quote(std::string_view text);

/// `text` without leading and trailing white space, including the Unicode
/// spaces spreadsheets leave behind (no-break space, zero-width space, byte
/// order mark and the other space separators).
std::string_view trim_unicode_space(std::string_view text);

}  // namespace vitals::detail
