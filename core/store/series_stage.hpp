// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <vitals/observation.hpp>
#include <vitals/status.hpp>

#include <cstddef>
#include <cstdio>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace vitals::detail {

/// A source's series batches held back while the source is still being
/// read, so that the store's write lock is taken only to store them, in one
/// short transaction, once the whole source was read (a slow source blocks
/// no other writer meanwhile). Batches are kept encoded (about 20 bytes per
/// observation instead of the 72 of an Observation): in memory up to
/// `memory_limit` bytes, then in an unnamed temporary file that disappears
/// with the stage.
/// Thread safety: not safe for concurrent use.
class SeriesStage {
 public:
  static constexpr std::size_t kDefaultMemoryLimit = std::size_t{128} << 20;

  explicit SeriesStage(std::size_t memory_limit = kDefaultMemoryLimit);
  ~SeriesStage();
  SeriesStage(const SeriesStage&) = delete;
  SeriesStage& operator=(const SeriesStage&) = delete;

  /// Keeps a copy of `batch`. kIoError when the temporary file cannot be
  /// written (the stage is then unusable).
  Status add(const std::vector<Series>& batch);

  /// Hands every batch back to `write`, in the order added, each as it was
  /// added. Stops at the first non-OK Status of `write` and returns it;
  /// kIoError when the temporary file cannot be read back.
  Status replay(const std::function<Status(std::vector<Series>&&)>& write);

  /// Keeps a copy of `record`, bytes of the caller's own encoding (a stage
  /// holds either batches or records, never both). kIoError as add().
  Status add_record(std::string_view record);

  /// Hands every record back to `read`, in the order added; the bytes are
  /// valid during the call only. Errors as replay().
  Status replay_records(const std::function<Status(std::string_view)>& read);

  /// Observations staged so far.
  std::size_t observations() const { return observations_; }

 private:
  Status spill();
  Status kept();  // spills when over the memory limit
  Status replay_frames(const std::function<Status(const char*, const char*)>& read);

  std::size_t memory_limit_;
  std::string memory_;         // encoded batches not yet spilled
  std::FILE* file_ = nullptr;  // spilled batches, when any
  std::size_t observations_ = 0;
  Status failed_;
};

}  // namespace vitals::detail
