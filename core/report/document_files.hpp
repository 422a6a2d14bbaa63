// SPDX-License-Identifier: Apache-2.0
// What every document writer of the library shares (the committee report,
// its card pages, the published site): how a template failure becomes the
// Status (files are written with write_output_file, vitals/output_file.hpp).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <vitals/diagnostic.hpp>
#include <vitals/status.hpp>

namespace vitals::detail {

/// The first error among diagnostics[first...] as the Status of a document
/// whose templates failed ("report templates: FILE:LINE:COL: ..."), or a
/// general one when none of them is an error.
Status template_failure(const std::vector<Diagnostic>& diagnostics, std::size_t first = 0);

}  // namespace vitals::detail
