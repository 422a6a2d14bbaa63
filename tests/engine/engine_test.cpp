// SPDX-License-Identifier: Apache-2.0
#include <vitals/engine.hpp>

#include <algorithm>

#include "catch.hpp"
#include "support/temp_dir.hpp"

using namespace vitals;
using vitals::testing::TempDir;

namespace {

const std::string kShippedRules = std::string(VITALS_SOURCE_DIR) + "/rules/council";

std::string catalogue_toml(const std::vector<std::string>& rule_dirs) {
  std::string dirs;
  for (const auto& d : rule_dirs) dirs += (dirs.empty() ? "\"" : ", \"") + d + "\"";
  return "[catalogue]\nname = \"Test\"\ncommittee = \"Test Committee\"\nrule_dirs = [" + dirs +
         "]\n\n[sources.pushed]\nplugin = \"csv\"\npath = \"unused.csv\"\n";
}

constexpr const char* kIndicators = R"([[indicator]]
id = "dtoc"
title = "Delayed transfers of care"
polarity = "smaller"
unit = "per_100k"
decimals = 2
frequency = "monthly"
target = 1.5
source = "pushed"

[[indicator]]
id = "reablement"
title = "Reablement"
polarity = "bigger"
unit = "percent"
frequency = "monthly"
target = 90
source = "pushed"
)";

Observation obs(int year, int month, double value) {
  Observation o;
  o.period = Period::month(year, month);
  o.value = value;
  return o;
}

std::vector<Series> sample_series() {
  return {
      {"dtoc", {obs(2016, 12, 3.2), obs(2017, 1, 3.4), obs(2017, 2, 3.5), obs(2017, 3, 3.56)}},
      {"reablement", {obs(2017, 1, 91), obs(2017, 2, 92), obs(2017, 3, 94.2)}},
  };
}

// Loops forever at line 3.
constexpr const char* kForeverRule =
    "return { id = 'forever', version = '1', description = 'loops',\n"
    "  evaluate = function(ctx)\n    while true do end\n  end }\n";

Engine open_engine(const TempDir& dir) {
  EngineOptions options;
  options.store_path = dir / "vitals.db";
  auto engine = Engine::open(options);
  REQUIRE(engine.ok());
  return std::move(*engine);
}

const RuleOutcome* outcome(const IndicatorResult& r, const std::string& rule) {
  for (const auto& o : r.outcomes) {
    if (o.rule_id == rule) return &o;
  }
  return nullptr;
}

const IndicatorResult& result(const EvaluationReport& report, const std::string& id) {
  auto it = std::find_if(report.indicators.begin(), report.indicators.end(),
                         [&](const IndicatorResult& r) { return r.indicator_id == id; });
  REQUIRE(it != report.indicators.end());
  return *it;
}

}  // namespace

TEST_CASE("pushed observations are evaluated with the shipped rules", "[engine]") {
  TempDir dir;
  dir.write("cat/catalogue.toml", catalogue_toml({kShippedRules}));
  dir.write("cat/indicators/asc.toml", kIndicators);
  Engine engine = open_engine(dir);
  REQUIRE(engine.load_catalogue(dir / "cat").is_ok());
  CHECK(engine.rule_ids() == std::vector<std::string>{"budget_impact", "deterioration",
                                                      "off_target", "risk_impact"});

  auto ingested = engine.ingest_series("pushed", sample_series());
  REQUIRE(ingested.ok());
  CHECK(ingested->inserted == 7);

  auto report = engine.evaluate(Period::month(2017, 3));
  REQUIRE(report.ok());
  CHECK(report->run_id > 0);
  CHECK(report->diagnostics.empty());
  auto exceptions = report->exceptions();
  REQUIRE(exceptions.size() == 1);
  const IndicatorResult& dtoc = *exceptions[0];
  CHECK(dtoc.indicator_id == "dtoc");
  CHECK(dtoc.latest->rag == Rag::kRed);
  REQUIRE(outcome(dtoc, "off_target"));
  CHECK(outcome(dtoc, "off_target")->status == RuleOutcome::Status::kException);
  CHECK(outcome(dtoc, "off_target")->message ==
        "3.56 against a target of 1.50: 137% worse than target, tolerance 5%");
  CHECK(outcome(dtoc, "deterioration")->status == RuleOutcome::Status::kException);
  const IndicatorResult& reablement = result(*report, "reablement");
  CHECK_FALSE(reablement.is_exception);
  CHECK(reablement.latest->rag == Rag::kGreen);
}

TEST_CASE("a rule that loops or breaks the sandbox leaves the run complete", "[engine][lua]") {
  TempDir dir;
  dir.write("hostile/forever.lua", kForeverRule);
  dir.write("hostile/escape.lua",
            "return { id = 'escape', version = '1', description = 'shell',\n"
            "  evaluate = function(ctx)\n    os.execute('touch /tmp/pwned')\n  end }\n");
  dir.write("cat/catalogue.toml", catalogue_toml({kShippedRules, (dir / "hostile").string()}));
  dir.write("cat/indicators/asc.toml", kIndicators);
  Engine engine = open_engine(dir);
  REQUIRE(engine.load_catalogue(dir / "cat").is_ok());
  REQUIRE(engine.ingest_series("pushed", sample_series()).ok());
  auto report = engine.evaluate(Period::month(2017, 3));
  REQUIRE(report.ok());

  // Both indicators still get the shipped rules' verdicts.
  CHECK(result(*report, "dtoc").is_exception);
  CHECK(outcome(result(*report, "dtoc"), "off_target")->status == RuleOutcome::Status::kException);
  CHECK(outcome(result(*report, "reablement"), "forever")->status == RuleOutcome::Status::kError);

  auto has = [&](const std::string& code, const std::string& rule) {
    return std::any_of(report->diagnostics.begin(), report->diagnostics.end(),
                       [&](const Diagnostic& d) { return d.code == code && d.rule_id == rule; });
  };
  // The CPU time limit (50 ms by default) stops it before 20,000,000 instructions.
  CHECK(has("rule.time_limit", "forever"));
  CHECK(std::any_of(report->diagnostics.begin(), report->diagnostics.end(), [](const Diagnostic& d) {
    return d.rule_id == "escape" && d.severity == Severity::kError && d.location &&
           d.location->line == 3;
  }));
}

TEST_CASE("the catalogue's sandbox table sets the limits its rules run under", "[engine][lua]") {
  TempDir dir;
  dir.write("hostile/forever.lua", kForeverRule);
  dir.write("cat/catalogue.toml",
            catalogue_toml({(dir / "hostile").string()}) + "\n[sandbox]\nmax_cpu_ms = 7\n");
  dir.write("cat/indicators/asc.toml", kIndicators);
  Engine engine = open_engine(dir);
  REQUIRE(engine.load_catalogue(dir / "cat").is_ok());
  REQUIRE(engine.ingest_series("pushed", sample_series()).ok());
  auto report = engine.evaluate(Period::month(2017, 3));
  REQUIRE(report.ok());
  auto limit = std::find_if(report->diagnostics.begin(), report->diagnostics.end(),
                            [](const Diagnostic& d) { return d.code == "rule.time_limit"; });
  REQUIRE(limit != report->diagnostics.end());
  CHECK(limit->message.find("time limit exceeded while running evaluate (7 ms of CPU time)") !=
        std::string::npos);
  CHECK(*limit->location == SourceLocation{"hostile/forever.lua", 3, 0});
}

TEST_CASE("a rule pack listed first cannot replace the shipped modules", "[engine][lua]") {
  TempDir dir;
  // A pack whose lib has a performance module that calls every change worse.
  dir.write("pack/lib/performance.lua",
            "local p = {}\nfunction p.run_param(params, default) return default end\n"
            "function p.adverse_changes(points) return #points - 1 end\n"
            "function p.adverse(ctx) return true, 'adverse' end\nreturn p\n");
  dir.write("cat/catalogue.toml", catalogue_toml({(dir / "pack").string(), kShippedRules}));
  dir.write("cat/indicators/asc.toml", kIndicators);
  Engine engine = open_engine(dir);
  REQUIRE(engine.load_catalogue(dir / "cat").is_ok());
  CHECK(std::any_of(engine.diagnostics().begin(), engine.diagnostics().end(),
                    [](const Diagnostic& d) { return d.code == "rule.duplicate_module"; }));
  // Flat and on target: nothing is deteriorating.
  REQUIRE(engine.ingest_series("pushed", {{"reablement",
                                           {obs(2016, 12, 95), obs(2017, 1, 95), obs(2017, 2, 95),
                                            obs(2017, 3, 95)}}})
              .ok());
  auto report = engine.evaluate(Period::month(2017, 3));
  REQUIRE(report.ok());
  const IndicatorResult& reablement = result(*report, "reablement");
  CHECK_FALSE(reablement.is_exception);
  CHECK(outcome(reablement, "deterioration")->status == RuleOutcome::Status::kOk);
  std::vector<RuleModule> modules = engine.rule_modules();
  CHECK(std::any_of(modules.begin(), modules.end(), [](const RuleModule& m) {
    return m.rule_id == "deterioration" && m.module == "vitals.performance" &&
           m.file == "rules/lib/performance.lua";
  }));
}

TEST_CASE("stale data is said, not reported as an exception", "[engine]") {
  TempDir dir;
  dir.write("cat/catalogue.toml", catalogue_toml({kShippedRules}));
  dir.write("cat/indicators/asc.toml", kIndicators);
  Engine engine = open_engine(dir);
  REQUIRE(engine.load_catalogue(dir / "cat").is_ok());
  REQUIRE(engine.ingest_series("pushed", {{"reablement", {obs(2016, 12, 92.0)}}}).ok());
  auto report = engine.evaluate(Period::month(2017, 3));
  REQUIRE(report.ok());
  const IndicatorResult& reablement = result(*report, "reablement");
  CHECK(reablement.data_state == DataState::kStale);
  CHECK_FALSE(reablement.is_exception);
  CHECK(result(*report, "dtoc").data_state == DataState::kNoData);
}

TEST_CASE("a changed figure is stored as a revision", "[engine][store]") {
  TempDir dir;
  dir.write("cat/catalogue.toml", catalogue_toml({kShippedRules}));
  dir.write("cat/indicators/asc.toml", kIndicators);
  Engine engine = open_engine(dir);
  REQUIRE(engine.load_catalogue(dir / "cat").is_ok());
  REQUIRE(engine.ingest_series("pushed", sample_series()).ok());
  auto revised = sample_series();
  revised[0].observations.back().value = 3.6;
  auto again = engine.ingest_series("pushed", revised);
  REQUIRE(again.ok());
  CHECK(again->revised == 1);
  CHECK(again->unchanged == 6);
  CHECK(again->inserted == 0);
  auto report = engine.evaluate(Period::month(2017, 3));
  CHECK(*result(*report, "dtoc").latest->value == 3.6);
}

TEST_CASE("a bad catalogue is refused with located diagnostics", "[engine][config]") {
  TempDir dir;
  dir.write("cat/catalogue.toml", catalogue_toml({kShippedRules}));
  dir.write("cat/indicators/asc.toml", "[[indicator]]\nid = \"x\"\npolarty = \"bigger\"\n");
  Engine engine = open_engine(dir);
  Status st = engine.load_catalogue(dir / "cat");
  CHECK(st.code() == StatusCode::kValidationError);
  auto& diags = engine.diagnostics();
  CHECK(std::any_of(diags.begin(), diags.end(), [](const Diagnostic& d) {
    return d.code == "config.unknown_key" && d.location && d.location->line == 3 &&
           d.location->column == 1;
  }));
  CHECK(engine.evaluate(Period::month(2017, 3)).status().code() == StatusCode::kInvalidArgument);
}

TEST_CASE("pushing to an unknown source is refused", "[engine]") {
  TempDir dir;
  dir.write("cat/catalogue.toml", catalogue_toml({kShippedRules}));
  dir.write("cat/indicators/asc.toml", kIndicators);
  Engine engine = open_engine(dir);
  REQUIRE(engine.load_catalogue(dir / "cat").is_ok());
  auto r = engine.ingest_series("nope", sample_series());
  CHECK(r.status().code() == StatusCode::kInvalidArgument);
}

TEST_CASE("a what-if evaluation uses proposed rules and records nothing", "[engine]") {
  TempDir dir;
  dir.write("cat/catalogue.toml", catalogue_toml({kShippedRules}));
  dir.write("cat/indicators/asc.toml", kIndicators);
  dir.write("proposed/always.lua",
            "return { id = 'always', version = '1', description = 'everything is an exception',\n"
            "  evaluate = function(ctx) return { status = 'exception', message = 'always' } end }\n");
  Engine engine = open_engine(dir);
  REQUIRE(engine.load_catalogue(dir / "cat").is_ok());
  REQUIRE(engine.ingest_series("pushed", sample_series()).ok());

  EvaluateOptions options;
  options.record_run = false;
  options.rule_dirs = {dir / "proposed"};
  options.indicators = {"reablement"};
  auto report = engine.evaluate(Period::month(2017, 3), options);
  REQUIRE(report.ok());
  CHECK(report->run_id == 0);
  REQUIRE(report->indicators.size() == 1);
  CHECK(report->indicators[0].indicator_id == "reablement");
  REQUIRE(report->indicators[0].outcomes.size() == 1);
  CHECK(report->indicators[0].outcomes[0].rule_id == "always");
  CHECK(report->indicators[0].is_exception);

  // The catalogue's own rules are untouched.
  auto normal = engine.evaluate(Period::month(2017, 3));
  REQUIRE(normal.ok());
  CHECK(normal->run_id > 0);
  CHECK_FALSE(result(*normal, "reablement").is_exception);

  options.indicators = {"nope"};
  CHECK(engine.evaluate(Period::month(2017, 3), options).status().code() ==
        StatusCode::kInvalidArgument);
}

// The same results, indicator by indicator: what each rule found and why.
void check_same_results(const EvaluationReport& got, const EvaluationReport& want) {
  REQUIRE(got.indicators.size() == want.indicators.size());
  for (std::size_t i = 0; i < got.indicators.size(); ++i) {
    const IndicatorResult& g = got.indicators[i];
    const IndicatorResult& w = want.indicators[i];
    CHECK(g.indicator_id == w.indicator_id);
    CHECK(g.data_state == w.data_state);
    CHECK(g.is_exception == w.is_exception);
    CHECK(g.history.size() == w.history.size());
    REQUIRE(g.latest.has_value() == w.latest.has_value());
    if (g.latest) CHECK(g.latest->value == w.latest->value);
    REQUIRE(g.outcomes.size() == w.outcomes.size());
    for (std::size_t k = 0; k < g.outcomes.size(); ++k) {
      CHECK(g.outcomes[k].status == w.outcomes[k].status);
      CHECK(g.outcomes[k].message == w.outcomes[k].message);
      CHECK(g.outcomes[k].evidence == w.outcomes[k].evidence);
    }
  }
}

// EngineOptions::read_series_early: the series read beside the catalogue are
// those an evaluation would have read, and never stale.
Engine open_reading_early(const TempDir& dir) {
  EngineOptions options;
  options.store_path = dir / "vitals.db";
  options.read_series_early = true;
  auto engine = Engine::open(options);
  REQUIRE(engine.ok());
  return std::move(*engine);
}

TEST_CASE("series read beside the catalogue give the report read at evaluation gives",
          "[engine][store]") {
  TempDir dir;
  dir.write("cat/catalogue.toml", catalogue_toml({kShippedRules}));
  dir.write("cat/indicators/asc.toml", kIndicators);
  {
    Engine writer = open_engine(dir);
    REQUIRE(writer.load_catalogue(dir / "cat").is_ok());
    REQUIRE(writer.ingest_series("pushed", sample_series()).ok());
  }
  Engine plain = open_engine(dir);
  REQUIRE(plain.load_catalogue(dir / "cat").is_ok());
  auto expected = plain.evaluate(Period::month(2017, 3));
  REQUIRE(expected.ok());
  Engine early = open_reading_early(dir);
  REQUIRE(early.load_catalogue(dir / "cat").is_ok());
  auto report = early.evaluate(Period::month(2017, 3));
  REQUIRE(report.ok());
  check_same_results(*report, *expected);
  CHECK(*result(*report, "dtoc").latest->value == 3.56);
}

TEST_CASE("series read beside the catalogue are read again after another connection's commit",
          "[engine][store]") {
  TempDir dir;
  dir.write("cat/catalogue.toml", catalogue_toml({kShippedRules}));
  dir.write("cat/indicators/asc.toml", kIndicators);
  Engine writer = open_engine(dir);
  REQUIRE(writer.load_catalogue(dir / "cat").is_ok());
  REQUIRE(writer.ingest_series("pushed", sample_series()).ok());
  Engine early = open_reading_early(dir);
  REQUIRE(early.load_catalogue(dir / "cat").is_ok());
  // Committed while, or after, the series were read beside the catalogue.
  auto revised = sample_series();
  revised[0].observations.back().value = 3.6;
  REQUIRE(writer.ingest_series("pushed", revised).ok());
  auto report = early.evaluate(Period::month(2017, 3));
  REQUIRE(report.ok());
  CHECK(*result(*report, "dtoc").latest->value == 3.6);
}

TEST_CASE("an ingest drops the series read beside the catalogue", "[engine][store]") {
  TempDir dir;
  dir.write("cat/catalogue.toml", catalogue_toml({kShippedRules}));
  dir.write("cat/indicators/asc.toml", kIndicators);
  {
    Engine writer = open_engine(dir);
    REQUIRE(writer.load_catalogue(dir / "cat").is_ok());
    REQUIRE(writer.ingest_series("pushed", sample_series()).ok());
  }
  Engine early = open_reading_early(dir);
  REQUIRE(early.load_catalogue(dir / "cat").is_ok());
  auto revised = sample_series();
  revised[0].observations.back().value = 3.6;
  REQUIRE(early.ingest_series("pushed", revised).ok());
  auto report = early.evaluate(Period::month(2017, 3));
  REQUIRE(report.ok());
  CHECK(*result(*report, "dtoc").latest->value == 3.6);
}

TEST_CASE("an in-memory store ignores read_series_early", "[engine][store]") {
  TempDir dir;
  dir.write("cat/catalogue.toml", catalogue_toml({kShippedRules}));
  dir.write("cat/indicators/asc.toml", kIndicators);
  EngineOptions options;
  options.store_path = ":memory:";
  options.read_series_early = true;
  auto engine = Engine::open(options);
  REQUIRE(engine.ok());
  REQUIRE(engine->load_catalogue(dir / "cat").is_ok());
  REQUIRE(engine->ingest_series("pushed", sample_series()).ok());
  auto report = engine->evaluate(Period::month(2017, 3));
  REQUIRE(report.ok());
  CHECK(*result(*report, "dtoc").latest->value == 3.56);
}

// EngineOptions::keep_series = false: each series is freed once evaluated and
// hashed; the report is the one an engine that keeps them gives, and the
// next evaluation reads the store again.
constexpr const char* kSharedSeriesIndicator = R"(
[[indicator]]
id = "dtoc_again"
title = "Delayed transfers of care, read twice"
polarity = "smaller"
unit = "per_100k"
frequency = "monthly"
target = 3.0
source = "pushed"
series = "dtoc"
)";


TEST_CASE("an engine that does not keep the series reports what one that keeps them does",
          "[engine][store]") {
  TempDir dir;
  dir.write("cat/catalogue.toml", catalogue_toml({kShippedRules}));
  dir.write("cat/indicators/asc.toml", std::string(kIndicators) + kSharedSeriesIndicator);
  Engine keeping = open_engine(dir);
  REQUIRE(keeping.load_catalogue(dir / "cat").is_ok());
  REQUIRE(keeping.ingest_series("pushed", sample_series()).ok());
  auto expected = keeping.evaluate(Period::month(2017, 3));
  REQUIRE(expected.ok());

  const bool record = GENERATE(true, false);  // with and without the data hash's pass
  const int threads = GENERATE(1, 2);
  CAPTURE(record, threads);
  EngineOptions options;
  options.store_path = dir / "vitals.db";
  options.keep_series = false;
  options.read_series_early = GENERATE(false, true);
  options.threads = threads;
  auto freeing = Engine::open(options);
  REQUIRE(freeing.ok());
  REQUIRE(freeing->load_catalogue(dir / "cat").is_ok());
  EvaluateOptions evaluate;
  evaluate.record_run = record;
  auto first = freeing->evaluate(Period::month(2017, 3), evaluate);
  REQUIRE(first.ok());
  check_same_results(*first, *expected);
  // Both indicators of the shared series saw it.
  CHECK(*result(*first, "dtoc_again").latest->value == 3.56);
  if (record) {
    CHECK(first->manifest.data_hash == expected->manifest.data_hash);
  }

  // The next evaluation reads the store again, this time's data included.
  auto revised = sample_series();
  revised[0].observations.back().value = 3.6;
  REQUIRE(keeping.ingest_series("pushed", revised).ok());
  auto second = freeing->evaluate(Period::month(2017, 3), evaluate);
  REQUIRE(second.ok());
  CHECK(*result(*second, "dtoc").latest->value == 3.6);
  CHECK(*result(*second, "dtoc_again").latest->value == 3.6);
  auto again = freeing->evaluate(Period::month(2017, 3), evaluate);
  REQUIRE(again.ok());
  check_same_results(*again, *second);
}
