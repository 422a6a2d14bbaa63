// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace vitals::detail {

/// `text` as a quoted JSON string (RFC 8259): quotes, backslashes and control
/// characters escaped; "</" written as "<\/" so the text is safe inside an
/// HTML <script>. UTF-8 passes through unchanged; bytes that are not UTF-8
/// become U+FFFD, so the result is always valid JSON.
std::string json_quote(std::string_view text);

/// Appends json_quote(text) to `out`.
void append_json_quoted(std::string& out, std::string_view text);

/// The first position at or after `pos` that is not JSON whitespace (space,
/// tab, line feed, carriage return); text.size() when there is none.
std::size_t skip_json_space(std::string_view text, std::size_t pos);

/// Reads the JSON number (RFC 8259 grammar, nothing more lenient) that starts
/// at text[pos] into `value` and moves `pos` past it; returns nullptr. A
/// number too large for a double reads as an infinity, one too small as zero.
/// Otherwise returns what is wrong ("expected a value", "expected a digit",
/// "malformed number") with `pos` at the offending byte.
const char* read_json_number(std::string_view text, std::size_t& pos, double& value);

}  // namespace vitals::detail
