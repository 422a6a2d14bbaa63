// SPDX-License-Identifier: Apache-2.0
#pragma once

// Shared by the harnesses that drive a bundled source plugin: the plugin
// loaded as Vitals loads it, and one fetch of a source it reads.

#include "log/logging.hpp"
#include "plugin/data_source.hpp"
#include "plugin/plugin_registry.hpp"

#include <vitals/catalogue.hpp>

#include <cstdlib>
#include <filesystem>
#include <vector>

#ifndef VITALS_FUZZ_PLUGIN_DIR
#error "VITALS_FUZZ_PLUGIN_DIR must name the folder of the built plugins"
#endif

namespace vitals::fuzz {

/// A registry holding the built plugin `file` ("csv_source.so"), loaded on
/// the first call and kept for the process (a harness drives one plugin, so
/// later calls return it whatever they name); aborts if it does not load.
inline detail::PluginRegistry& plugin_registry(const char* file) {
  static detail::PluginRegistry* r = [file] {
    auto* made = new detail::PluginRegistry(detail::null_logger());
    std::vector<Diagnostic> diagnostics;
    if (!made->load_file(std::filesystem::path(VITALS_FUZZ_PLUGIN_DIR) / file, false, diagnostics)
             .is_ok()) {
      std::abort();
    }
    return made;
  }();
  return *r;
}

/// Fetches `source` once; aborts unless the outcome is data or a failure
/// that says why (a Status message or an error diagnostic).
inline void fetch_source(detail::PluginRegistry& registry, const SourceDefinition& source) {
  auto made = registry.create_source(source);
  if (!made.ok()) std::abort();
  detail::FetchOutput out;
  Status status = (*made)->fetch(out);
  if (!status.is_ok() && status.message().empty() && out.diagnostics.empty()) std::abort();
}

}  // namespace vitals::fuzz
