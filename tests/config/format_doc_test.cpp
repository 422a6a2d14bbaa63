// SPDX-License-Identifier: Apache-2.0
#include "catch.hpp"
#include "config/catalogue_loader.hpp"
#include "config/config_fixtures.hpp"
#include "support/temp_dir.hpp"

#include <filesystem>
#include <string>
#include <vector>

using namespace vitals;

namespace {

// The ```toml blocks of a Markdown file, in order.
std::vector<std::string> toml_blocks(const std::string& markdown) {
  std::vector<std::string> blocks;
  const std::string open = "```toml\n";
  std::size_t at = 0;
  while ((at = markdown.find(open, at)) != std::string::npos) {
    at += open.size();
    std::size_t end = markdown.find("```", at);
    if (end == std::string::npos) break;
    blocks.push_back(markdown.substr(at, end - at));
    at = end + 3;
  }
  return blocks;
}

}  // namespace

TEST_CASE("the complete example in docs/indicator-format.md loads", "[config][docs]") {
  std::string doc = vitals::testing::read_file(std::filesystem::path(VITALS_SOURCE_DIR) / "docs" /
                                               "indicator-format.md");
  std::vector<std::string> blocks = toml_blocks(doc);
  REQUIRE(blocks.size() >= 2);

  // The example's rule_dirs is "../../rules": lay the catalogue out two levels down.
  vitals::testing::TempDir dir;
  std::filesystem::create_directories(dir / "rules");
  std::filesystem::create_directories(dir / "exports");
  dir.write("councils/asc/catalogue.toml", blocks[0]);
  dir.write("councils/asc/indicators/example.toml", blocks[1]);
  detail::LoadedCatalogue loaded = detail::load_catalogue(dir / "councils/asc");
  INFO(vitals::testing::describe(loaded.diagnostics));
  CHECK(loaded.diagnostics.empty());
  REQUIRE(loaded.catalogue);
  CHECK(loaded.catalogue->data_dirs ==
        std::vector<std::filesystem::path>{std::filesystem::canonical(dir / "exports")});
  const IndicatorDefinition* dtoc = loaded.catalogue->find_indicator("dtoc_social_care_per_100k");
  REQUIRE(dtoc != nullptr);
  CHECK(dtoc->target.kind == Target::Kind::kProfiled);
  CHECK(dtoc->decimals == std::optional<int>(2));
  CHECK(dtoc->tolerance.red_variance_pct == 10.0);
  CHECK(dtoc->rule_params.at("deterioration").at("run") == ParamValue{std::int64_t{4}});
  const SourceDefinition& dashboard = loaded.catalogue->sources.at(0);
  CHECK(dashboard.isolation == PluginIsolation::kProcess);
  CHECK(dashboard.timeout_s == 120.0);
  CHECK(dashboard.settings.count("timeout_s") == 0);
  CHECK(dashboard.period_form == PeriodForm::kCanonical);
  CHECK(dashboard.period_form_location.has_value());
  CHECK(dashboard.settings.count("period_form") == 0);
}

TEST_CASE("the risk link examples in docs/indicator-format.md load with their mechanisms",
          "[config][docs]") {
  std::string doc = vitals::testing::read_file(std::filesystem::path(VITALS_SOURCE_DIR) / "docs" /
                                               "indicator-format.md");
  const std::string catalogue = std::string(vitals::testing::kMinimalCatalogue) +
                                "[risks.RM14247]\ntitle = \"Failure in the care market\"\n"
                                "[risks.ASC-HOSP]\ntitle = \"Hospital pressures\"\n";
  int examples = 0;
  for (const std::string& block : toml_blocks(doc)) {
    if (block.find("measures = ") == std::string::npos) continue;
    ++examples;
    vitals::testing::TempDir dir;
    detail::LoadedCatalogue loaded = vitals::testing::load_with(
        dir, catalogue, std::string(vitals::testing::kMinimalIndicator) + block);
    INFO(block);
    INFO(vitals::testing::describe(loaded.diagnostics));
    CHECK(loaded.diagnostics.empty());
    REQUIRE(loaded.catalogue);
    CHECK(loaded.catalogue->find_indicator("a")->risk_mechanisms.size() == 1);
  }
  CHECK(examples == 2);
}

TEST_CASE("the sandbox table example in docs/sandbox.md loads", "[config][docs]") {
  std::string doc = vitals::testing::read_file(std::filesystem::path(VITALS_SOURCE_DIR) / "docs" /
                                               "sandbox.md");
  std::vector<std::string> blocks = toml_blocks(doc);
  REQUIRE(blocks.size() == 1);
  vitals::testing::TempDir dir;
  detail::LoadedCatalogue loaded = vitals::testing::load_with(
      dir, std::string(vitals::testing::kMinimalCatalogue) + blocks[0],
      vitals::testing::kMinimalIndicator);
  INFO(vitals::testing::describe(loaded.diagnostics));
  CHECK(loaded.diagnostics.empty());
  REQUIRE(loaded.catalogue);
  CHECK(loaded.catalogue->sandbox.max_cpu_ms == 100u);
  CHECK(loaded.catalogue->sandbox.max_string_bytes == 262144u);
}

TEST_CASE("the [sandbox] example in docs/sandbox.md loads and shows the defaults",
          "[config][docs]") {
  std::string doc = vitals::testing::read_file(std::filesystem::path(VITALS_SOURCE_DIR) / "docs" /
                                               "sandbox.md");
  std::vector<std::string> blocks = toml_blocks(doc);
  REQUIRE(blocks.size() == 1);
  vitals::testing::TempDir dir;
  auto loaded = vitals::testing::load_with(
      dir, std::string(vitals::testing::kMinimalCatalogue) + blocks[0],
      vitals::testing::kMinimalIndicator);
  INFO(vitals::testing::describe(loaded.diagnostics));
  REQUIRE(loaded.catalogue);
  const SandboxSettings& s = loaded.catalogue->sandbox;
  const SandboxLimits defaults;
  CHECK(s.max_message_bytes == defaults.max_message_bytes);
  CHECK(s.max_evidence_entries == defaults.max_evidence_entries);
  CHECK(s.max_evidence_key_bytes == defaults.max_evidence_key_bytes);
  CHECK(s.max_evidence_text_bytes == defaults.max_evidence_text_bytes);
}
