// SPDX-License-Identifier: Apache-2.0
// Text a plugin hands the host: checked at the boundary, never passed on raw.
#include "catch.hpp"
#include "log/logging.hpp"
#include "plugin/host_api.hpp"

#include <cstring>
#include <string>

namespace vitals::detail {
namespace {

struct Call {
  std::shared_ptr<spdlog::logger> logger = null_logger();
  vitals_call call{vitals_call::Phase::kFetch, *logger, "p", "src"};
  const vitals_host_api& api = host_api();
};

// REQUIRES: `message` outlives the problem.
vitals_problem problem(const std::string& message) {
  vitals_problem p{};
  p.struct_size = sizeof p;
  p.severity = VITALS_SEVERITY_ERROR;
  p.code = "data.bad_value";
  p.code_len = std::strlen(p.code);
  p.message = message.data();
  p.message_len = message.size();
  p.file = "d.csv";
  p.file_len = 5;
  p.line = 3;
  p.column = 2;
  return p;
}

TEST_CASE("plugin messages show what a reader cannot see", "[plugin][host][text]") {
  Call c;
  using namespace std::string_literals;
  const std::string message = "'9\xC2\xA0' \x1B[31mred\x1B[0m \xA3 NUL\0end"s;
  vitals_problem p = problem(message);
  REQUIRE(c.api.report_problem(&c.call, &p) == 0);
  const std::string error = "\xFF" "failed\n";
  c.api.set_error(&c.call, VITALS_ERROR_IO, error.data(), error.size());
  REQUIRE(c.call.diagnostics.size() == 1);
  CHECK(c.call.diagnostics[0].message ==
        "'9\\u00a0' \\u001b[31mred\\u001b[0m \\xa3 NUL\\u0000end");
  CHECK(c.call.error_message == "\\xfffailed\\n");
}

TEST_CASE("series keys and record text that are not UTF-8 are data errors",
          "[plugin][host][text]") {
  Call c;
  const std::string key = "flat_\xA3";
  REQUIRE(c.api.begin_series(&c.call, key.data(), key.size()) == 0);
  REQUIRE(c.api.end_series(&c.call) == 0);
  REQUIRE(c.call.diagnostics.size() == 1);
  CHECK(c.call.diagnostics[0].code == "data.bad_encoding");
  CHECK(c.call.diagnostics[0].message ==
        "series key 'flat_\\xa3' is not valid UTF-8 (byte 6); set the source's encoding, or save "
        "the file as UTF-8");
  CHECK(c.call.data_errors == 1);
  CHECK(c.call.series[0].key == "flat_\xEF\xBF\xBD");

  vitals_record r{};
  r.struct_size = sizeof r;
  r.kind = "risk";
  r.kind_len = 4;
  r.key = "RM1";
  r.key_len = 3;
  r.period = "2017-03";
  r.period_len = 7;
  r.file = "risks.csv";
  r.file_len = 9;
  r.line = 4;
  REQUIRE(c.api.begin_record(&c.call, &r) == 0);
  const std::string title = "Cost \xA3" "5m";
  REQUIRE(c.api.record_text(&c.call, "title", 5, title.data(), title.size()) == 0);
  REQUIRE(c.api.end_record(&c.call) == 0);
  CHECK(c.call.records.empty());
  REQUIRE(c.call.diagnostics.size() == 2);
  CHECK(c.call.diagnostics[1].code == "data.bad_encoding");
  CHECK(c.call.diagnostics[1].location == SourceLocation{"risks.csv", 4, 0});
  CHECK(c.call.diagnostics[1].message ==
        "the title of risk 'RM1' is not valid UTF-8 (byte 6); set the source's encoding, or save "
        "the file as UTF-8");
}

}  // namespace
}  // namespace vitals::detail
