// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <vitals/period.hpp>
#include <vitals/status.hpp>

#include "publish/download_tables.hpp"

namespace vitals::detail {

/// Writes `tables` to `path` as an Excel workbook (libxlsxwriter), one sheet
/// per table named `sheet_names[i]` (a table longer than a sheet's
/// 1,048,575 data rows continues on "<name> 2", "<name> 3"...): a bold
/// header row, frozen, with a filter; numbers stored as numbers, everything
/// else (periods included) as text. Deterministic: the document's creation
/// time is the end of `period` (midnight UTC after its last day), never the
/// clock, so the same tables give the same bytes. kIoError when the file
/// cannot be written.
Status write_xlsx(const std::filesystem::path& path, const std::vector<const DownloadTable*>& tables,
                  const std::vector<std::string>& sheet_names, const std::string& title,
                  const Period& period);

}  // namespace vitals::detail
