// SPDX-License-Identifier: Apache-2.0
#include "config/file_context.hpp"

#include <utility>

namespace vitals::detail {

void FileContext::add(Severity severity, std::string code, std::string message,
                      SourceLocation where) {
  if (where.file.empty()) where.file = source_.file();
  Diagnostic d = Diagnostic::make(severity, std::move(code), std::move(message), std::move(where));
  d.indicator_id = indicator_id_;
  if (severity == Severity::kError) ++errors_;
  diagnostics_.push_back(std::move(d));
}

}  // namespace vitals::detail
