// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>

#include <vitals/plugin/sdk.hpp>

namespace vitals::csv {

/// Beyond this many, problems in one file are counted and summarised in one line.
inline constexpr int kMaxReportedProblems = 100;

/// Reports a file's problems up to kMaxReportedProblems and counts the rest;
/// finish() adds the summary line. Shared by the csv plugins.
class Problems {
 public:
  explicit Problems(plugin::Sink& sink) : sink_(sink) {}
  void error(std::int64_t row, std::int64_t column, const std::string& message, const char* code) {
    ++count_;
    if (count_ <= kMaxReportedProblems) sink_.problem(row, column, message, code);
  }
  int count() const { return count_; }
  void finish() {
    if (count_ > kMaxReportedProblems) {
      // A note, not an error: the errors it summarises were counted already.
      sink_.report(VITALS_SEVERITY_NOTE, 0, 0,
                   "... and " + std::to_string(count_ - kMaxReportedProblems) +
                       " more problems in this file, not listed",
                   "data.too_many_problems");
    }
  }

 private:
  plugin::Sink& sink_;
  int count_ = 0;
};

}  // namespace vitals::csv
