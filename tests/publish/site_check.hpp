// SPDX-License-Identifier: Apache-2.0
// Reading a published site back in the publish tests: its files, the links
// of its pages, and the accessibility rules the pages must keep.
#pragma once

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace vitals::testing {

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

/// Every file under `dir` (relative path -> bytes).
inline std::map<std::string, std::string> snapshot(const std::filesystem::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    files[std::filesystem::relative(entry.path(), dir).string()] = read_text(entry.path());
  }
  return files;
}

inline std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

/// The problems with the links of the HTML pages under `site`: an href or
/// src that leaves the site (absolute, another scheme), names a file that
/// does not exist, or a fragment with no element of that id. Empty: all good.
inline std::vector<std::string> broken_links(const std::filesystem::path& site, std::size_t& checked) {
  namespace fs = std::filesystem;
  std::vector<std::string> problems;
  const std::regex link(R"re((?:href|src)="([^"]*)")re");
  for (const auto& entry : fs::recursive_directory_iterator(site)) {
    if (entry.path().extension() != ".html") continue;
    const std::string page = read_text(entry.path());
    for (auto it = std::sregex_iterator(page.begin(), page.end(), link); it != std::sregex_iterator(); ++it) {
      ++checked;
      std::string target = (*it)[1];
      const std::string where = entry.path().string() + ": " + target;
      if (target.empty() || target.find(':') != std::string::npos || target[0] == '/') {
        problems.push_back(where + " (not a relative link)");
        continue;
      }
      std::string fragment;
      if (auto hash = target.find('#'); hash != std::string::npos) {
        fragment = target.substr(hash + 1);
        target = target.substr(0, hash);
      }
      const fs::path file = target.empty() ? entry.path() : entry.path().parent_path() / target;
      if (!fs::is_regular_file(file)) {
        problems.push_back(where + " (no such file)");
        continue;
      }
      if (!fragment.empty() && read_text(file).find("id=\"" + fragment + "\"") == std::string::npos) {
        problems.push_back(where + " (no such anchor)");
      }
    }
  }
  return problems;
}

/// What a page breaks of the accessibility rules the tests check without a
/// browser: a language, one h1, headings without skipped levels, scoped
/// header cells, charts with role="img" and a title.
inline std::vector<std::string> accessibility_problems(const std::string& page) {
  std::vector<std::string> problems;
  if (page.find("<html lang=\"en-GB\">") == std::string::npos) problems.push_back("no lang");
  if (count_of(page, "<h1") != 1) problems.push_back("not exactly one h1");
  const std::regex heading("<h([1-6])[ >]");
  int previous = 0;
  for (auto it = std::sregex_iterator(page.begin(), page.end(), heading); it != std::sregex_iterator(); ++it) {
    const int level = std::stoi((*it)[1]);
    if (level > previous + 1) problems.push_back("h" + std::to_string(level) + " after h" + std::to_string(previous));
    previous = level;
  }
  const std::regex header_cell("<th[ >]");
  const auto header_cells = std::distance(std::sregex_iterator(page.begin(), page.end(), header_cell),
                                          std::sregex_iterator());
  if (static_cast<std::size_t>(header_cells) != count_of(page, "<th scope=\"")) {
    problems.push_back("a header cell without scope");
  }
  if (count_of(page, "<svg") != count_of(page, "role=\"img\"")) problems.push_back("a chart without role=img");
  if (count_of(page, "<svg") > count_of(page, "<title")) problems.push_back("a chart without a title");
  return problems;
}

}  // namespace vitals::testing
