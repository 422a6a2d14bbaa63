// SPDX-License-Identifier: Apache-2.0
// The rule test file reader (`vitals rules test`), on any bytes: tests or
// located diagnostics. Policy officers write these files by hand.

#include "authoring/rule_test_file.hpp"
#include "fuzz_support.hpp"

#include <cstdlib>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::filesystem::path path =
      vitals::fuzz::write_file("rules/fuzz.test.toml", vitals::fuzz::as_text(data, size));
  std::vector<vitals::Diagnostic> diagnostics;
  vitals::detail::RuleTestFileSpec spec =
      vitals::detail::read_rule_test_file(path, "rules/fuzz.test.toml", nullptr, diagnostics);
  (void)spec;
  // The compact series syntax on its own.
  std::string error;
  std::size_t offset = 0;
  std::string_view text = vitals::fuzz::as_text(data, size);
  if (!vitals::detail::parse_compact_series(text, error, offset) &&
      (error.empty() || offset > text.size())) {
    std::abort();
  }
  return 0;
}
