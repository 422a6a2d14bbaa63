// SPDX-License-Identifier: Apache-2.0
// Whatever bytes the catalogue and the data files hold, everything Vitals
// writes is clean: JSON that parses, HTML, Markdown and text that are UTF-8
// with no control character but line breaks and tabs. A seeded mutation loop
// over the Norfolk example's CSV and TOML files, in process so that a few
// hundred runs take seconds.
#include <vitals/engine.hpp>
#include <vitals/report.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "catch.hpp"
#include "common/user_text.hpp"
#include "support/temp_dir.hpp"

namespace fs = std::filesystem;
using namespace vitals;
using vitals::testing::TempDir;

namespace {

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

// Text meant for reading: UTF-8 without control characters (line breaks and
// tabs allowed).
void check_clean(const std::string& what, const std::string& text) {
  INFO(what);
  CHECK(detail::is_valid_utf8(text));
  CHECK_FALSE(detail::needs_printable(text));
}

}  // namespace

TEST_CASE("mutated catalogues and data files never make an invalid output",
          "[engine][text][fuzz]") {
  TempDir dir;
  const fs::path pristine = dir.path() / "pristine";
  fs::copy(fs::path(VITALS_SOURCE_DIR) / "examples/norfolk", pristine,
           fs::copy_options::recursive);
  std::string catalogue = read_file(pristine / "catalogue.toml");
  const std::string relative = "rule_dirs = [\"../../rules/council\"]";
  REQUIRE(catalogue.find(relative) != std::string::npos);
  catalogue.replace(catalogue.find(relative), relative.size(),
                    "rule_dirs = [\"" VITALS_SOURCE_DIR "/rules/council\"]");
  write_file(pristine / "catalogue.toml", catalogue);

  const std::vector<std::string> files = {
      "data/dashboard.csv",         "data/risks.csv",
      "data/budget.csv",            "data/savings.csv",
      "catalogue.toml",             "indicators/employment.toml",
      "indicators/carers.toml",     "commentary/ld_paid_employment_pct.toml",
      "commentary/mh_paid_employment_pct/2017-03.md"};
  const std::vector<std::string> pieces = {
      "\xA3",  "\xFF", std::string(1, '\0'), "\x1B[2J", "\xC2\xA0", "\xE2\x80", "\"", ",",
      "\n",    "<script>", "&", "\\", "\xEF\xBB\xBF", "\x80", "\r", "\x85", "\\u0000"};

  std::mt19937 rng(20170619);
  auto pick = [&rng](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); };
  const int kRuns = 200;
  const fs::path json_dir = dir.path() / "json";
  fs::create_directory(json_dir);
  int loaded = 0;
  int evaluated = 0;
  for (int run = 0; run < kRuns; ++run) {
    const fs::path cat = dir.path() / "run";
    fs::remove_all(cat);
    fs::copy(pristine, cat, fs::copy_options::recursive);
    const fs::path target = cat / files[pick(files.size())];
    std::string data = read_file(target);
    for (std::size_t m = 0, n = 1 + pick(4); m < n && !data.empty(); ++m) {
      const std::string& piece = pieces[pick(pieces.size())];
      const std::size_t at = pick(data.size());
      if (pick(2) == 0) {
        data.replace(at, std::min(piece.size(), data.size() - at), piece);
      } else {
        data.insert(at, piece);
      }
    }
    write_file(target, data);
    INFO("run " << run << ": " << target.lexically_relative(cat).string());

    EngineOptions options;
    options.store_path = ":memory:";
    options.plugins.enabled = true;
    options.plugins.dirs = {VITALS_PLUGIN_DIR};
    options.threads = 1;
    options.log_level = LogLevel::kOff;
    auto engine = Engine::open(options);
    REQUIRE(engine.ok());
    Status st = engine->load_catalogue(cat);
    for (const Diagnostic& d : engine->diagnostics()) check_clean("a diagnostic", d.to_string());
    if (!st.is_ok()) continue;
    ++loaded;
    auto ingested = engine->ingest();
    if (ingested.ok()) {
      for (const Diagnostic& d : ingested->diagnostics) check_clean("a diagnostic", d.to_string());
    }
    auto report = engine->evaluate(Period::month(2017, 3));
    if (!report.ok()) continue;
    ++evaluated;
    ReportInputs inputs{engine->catalogue(), *report, engine->commentary()};
    for (DocumentFormat format : {DocumentFormat::kHtml, DocumentFormat::kMarkdown, DocumentFormat::kJson}) {
      std::ostringstream out;
      if (!render_committee_report(inputs, format, out).is_ok()) continue;
      if (format == DocumentFormat::kJson) {
        write_file(json_dir / ("committee-" + std::to_string(run) + ".json"), out.str());
      } else {
        check_clean(document_format_extension(format), out.str());
      }
    }
    for (ReportFormat format : {ReportFormat::kJson, ReportFormat::kMarkdown, ReportFormat::kText}) {
      std::ostringstream out;
      REQUIRE(render(*report, format, out).is_ok());
      if (format == ReportFormat::kJson) {
        write_file(json_dir / ("result-" + std::to_string(run) + ".json"), out.str());
      } else {
        check_clean("summary", out.str());
      }
    }
  }
  // Most runs must get far enough to write something.
  CHECK(loaded > kRuns / 2);
  CHECK(evaluated > kRuns / 3);
  // Every JSON document parses, with Python's strict parser (UTF-8 only).
  const std::string command =
      "/usr/bin/python3 -c 'import json, pathlib, sys\n"
      "for p in sorted(pathlib.Path(sys.argv[1]).glob(\"*.json\")):\n"
      "    json.loads(p.read_bytes().decode(\"utf-8\"))\n' '" +
      json_dir.string() + "'";
  CHECK(std::system(command.c_str()) == 0);
}
