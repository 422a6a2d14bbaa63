// SPDX-License-Identifier: Apache-2.0
#include "config/indicator_schema.hpp"

#include "catch.hpp"
#include "config/file_context.hpp"
#include "config/toml_source.hpp"
#include "config/toml_values.hpp"

#include <string>
#include <vector>

using namespace vitals;
using namespace vitals::detail;

namespace {

// Parses `text` and checks its root table against `schema`.
std::vector<Diagnostic> check(const std::string& text, const TableSchema& schema,
                              const std::string& display) {
  TomlSource source("t.toml", text);
  std::vector<Diagnostic> diagnostics;
  FileContext ctx(source, diagnostics);
  toml::table table = toml::parse(std::string_view(source.text()));
  check_table(table, schema, display, "", ctx);
  sort_and_deduplicate(diagnostics);
  return diagnostics;
}

}  // namespace

TEST_CASE("edit distance counts a swap of neighbours as one edit", "[config]") {
  CHECK(edit_distance("polarity", "polarity") == 0);
  CHECK(edit_distance("polarty", "polarity") == 1);
  CHECK(edit_distance("titel", "title") == 1);
  CHECK(edit_distance("", "abc") == 3);
  CHECK(edit_distance("kitten", "sitting") == 3);
}

TEST_CASE("suggestions are offered only for likely typos", "[config]") {
  std::vector<std::string> keys = {"id", "title", "polarity", "unit", "risks", "budget_lines"};
  CHECK(closest_match("polarty", keys) == std::optional<std::string>("polarity"));
  CHECK(closest_match("Title", keys) == std::optional<std::string>("title"));
  CHECK(closest_match("risk", keys) == std::optional<std::string>("risks"));
  CHECK(closest_match("budget_line", keys) == std::optional<std::string>("budget_lines"));
  CHECK_FALSE(closest_match("owner", keys));
  CHECK_FALSE(closest_match("", keys));
  CHECK(did_you_mean("unti", keys) == "; did you mean 'unit'?");
  CHECK(did_you_mean("zzzz", keys).empty());
}

TEST_CASE("accepted values are listed the way a sentence lists them", "[config]") {
  CHECK(quoted_alternatives({"a"}) == "'a'");
  CHECK(quoted_alternatives({"bigger", "smaller"}) == "'bigger' or 'smaller'");
  CHECK(quoted_alternatives({"a", "b", "c"}) == "'a', 'b' or 'c'");
}

TEST_CASE("checking a table reports unknown keys, wrong types and missing keys", "[config]") {
  auto diagnostics = check("title = \"x\"\nred_variance_pct = \"high\"\ncolour = 1\n",
                           kToleranceSchema, "[tolerance]");
  REQUIRE(diagnostics.size() == 3);
  CHECK(diagnostics[0].to_string() ==
        "t.toml:1:1: error: unknown key 'title' in [tolerance]; accepted keys are "
        "red_variance_pct, amber_variance_pct [config.unknown_key]");
  CHECK(diagnostics[1].to_string() ==
        "t.toml:2:20: error: red_variance_pct must be a number, found string [config.type]");
  CHECK(diagnostics[2].to_string() ==
        "t.toml:3:1: error: unknown key 'colour' in [tolerance]; accepted keys are "
        "red_variance_pct, amber_variance_pct [config.unknown_key]");

  auto missing = check("committee = \"c\"\n", kCatalogueTableSchema, "[catalogue]");
  REQUIRE(missing.size() == 1);
  CHECK(missing[0].to_string() ==
        "t.toml:1:1: error: [catalogue] is missing required key 'name' [config.missing_key]");
}

TEST_CASE("numbers and scalars print the way TOML writes them", "[config]") {
  CHECK(format_double(5.0) == "5.0");
  CHECK(format_double(0.1) == "0.1");
  CHECK(format_double(-1.0) == "-1.0");
  CHECK(format_double(1e300) == "1e+300");
  CHECK(format_double(2.5e-7) == "2.5e-07");
  CHECK(format_double(1.0 / 0.0) == "inf");

  toml::table t =
      toml::parse(std::string_view("s = \"text\"\ni = 42\nf = 3.25\nb = false\nd = 2017-03-31\n"
                                   "dt = 2017-03-31T09:30:00Z\ntm = 09:30:00\na = [1]\n"));
  CHECK(scalar_text(*t.get("s")) == std::optional<std::string>("text"));
  CHECK(scalar_text(*t.get("i")) == std::optional<std::string>("42"));
  CHECK(scalar_text(*t.get("f")) == std::optional<std::string>("3.25"));
  CHECK(scalar_text(*t.get("b")) == std::optional<std::string>("false"));
  CHECK(scalar_text(*t.get("d")) == std::optional<std::string>("2017-03-31"));
  CHECK(scalar_text(*t.get("dt")) == std::optional<std::string>("2017-03-31T09:30:00Z"));
  CHECK(scalar_text(*t.get("tm")) == std::optional<std::string>("09:30:00"));
  CHECK_FALSE(scalar_text(*t.get("a")));
  CHECK(quoted_value(*t.get("s")) == "'text'");
  CHECK(quoted_value(*t.get("a")) == "an array");
}
