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

TEST_CASE("points and records are read in the source's period form", "[plugin][host][period]") {
  Call c;
  c.call.period_form = PeriodForm::kFinancialQuarter;
  auto point = [&](const std::string& period, std::int64_t line) {
    vitals_point p{};
    p.struct_size = sizeof p;
    p.period = period.data();
    p.period_len = period.size();
    p.flags = VITALS_POINT_HAS_VALUE;
    p.value = 1;
    p.file = "q.csv";
    p.file_len = 5;
    p.line = line;
    p.column = 2;
    p.field = "period";
    p.field_len = 6;
    return c.api.push_point(&c.call, &p);
  };
  REQUIRE(c.api.begin_series(&c.call, "k", 1) == 0);
  REQUIRE(point("Q1 2017/18", 2) == 0);
  REQUIRE(point("2017/18 Q2", 3) == 0);
  REQUIRE(point("2017/18-Q3", 4) == 0);  // the canonical text still reads
  REQUIRE(point("Q5 2017/18", 5) == 0);
  REQUIRE(c.api.end_series(&c.call) == 0);
  REQUIRE(c.call.series.size() == 1);
  REQUIRE(c.call.series[0].observations.size() == 3);
  CHECK(c.call.series[0].observations[0].period == Period::financial_quarter(2017, 1));
  CHECK(c.call.series[0].observations[1].period == Period::financial_quarter(2017, 2));
  CHECK(c.call.series[0].observations[2].period == Period::financial_quarter(2017, 3));
  REQUIRE(c.call.diagnostics.size() == 1);
  CHECK(c.call.diagnostics[0].to_string() ==
        "q.csv:5:2: error: bad period in column 'period': 'Q5 2017/18' is not a financial "
        "quarter: quarters are Q1 to Q4 [data.bad_period]");
  CHECK(c.call.data_errors == 1);

  // Records carry periods in the same form.
  Call r;
  r.call.period_form = PeriodForm::kUkDate;
  vitals_record rec{};
  rec.struct_size = sizeof rec;
  rec.kind = "risk";
  rec.kind_len = 4;
  rec.key = "RM1";
  rec.key_len = 3;
  rec.period = "31/03/2017";
  rec.period_len = 10;
  REQUIRE(r.api.begin_record(&r.call, &rec) == 0);
  REQUIRE(r.api.end_record(&r.call) == 0);
  REQUIRE(r.call.records.size() == 1);
  CHECK(r.call.records[0].period == Period::month(2017, 3));
  rec.key = "RM2";
  rec.period = "31/02/2017";
  REQUIRE(r.api.begin_record(&r.call, &rec) == 0);
  REQUIRE(r.api.end_record(&r.call) == 0);
  CHECK(r.call.records.size() == 1);
  REQUIRE(r.call.diagnostics.size() == 1);
  CHECK(r.call.diagnostics[0].message ==
        "bad period for risk 'RM2': '31/02/2017' is not a date: Feb 2017 has 28 days");
}

}  // namespace
}  // namespace vitals::detail
