// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>

#include "publish/download_tables.hpp"

namespace vitals::detail {

/// `table` as CSV (RFC 4180): a UTF-8 byte order mark (so Excel reads "£"
/// and "–" as they are), a header row, CRLF line ends, numbers in their
/// shortest exact form, fields with a comma, quote or line break quoted.
/// Text that a spreadsheet would run as a formula (starting with =, +, -,
/// @, a tab or a carriage return) is written with a leading apostrophe.
std::string csv_text(const DownloadTable& table);

}  // namespace vitals::detail
