// SPDX-License-Identifier: Apache-2.0
#include "publish/site_layout.hpp"

#include "common/ascii_text.hpp"

#include <algorithm>
#include <cctype>
#include <system_error>

#include <vitals/publish.hpp>

namespace fs = std::filesystem;

namespace vitals {

std::string publication_folder_name(const Period& period) {
  std::string name = period.to_string();
  for (char& c : name) {
    if (c == '/') c = '-';
    c = detail::ascii_lower(c);
  }
  return name;
}

namespace detail {

std::optional<Period> period_of_folder(std::string_view name) {
  // A financial year's "/" is the fifth character: "2016-17" and "2016-17-q4".
  std::string text(name);
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::vector<std::string> candidates = {text};
  if (text.size() >= 7 && text[4] == '-') candidates.push_back(text.substr(0, 4) + "/" + text.substr(5));
  for (const std::string& candidate : candidates) {
    auto period = Period::parse(candidate);
    if (period.ok() && publication_folder_name(*period) == name) return *period;
  }
  return std::nullopt;
}

std::vector<PublishedFolder> published_folders(const fs::path& site_dir) {
  std::vector<PublishedFolder> found;
  std::error_code ec;
  for (fs::directory_iterator it(site_dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code kind;
    if (!it->is_directory(kind)) continue;
    std::string name = it->path().filename().string();
    auto period = period_of_folder(name);
    if (!period || !fs::is_regular_file(it->path() / "index.html", kind)) continue;
    found.push_back(PublishedFolder{*period, std::move(name)});
  }
  std::sort(found.begin(), found.end(),
            [](const PublishedFolder& a, const PublishedFolder& b) { return a.period > b.period; });
  return found;
}

}  // namespace detail
}  // namespace vitals
