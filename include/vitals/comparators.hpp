// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <vitals/source_location.hpp>

namespace vitals {

/// [comparators] in catalogue.toml: where the national figures of every
/// council come from, which council this catalogue is, its family group of
/// statistical neighbours and named peers, and which indicator each measure
/// of the file stands beside (docs/comparators.md).
struct ComparatorSettings {
  /// The national file, absolute: one row per council and measure.
  std::string path;
  /// The period the file's figures describe, e.g. "2015/16" (national
  /// figures lag the council's own).
  std::string period;
  /// The code of this catalogue's council in the file (e.g. "E10000020").
  std::string council;
  std::string family_group_name;            // e.g. "CIPFA nearest neighbours"
  std::vector<std::string> family_group;    // council codes, the council itself included or not
  std::vector<std::string> peers;           // council codes named one by one
  /// Indicator id -> the measure's reference in the file (e.g. "2A(1)").
  std::map<std::string, std::string> measures;
  /// Where each setting is written, for messages: "path", "council",
  /// "family_group[3]", "measures.<indicator id>" and the table itself ("").
  std::map<std::string, SourceLocation> locations;
};

/// One comparator's figure: England, the region, the family group or a peer.
struct ComparatorFigure {
  std::string kind;  // "england", "region", "family_group" or "peer"
  std::string name;  // e.g. "England", "East of England", "Suffolk"
  std::string code;  // the council's or region's code; empty for England and the family group
  std::optional<double> value;
  /// Summed over the councils it covers (a peer's own); absent where the
  /// measure has none.
  std::optional<double> numerator;
  std::optional<double> denominator;
  int councils = 0;  // how many councils the figure covers
};

/// What the national file says about one indicator's measure: the council's
/// own figure, its rank among the councils with a figure (1 = best, by the
/// indicator's polarity) and quartile (1 = top), and the comparators, each in
/// `period`.
struct IndicatorComparators {
  std::string measure;  // e.g. "2A(1)"
  std::string period;   // e.g. "2015/16"
  std::optional<double> council_value;
  std::optional<int> rank;
  int ranked = 0;  // N of "rank of N"
  std::optional<int> quartile;
  /// England, region, family group, then the peers in catalogue order.
  std::vector<ComparatorFigure> figures;

  /// The figure of `kind` ("england", "region", "family_group"), or nullptr.
  const ComparatorFigure* find(const std::string& kind) const {
    for (const ComparatorFigure& f : figures) {
      if (f.kind == kind) return &f;
    }
    return nullptr;
  }
};

}  // namespace vitals
