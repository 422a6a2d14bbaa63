// SPDX-License-Identifier: Apache-2.0
#include "diagnostic_groups.hpp"

#include <map>
#include <string>
#include <tuple>

namespace vitals::cli {

namespace {

// The message with every mention of the indicator's id replaced by a mark
// no message contains.
std::string without_indicator(const Diagnostic& d) {
  std::string text = d.message;
  if (d.indicator_id.empty()) return text;
  for (std::size_t at = text.find(d.indicator_id); at != std::string::npos;
       at = text.find(d.indicator_id, at + 1)) {
    text.replace(at, d.indicator_id.size(), "\x01");
  }
  return text;
}

}  // namespace

std::vector<Diagnostic> group_by_indicator(const std::vector<Diagnostic>& diagnostics) {
  using Key = std::tuple<Severity, std::string, std::string, std::string>;
  std::map<Key, std::size_t> first;  // the index in `out` of the group's first
  std::vector<std::size_t> more;     // per entry of `out`: the indicators grouped with it
  std::vector<Diagnostic> out;
  for (const Diagnostic& d : diagnostics) {
    if (!d.indicator_id.empty()) {
      Key key{d.severity, d.code, d.rule_id, without_indicator(d)};
      auto [it, added] = first.emplace(key, out.size());
      if (!added) {
        ++more[it->second];
        continue;
      }
    }
    out.push_back(d);
    more.push_back(0);
  }
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (more[i] == 0) continue;
    out[i].message +=
        " (and " + count_text(more[i], "more indicator", "more indicators") + ")";
  }
  return out;
}

}  // namespace vitals::cli
