// SPDX-License-Identifier: Apache-2.0
#include "config/file_context.hpp"
#include "config/toml_source.hpp"

#include "catch.hpp"
#include "support/temp_dir.hpp"

#include <string>
#include <vector>

using namespace vitals;
using vitals::detail::kMaxConfigFileBytes;
using vitals::detail::read_toml_source;
using vitals::detail::TomlSource;
using vitals::testing::TempDir;

TEST_CASE("a TOML source gives the text of each line without its line break", "[config]") {
  TomlSource source("x.toml", "a = 1\r\nb = 2\n\nlast");
  CHECK(source.line_count() == 4);
  CHECK(source.line_text(1) == "a = 1");
  CHECK(source.line_text(2) == "b = 2");
  CHECK(source.line_text(3).empty());
  CHECK(source.line_text(4) == "last");
  CHECK(source.line_text(0).empty());
  CHECK(source.line_text(5).empty());
}

TEST_CASE("source positions become locations in the file as named", "[config]") {
  TomlSource source("dir/indicators/a.toml", "id = \"x\"\ntitle = \"Prénom\"\n");
  CHECK(source.location(toml::source_position{2, 9}) ==
        SourceLocation{"dir/indicators/a.toml", 2, 9});
  SECTION("columns past the end of a line are clamped to one past its last character") {
    // "title = \"Prénom\"" has 16 code points (the é is two bytes, one code point).
    CHECK(source.location(toml::source_position{2, 40}).column == 17);
    CHECK(source.location(toml::source_position{2, 17}).column == 17);
  }
  SECTION("an unrecorded position gives the file alone") {
    CHECK(source.location(toml::source_position{0, 0}) ==
          SourceLocation{"dir/indicators/a.toml", 0, 0});
    CHECK(source.whole_file().to_string() == "dir/indicators/a.toml");
  }
  SECTION("a region is located at its start") {
    toml::source_region region{{1, 6}, {1, 9}, nullptr};
    CHECK(source.location(region) == SourceLocation{"dir/indicators/a.toml", 1, 6});
  }
}

TEST_CASE("reading a configuration file keeps its text and name", "[config]") {
  TempDir dir;
  dir.write("catalogue.toml", "[catalogue]\nname = \"x\"\n");
  std::vector<Diagnostic> diagnostics;
  auto source = read_toml_source(dir / "catalogue.toml", diagnostics);
  REQUIRE(source);
  CHECK(diagnostics.empty());
  CHECK(source->file() == (dir / "catalogue.toml").string());
  CHECK(source->text() == "[catalogue]\nname = \"x\"\n");
}

TEST_CASE("a missing configuration file is a config.missing_file error", "[config]") {
  TempDir dir;
  std::vector<Diagnostic> diagnostics;
  CHECK_FALSE(read_toml_source(dir / "nope.toml", diagnostics));
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics[0].code == "config.missing_file");
  CHECK(diagnostics[0].message == "file '" + (dir / "nope.toml").string() + "' does not exist");
  CHECK(diagnostics[0].location == SourceLocation{(dir / "nope.toml").string(), 0, 0});
}

TEST_CASE("configuration files are capped at 1 MiB", "[config]") {
  TempDir dir;
  std::vector<Diagnostic> diagnostics;
  SECTION("exactly the limit is read") {
    dir.write("big.toml", std::string(kMaxConfigFileBytes, '#'));
    auto source = read_toml_source(dir / "big.toml", diagnostics);
    REQUIRE(source);
    CHECK(source->text().size() == kMaxConfigFileBytes);
    CHECK(diagnostics.empty());
  }
  SECTION("one byte more is refused") {
    dir.write("big.toml", std::string(kMaxConfigFileBytes + 1, '#'));
    CHECK_FALSE(read_toml_source(dir / "big.toml", diagnostics));
    REQUIRE(diagnostics.size() == 1);
    CHECK(diagnostics[0].code == "config.file_too_large");
    CHECK(diagnostics[0].severity == Severity::kError);
    CHECK(diagnostics[0].message ==
          "file is 1048577 bytes; configuration files are limited to 1048576 bytes (1 MiB)");
    CHECK(diagnostics[0].location == SourceLocation{(dir / "big.toml").string(), 0, 0});
  }
}

TEST_CASE("a directory is not read as a configuration file", "[config]") {
  TempDir dir;
  std::filesystem::create_directories(dir / "sub.toml");
  std::vector<Diagnostic> diagnostics;
  CHECK_FALSE(read_toml_source(dir / "sub.toml", diagnostics));
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics[0].code == "config.io_error");
  CHECK(diagnostics[0].message == "'" + (dir / "sub.toml").string() + "' is not a regular file");
}

TEST_CASE("parsing a valid document gives its table and no diagnostics", "[config]") {
  TomlSource source("a.toml", "[catalogue]\nname = \"x\"\n");
  std::vector<Diagnostic> diagnostics;
  vitals::detail::FileContext ctx(source, diagnostics);
  auto root = vitals::detail::parse_toml(ctx);
  REQUIRE(root);
  CHECK((*root)["catalogue"]["name"].value<std::string>() == "x");
  CHECK(diagnostics.empty());
  CHECK(ctx.error_count() == 0);
}

TEST_CASE("a TOML syntax error becomes one located config.syntax error", "[config]") {
  TomlSource source("dir/commentary/dtoc.toml", "[[commentary]]\nfrom = \"2017-03\nx\n");
  std::vector<Diagnostic> diagnostics;
  vitals::detail::FileContext ctx(source, diagnostics);
  ctx.set_indicator_id("dtoc");
  CHECK_FALSE(vitals::detail::parse_toml(ctx));
  REQUIRE(diagnostics.size() == 1);
  CHECK(ctx.error_count() == 1);
  CHECK(diagnostics[0].severity == Severity::kError);
  CHECK(diagnostics[0].code == "config.syntax");
  // toml++ says "Error while parsing ..."; the message continues our sentence in lower case.
  CHECK(diagnostics[0].message ==
        "TOML syntax error: error while parsing string: unescaped control characters other than "
        "TAB (U+0009) are explicitly prohibited");
  CHECK(diagnostics[0].location == SourceLocation{"dir/commentary/dtoc.toml", 2, 16});
  CHECK(diagnostics[0].indicator_id == "dtoc");
}
