// SPDX-License-Identifier: Apache-2.0
// Embedding Vitals in another council tool through the C++ API: open an
// engine, load a catalogue, push observations from the host program (no
// plugin, no file), evaluate a period, read the typed result and render a
// report card.
//
//   embed_example CATALOGUE_DIR [CARD_FILE]
//
// With the Norfolk example catalogue it pushes four months of delayed
// transfers of care and reports the indicator as an exception on both criteria.
#include <vitals/vitals.hpp>

#include <fstream>
#include <iostream>
#include <sstream>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: embed_example CATALOGUE_DIR [CARD_FILE]\n";
    return 2;
  }
  std::cout << "vitals " << vitals::version_string() << "\n";

  vitals::EngineOptions options;
  options.store_path = ":memory:";  // a real tool would keep its history in a file
  options.threads = 2;
  auto engine = vitals::Engine::open(options);
  if (!engine.ok()) {
    std::cerr << engine.status().to_string() << "\n";
    return 1;
  }
  if (vitals::Status st = engine->load_catalogue(argv[1]); !st.is_ok()) {
    for (const vitals::Diagnostic& d : engine->diagnostics()) std::cerr << d.to_string() << "\n";
    std::cerr << st.to_string() << "\n";
    return 1;
  }

  // The host's own data: here, four months from a case management export.
  vitals::Series dtoc{"dtoc_social_care_per_100k", {}};
  const double figures[] = {3.2, 3.4, 3.5, 3.56};
  for (int month = 12, i = 0; i < 4; ++i, month = month % 12 + 1) {
    vitals::Observation o;
    o.period = vitals::Period::month(month == 12 ? 2016 : 2017, month);
    o.value = figures[i];
    dtoc.observations.push_back(o);
  }
  auto ingested = engine->ingest_series("dashboard", {dtoc});
  if (!ingested.ok()) {
    std::cerr << ingested.status().to_string() << "\n";
    return 1;
  }
  std::cout << "stored " << ingested->inserted << " observations\n";

  auto report = engine->evaluate(vitals::Period::month(2017, 3));
  if (!report.ok()) {
    std::cerr << report.status().to_string() << "\n";
    return 1;
  }
  for (const vitals::IndicatorResult* r : report->exceptions()) {
    std::cout << "exception: " << r->indicator_id << "\n";
    for (const vitals::RuleOutcome* reason : r->reasons()) {
      std::cout << "  " << reason->criterion << ": " << reason->message << "\n";
    }
  }

  std::ostringstream summary;
  if (vitals::Status st = vitals::render(*report, vitals::ReportFormat::kText, summary); !st.is_ok()) {
    std::cerr << st.to_string() << "\n";
    return 1;
  }
  std::cout << summary.str();

  if (argc > 2 && !report->exceptions().empty()) {
    vitals::ReportInputs inputs = vitals::report_inputs(*engine, *report);
    std::ofstream card(argv[2]);
    vitals::Status st = vitals::render_card(inputs, report->exceptions().front()->indicator_id,
                                            vitals::DocumentFormat::kHtml, card);
    if (!st.is_ok()) {
      std::cerr << st.to_string() << "\n";
      return 1;
    }
    std::cout << "wrote " << argv[2] << "\n";
  }
  return 0;
}
