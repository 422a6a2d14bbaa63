// SPDX-License-Identifier: Apache-2.0
// Calls a function no library defines. Linked without --no-undefined, so the
// dynamic loader (RTLD_NOW) must refuse it at load time, not at first call.
#include <vitals/plugin/sdk.hpp>

extern "C" double vitals_fixture_symbol_that_does_not_exist(void);

namespace {

class UndefinedSymbol final : public vitals::plugin::Source {
 public:
  explicit UndefinedSymbol(const vitals::plugin::Settings&) {}
  void fetch(vitals::plugin::Sink& sink) override {
    sink.series("alpha");
    sink.push("2017-01", vitals_fixture_symbol_that_does_not_exist());
  }
};

}  // namespace

VITALS_PLUGIN(UndefinedSymbol, "undefined_symbol", "1.0.0", 0)
