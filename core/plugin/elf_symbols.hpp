// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <vitals/status.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace vitals::detail {

/// The names of the dynamic symbols the ELF shared object `file` defines and
/// exports: entries of its .dynsym that are defined (not undefined
/// references), global, weak or unique, and of default or protected
/// visibility. This is what `nm -D --defined-only` lists, minus section and
/// file symbols. Reads the file only; never loads it.
/// Returns kIoError when the file cannot be read, kParseError when it is not
/// an ELF file of this machine's class and byte order.
Result<std::vector<std::string>> exported_dynamic_symbols(const std::filesystem::path& file);

}  // namespace vitals::detail
