// SPDX-License-Identifier: Apache-2.0
// The inputs of a committee report as the engine's catalogue sets them out.
#include <vitals/engine.hpp>

namespace vitals {

ReportInputs report_inputs(const Engine& engine, const EvaluationReport& report) {
  const Catalogue& catalogue = engine.catalogue();
  ReportInputs inputs{catalogue, report, engine.commentary(), catalogue.report_templates,
                      catalogue.organisation};
  inputs.meetings = &engine.meetings();
  return inputs;
}

}  // namespace vitals
