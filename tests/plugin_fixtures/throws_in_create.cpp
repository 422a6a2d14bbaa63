// SPDX-License-Identifier: Apache-2.0
// Its constructor throws: creating a source must fail with the message.
#include <vitals/plugin/sdk.hpp>

#include <stdexcept>

namespace {

class ThrowsInCreate final : public vitals::plugin::Source {
 public:
  explicit ThrowsInCreate(const vitals::plugin::Settings&) {
    throw std::runtime_error("boom in create");
  }
  void fetch(vitals::plugin::Sink&) override {}
};

}  // namespace

VITALS_PLUGIN(ThrowsInCreate, "throws_in_create", "1.0.0", 0)
