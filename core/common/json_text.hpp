// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>

namespace vitals::detail {

/// `text` as a quoted JSON string (RFC 8259): quotes, backslashes and control
/// characters escaped; "</" written as "<\/" so the text is safe inside an
/// HTML <script>. UTF-8 passes through unchanged.
std::string json_quote(std::string_view text);

}  // namespace vitals::detail
