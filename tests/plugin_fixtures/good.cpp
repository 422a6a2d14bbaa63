// SPDX-License-Identifier: Apache-2.0
// A well-behaved SDK plugin whose behaviour is chosen by its `mode` setting,
// so that one fixture exercises every path of the SDK and the host sink.
// Built twice: as good.so and, with the same name, as good_duplicate.so.
#include <vitals/plugin/sdk.hpp>

#include <string>

#ifndef FIXTURE_NAME
#define FIXTURE_NAME "good"
#endif

namespace {

using vitals::plugin::Point;
using vitals::plugin::Settings;
using vitals::plugin::Sink;
namespace log = vitals::plugin::log;

class GoodSource final : public vitals::plugin::Source {
 public:
  explicit GoodSource(const Settings& settings)
      : settings_(settings), mode_(settings.get("mode", "default")) {
    if (mode_ == "missing_setting") settings.get("required_setting");
    if (mode_ == "config_error") throw vitals::plugin::ConfigError("mode 'config_error' refuses");
    if (mode_ == "warn_in_create") log::warning("created with a warning");
    log::info("created source '" + settings.source_name() + "'");
  }

  ~GoodSource() override { log::info("destroyed source '" + settings_.source_name() + "'"); }

  void describe(Sink& sink) {
    sink.series("alpha");
    sink.series("beta");
  }

  void fetch(Sink& sink) override {
    if (mode_ == "default" || mode_ == "warn_in_create") {
      sink.series("alpha");
      sink.push("2017-01", 1.0, 2.0, 3.0, 4.0);
      sink.push("2017-02", std::nullopt);
      sink.series("beta");
      sink.push("2017-Q1", 5.0);
      sink.series("alpha");  // appends to alpha
      sink.push("2017-03", 6.0);
    } else if (mode_ == "bad_period") {
      sink.set_file("/data/x.csv");
      sink.series("alpha");
      sink.push("2017-01", 1.0);
      Point p;
      p.period = "2017-13";
      p.value = 2.0;
      p.row = 7;
      p.column = 2;
      p.field = "period";
      sink.push(p);
      Point q;
      q.period = "Jan 2017";
      q.row = 8;
      q.column = 2;
      q.field = "period";
      sink.push(q);
    } else if (mode_ == "problem") {
      sink.set_file("/data/x.csv");
      sink.series("alpha");
      sink.push("2017-01", 1.0);
      sink.problem(3, 4, "bad cell", "data.bad_value");
      sink.warning(5, 1, "odd cell", "data.odd");
      sink.problem(9, 2, "another bad cell");
    } else if (mode_ == "warning_only") {
      sink.set_file("/data/x.csv");
      sink.warning(5, 1, "odd cell", "data.odd");
      sink.series("alpha");
      sink.push("2017-01", 1.0);
    } else if (mode_ == "log") {
      log::debug("a debug line");
      log::warning("careful");
      log::error("logged error");
      sink.series("alpha");
      sink.push("2017-01", 1.0);
    } else if (mode_ == "duplicate_period") {
      sink.series("alpha");
      sink.push("2017-01", 1.0);
      sink.push("2017-02", 2.0);
      sink.series("beta");
      sink.push("2017-02", 2.0);
      sink.series("alpha");
      sink.push("2017-01", 3.0);
    } else if (mode_ == "many_problems") {
      for (int i = 1; i <= 1500; ++i) sink.problem(i, 1, "problem " + std::to_string(i));
    } else if (mode_ == "echo") {
      for (const auto& [key, value] : settings_.entries()) {
        sink.series(key + "=" + value);
        sink.push("2017", 1.0);
      }
      sink.series("source=" + settings_.source_name());
      sink.push("2017", 1.0);
      sink.series("base_dir=" + settings_.base_dir().string());
      sink.push("2017", 1.0);
      if (settings_.has("file")) {
        sink.series("path=" + settings_.path("file").string());
        sink.push("2017", 1.0);
      }
    } else if (mode_ == "push_first") {
      sink.push("2017-01", 1.0);
    } else if (mode_ == "empty_key") {
      sink.series("");
    } else if (mode_ == "catch_everything") {
      // A plugin that swallows exceptions must not swallow the host's stop request.
      try {
        sink.series("");
      } catch (const std::exception&) {
      }
      sink.series("alpha");
    }
  }

 private:
  Settings settings_;
  std::string mode_;
};

}  // namespace

VITALS_PLUGIN(GoodSource, FIXTURE_NAME, "1.0.0",
              vitals::plugin::kDeterministic | vitals::plugin::kThreadSafe)
