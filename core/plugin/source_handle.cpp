// SPDX-License-Identifier: Apache-2.0
#include "plugin/source_handle.hpp"

#include "plugin/host_api.hpp"
#include "plugin/isolation_protocol.hpp"
#include "plugin/plugin_process.hpp"
#include "plugin/source_config.hpp"

#include <algorithm>
#include <cstddef>
#include <exception>
#include <utility>

namespace vitals::detail {
namespace {

// The SDK's shims never let an exception out, but a plugin written against
// the bare C ABI might; unwinding into the host is still better caught here
// than allowed to terminate the process.
template <typename F>
int invoke(vitals_call& call, F&& body) noexcept {
  std::string what;
  try {
    return body();
  } catch (const std::exception& e) {
    what = e.what();
  } catch (...) {
    what = "an exception of unknown type";
  }
  try {
    call.abort_reason = "the plugin let an exception escape through the C ABI: " + what;
  } catch (...) {
  }
  return VITALS_ERROR;
}

// The message of a call that failed without (only) data problems.
std::string failure_message(const vitals_call& call, int rc) {
  const std::string prefix = call.plugin_name + ": ";
  if (!call.abort_reason.empty()) {
    return prefix + phase_name(call.phase) + " stopped: " + call.abort_reason;
  }
  if (call.error_set && !call.error_message.empty()) return prefix + call.error_message;
  if (rc == VITALS_OK)
    return prefix + phase_name(call.phase) + " returned VITALS_OK but no instance";
  return prefix + phase_name(call.phase) + " failed with " + plugin_code_name(rc) +
         " and no message";
}

Status data_error_status(const vitals_call& call) {
  std::string message = call.plugin_name + ": " + std::to_string(call.data_errors) +
                        (call.data_errors == 1 ? " error" : " errors") +
                        " in the data of source '" + call.source_name + "'";
  std::optional<SourceLocation> location;
  if (call.first_data_error) {
    const Diagnostic& first = *call.first_data_error;
    message += "; the first: ";
    if (first.location && !first.location->file.empty()) {
      message += first.location->to_string() + ": ";
    } else if (first.location && first.location->line > 0) {
      message += "row " + std::to_string(first.location->line) + ": ";
    }
    message += first.message;
    location = first.location;
  }
  return Status(StatusCode::kParseError, std::move(message), std::move(location));
}

// A safety net for plugins that do not check this themselves: one period
// twice in a series would make "the latest value" ambiguous.
void check_duplicate_periods(vitals_call& call) {
  std::vector<Period> periods;
  for (const Series& s : call.series) {
    periods.clear();
    for (const Observation& o : s.observations) periods.push_back(o.period);
    std::sort(periods.begin(), periods.end());
    for (std::size_t i = 1; i < periods.size(); ++i) {
      if (periods[i] != periods[i - 1] || (i >= 2 && periods[i - 2] == periods[i])) continue;
      Diagnostic d;
      d.code = "data.duplicate_period";
      d.message = "source '" + call.source_name + "': series '" + s.key +
                  "' has more than one observation for period " + periods[i].to_string();
      if (call.data_errors++ == 0) call.first_data_error = d;
      call.diagnostics.push_back(std::move(d));
    }
  }
}

// The same safety net for a streaming call, which noted each repeat as it came.
void report_repeated_periods(vitals_call& call) {
  auto& repeats = call.repeated_periods;
  std::sort(repeats.begin(), repeats.end());
  repeats.erase(std::unique(repeats.begin(), repeats.end()), repeats.end());
  for (const auto& [entry, period] : repeats) {
    Diagnostic d;
    d.code = "data.duplicate_period";
    d.message = "source '" + call.source_name + "': series '" + *call.streamed[entry].key +
                "' has more than one observation for period " + period.to_string();
    if (call.data_errors++ == 0) call.first_data_error = d;
    call.diagnostics.push_back(std::move(d));
  }
}

void append_dropped_note(const vitals_call& call, std::vector<Diagnostic>& out) {
  if (call.dropped_diagnostics == 0) return;
  out.push_back(Diagnostic::make(Severity::kWarning, "plugin.too_many_diagnostics",
                                 call.plugin_name + ": " +
                                     std::to_string(call.dropped_diagnostics) +
                                     " more diagnostics from source '" + call.source_name +
                                     "' were not recorded"));
}

std::optional<SourceLocation> where(const SourceDefinition& source) {
  if (source.location.file.empty()) return std::nullopt;
  return source.location;
}

// The parent's stand-in for an isolated plugin's instance (which lives in
// the plugin's process); never dereferenced.
void* isolated_instance() {
  static char token;
  return &token;
}

// A request without arguments for the plugin's process.
std::string request(isolation::Frame type) {
  std::string frame;
  isolation::FrameWriter w(frame, type);
  w.finish();
  return frame;
}

isolation::Frame request_of(vitals_call::Phase phase) {
  switch (phase) {
    case vitals_call::Phase::kCreate:
      return isolation::Frame::kCreate;
    case vitals_call::Phase::kDescribe:
      return isolation::Frame::kDescribe;
    case vitals_call::Phase::kFetch:
      return isolation::Frame::kFetch;
    case vitals_call::Phase::kValidate:
      return isolation::Frame::kValidate;
    case vitals_call::Phase::kDestroy:
      break;
  }
  return isolation::Frame::kDestroy;
}

// Starts the plugin's process and loads the plugin there (its entry's log
// lines are replayed as the loader's are in-process).
Result<std::unique_ptr<PluginProcess>> start_process(const PluginLibrary& library,
                                                     const ProcessSettings& settings,
                                                     vitals_call& call) {
  auto started = PluginProcess::start(settings.program, settings.timeout_s);
  if (!started.ok()) return started.status();
  std::string frame;
  isolation::FrameWriter w(frame, isolation::Frame::kLoad);
  w.text(library.path().string()).u8(settings.require_safe_permissions ? 1 : 0);
  w.finish();
  EntryLogScope log_scope(*call.logger, library.path().filename().string());
  int rc = (*started)->call(frame, call);
  if (rc != VITALS_OK) {
    return Status(StatusCode::kPluginError, failure_message(call, rc));
  }
  return std::move(started).value();
}

// The size of a descriptor that holds validate (ABI 1.2).
constexpr std::size_t kDescriptorV1_2Size =
    offsetof(vitals_plugin_descriptor, validate) + sizeof(vitals_plugin_descriptor::validate);

}  // namespace

Status validate_settings(const PluginLibrary& library, const SourceDefinition& source,
                         spdlog::logger& logger, std::vector<Diagnostic>& diagnostics,
                         const ProcessSettings* isolated) {
  const vitals_plugin_descriptor& d = library.descriptor();
  if (d.validate == nullptr) {
    const bool older = d.struct_size < kDescriptorV1_2Size;
    Diagnostic note = Diagnostic::make(
        Severity::kNote, "plugin.settings_unchecked",
        "the settings of source '" + source.name + "' are not checked before fetching: plugin '" +
            library.name() + "' " +
            (older ? "was built for plugin ABI 1.0 or 1.1, which has no validate function; "
                     "rebuild it with plugin SDK 1.2 or later to have them checked"
                   : "offers no validate function"),
        where(source));
    diagnostics.push_back(std::move(note));
    return Status::ok();
  }
  SourceConfig config(source);
  vitals_call call(vitals_call::Phase::kValidate, logger, library.name(), source.name);
  call.setting_locations = &source.setting_locations;
  int rc = VITALS_ERROR;
  if (isolated != nullptr) {
    auto started = start_process(library, *isolated, call);
    if (started.ok()) {
      rc = (*started)->call(config.request(isolation::Frame::kValidate), call);
    } else if (call.abort_reason.empty()) {
      call.abort_reason = started.status().message();
    }
  } else {
    rc = invoke(call, [&] { return d.validate(&call, config.get()); });
  }
  for (Diagnostic& diag : call.diagnostics) {
    if (!diag.location) diag.location = where(source);
    if (diag.code == "data.problem") diag.code = "source.bad_setting";
    diagnostics.push_back(std::move(diag));
  }
  append_dropped_note(call, diagnostics);
  if (!call.abort_reason.empty() || (rc != VITALS_OK && call.data_errors == 0)) {
    // Failed without saying which setting: report the plugin's message.
    std::string message = failure_message(call, rc);
    diagnostics.push_back(
        Diagnostic::make(Severity::kError, "source.bad_setting",
                         "source '" + source.name + "': " + message, where(source)));
    return Status(StatusCode::kPluginError, std::move(message), where(source));
  }
  if (rc != VITALS_OK || call.data_errors > 0) {
    return Status(StatusCode::kValidationError,
                  "the settings of source '" + source.name + "' have errors", where(source));
  }
  return Status::ok();
}

Result<std::unique_ptr<PluginSource>> PluginSource::create(
    std::shared_ptr<const PluginLibrary> library, const SourceDefinition& source,
    std::shared_ptr<spdlog::logger> logger, const ProcessSettings* isolated) {
  SourceConfig config(source);
  const vitals_plugin_descriptor& d = library->descriptor();
  vitals_call call(vitals_call::Phase::kCreate, *logger, library->name(), source.name);
  call.setting_locations = &source.setting_locations;
  void* instance = nullptr;
  std::unique_ptr<PluginProcess> process;
  int rc = VITALS_ERROR;
  if (isolated != nullptr) {
    auto started = start_process(*library, *isolated, call);
    if (!started.ok()) {
      logger->warn("source '{}': {}", source.name, started.status().message());
      return Status(StatusCode::kPluginError, started.status().message(), where(source));
    }
    process = std::move(started).value();
    // The whole configuration, as the plugin receives it in-process.
    bool has_instance = false;
    rc = process->call(config.request(isolation::Frame::kCreate), call, &has_instance);
    if (has_instance) instance = isolated_instance();
  } else {
    rc = invoke(call, [&] { return d.create(&call, config.get(), &instance); });
  }

  bool failed =
      rc != VITALS_OK || instance == nullptr || !call.abort_reason.empty() || call.data_errors > 0;
  if (failed) {
    if (instance != nullptr) {
      // It handed out an instance yet failed: give it back.
      vitals_call cleanup(vitals_call::Phase::kDestroy, *logger, library->name(), source.name);
      if (process) {
        process->call(request(isolation::Frame::kDestroy), cleanup);
      } else {
        invoke(cleanup, [&] { return d.destroy(instance, &cleanup); });
      }
    }
    std::string message = call.data_errors > 0 && call.abort_reason.empty()
                              ? data_error_status(call).message()
                              : failure_message(call, rc);
    for (const Diagnostic& diag : call.diagnostics) logger->warn("{}", diag.to_string());
    logger->warn("source '{}': {}", source.name, message);
    return Status(StatusCode::kPluginError, std::move(message), where(source));
  }
  logger->debug("source '{}': created by {}", source.name, library->label());
  std::vector<Diagnostic> pending = std::move(call.diagnostics);
  append_dropped_note(call, pending);
  std::unique_ptr<PluginSource> created(new PluginSource(std::move(library), source.name,
                                                         std::move(logger), instance,
                                                         std::move(pending), std::move(process)));
  created->period_form_ = source.period_form;
  return created;
}

PluginSource::PluginSource(std::shared_ptr<const PluginLibrary> library, std::string source_name,
                           std::shared_ptr<spdlog::logger> logger, void* instance,
                           std::vector<Diagnostic> pending, std::unique_ptr<PluginProcess> process)
    : library_(std::move(library)),
      source_name_(std::move(source_name)),
      logger_(std::move(logger)),
      instance_(instance),
      pending_(std::move(pending)),
      process_(std::move(process)) {}

PluginSource::~PluginSource() {
  if (closed_) return;
  try {
    std::vector<Diagnostic> ignored;
    close(ignored);
  } catch (...) {
  }
}

int PluginSource::run(vitals_call& call) {
  call.period_form = period_form_;
  if (process_) return process_->call(request(request_of(call.phase)), call);
  const vitals_plugin_descriptor& d = library_->descriptor();
  return invoke(call, [&] {
    switch (call.phase) {
      case vitals_call::Phase::kDescribe:
        return d.describe(instance_, &call);
      case vitals_call::Phase::kFetch:
        return d.fetch(instance_, &call);
      case vitals_call::Phase::kDestroy:
        return d.destroy(instance_, &call);
      case vitals_call::Phase::kCreate:
      case vitals_call::Phase::kValidate:
        break;  // not calls on an instance: create() and validate() make their own
    }
    return VITALS_ERROR;
  });
}

void PluginSource::close(std::vector<Diagnostic>& diagnostics) {
  if (closed_) return;
  closed_ = true;
  if (process_ && !process_->alive()) {
    // Its process has gone, and the instance with it; the failure was reported.
    process_.reset();
    return;
  }
  vitals_call call(vitals_call::Phase::kDestroy, *logger_, library_->name(), source_name_);
  int rc = run(call);
  process_.reset();
  for (Diagnostic& d : call.diagnostics) {
    d.severity = Severity::kWarning;
    diagnostics.push_back(std::move(d));
  }
  if (rc != VITALS_OK || !call.abort_reason.empty()) {
    logger_->warn("source '{}': {}", source_name_, failure_message(call, rc));
  }
}

Status PluginSource::finish_fetch(vitals_call& call, int rc, FetchOutput& out) {
  Status status;
  if (!call.writer_status.is_ok()) {
    status = call.writer_status;
  } else if (!call.abort_reason.empty() || (rc != VITALS_OK && call.data_errors == 0)) {
    status = Status(StatusCode::kPluginError, failure_message(call, rc));
  } else {
    if (call.data_errors == 0) {
      if (call.writer != nullptr) {
        report_repeated_periods(call);
      } else {
        check_duplicate_periods(call);
      }
    }
    if (call.data_errors > 0) status = data_error_status(call);
  }

  out.diagnostics.insert(out.diagnostics.end(), std::make_move_iterator(pending_.begin()),
                         std::make_move_iterator(pending_.end()));
  pending_.clear();
  out.diagnostics.insert(out.diagnostics.end(), std::make_move_iterator(call.diagnostics.begin()),
                         std::make_move_iterator(call.diagnostics.end()));
  call.diagnostics.clear();
  append_dropped_note(call, out.diagnostics);
  if (!status.is_ok()) logger_->debug("source '{}': {}", source_name_, status.to_string());
  return status;
}

Status PluginSource::fetch(FetchOutput& out) {
  vitals_call call(vitals_call::Phase::kFetch, *logger_, library_->name(), source_name_);
  int rc = run(call);
  Status status = finish_fetch(call, rc, out);
  if (!status.is_ok()) return status;
  std::size_t points = 0;
  for (Series& s : call.series) {
    points += s.observations.size();
    out.series.push_back(std::move(s));
  }
  out.series_count += call.series.size();
  out.records.insert(out.records.end(), std::make_move_iterator(call.records.begin()),
                     std::make_move_iterator(call.records.end()));
  logger_->debug("source '{}': fetched {} series, {} observations, {} records", source_name_,
                 call.series.size(), points, call.records.size());
  return status;
}

Status PluginSource::fetch_streamed(FetchOutput& out, const SeriesBatchWriter& write,
                                    std::size_t batch_points) {
  vitals_call call(vitals_call::Phase::kFetch, *logger_, library_->name(), source_name_);
  call.writer = &write;
  call.batch_limit = std::max<std::size_t>(batch_points, 1);
  int rc = run(call);
  Status status = finish_fetch(call, rc, out);
  if (!status.is_ok()) return status;
  // The last, partial batch.
  call.current_series = vitals_call::kNoSeries;
  call.current_streamed = vitals_call::kNoSeries;
  if (!call.series.empty() && !flush_batch(call)) {
    logger_->debug("source '{}': {}", source_name_, call.writer_status.to_string());
    return call.writer_status;
  }
  out.series_count += call.streamed.size();
  out.records.insert(out.records.end(), std::make_move_iterator(call.records.begin()),
                     std::make_move_iterator(call.records.end()));
  logger_->debug("source '{}': fetched {} series in batches, {} records", source_name_,
                 call.streamed.size(), call.records.size());
  return status;
}

Status PluginSource::describe(std::vector<std::string>& keys,
                              std::vector<Diagnostic>& diagnostics) {
  if (!library_->has_describe()) {
    return Status(StatusCode::kNotFound,
                  library_->name() + ": the plugin cannot describe its series without fetching");
  }
  vitals_call call(vitals_call::Phase::kDescribe, *logger_, library_->name(), source_name_);
  int rc = run(call);

  Status status;
  if (!call.abort_reason.empty() || (rc != VITALS_OK && call.data_errors == 0)) {
    status = Status(StatusCode::kPluginError, failure_message(call, rc));
  } else if (call.data_errors > 0) {
    status = data_error_status(call);
  }
  diagnostics.insert(diagnostics.end(), std::make_move_iterator(call.diagnostics.begin()),
                     std::make_move_iterator(call.diagnostics.end()));
  append_dropped_note(call, diagnostics);
  if (status.is_ok()) {
    for (const Series& s : call.series) keys.push_back(s.key);
  }
  return status;
}

}  // namespace vitals::detail
