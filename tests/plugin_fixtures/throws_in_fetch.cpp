// SPDX-License-Identifier: Apache-2.0
// Throws from fetch after delivering part of a series: the SDK's shim must
// turn the exception into an error code and message.
#include <vitals/plugin/sdk.hpp>

#include <stdexcept>

namespace {

class ThrowsInFetch final : public vitals::plugin::Source {
 public:
  explicit ThrowsInFetch(const vitals::plugin::Settings& settings)
      : non_std_(settings.get("mode", "") == "non_std") {}

  void fetch(vitals::plugin::Sink& sink) override {
    sink.series("alpha");
    sink.push("2017-01", 1.0);
    if (non_std_) throw 42;
    throw std::runtime_error("boom in fetch");
  }

 private:
  bool non_std_;
};

}  // namespace

VITALS_PLUGIN(ThrowsInFetch, "throws_in_fetch", "1.0.0", 0)
