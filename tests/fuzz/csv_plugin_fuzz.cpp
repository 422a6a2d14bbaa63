// SPDX-License-Identifier: Apache-2.0
// The bundled csv source plugin, loaded as Vitals loads it, reading any bytes
// as its data file: every outcome is data or located diagnostics, never a crash.

#include "fuzz_support.hpp"
#include "plugin_fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  vitals::fuzz::write_file("data.csv", vitals::fuzz::as_text(data, size));
  vitals::SourceDefinition source;
  source.name = "fuzz";
  source.plugin = "csv";
  source.settings = {{"path", "data.csv"}};
  source.base_dir = vitals::fuzz::scratch();
  vitals::fuzz::fetch_source(vitals::fuzz::plugin_registry("csv_source.so"), source);
  return 0;
}
