// SPDX-License-Identifier: Apache-2.0
// The cache of parsed indicator files (config/catalogue_cache.hpp): a load
// from the cache must give exactly what a parse gives, diagnostics included,
// and anything changed must be parsed again.
#include "config/catalogue_cache.hpp"

#include "catch.hpp"
#include "config/catalogue_loader.hpp"
#include "config/config_fixtures.hpp"
#include "support/temp_dir.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using namespace vitals;
using vitals::detail::catalogue_cache_context;
using vitals::detail::CatalogueCache;
using vitals::detail::ContentDigest;
using vitals::detail::load_catalogue;
using vitals::detail::LoadedCatalogue;
using vitals::testing::TempDir;

namespace {

const std::filesystem::path kExample =
    std::filesystem::path(VITALS_SOURCE_DIR) / "examples" / "norfolk";

// Indicators the example lacks: derived ones, a profiled target, rule
// settings of every type.
constexpr const char* kExtra = R"([[indicator]]
id = "zz_count"
title = "A count"
description = "Why it matters"
polarity = "smaller"
unit = "count"
decimals = 3
frequency = "quarterly"
target_profile = { "2016-Q2" = 10.0, "2017-Q1" = 8.5 }
allowed_lag = 2
data_owner = "Information team"
source = "dashboard"

[indicator.rules.off_target]
variance_pct = 2.5

[[indicator]]
id = "zz_ytd"
title = "Year to date"
polarity = "smaller"
unit = "count"
frequency = "monthly"
derived = { operation = "year_to_date", input = "zz_month" }

[[indicator]]
id = "zz_month"
title = "A month's count"
polarity = "smaller"
unit = "count"
frequency = "monthly"
source = "dashboard"
)";

std::string loc(const SourceLocation& l) { return l.to_string(); }

std::string param(const ParamValue& v) {
  std::ostringstream out;
  std::visit([&](const auto& x) { out << v.index() << ':' << x; }, v);
  return out.str();
}

// Every field of the catalogue's indicators and rule settings, as text.
std::vector<std::string> describe(const LoadedCatalogue& loaded) {
  std::vector<std::string> out;
  for (const Diagnostic& d : loaded.diagnostics) {
    out.push_back(d.to_string() + "|" + d.indicator_id + "|" + d.rule_id);
  }
  if (!loaded.catalogue) return out;
  for (const IndicatorDefinition& d : loaded.catalogue->indicators) {
    std::ostringstream s;
    s << d.id << '|' << d.title << '|' << d.description << '|' << polarity_name(d.polarity)
      << '|' << unit_name(d.unit) << '|' << (d.decimals ? std::to_string(*d.decimals) : "-") << '|'
      << frequency_name(d.frequency) << '|' << static_cast<int>(d.target.kind) << '|' << d.target.fixed_value << '|';
    for (const TargetStep& t : d.target.profile) s << t.from.to_string() << '=' << t.value << ',';
    s << '|' << d.tolerance.red_variance_pct << '|' << d.tolerance.amber_variance_pct << '|'
      << d.allowed_lag << '|' << d.lead_officer << '|' << d.data_owner << '|';
    for (const std::string& b : d.budget_lines) s << b << ',';
    for (const std::string& r : d.risks) s << r << ',';
    for (const RiskMechanism& m : d.risk_mechanisms) {
      s << m.risk_id << ':' << static_cast<int>(m.measures) << ':' << m.quote << ':'
        << static_cast<int>(m.when) << ':' << m.threshold << ':' << loc(m.location) << ',';
    }
    if (d.cost_driver) {
      const CostDriver& c = *d.cost_driver;
      s << "|cost:" << c.budget_line << ':' << c.unit_cost << ':' << cost_per_name(c.per) << ':'
        << c.population.value_or(-1) << ':' << c.population.has_value() << ':'
        << c.population_label << ':' << c.unit_label << ':' << c.unit_cost_illustrative
        << c.population_illustrative << ':' << c.source << ':' << loc(c.location);
    }
    s << '|' << d.source.source << '/' << d.source.series;
    if (d.derived) {
      s << "|derived:" << derived_operation_name(d.derived->operation) << ':';
      for (const DerivedInput& in : d.derived->inputs) {
        s << in.role << '=' << in.reference << '=' << in.indicator_id << '=' << in.series.source
          << '/' << in.series.series << '@' << loc(in.location) << ',';
      }
      for (const std::string& src : d.derived->sources) s << src << ',';
      s << loc(d.derived->location);
    }
    for (const auto& [rule, params] : d.rule_params) {
      for (const auto& [name, value] : params) s << '|' << rule << '.' << name << '=' << param(value);
    }
    s << '|' << loc(d.location);
    out.push_back(s.str());
  }
  for (const RuleSettings& r : loaded.catalogue->rule_settings) {
    std::ostringstream s;
    s << r.rule_id << '|' << r.indicator_id << '|' << loc(r.location);
    for (const RuleSettings::Value& v : r.values) {
      s << '|' << v.name << '=' << param(v.value) << '@' << loc(v.key_location) << '@'
        << loc(v.value_location);
    }
    out.push_back(s.str());
  }
  return out;
}

void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

// A copy of the Norfolk example with the extra indicators and a file that
// gives a warning (no indicators).
void write_example(const TempDir& dir) {
  std::filesystem::copy(kExample, dir.path(), std::filesystem::copy_options::recursive);
  // Its rule folder, named relative to the example's own folder.
  std::string text = vitals::testing::read_file(dir / "catalogue.toml");
  const std::string relative = "\"../../rules/council\"";
  REQUIRE(text.find(relative) != std::string::npos);
  text.replace(text.find(relative), relative.size(),
               "\"" + (std::filesystem::path(VITALS_SOURCE_DIR) / "rules/council").string() + "\"");
  write_bytes(dir / "catalogue.toml", text);
  dir.write("indicators/zz_extra.toml", kExtra);
  dir.write("indicators/zz_empty.toml", "# nothing here yet\n");
}

std::size_t indicator_files(const TempDir& dir) {
  std::size_t n = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir / "indicators")) {
    n += e.path().extension() == ".toml" ? 1 : 0;
  }
  return n;
}

}  // namespace

TEST_CASE("a catalogue from the cache is the catalogue a parse gives, warnings included",
          "[config][cache]") {
  TempDir dir;
  write_example(dir);
  TempDir store;
  const std::filesystem::path cache = store / "vitals.db.catalogue-cache";
  const std::size_t files = indicator_files(dir);

  const LoadedCatalogue parsed = load_catalogue(dir.path(), 1);
  REQUIRE(parsed.catalogue);
  bool warned = false;
  for (const Diagnostic& d : parsed.diagnostics) {
    warned = warned || (d.severity == Severity::kWarning && d.location &&
                        d.location->file == (dir / "indicators/zz_empty.toml").string());
  }
  CHECK(warned);

  const LoadedCatalogue first = load_catalogue(dir.path(), 2, {}, cache);
  CHECK(first.cache.parsed == files);
  CHECK(first.cache.reused == 0);
  CHECK(first.cache.written);
  CHECK(first.cache.problem.empty());
  REQUIRE(std::filesystem::exists(cache));
  CHECK(describe(first) == describe(parsed));

  for (std::size_t threads : {1u, 2u}) {
    const LoadedCatalogue again = load_catalogue(dir.path(), threads, {}, cache);
    CHECK(again.cache.reused == files);
    CHECK(again.cache.parsed == 0);
    CHECK_FALSE(again.cache.written);
    CHECK(describe(again) == describe(parsed));
    REQUIRE(again.catalogue);
    const IndicatorDefinition* ytd = again.catalogue->find_indicator("zz_ytd");
    REQUIRE(ytd != nullptr);
    REQUIRE(ytd->derived);
    CHECK(ytd->derived->inputs.at(0).indicator_id == "zz_month");
  }
}

TEST_CASE("a catalogue with errors gives the same errors from the cache", "[config][cache]") {
  TempDir dir;
  write_example(dir);
  dir.write("indicators/zz_broken.toml",
            "[[indicator]]\nid = \"broken\"\ntitle = \"B\"\npolarity = \"sideways\"\n");
  TempDir store;
  const std::filesystem::path cache = store / "c";
  const LoadedCatalogue parsed = load_catalogue(dir.path(), 1);
  REQUIRE_FALSE(parsed.catalogue);
  load_catalogue(dir.path(), 1, {}, cache);
  const LoadedCatalogue cached = load_catalogue(dir.path(), 1, {}, cache);
  CHECK(cached.cache.parsed == 0);
  CHECK_FALSE(cached.catalogue);
  CHECK(describe(cached) == describe(parsed));
}

TEST_CASE("an edited, added or removed indicator file is read again", "[config][cache]") {
  TempDir dir;
  write_example(dir);
  TempDir store;
  const std::filesystem::path cache = store / "c";
  const std::size_t files = indicator_files(dir);
  load_catalogue(dir.path(), 1, {}, cache);

  SECTION("edited") {
    std::string text = vitals::testing::read_file(dir / "indicators/zz_extra.toml");
    text.replace(text.find("A count"), 7, "B count");  // same length
    write_bytes(dir / "indicators/zz_extra.toml", text);
    const LoadedCatalogue loaded = load_catalogue(dir.path(), 1, {}, cache);
    CHECK(loaded.cache.parsed == 1);
    CHECK(loaded.cache.reused == files - 1);
    CHECK(loaded.cache.written);
    REQUIRE(loaded.catalogue);
    CHECK(loaded.catalogue->find_indicator("zz_count")->title == "B count");
    CHECK(describe(loaded) == describe(load_catalogue(dir.path(), 1)));
    CHECK(load_catalogue(dir.path(), 1, {}, cache).cache.reused == files);
  }
  SECTION("added") {
    dir.write("indicators/zz_new.toml",
              "[[indicator]]\nid = \"zz_new\"\ntitle = \"New\"\npolarity = \"bigger\"\n"
              "unit = \"count\"\nfrequency = \"monthly\"\nsource = \"dashboard\"\n");
    const LoadedCatalogue loaded = load_catalogue(dir.path(), 1, {}, cache);
    CHECK(loaded.cache.parsed == 1);
    CHECK(loaded.cache.reused == files);
    REQUIRE(loaded.catalogue);
    CHECK(loaded.catalogue->find_indicator("zz_new") != nullptr);
  }
  SECTION("removed") {
    std::filesystem::remove(dir / "indicators/zz_extra.toml");
    std::filesystem::remove(dir / "indicators/zz_empty.toml");
    const LoadedCatalogue loaded = load_catalogue(dir.path(), 1, {}, cache);
    CHECK(loaded.cache.parsed == 0);
    CHECK(loaded.cache.reused == files - 2);
    CHECK(loaded.cache.written);  // without the files that are gone
    REQUIRE(loaded.catalogue);
    CHECK(loaded.catalogue->find_indicator("zz_count") == nullptr);
    CHECK(describe(loaded) == describe(load_catalogue(dir.path(), 1)));
    CHECK_FALSE(load_catalogue(dir.path(), 1, {}, cache).cache.written);
  }
  SECTION("catalogue.toml edited: every file is read again") {
    std::string text = vitals::testing::read_file(dir / "catalogue.toml");
    write_bytes(dir / "catalogue.toml", text + "\n# a comment\n");
    const LoadedCatalogue loaded = load_catalogue(dir.path(), 1, {}, cache);
    CHECK(loaded.cache.parsed == files);
    CHECK(loaded.cache.reused == 0);
    CHECK_FALSE(loaded.cache.problem.empty());
    CHECK(describe(loaded) == describe(load_catalogue(dir.path(), 1)));
  }
  SECTION("the same files in another folder are read again") {
    TempDir other;
    std::filesystem::copy(dir.path(), other.path(), std::filesystem::copy_options::recursive);
    const LoadedCatalogue loaded = load_catalogue(other.path(), 1, {}, cache);
    CHECK(loaded.cache.reused == 0);
    REQUIRE(loaded.catalogue);
    CHECK(loaded.catalogue->indicators.front().location.file.rfind(other.path().string(), 0) == 0);
  }
}

TEST_CASE("the cache's context changes with the version, the build and catalogue.toml",
          "[config][cache]") {
  const std::string text = "[catalogue]\nname = \"A\"\n";
  Catalogue declared;
  declared.root = "/x";
  const ContentDigest base = catalogue_cache_context("1.0.0", "b1", "/x", &text, &declared);
  CHECK(catalogue_cache_context("1.0.0", "b1", "/x", &text, &declared) == base);
  CHECK(catalogue_cache_context("1.0.1", "b1", "/x", &text, &declared) != base);
  CHECK(catalogue_cache_context("1.0.0", "b2", "/x", &text, &declared) != base);
  CHECK(catalogue_cache_context("1.0.0", "b1", "/y", &text, &declared) != base);
  const std::string other = text + " ";
  CHECK(catalogue_cache_context("1.0.0", "b1", "/x", &other, &declared) != base);
  CHECK(catalogue_cache_context("1.0.0", "b1", "/x", nullptr, nullptr) != base);
  Catalogue moved = declared;
  moved.data_dirs.push_back("/data");
  CHECK(catalogue_cache_context("1.0.0", "b1", "/x", &text, &moved) != base);

  // A cache made in one context is not read in another.
  TempDir store;
  const std::filesystem::path cache = store / "c";
  std::string problem;
  REQUIRE(CatalogueCache::write(cache, base, {{"f.toml", ContentDigest{}, "x"}}, problem));
  CHECK(CatalogueCache::read(cache, base, problem).size() == 1);
  problem.clear();
  const ContentDigest newer = catalogue_cache_context("1.0.1", "b1", "/x", &text, &declared);
  CHECK(CatalogueCache::read(cache, newer, problem).size() == 0);
  CHECK(problem == "it was made for another catalogue.toml, folder or build");
}

TEST_CASE("a damaged or truncated cache is ignored and the catalogue parsed",
          "[config][cache]") {
  TempDir dir;
  write_example(dir);
  TempDir store;
  const std::filesystem::path cache = store / "c";
  const std::size_t files = indicator_files(dir);
  const std::vector<std::string> expected = describe(load_catalogue(dir.path(), 1));
  load_catalogue(dir.path(), 1, {}, cache);
  const std::string good = vitals::testing::read_file(cache);
  REQUIRE(good.size() > 200);

  struct Damage {
    const char* what;
    std::string bytes;
    const char* problem;
  };
  std::string flipped = good;
  flipped[good.size() / 2] = static_cast<char>(flipped[good.size() / 2] ^ 0x01);
  std::string longer = good + "x";
  const std::vector<Damage> damages = {
      {"one byte changed", flipped, "its checksum does not match its contents"},
      {"truncated", good.substr(0, good.size() - 10), "it is truncated or has bytes added"},
      {"a byte added", longer, "it is truncated or has bytes added"},
      {"cut inside the header", good.substr(0, 30), "it is truncated or has bytes added"},
      {"cut inside the first line", good.substr(0, 10), "it is not a catalogue cache"},
      {"empty", "", "it is not a catalogue cache"},
      {"another file", "[catalogue]\nname = \"x\"\n", "it is not a catalogue cache"},
  };
  for (const Damage& damage : damages) {
    INFO(damage.what);
    write_bytes(cache, damage.bytes);
    const LoadedCatalogue loaded = load_catalogue(dir.path(), 2, {}, cache);
    CHECK(loaded.cache.reused == 0);
    CHECK(loaded.cache.parsed == files);
    CHECK(loaded.cache.problem == damage.problem);
    CHECK(describe(loaded) == expected);
    // Written anew, the cache serves the next load.
    CHECK(loaded.cache.written);
    CHECK(load_catalogue(dir.path(), 2, {}, cache).cache.reused == files);
  }
}

TEST_CASE("a damaged encoding of one file is refused, not read", "[config][cache]") {
  TempDir dir;
  write_example(dir);
  TempDir store;
  const std::filesystem::path cache = store / "c";
  load_catalogue(dir.path(), 1, {}, cache);
  const LoadedCatalogue loaded = load_catalogue(dir.path(), 1);
  REQUIRE(loaded.catalogue);
  detail::ParsedIndicatorFile file;
  for (const IndicatorDefinition& d : loaded.catalogue->indicators) {
    file.indicators.push_back({d, d.location, {}});
  }
  file.diagnostics = loaded.diagnostics;
  const std::string name = (dir / "indicators/zz_extra.toml").string();
  const std::string bytes = detail::encode_parsed_file(file, name);
  REQUIRE(detail::decode_parsed_file(bytes, name));
  for (std::size_t cut : {std::size_t{0}, std::size_t{3}, bytes.size() / 3, bytes.size() - 1}) {
    INFO("cut at " << cut);
    CHECK_FALSE(detail::decode_parsed_file(bytes.substr(0, cut), name));
  }
  CHECK_FALSE(detail::decode_parsed_file(bytes + "x", name));
  std::string bad_count = bytes;
  bad_count[0] = '\xff';
  bad_count[1] = '\xff';
  CHECK_FALSE(detail::decode_parsed_file(bad_count, name));
}

TEST_CASE("an in-memory store has no catalogue cache", "[config][cache]") {
  CHECK(detail::catalogue_cache_path(":memory:").empty());
  CHECK(detail::catalogue_cache_path("").empty());
  CHECK(detail::catalogue_cache_path("data/vitals.db") == "data/vitals.db.catalogue-cache");
  CHECK(detail::running_build_identity().has_value());
}

TEST_CASE("loads at once that each write the cache leave a whole cache", "[config][cache]") {
  TempDir dir;
  write_example(dir);
  TempDir store;
  const std::filesystem::path cache = store / "c";
  const std::size_t files = indicator_files(dir);
  const std::vector<std::string> expected = describe(load_catalogue(dir.path(), 1));
  std::vector<std::vector<std::string>> seen(4);
  std::vector<std::thread> loads;
  for (std::size_t i = 0; i < seen.size(); ++i) {
    loads.emplace_back([&, i] { seen[i] = describe(load_catalogue(dir.path(), 1, {}, cache)); });
  }
  for (std::thread& t : loads) t.join();
  for (const auto& s : seen) CHECK(s == expected);
  const LoadedCatalogue after = load_catalogue(dir.path(), 1, {}, cache);
  CHECK(after.cache.problem.empty());
  CHECK(after.cache.reused == files);
  // No temporary file is left beside the cache.
  std::size_t beside = 0;
  for (const auto& e : std::filesystem::directory_iterator(store.path())) beside += e.exists() ? 1 : 0;
  CHECK(beside == 1);
}
