// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>

namespace vitals::detail {

/// `text` safe as HTML element content and as a quoted attribute value:
/// & < > " ' become character references, control characters are written as
/// \u001b etc. and bytes that are not UTF-8 as U+FFFD (printable_text()).
/// Everything else, including UTF-8, is kept as it is.
std::string html_escape(std::string_view text);

/// `text` as literal Markdown text, the same in every common renderer
/// (CommonMark, GitHub, Python-Markdown): & < > | ~ become character
/// references (&lt; ...), so no raw HTML, entity, table cell break or
/// strikethrough can start; \ ` * _ [ ] are backslash-escaped (emphasis,
/// code, links and images). A leading "-", "+", "#" or "1." / "1)" is
/// backslash-escaped and a leading "=" written as &#61;, so a value at the
/// start of a line cannot turn into a list, a heading or an underline. Line
/// breaks become spaces: each value stays on its line. Control characters
/// and bad bytes are cleaned as html_escape() does.
std::string md_escape(std::string_view text);

/// `text` as the body of a double-quoted CSS string, safe inside a <style>
/// element: every ASCII character that is not a letter, a digit or a space is
/// written as a CSS escape (\3c  for <), so no quote, backslash, brace or
/// "</style" can end the string or the element. Control characters and bad
/// bytes are cleaned as html_escape() does; other UTF-8 is kept.
std::string css_string_escape(std::string_view text);

}  // namespace vitals::detail
