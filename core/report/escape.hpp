// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>

namespace vitals::detail {

/// `text` safe as HTML element content and as a quoted attribute value:
/// & < > " ' become character references. Everything else, including UTF-8,
/// is kept as it is.
std::string html_escape(std::string_view text);

/// `text` as literal Markdown text: the characters that make markup anywhere
/// in a line (\ ` * _ [ ] | < > ~: emphasis, code, links and images, table
/// cells, raw HTML, strikethrough) are backslash-escaped, so a title cannot
/// become a link, a table cell break or a <script>. A leading "-", "+", "=",
/// "#" or "1." / "1)" is escaped too, so a value at the start of a line cannot
/// turn into a list, a heading or an underline. Line breaks become spaces:
/// each value stays on its line.
std::string md_escape(std::string_view text);

}  // namespace vitals::detail
