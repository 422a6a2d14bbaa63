// SPDX-License-Identifier: Apache-2.0
// The files officers write beside a catalogue, on any bytes: accepted.toml,
// commentary/<id>.toml and commentary/<id>/<period>.md. Each is read or
// refused with located diagnostics.

#include "config/accepted_loader.hpp"
#include "config/catalogue_loader.hpp"
#include "config/commentary_loader.hpp"
#include "config/config_fixtures.hpp"
#include "fuzz_support.hpp"

#include <cstdlib>

namespace {

const vitals::Catalogue& catalogue() {
  static const vitals::Catalogue* c = [] {
    vitals::fuzz::write_file("officer/catalogue.toml", vitals::testing::kMinimalCatalogue);
    vitals::fuzz::write_file("officer/indicators/a.toml", vitals::testing::kMinimalIndicator);
    auto loaded = vitals::detail::load_catalogue(vitals::fuzz::scratch() / "officer");
    if (!loaded.catalogue) std::abort();
    return new vitals::Catalogue(std::move(*loaded.catalogue));
  }();
  return *c;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const vitals::Catalogue& c = catalogue();
  std::string_view text = vitals::fuzz::as_text(data, size);
  // The same bytes as each of the three files.
  vitals::fuzz::write_file("officer/accepted.toml", text);
  vitals::fuzz::write_file("officer/commentary/a.toml", text);
  vitals::fuzz::write_file("officer/commentary/a/2017-03.md", text);
  auto accepted = vitals::detail::load_acceptances(c);
  auto commentary = vitals::detail::load_commentary(c);
  (void)accepted;
  (void)commentary;
  return 0;
}
