// SPDX-License-Identifier: Apache-2.0
#include <vitals/source_location.hpp>

namespace vitals {

std::string SourceLocation::to_string() const {
  std::string out = file;
  if (line > 0) {
    out += ':' + std::to_string(line);
    if (column > 0) out += ':' + std::to_string(column);
  }
  return out;
}

}  // namespace vitals
