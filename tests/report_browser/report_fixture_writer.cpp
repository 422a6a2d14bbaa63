// SPDX-License-Identifier: Apache-2.0
// Writes the committee report of the Norfolk fixture (tests/report/
// norfolk_fixture.hpp) with write_committee_report(), for the browser test and
// for .ci/screenshot while no engine run is at hand.
//
//   vitals_report_fixture_writer OUT_DIR [--format html|markdown|json]
//       [--commentary CATALOGUE_DIR] [--hostile]
//
// --commentary loads CATALOGUE_DIR/commentary/ (the officers' files) instead
// of the fixture's own; --hostile puts markup and script into every title
// and section, to show it is shown as text.
#include <iostream>
#include <string>

#include <vitals/report.hpp>

#include "config/commentary_loader.hpp"
#include "report/norfolk_fixture.hpp"

using namespace vitals;

namespace {

void make_hostile(Catalogue& catalogue, EvaluationReport& report, CommentarySet& commentary) {
  const std::string evil = "<script>console.error('escaped?')</script><img src=x onerror=alert(1)> \"]]> & '";
  for (IndicatorDefinition& d : catalogue.indicators) {
    d.title += " " + evil;
    d.description += "\n\n" + evil;
    d.lead_officer += " " + evil;
  }
  for (IndicatorResult& r : report.indicators) {
    r.title += " " + evil;
    for (RuleOutcome& o : r.outcomes) o.message += " " + evil;
  }
  report.committee += " " + evil;
  for (Commentary& c : commentary.entries) {
    c.explanation += "\n\n" + evil;
    c.actions += "\n- " + evil;
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: vitals_report_fixture_writer OUT_DIR [--format F] [--commentary DIR] [--hostile]\n";
    return 2;
  }
  std::string out_dir = argv[1];
  DocumentFormat format = DocumentFormat::kHtml;
  std::string commentary_dir;
  bool hostile = false;
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--format" && i + 1 < argc) {
      auto parsed = parse_document_format(argv[++i]);
      if (!parsed.ok()) {
        std::cerr << parsed.status().message() << "\n";
        return 2;
      }
      format = *parsed;
    } else if (arg == "--commentary" && i + 1 < argc) {
      commentary_dir = argv[++i];
    } else if (arg == "--hostile") {
      hostile = true;
    } else {
      std::cerr << "unknown argument " << arg << "\n";
      return 2;
    }
  }

  Catalogue catalogue = testing::norfolk_catalogue();
  EvaluationReport report = testing::norfolk_report(catalogue);
  CommentarySet commentary = testing::norfolk_commentary();
  if (!commentary_dir.empty()) {
    catalogue.root = commentary_dir;
    auto loaded = detail::load_commentary(catalogue);
    for (const Diagnostic& d : loaded.diagnostics) std::cerr << d.to_string() << "\n";
    if (has_errors(loaded.diagnostics)) return 1;
    commentary = std::move(loaded.commentary);
  }
  if (hostile) make_hostile(catalogue, report, commentary);

  WrittenReport written;
  Status st = write_committee_report(ReportInputs{catalogue, report, commentary, {}, "Norfolk County Council"},
                                     format, out_dir, &written);
  for (const Diagnostic& d : written.diagnostics) std::cerr << d.to_string() << "\n";
  if (!st.is_ok()) {
    std::cerr << st.to_string() << "\n";
    return 1;
  }
  for (const auto& path : written.files) std::cout << path.string() << "\n";
  return 0;
}
