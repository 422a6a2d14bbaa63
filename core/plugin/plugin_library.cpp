// SPDX-License-Identifier: Apache-2.0
#include "plugin/plugin_library.hpp"

#include <boost/dll/shared_library.hpp>

#include <mutex>
#include <utility>
#include <vector>

namespace vitals::detail {

PluginLibrary::PluginLibrary(std::filesystem::path path,
                             std::shared_ptr<boost::dll::shared_library> library,
                             const vitals_plugin_descriptor& descriptor)
    : path_(std::move(path)),
      library_(std::move(library)),
      descriptor_(descriptor),
      name_(descriptor.name),
      version_(descriptor.version != nullptr ? descriptor.version : ""),
      build_info_(descriptor.build_info != nullptr ? descriptor.build_info : "") {
  // The loader zeroes what a descriptor older than ABI 1.3 does not hold.
  if (const char* const* keys = descriptor.input_file_settings; keys != nullptr) {
    std::vector<std::string> names;
    // A list this long is not a list of settings: the plugin is then fetched.
    constexpr std::size_t kMaxKeys = 64;
    for (; *keys != nullptr && names.size() <= kMaxKeys; ++keys) names.emplace_back(*keys);
    if (names.size() <= kMaxKeys) input_file_settings_ = std::move(names);
  }
}

std::string PluginLibrary::label() const {
  return "plugin " + path_.string() + " (name '" + name_ + "', version '" + version_ +
         "', build '" + build_info_ + "')";
}

void retain_until_exit(std::shared_ptr<boost::dll::shared_library> library) {
  // Deliberately leaked: destroying these at exit would dlclose the plugins
  // while other static destructors may still reach into them.
  static auto* mutex = new std::mutex;
  static auto* retained = new std::vector<std::shared_ptr<boost::dll::shared_library>>;
  std::lock_guard<std::mutex> lock(*mutex);
  retained->push_back(std::move(library));
}

}  // namespace vitals::detail
