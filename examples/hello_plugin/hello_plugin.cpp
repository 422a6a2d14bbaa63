// SPDX-License-Identifier: Apache-2.0
// The smallest useful Vitals source plugin. It includes nothing from Vitals
// but <vitals/plugin/sdk.hpp> and links nothing from it: see README.md.
#include <vitals/plugin/sdk.hpp>

#include <optional>
#include <string>
#include <vector>

namespace {

class HelloSource final : public vitals::plugin::Source {
 public:
  // The settings this source accepts. Declaring them gives the plugin a
  // validate function: `vitals check` reports a misspelt setting ("seires")
  // at its line in the catalogue, with a suggestion, without fetching.
  static std::vector<vitals::plugin::SettingSpec> declared_settings(
      const vitals::plugin::Settings&) {
    return {vitals::plugin::optional_setting("series"), vitals::plugin::optional_setting("year")};
  }

  // Settings come from the catalogue's [sources.NAME] table, as text.
  explicit HelloSource(const vitals::plugin::Settings& settings)
      : key_(settings.get("series", "hello.visits")), year_(settings.get("year", "2017")) {
    if (year_.size() != 4) throw vitals::plugin::ConfigError("year must have four digits");
    vitals::plugin::log::info("serving series '" + key_ + "' for " + year_);
  }

  // Optional: the series this source offers, without their data.
  void describe(vitals::plugin::Sink& sink) { sink.series(key_); }

  void fetch(vitals::plugin::Sink& sink) override {
    sink.series(key_);
    sink.push(year_ + "-01", 10.0);
    sink.push(year_ + "-02", 12.5, /*numerator=*/25.0, /*denominator=*/200.0);
    sink.push(year_ + "-03", std::nullopt);  // not published yet: missing, not zero
  }

 private:
  std::string key_;
  std::string year_;
};

}  // namespace

VITALS_PLUGIN(HelloSource, "hello", "1.0.0",
              vitals::plugin::kDeterministic | vitals::plugin::kThreadSafe)
