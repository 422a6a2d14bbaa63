// SPDX-License-Identifier: Apache-2.0
// The bundled csv source plugin, loaded as Vitals loads it, reading any bytes
// as its data file: every outcome is data or located diagnostics, never a crash.

#include "fuzz_support.hpp"
#include "log/logging.hpp"
#include "plugin/data_source.hpp"
#include "plugin/plugin_registry.hpp"

#include <vitals/catalogue.hpp>

#include <cstdlib>
#include <memory>
#include <vector>

#ifndef VITALS_FUZZ_PLUGIN_DIR
#error "VITALS_FUZZ_PLUGIN_DIR must name the folder of the built plugins"
#endif

namespace {

vitals::detail::PluginRegistry& registry() {
  static vitals::detail::PluginRegistry* r = [] {
    auto* made = new vitals::detail::PluginRegistry(vitals::detail::null_logger());
    std::vector<vitals::Diagnostic> diagnostics;
    if (!made->load_file(std::filesystem::path(VITALS_FUZZ_PLUGIN_DIR) / "csv_source.so", false,
                         diagnostics)
             .is_ok()) {
      std::abort();
    }
    return made;
  }();
  return *r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  vitals::fuzz::write_file("data.csv", vitals::fuzz::as_text(data, size));
  vitals::SourceDefinition source;
  source.name = "fuzz";
  source.plugin = "csv";
  source.settings = {{"path", "data.csv"}};
  source.base_dir = vitals::fuzz::scratch();
  auto made = registry().create_source(source);
  if (!made.ok()) std::abort();
  vitals::detail::FetchOutput out;
  vitals::Status status = (*made)->fetch(out);
  // A fetch that failed says why: a Status message or an error diagnostic.
  if (!status.is_ok() && status.message().empty() && out.diagnostics.empty()) std::abort();
  return 0;
}
