// SPDX-License-Identifier: Apache-2.0
// The catalogue loader on any catalogue.toml and indicator file: a catalogue
// or located diagnostics, never a crash or undefined behaviour in the TOML
// parser beneath it.

#include "config/catalogue_loader.hpp"
#include "fuzz_support.hpp"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Input: catalogue.toml, then optionally "\n----\n" and indicators/a.toml.
  auto [catalogue, indicators] = vitals::fuzz::split_at(vitals::fuzz::as_text(data, size),
                                                        "\n----\n");
  vitals::fuzz::write_file("catalogue/catalogue.toml", catalogue);
  vitals::fuzz::write_file("catalogue/indicators/a.toml", indicators);
  vitals::detail::LoadedCatalogue loaded =
      vitals::detail::load_catalogue(vitals::fuzz::scratch() / "catalogue");
  if (!loaded.catalogue && loaded.diagnostics.empty()) std::abort();
  return 0;
}
