// SPDX-License-Identifier: Apache-2.0
#include "plugin/source_config.hpp"

#include <cstdint>
#include <string_view>

namespace vitals::detail {

SourceConfig::SourceConfig(const SourceDefinition& source)
    : name_(source.name), base_dir_(source.base_dir.string()) {
  setting_texts_.reserve(source.settings.size());
  for (const auto& [key, value] : source.settings) setting_texts_.emplace_back(key, value);
  for (const auto& dir : source.data_dirs) data_dir_texts_.push_back(dir.string());
  link();
}

void SourceConfig::link() {
  settings_.clear();
  data_dirs_.clear();
  settings_.reserve(setting_texts_.size());
  for (const auto& [key, value] : setting_texts_) {
    settings_.push_back(vitals_setting{key.c_str(), key.size(), value.c_str(), value.size()});
  }
  data_dirs_.reserve(data_dir_texts_.size());
  for (const std::string& dir : data_dir_texts_) {
    data_dirs_.push_back(vitals_string{dir.c_str(), dir.size()});
  }
  config_ = vitals_source_config{};
  config_.struct_size = sizeof(vitals_source_config);
  config_.source_name = name_.c_str();
  config_.source_name_len = name_.size();
  config_.base_dir = base_dir_.c_str();
  config_.base_dir_len = base_dir_.size();
  config_.settings = settings_.data();
  config_.setting_count = settings_.size();
  config_.data_dirs = data_dirs_.data();
  config_.data_dir_count = data_dirs_.size();
}

std::string SourceConfig::request(isolation::Frame type) const {
  std::string frame;
  isolation::FrameWriter w(frame, type);
  w.text(name_).text(base_dir_).u64(setting_texts_.size());
  for (const auto& [key, value] : setting_texts_) w.text(key).text(value);
  w.u64(data_dir_texts_.size());
  for (const std::string& dir : data_dir_texts_) w.text(dir);
  w.finish();
  return frame;
}

bool SourceConfig::read(isolation::FrameReader& r) {
  auto text = [&r](std::string& out) {
    isolation::FrameReader::Text t = r.text();
    if (!r.ok()) return false;
    out.assign(t.data != nullptr ? std::string_view(t.data, t.len) : std::string_view());
    return true;
  };
  auto required_text = [&r](std::string& out) {
    isolation::FrameReader::Text t = r.text();
    if (!r.ok() || t.data == nullptr) return false;
    out.assign(t.data, t.len);
    return true;
  };
  setting_texts_.clear();
  data_dir_texts_.clear();
  if (!text(name_) || !text(base_dir_)) return false;
  const std::uint64_t count = r.u64();
  if (!r.ok() || count > isolation::kMaxPayloadBytes) return false;
  for (std::uint64_t i = 0; i < count; ++i) {
    auto& [key, value] = setting_texts_.emplace_back();
    if (!required_text(key) || !required_text(value)) return false;
  }
  const std::uint64_t dirs = r.u64();
  if (!r.ok() || dirs > isolation::kMaxPayloadBytes) return false;
  for (std::uint64_t i = 0; i < dirs; ++i) {
    if (!required_text(data_dir_texts_.emplace_back())) return false;
  }
  link();
  return true;
}

}  // namespace vitals::detail
