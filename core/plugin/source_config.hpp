// SPDX-License-Identifier: Apache-2.0
#pragma once

// A source's configuration as the plugin C ABI hands it to create and
// validate (vitals_source_config), owning the texts it points into: built
// from the catalogue's SourceDefinition in Vitals, sent to an isolated
// plugin's process as a kCreate or kValidate request, and rebuilt there from
// that request, so that a plugin receives the same structure either way.

#include "plugin/isolation_protocol.hpp"

#include <vitals/catalogue.hpp>
#include <vitals/plugin/abi.h>

#include <string>
#include <utility>
#include <vector>

namespace vitals::detail {

class SourceConfig {
 public:
  /// An empty configuration, to be filled by read().
  SourceConfig() { link(); }
  /// `source`'s name, catalogue directory, settings and data folders.
  explicit SourceConfig(const SourceDefinition& source);
  // The structure points into the object's own strings.
  SourceConfig(const SourceConfig&) = delete;
  SourceConfig& operator=(const SourceConfig&) = delete;

  /// The structure create and validate receive; valid while this object is.
  const vitals_source_config* get() const { return &config_; }

  /// The configuration as a request of type `type` (kCreate or kValidate)
  /// for an isolated plugin's process.
  std::string request(isolation::Frame type) const;

  /// Replaces this configuration with the one a request's payload carries
  /// (after its type); false when the payload is malformed.
  bool read(isolation::FrameReader& r);

 private:
  void link();  // points config_ at the texts

  std::string name_;
  std::string base_dir_;
  std::vector<std::pair<std::string, std::string>> setting_texts_;
  std::vector<std::string> data_dir_texts_;
  std::vector<vitals_setting> settings_;
  std::vector<vitals_string> data_dirs_;
  vitals_source_config config_{};
};

}  // namespace vitals::detail
