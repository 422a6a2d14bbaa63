// SPDX-License-Identifier: Apache-2.0
// The exception lifecycle across runs (new, continuing, resolved, recurring,
// accepted, awaiting data), re-runs of a period, restarts, run manifests,
// budget and risk records pushed by an embedding program, and the risk report.
#include <vitals/engine.hpp>
#include <vitals/version.hpp>

#include <algorithm>
#include <map>

#include "catch.hpp"
#include "engine/engine_test_support.hpp"
#include "support/temp_dir.hpp"

using namespace vitals;
using vitals::testing::TempDir;

namespace {

const std::string kCouncilRules = std::string(VITALS_SOURCE_DIR) + "/rules/council";

constexpr const char* kCatalogue = R"([catalogue]
name = "Test"
committee = "Test Committee"
rule_dirs = ["RULES"]

[sources.pushed]
plugin = "csv"
path = "unused.csv"

[sources.finance]
plugin = "records_csv"
path = "unused.csv"

[budget_lines.older_people]
title = "Older People"

[risks.RM1]
title = "Failure in the care market"
)";

constexpr const char* kIndicators = R"([[indicator]]
id = "dtoc"
title = "Delayed transfers of care"
polarity = "smaller"
unit = "per_100k"
frequency = "monthly"
target = 1.5
source = "pushed"

[[indicator]]
id = "cqc"
title = "Care rated good"
polarity = "bigger"
unit = "percent"
frequency = "monthly"
target = 80
source = "pushed"

[[indicator]]
id = "carers"
title = "Carers supported"
polarity = "bigger"
unit = "per_100k"
frequency = "monthly"
source = "pushed"

[[indicator]]
id = "employment"
title = "People in paid employment"
polarity = "bigger"
unit = "percent"
frequency = "monthly"
target = 4
budget_lines = ["older_people"]
risks = ["RM1"]
source = "pushed"
)";

struct Fixture {
  TempDir dir;
  std::filesystem::path catalogue = dir / "cat";

  Fixture() {
    std::string text = kCatalogue;
    text.replace(text.find("RULES"), 5, kCouncilRules);
    dir.write("cat/catalogue.toml", text);
    dir.write("cat/indicators/asc.toml", kIndicators);
  }

  Engine open() const {
    EngineOptions options;
    options.store_path = dir / "vitals.db";
    auto engine = Engine::open(options);
    REQUIRE(engine.ok());
    Status loaded = engine->load_catalogue(catalogue);
    for (const Diagnostic& d : engine->diagnostics()) INFO(d.to_string());
    REQUIRE(loaded.is_ok());
    return std::move(*engine);
  }

  void accept(const std::string& toml) const { dir.write("cat/accepted.toml", toml); }
};

Observation obs(const std::string& period, double value) {
  Observation o;
  o.period = Period::parse(period).value();
  o.value = value;
  return o;
}

void push(Engine& engine, const std::string& key, std::vector<Observation> observations) {
  auto r = engine.ingest_series("pushed", {{key, std::move(observations)}});
  INFO((r.ok() ? std::string() : r.status().message()));
  REQUIRE(r.ok());
}

EvaluationReport run(Engine& engine, const std::string& period) {
  auto report = engine.evaluate(Period::parse(period).value());
  INFO((report.ok() ? std::string() : report.status().message()));
  REQUIRE(report.ok());
  return std::move(*report);
}

const IndicatorResult& result(const EvaluationReport& report, const std::string& id) {
  return vitals::testing::result_of(report, id);
}

// "state since first (n)" for an indicator, e.g. "continuing 2017-01 (2)".
std::string lifecycle(const EvaluationReport& report, const std::string& id) {
  const ExceptionLifecycle& l = result(report, id).lifecycle;
  std::string out = exception_state_name(l.state);
  if (l.first_reported) out += " " + l.first_reported->to_string();
  if (l.periods_reported > 0) out += " (" + std::to_string(l.periods_reported) + ")";
  return out;
}

std::string resolved(const EvaluationReport& report) {
  std::string out;
  for (const ResolvedException& r : report.resolved) {
    out += (out.empty() ? "" : "; ") + r.indicator_id + " " + r.first_reported.to_string() +
           ".." + r.last_reported.to_string() + " (" + std::to_string(r.periods_reported) + ")";
  }
  return out;
}

bool has_code(const EvaluationReport& report, const std::string& code) {
  return std::any_of(report.diagnostics.begin(), report.diagnostics.end(),
                     [&](const Diagnostic& d) { return d.code == code; });
}

Record budget_line(const std::string& period, double budget, double forecast) {
  Record r;
  r.kind = "budget_line";
  r.key = "older_people";
  r.period = Period::parse(period).value();
  r.fields = {{"title", std::string("Older People")}, {"budget", budget}, {"forecast", forecast}};
  return r;
}

Record risk(const std::string& key, const std::string& period, double likelihood, double impact,
            const std::string& title, const std::string& prospects = "amber") {
  Record r;
  r.kind = "risk";
  r.key = key;
  r.period = Period::parse(period).value();
  r.fields = {{"title", title},
              {"current_likelihood", likelihood},
              {"current_impact", impact},
              {"prospects", prospects}};
  return r;
}

}  // namespace

TEST_CASE("an exception is new, then continuing, then resolved, then new again",
          "[engine][lifecycle]") {
  Fixture f;
  Engine engine = f.open();
  push(engine, "dtoc",
       {obs("2017-01", 3.0), obs("2017-02", 3.2), obs("2017-03", 1.4), obs("2017-04", 3.0)});

  EvaluationReport jan = run(engine, "2017-01");
  CHECK(lifecycle(jan, "dtoc") == "new 2017-01 (1)");
  CHECK(jan.resolved.empty());

  EvaluationReport feb = run(engine, "2017-02");
  CHECK(lifecycle(feb, "dtoc") == "continuing 2017-01 (2)");

  EvaluationReport mar = run(engine, "2017-03");
  CHECK(lifecycle(mar, "dtoc") == "none");
  CHECK_FALSE(result(mar, "dtoc").is_exception);
  CHECK(resolved(mar) == "dtoc 2017-01..2017-02 (2)");
  REQUIRE(mar.resolved.size() == 1);
  CHECK(mar.resolved[0].title == "Delayed transfers of care");
  CHECK(mar.resolved[0].criteria == std::vector<std::string>{"off_target"});

  EvaluationReport apr = run(engine, "2017-04");
  CHECK(lifecycle(apr, "dtoc") == "new 2017-04 (1)");
  CHECK(apr.resolved.empty());
}

TEST_CASE("re-running a period replaces its run and does not count it twice",
          "[engine][lifecycle]") {
  Fixture f;
  Engine engine = f.open();
  push(engine, "dtoc", {obs("2017-01", 3.0), obs("2017-02", 3.2), obs("2017-03", 3.3)});
  run(engine, "2017-01");
  EvaluationReport feb = run(engine, "2017-02");
  EvaluationReport feb_again = run(engine, "2017-02");
  EvaluationReport feb_third = run(engine, "2017-02");
  CHECK(lifecycle(feb_again, "dtoc") == "continuing 2017-01 (2)");
  CHECK(lifecycle(feb_third, "dtoc") == "continuing 2017-01 (2)");
  EvaluationReport mar = run(engine, "2017-03");
  CHECK(lifecycle(mar, "dtoc") == "continuing 2017-01 (3)");

  auto runs = engine.runs();
  REQUIRE(runs.ok());
  REQUIRE(runs->size() == 5);
  std::map<std::int64_t, const RunInfo*> by_id;
  for (const RunInfo& r : *runs) by_id[r.id] = &r;
  CHECK(*by_id.at(feb.run_id)->replaced_by == feb_again.run_id);
  CHECK(*by_id.at(feb_again.run_id)->replaced_by == feb_third.run_id);
  CHECK_FALSE(by_id.at(feb_third.run_id)->replaced_by);
  CHECK_FALSE(by_id.at(mar.run_id)->replaced_by);
}

TEST_CASE("the lifecycle survives closing and reopening the store", "[engine][lifecycle]") {
  Fixture f;
  {
    Engine engine = f.open();
    push(engine, "dtoc", {obs("2017-01", 3.0), obs("2017-02", 3.2)});
    run(engine, "2017-01");
  }
  Engine engine = f.open();
  EvaluationReport feb = run(engine, "2017-02");
  CHECK(lifecycle(feb, "dtoc") == "continuing 2017-01 (2)");

  // A stored run reads back with its lifecycle.
  auto stored = engine.load_run(feb.run_id);
  REQUIRE(stored.ok());
  CHECK(lifecycle(*stored, "dtoc") == "continuing 2017-01 (2)");
  CHECK(stored->manifest == feb.manifest);
}

TEST_CASE("late data is listed as late, never resolves an exception, and is never green",
          "[engine][lifecycle][late]") {
  Fixture f;
  Engine engine = f.open();
  // Carers: worse for three months to January (no target), then no February figure.
  push(engine, "carers",
       {obs("2016-10", 80), obs("2016-11", 78), obs("2016-12", 76), obs("2017-01", 74),
        obs("2017-03", 75)});
  push(engine, "cqc", {obs("2017-01", 70)});

  EvaluationReport jan = run(engine, "2017-01");
  CHECK(lifecycle(jan, "carers") == "new 2017-01 (1)");

  EvaluationReport feb = run(engine, "2017-02");
  const IndicatorResult& carers = result(feb, "carers");
  CHECK(carers.data_state == DataState::kStale);
  CHECK_FALSE(carers.is_exception);  // a trend in late data is not judged...
  CHECK(lifecycle(feb, "carers") == "awaiting_data 2017-01 (1)");  // ...nor resolved
  CHECK(feb.resolved.empty());
  auto late = feb.late_data();
  auto is_late = [&](const std::string& id) {
    return std::any_of(late.begin(), late.end(),
                       [&](const IndicatorResult* r) { return r->indicator_id == id; });
  };
  CHECK(is_late("carers"));
  CHECK(is_late("dtoc"));  // no data at all is late data too

  // A late figure keeps the rating it had: January's Red, not green.
  const IndicatorResult& cqc = result(feb, "cqc");
  CHECK(is_late("cqc"));
  REQUIRE(cqc.latest);
  CHECK(cqc.latest->period == Period::month(2017, 1));
  CHECK(cqc.latest->rag == Rag::kRed);

  // March has a figure again: no longer worse for three months, so resolved.
  EvaluationReport mar = run(engine, "2017-03");
  CHECK(result(mar, "carers").data_state == DataState::kCurrent);
  CHECK(lifecycle(mar, "carers") == "none");
  CHECK(resolved(mar).find("carers 2017-01..2017-01 (1)") != std::string::npos);
}

TEST_CASE("an exception whose source failed is awaiting data, never resolved",
          "[engine][lifecycle][incomplete]") {
  Fixture f;
  {
    Engine engine = f.open();
    // Off target in January; on target in February.
    push(engine, "dtoc", {obs("2017-01", 3.0), obs("2017-02", 1.2), obs("2017-03", 1.3)});
    EvaluationReport jan = run(engine, "2017-01");
    CHECK(lifecycle(jan, "dtoc") == "new 2017-01 (1)");
    CHECK(jan.complete());

    // The February run's ingest fails (no plugins here: every source fails).
    auto ingested = engine.ingest();
    REQUIRE(ingested.ok());
    CHECK(ingested->failed.size() == 2);
    EvaluationReport feb = run(engine, "2017-02");
    CHECK_FALSE(feb.complete());
    const IndicatorResult& dtoc = result(feb, "dtoc");
    CHECK_FALSE(dtoc.is_exception);
    CHECK(dtoc.incomplete == std::vector<std::string>{"source 'pushed' failed"});
    CHECK(lifecycle(feb, "dtoc") == "awaiting_data 2017-01 (1)");
    CHECK(feb.resolved.empty());
  }
  // A later engine that does not ingest still knows the last ingest failed:
  // the exception stays awaiting data.
  Engine engine = f.open();
  EvaluationReport still = run(engine, "2017-03");
  CHECK_FALSE(still.complete());
  CHECK(lifecycle(still, "dtoc") == "awaiting_data 2017-01 (1)");
  CHECK(still.resolved.empty());
  // Both sources read again: a complete run sees the figures and resolves it.
  push(engine, "dtoc", {obs("2017-01", 3.0), obs("2017-02", 1.2), obs("2017-03", 1.3)});
  REQUIRE(engine.ingest_records("finance", {}).ok());
  EvaluationReport mar = run(engine, "2017-03");
  CHECK(mar.complete());
  CHECK(resolved(mar) == "dtoc 2017-01..2017-01 (1)");
}

TEST_CASE("each exception is matched with its own indicator's acceptances only",
          "[engine][lifecycle][accepted]") {
  Fixture f;
  f.accept(R"([[accepted]]
indicator = "dtoc"
until = 2016-12-31
approver = "Director of Adult Services"
rationale = "Winter plan"

[[accepted]]
indicator = "employment"
until = 2017-06-30
approver = "Director of Community Social Work"
rationale = "Employment action plan agreed with the NHS trust"

[[accepted]]
indicator = "cqc"
until = 2017-06-30
approver = "Head of Quality"
rationale = "Provider improvement plans"
)");
  Engine engine = f.open();
  push(engine, "employment", {obs("2017-01", 3.3)});
  push(engine, "dtoc", {obs("2017-01", 3.5)});
  EvaluationReport jan = run(engine, "2017-01");
  // employment: its own acceptance holds. dtoc: its acceptance ran out, and
  // employment's does not cover it. cqc has an acceptance but no exception.
  CHECK(lifecycle(jan, "employment") == "accepted 2017-01 (1)");
  REQUIRE(result(jan, "employment").lifecycle.acceptance);
  CHECK(result(jan, "employment").lifecycle.acceptance->approver ==
        "Director of Community Social Work");
  CHECK(lifecycle(jan, "dtoc") == "new 2017-01 (1)");
  CHECK(lifecycle(jan, "cqc") == "none");
  int expired = 0;
  for (const Diagnostic& d : jan.diagnostics) {
    if (d.code == "accepted.expired") {
      ++expired;
      CHECK(d.message ==
            "the acceptance of 'dtoc' by Director of Adult Services ran until 2016-12-31; the "
            "exception is reported again");
    }
  }
  CHECK(expired == 1);
}

TEST_CASE("an accepted exception is shown as accepted until its date, then expires by itself",
          "[engine][lifecycle][accepted]") {
  Fixture f;
  f.accept(R"([[accepted]]
indicator = "employment"
until = 2017-02-28
approver = "Director of Community Social Work"
rationale = "Employment action plan agreed with the NHS trust"
)");
  Engine engine = f.open();
  push(engine, "employment", {obs("2017-01", 3.3), obs("2017-02", 3.3), obs("2017-03", 3.3)});

  EvaluationReport jan = run(engine, "2017-01");
  const IndicatorResult& employment = result(jan, "employment");
  CHECK(employment.is_exception);  // accepted, not dropped
  CHECK(lifecycle(jan, "employment") == "accepted 2017-01 (1)");
  REQUIRE(employment.lifecycle.acceptance);
  CHECK(employment.lifecycle.acceptance->approver == "Director of Community Social Work");
  CHECK(employment.lifecycle.acceptance->until == "2017-02-28");
  CHECK(employment.lifecycle.acceptance->rationale ==
        "Employment action plan agreed with the NHS trust");
  CHECK(jan.exceptions().size() == 1);

  // February ends on the last day of the acceptance: still accepted.
  EvaluationReport feb = run(engine, "2017-02");
  CHECK(lifecycle(feb, "employment") == "accepted 2017-01 (2)");
  CHECK_FALSE(has_code(feb, "accepted.expired"));

  // March is past it: reported again, continuing since January, with a note.
  EvaluationReport mar = run(engine, "2017-03");
  CHECK(lifecycle(mar, "employment") == "continuing 2017-01 (3)");
  CHECK_FALSE(result(mar, "employment").lifecycle.acceptance);
  auto note = std::find_if(mar.diagnostics.begin(), mar.diagnostics.end(),
                           [](const Diagnostic& d) { return d.code == "accepted.expired"; });
  REQUIRE(note != mar.diagnostics.end());
  CHECK(note->severity == Severity::kNote);
  CHECK(note->message ==
        "the acceptance of 'employment' by Director of Community Social Work ran until "
        "2017-02-28; the exception is reported again");
  REQUIRE(note->location);
  CHECK(note->location->line == 1);

  // The run records the acceptance it applied.
  auto stored = engine.load_run(feb.run_id);
  REQUIRE(stored.ok());
  CHECK(lifecycle(*stored, "employment") == "accepted 2017-01 (2)");
  REQUIRE(result(*stored, "employment").lifecycle.acceptance);
  CHECK(result(*stored, "employment").lifecycle.acceptance->until == "2017-02-28");
}

TEST_CASE("an acceptance of one criterion does not cover an exception with others",
          "[engine][lifecycle][accepted]") {
  Fixture f;
  f.accept(R"([[accepted]]
indicator = "employment"
criterion = "budget_impact"
until = 2017-12-31
approver = "Director of Finance"
rationale = "Overspend being recovered"
)");
  Engine engine = f.open();
  push(engine, "employment", {obs("2017-03", 3.3)});
  EvaluationReport mar = run(engine, "2017-03");
  CHECK(lifecycle(mar, "employment") == "new 2017-03 (1)");
}

TEST_CASE("errors in accepted.toml are located diagnostics and accept nothing",
          "[engine][lifecycle][accepted]") {
  Fixture f;
  f.accept(R"([[accepted]]
indicator = "nope"
until = 2017-12-31
approver = "Someone"
rationale = "Because"

[[accepted]]
indicator = "employment"
until = "31/12/2017"
approver = "Someone"
rationale = "Because"
)");
  Engine engine = f.open();
  push(engine, "employment", {obs("2017-03", 3.3)});
  EvaluationReport mar = run(engine, "2017-03");
  CHECK(lifecycle(mar, "employment") == "new 2017-03 (1)");
  std::vector<std::string> found;
  for (const Diagnostic& d : mar.diagnostics) {
    if (d.location && d.location->file.find("accepted.toml") != std::string::npos) {
      found.push_back(d.location->to_string().substr(d.location->file.size()) + " " + d.code +
                      ": " + d.message);
    }
  }
  CHECK(found ==
        std::vector<std::string>{
            ":2:13 accepted.unknown_indicator: accepted exception for indicator 'nope', which the "
            "catalogue does not define",
            ":9:9 config.bad_value: accepted.until is '31/12/2017'; expected a date such as "
            "2017-06-30"});
}

TEST_CASE("each run records a manifest that changes with what it read", "[engine][manifest]") {
  Fixture f;
  Engine engine = f.open();
  push(engine, "dtoc", {obs("2017-01", 3.0)});
  EvaluationReport first = run(engine, "2017-01");
  const RunManifest& m = first.manifest;
  CHECK(m.engine_version == version_string());
  for (const std::string* h : {&m.catalogue_hash, &m.rules_hash, &m.plugins_hash, &m.data_hash}) {
    CHECK(h->size() == 64);
  }

  // The same inputs give the same manifest.
  EvaluationReport again = run(engine, "2017-01");
  CHECK(again.manifest == first.manifest);

  // New data changes the data hash only.
  push(engine, "dtoc", {obs("2017-01", 3.1)});
  EvaluationReport revised = run(engine, "2017-01");
  CHECK(revised.manifest.data_hash != m.data_hash);
  CHECK(revised.manifest.catalogue_hash == m.catalogue_hash);
  CHECK(revised.manifest.rules_hash == m.rules_hash);

  // An accepted.toml changes the catalogue hash.
  f.accept("");
  Engine reloaded = f.open();
  EvaluationReport accepted = run(reloaded, "2017-01");
  CHECK(accepted.manifest.catalogue_hash != m.catalogue_hash);
  CHECK(accepted.manifest.data_hash == revised.manifest.data_hash);

  // What-if runs are not recorded and have no manifest.
  EvaluateOptions what_if;
  what_if.record_run = false;
  auto unrecorded = reloaded.evaluate(Period::month(2017, 1), what_if);
  REQUIRE(unrecorded.ok());
  CHECK(unrecorded->run_id == 0);
  CHECK(unrecorded->manifest.data_hash.empty());
}

TEST_CASE("diff_runs lists exceptions added, removed and changed, and manifest changes",
          "[engine][manifest]") {
  Fixture f;
  Engine engine = f.open();
  push(engine, "dtoc", {obs("2017-01", 3.0), obs("2017-02", 3.2), obs("2017-03", 1.2)});
  push(engine, "employment", {obs("2017-02", 3.3), obs("2017-03", 3.3)});
  EvaluationReport jan = run(engine, "2017-01");
  EvaluationReport feb = run(engine, "2017-02");
  EvaluationReport mar = run(engine, "2017-03");

  auto a = engine.load_run(jan.run_id);
  auto b = engine.load_run(feb.run_id);
  auto c = engine.load_run(mar.run_id);
  REQUIRE((a.ok() && b.ok() && c.ok()));
  RunDiff ab = diff_runs(*a, *b);
  REQUIRE(ab.added.size() == 1);
  CHECK(ab.added[0].indicator_id == "employment");
  CHECK(ab.added[0].after == ExceptionState::kNew);
  REQUIRE(ab.changed.size() == 1);
  CHECK(ab.changed[0].indicator_id == "dtoc");
  CHECK(ab.changed[0].before == ExceptionState::kNew);
  CHECK(ab.changed[0].after == ExceptionState::kContinuing);
  CHECK(ab.removed.empty());
  REQUIRE(ab.manifest.size() == 1);
  CHECK(ab.manifest[0].field == "data_hash");

  RunDiff bc = diff_runs(*b, *c);
  REQUIRE(bc.removed.size() == 1);
  CHECK(bc.removed[0].indicator_id == "dtoc");
  CHECK(bc.removed[0].criteria_before == std::vector<std::string>{"off_target"});
  CHECK(c->resolved.size() == 1);
  CHECK(diff_runs(*c, *c).empty());
}

TEST_CASE("budget lines and risks pushed by a program reach the criteria rules",
          "[engine][records]") {
  Fixture f;
  Engine engine = f.open();
  push(engine, "employment", {obs("2017-03", 3.3)});
  auto stored = engine.ingest_records(
      "finance", {budget_line("2017-03", 103677000, 111914000),
                  risk("RM1", "2017-03", 4, 3, "Failure in the care market")});
  REQUIRE(stored.ok());
  CHECK(stored->records == 2);

  EvaluationReport mar = run(engine, "2017-03");
  const IndicatorResult& employment = result(mar, "employment");
  std::vector<std::string> criteria;
  for (const RuleOutcome* o : employment.reasons()) criteria.push_back(o->criterion);
  std::sort(criteria.begin(), criteria.end());
  CHECK(criteria == std::vector<std::string>{"budget_impact", "off_target", "risk_impact"});
  for (const RuleOutcome& o : employment.outcomes) {
    if (o.criterion == "budget_impact") {
      CHECK(o.message ==
            "linked budget line Older People forecasts £8.2m overspend (7.9%), and performance "
            "is off target (Red: 3.3% against a target of 4.0%)");
    }
  }

  // An unknown source or an invalid record is refused.
  CHECK(engine.ingest_records("nope", {}).status().code() == StatusCode::kInvalidArgument);
  auto bad = engine.ingest_records("finance", {risk("RM1", "2017-03", 0, 3, "x")});
  CHECK(bad.status().code() == StatusCode::kInvalidArgument);
  CHECK(bad.status().message() ==
        "source 'finance': risk 'RM1' for 2017-03: field 'current_likelihood' must be a whole "
        "number from 1 to 5");
}

TEST_CASE("the risk report lists serious risks and reconciles with the previous register",
          "[engine][records][risks]") {
  Fixture f;
  Engine engine = f.open();
  REQUIRE(engine
              .ingest_records("finance",
                              {risk("RM1", "2017-01", 3, 3, "Failure in the care market"),
                               risk("RM2", "2017-01", 2, 2, "Lack of ICT capacity"),
                               risk("RM3", "2017-01", 4, 4, "Recruitment", "green")})
              .ok());
  REQUIRE(engine
              .ingest_records("finance",
                              {risk("RM1", "2017-03", 4, 3, "Failure in the care market"),
                               risk("RM3", "2017-03", 4, 4, "Recruitment of care staff", "green"),
                               risk("RM4", "2017-03", 5, 4, "Judicial review", "red")})
              .ok());

  auto report = engine.risk_report(Period::month(2017, 3));
  REQUIRE(report.ok());
  CHECK(report->register_period == Period::month(2017, 3));
  CHECK(report->previous_period == Period::month(2017, 1));
  std::vector<std::string> ids;
  for (const Risk& r : report->exceptions) ids.push_back(r.id);
  CHECK(ids == std::vector<std::string>{"RM4", "RM1"});  // highest first; RM3 is green
  REQUIRE(report->register_risks.size() == 3);
  CHECK(report->register_risks[0].previous_score == 9);

  std::vector<std::string> changes;
  for (const RiskChange& c : report->changes) {
    changes.push_back(c.risk_id + " " + risk_change_name(c.kind));
  }
  CHECK(changes == std::vector<std::string>{"RM1 score_changed", "RM2 closed",
                                            "RM3 title_changed", "RM4 new"});

  // As at February: the January register, with nothing earlier to reconcile.
  auto february = engine.risk_report(Period::month(2017, 2));
  REQUIRE(february.ok());
  CHECK(february->register_period == Period::month(2017, 1));
  CHECK_FALSE(february->previous_period);
  CHECK(february->changes.empty());

  RiskReportOptions strict;
  strict.threshold = 20;
  auto high = engine.risk_report(Period::month(2017, 3), strict);
  REQUIRE(high.ok());
  REQUIRE(high->exceptions.size() == 1);
  CHECK(high->exceptions[0].id == "RM4");
  strict.threshold = 30;
  CHECK(engine.risk_report(Period::month(2017, 3), strict).status().code() ==
        StatusCode::kInvalidArgument);
}
