// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <vitals/diagnostic.hpp>
#include <vitals/observation.hpp>
#include <vitals/period.hpp>
#include <vitals/period_form.hpp>
#include <vitals/plugin/abi.h>
#include <vitals/records.hpp>
#include <vitals/status.hpp>

#include "plugin/data_source.hpp"

#include <spdlog/logger.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

/// The host's side of one call into a plugin (create, describe, fetch or
/// destroy): everything the plugin hands back through the host API during the
/// call is copied here. Lives on the caller's stack for exactly one call.
/// Declared in the global namespace because abi.h names it `struct vitals_call`.
struct vitals_call {
  enum class Phase { kCreate, kDescribe, kFetch, kDestroy, kValidate };

  /// REQUIRES: `logger` outlives the call.
  vitals_call(Phase phase, spdlog::logger& logger, std::string plugin_name,
              std::string source_name);

  Phase phase;
  spdlog::logger* logger;
  std::string plugin_name;
  std::string source_name;

  // set_error: the last message wins.
  bool error_set = false;
  int error_code = VITALS_OK;
  std::string error_message;

  // The first reason the host asked the plugin to stop (a broken protocol
  // promise such as push_point outside a series, or the host out of memory).
  std::string abort_reason;

  // Problems, bad points and log lines at warning level or above.
  std::vector<vitals::Diagnostic> diagnostics;
  std::size_t data_errors = 0;  // error-severity problems and rejected points
  std::optional<vitals::Diagnostic> first_data_error;
  std::size_t dropped_diagnostics = 0;

  // Where the catalogue writes each setting of the source (not owned; may be
  // null): a problem naming a setting (ABI 1.2) is located there.
  const std::map<std::string, vitals::SourceLocation>* setting_locations = nullptr;

  // How the source writes its periods (its catalogue period_form): every
  // period text a point or record carries is read in it.
  vitals::PeriodForm period_form = vitals::PeriodForm::kCanonical;

  // Delivered data: series in the order first begun; a key begun again
  // appends to its series.
  std::vector<vitals::Series> series;
  std::unordered_map<std::string, std::size_t> series_index;
  static constexpr std::size_t kNoSeries = static_cast<std::size_t>(-1);
  std::size_t current_series = kNoSeries;

  // Streaming (a fetch with `writer` set): `series` is the open batch, handed
  // to `writer` whenever it holds `batch_limit` observations, and
  // `series_index` maps a key to its entry in `streamed`.
  struct StreamedSeries {
    const std::string* key;           // the key in series_index
    std::vector<std::int32_t> seen;   // packed periods delivered, ascending
    std::size_t slot;                 // its index in `series`, or kNoSeries
  };
  const vitals::detail::SeriesBatchWriter* writer = nullptr;
  std::size_t batch_limit = vitals::detail::kDefaultBatchPoints;
  std::size_t batch_points = 0;
  std::vector<StreamedSeries> streamed;
  std::vector<std::size_t> batch_series;  // the `streamed` entry of each of `series`
  std::size_t current_streamed = kNoSeries;
  // (streamed entry, period) of every observation repeating a period of its series.
  std::vector<std::pair<std::size_t, vitals::Period>> repeated_periods;
  vitals::Status writer_status;  // the first failure of `writer`

  // Delivered records (ABI 1.1), in the order ended. The open one is
  // `pending`; `pending_rejected` when it had a data error (it is dropped).
  std::vector<vitals::Record> records;
  bool record_open = false;
  bool pending_rejected = false;
  vitals::Record pending;
  // "kind\0key\0period" -> the line of its first record, to report repeats.
  std::unordered_map<std::string, std::int64_t> record_lines;
};

namespace vitals::detail {

/// The process-wide function table handed to every plugin's entry function.
const vitals_host_api& host_api();

/// Diagnostics one call records before it only counts the rest.
inline constexpr std::size_t kMaxDiagnosticsPerCall = 1000;
/// Longest key, name, period, code, file name or message (log, set_error,
/// report_problem) a plugin may pass. Every length is checked against its
/// limit before the host reads the text: a longer one fails the call (a
/// sink function returns non-zero; log and set_error record a notice
/// instead of the text), so a plugin that lies about a length cannot make
/// the host copy its memory.
inline constexpr std::size_t kMaxPluginNameBytes = std::size_t{4} * 1024;
/// Longest text value of a record field (record_text).
inline constexpr std::size_t kMaxPluginTextBytes = std::size_t{64} * 1024;

/// While alive, log lines a plugin writes with a NULL call (only allowed in
/// its entry function) go to `logger`, labelled with `label`.
class EntryLogScope {
 public:
  EntryLogScope(spdlog::logger& logger, std::string label);
  ~EntryLogScope();
  EntryLogScope(const EntryLogScope&) = delete;
  EntryLogScope& operator=(const EntryLogScope&) = delete;

 private:
  spdlog::logger* previous_logger_;
  std::string previous_label_;
};

/// Hands the open batch of a streaming call to its writer, then reopens the
/// open series (if any) in the new batch. False after the writer failed
/// (call.writer_status says why).
bool flush_batch(vitals_call& call);

/// "create", "describe", "fetch", "destroy" or "validate", for messages.
const char* phase_name(vitals_call::Phase phase);

/// "VITALS_ERROR_IO" etc., for messages.
const char* plugin_code_name(int code);

}  // namespace vitals::detail
