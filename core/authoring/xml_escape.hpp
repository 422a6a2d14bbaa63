// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>

namespace vitals::detail {

/// `text` safe as XML 1.0 element content and as a quoted attribute value:
/// & < > " ' become entity references; control characters XML 1.0 cannot
/// hold (all below U+0020 except tab, line feed and carriage return) and bytes
/// that are not valid UTF-8 become U+FFFD, so the document always parses.
std::string xml_escape(std::string_view text);

}  // namespace vitals::detail
