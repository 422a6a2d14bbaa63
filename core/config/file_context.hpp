// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "config/toml_source.hpp"

#include <vitals/diagnostic.hpp>
#include <vitals/source_location.hpp>

#include <toml++/toml.h>

#include <string>
#include <vector>

namespace vitals::detail {

/// Where the diagnostics about one configuration file go. Locates them in the
/// file through its TomlSource and tags them with the indicator being read.
/// Thread safety: not thread-safe; one per file being read.
class FileContext {
 public:
  /// REQUIRES: `source` and `diagnostics` outlive this object.
  FileContext(const TomlSource& source, std::vector<Diagnostic>& diagnostics)
      : source_(source), diagnostics_(diagnostics) {}

  const TomlSource& source() const { return source_; }
  SourceLocation location(const toml::source_region& region) const {
    return source_.location(region);
  }

  /// Diagnostics added from now on carry `id` as their indicator_id ("" for none).
  void set_indicator_id(std::string id) { indicator_id_ = std::move(id); }

  void error(std::string code, std::string message, const toml::source_region& where) {
    add(Severity::kError, std::move(code), std::move(message), location(where));
  }
  void error(std::string code, std::string message, SourceLocation where) {
    add(Severity::kError, std::move(code), std::move(message), std::move(where));
  }
  void warning(std::string code, std::string message, SourceLocation where) {
    add(Severity::kWarning, std::move(code), std::move(message), std::move(where));
  }

  /// Errors added through this context so far.
  int error_count() const { return errors_; }

 private:
  void add(Severity severity, std::string code, std::string message, SourceLocation where);

  const TomlSource& source_;
  std::vector<Diagnostic>& diagnostics_;
  std::string indicator_id_;
  int errors_ = 0;
};

}  // namespace vitals::detail
