// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "config/catalogue_loader.hpp"
#include "support/temp_dir.hpp"

#include <vitals/diagnostic.hpp>

#include <string>
#include <vector>

namespace vitals::testing {

/// A valid catalogue.toml declaring one source, one budget line and one risk.
inline constexpr const char* kMinimalCatalogue = R"([catalogue]
name = "Adult Social Care"

[sources.dashboard]
plugin = "csv"
path = "data/dashboard.csv"

[budget_lines.older_people]
title = "Older People"

[risks.RM14079]
title = "Failure to meet the long term needs of Norfolk citizens"
)";

/// A valid indicator file holding one indicator, "a".
inline constexpr const char* kMinimalIndicator = R"([[indicator]]
id = "a"
title = "Indicator A"
polarity = "bigger"
unit = "percent"
frequency = "monthly"
source = "dashboard"
)";

/// Splits one CSV line; fields may be double-quoted (with no quote inside them).
inline std::vector<std::string> split_csv(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (char c : line) {
    if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      fields.emplace_back();
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  return fields;
}

/// All diagnostics, one per line, for failure messages.
inline std::string describe(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const Diagnostic& d : diagnostics) out += d.to_string() + "\n";
  return out.empty() ? "(no diagnostics)" : out;
}

/// The diagnostics with `code`.
inline std::vector<Diagnostic> with_code(const std::vector<Diagnostic>& diagnostics,
                                         const std::string& code) {
  std::vector<Diagnostic> out;
  for (const Diagnostic& d : diagnostics) {
    if (d.code == code) out.push_back(d);
  }
  return out;
}

/// Writes catalogue.toml (unless empty) and indicators/a.toml into `dir`, then loads it.
inline detail::LoadedCatalogue load_with(const TempDir& dir, const std::string& catalogue,
                                         const std::string& indicators) {
  if (!catalogue.empty()) dir.write("catalogue.toml", catalogue);
  if (!indicators.empty()) dir.write("indicators/a.toml", indicators);
  return detail::load_catalogue(dir.path());
}

/// The file name a diagnostic in `dir` carries: dir / rel, as given.
inline std::string file_in(const TempDir& dir, const std::string& rel) {
  return (dir.path() / rel).string();
}

}  // namespace vitals::testing
