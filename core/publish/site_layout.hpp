// SPDX-License-Identifier: Apache-2.0
#pragma once

// Where a published site keeps its publications: one folder per period,
// named publication_folder_name(), each holding an index.html.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <vitals/period.hpp>

namespace vitals::detail {

/// The period a publication folder is named for ("2016-17-q4" is 2016/17-Q4),
/// or nullopt for a name publication_folder_name() does not give.
std::optional<Period> period_of_folder(std::string_view name);

/// A publication found in a site.
struct PublishedFolder {
  Period period;
  std::string folder;  // its name in the site
};

/// The publications in `site_dir`: folders named for a period that hold an
/// index.html, newest period first. Other files and folders are ignored.
std::vector<PublishedFolder> published_folders(const std::filesystem::path& site_dir);

}  // namespace vitals::detail
