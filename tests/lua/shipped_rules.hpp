// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "catch.hpp"
#include "lua/lua_test_support.hpp"

#include <fstream>
#include <string>
#include <vector>

namespace vitals::testing {

/// The council rules shipped in the source tree (rules/council).
inline detail::RuleSet load_shipped_rules() {
  std::vector<Diagnostic> diagnostics;
  detail::RuleSet set =
      detail::RuleSet::load({VITALS_SOURCE_DIR "/rules/council"}, SandboxLimits{}, nullptr, diagnostics);
  INFO(codes_of(diagnostics));
  REQUIRE(diagnostics.empty());
  return set;
}

/// Evaluates `input` and returns the outcome of `rule_id`; the other rules must not fail.
inline RuleOutcome run_rule(detail::RuleSet& set, const std::string& rule_id,
                            const detail::RuleInput& input,
                            std::vector<Diagnostic>* diagnostics_out = nullptr) {
  std::vector<Diagnostic> diagnostics;
  std::vector<RuleOutcome> outcomes = set.evaluate(input, diagnostics);
  if (diagnostics_out != nullptr) {
    *diagnostics_out = diagnostics;
  } else {
    INFO(codes_of(diagnostics));
    for (const Diagnostic& d : diagnostics) INFO(d.to_string());
    CHECK(diagnostics.empty());
  }
  return find_outcome(outcomes, rule_id);
}

/// The 1-based line of the first line of `file` (relative to the source tree) containing `text`.
inline int line_of(const std::string& file, const std::string& text) {
  std::ifstream in(std::string(VITALS_SOURCE_DIR) + "/" + file);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.find(text) != std::string::npos) return n;
  }
  return 0;
}

}  // namespace vitals::testing
