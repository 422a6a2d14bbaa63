// SPDX-License-Identifier: Apache-2.0
// SourceConfig: the structure a plugin's create and validate receive, the
// same in Vitals and, rebuilt from the request, in an isolated plugin's process.
#include "catch.hpp"
#include "plugin/source_config.hpp"

#include <string>
#include <string_view>

namespace {

using vitals::detail::SourceConfig;
namespace isolation = vitals::detail::isolation;

std::string_view view(const char* data, std::size_t len) { return std::string_view(data, len); }

vitals::SourceDefinition definition() {
  vitals::SourceDefinition source;
  source.name = "dashboard";
  source.base_dir = "/catalogue";
  // A value longer than a short string's inline buffer, and one that is not.
  source.settings = {{"path", "data/a-long-file-name-for-the-dashboard.csv"}, {"series", "x"}};
  source.data_dirs = {"/shared/data"};
  return source;
}

void check_same(const vitals_source_config& c) {
  CHECK(c.struct_size == sizeof(vitals_source_config));
  CHECK(view(c.source_name, c.source_name_len) == "dashboard");
  CHECK(view(c.base_dir, c.base_dir_len) == "/catalogue");
  REQUIRE(c.setting_count == 2);
  CHECK(view(c.settings[0].key, c.settings[0].key_len) == "path");
  CHECK(view(c.settings[0].value, c.settings[0].value_len) ==
        "data/a-long-file-name-for-the-dashboard.csv");
  CHECK(view(c.settings[1].key, c.settings[1].key_len) == "series");
  CHECK(view(c.settings[1].value, c.settings[1].value_len) == "x");
  REQUIRE(c.data_dir_count == 1);
  CHECK(view(c.data_dirs[0].text, c.data_dirs[0].len) == "/shared/data");
}

}  // namespace

TEST_CASE("a source's configuration is the same in Vitals and rebuilt from its request",
          "[plugin][isolation]") {
  const SourceConfig host(definition());
  check_same(*host.get());
  const std::string frame = host.request(isolation::Frame::kCreate);
  isolation::FrameReader r(frame.data() + isolation::kHeaderBytes,
                           frame.size() - isolation::kHeaderBytes);
  SourceConfig child;
  REQUIRE(child.read(r));
  check_same(*child.get());
}

TEST_CASE("a truncated configuration request is refused", "[plugin][isolation]") {
  const std::string frame = SourceConfig(definition()).request(isolation::Frame::kValidate);
  const std::string payload = frame.substr(isolation::kHeaderBytes);
  for (std::size_t cut : {std::size_t{0}, std::size_t{5}, payload.size() / 2, payload.size() - 1}) {
    INFO("payload cut to " << cut << " bytes");
    isolation::FrameReader r(payload.data(), cut);
    SourceConfig child;
    CHECK_FALSE(child.read(r));
  }
}
