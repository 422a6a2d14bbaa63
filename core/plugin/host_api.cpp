// SPDX-License-Identifier: Apache-2.0
#include "plugin/host_api.hpp"
#include "common/period_codes.hpp"

#include <vitals/period.hpp>
#include <vitals/version.hpp>

#include "common/record_fields.hpp"
#include "common/user_text.hpp"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstddef>
#include <initializer_list>
#include <optional>
#include <utility>

vitals_call::vitals_call(Phase phase_in, spdlog::logger& logger_in, std::string plugin_name_in,
                         std::string source_name_in)
    : phase(phase_in),
      logger(&logger_in),
      plugin_name(std::move(plugin_name_in)),
      source_name(std::move(source_name_in)) {}

namespace vitals::detail {
namespace {

// Where log lines written with a NULL call go (the entry function only).
thread_local spdlog::logger* t_entry_logger = nullptr;
thread_local std::string t_entry_label;

// Every function below is called from plugin code through C function
// pointers, so none may let an exception escape: each catches everything
// and reports failure through its return value or the call's abort_reason.

// A text the plugin passes. REQUIRES: `len` was checked against its limit
// (fits() / abort_if_too_long()) before this reads a byte of it.
std::string_view text_view(const char* data, std::size_t len) {
  if (data == nullptr) return {};
  return std::string_view(data, len);
}

// Lengths are checked before anything is read: a plugin that passes a short
// string with a long length must not make the host copy its memory.
bool fits(const char* data, std::size_t len, std::size_t limit) {
  return data == nullptr || len <= limit;
}

std::string too_long(const char* function, const char* what, std::size_t len, std::size_t limit) {
  return std::string(function) + " was passed " + what + " of " + std::to_string(len) +
         " bytes, over the limit of " + std::to_string(limit) + " bytes";
}

int clamp_int(std::int64_t v) {
  if (v < 0) return 0;
  return v > INT_MAX ? INT_MAX : static_cast<int>(v);
}

int abort_call(vitals_call* call, std::string reason) {
  if (call != nullptr && call->abort_reason.empty()) call->abort_reason = std::move(reason);
  return VITALS_ERROR_ABORTED;
}

// One text argument of a host function and its limit.
struct TextArg {
  const char* what;
  const char* data;
  std::size_t len;
  std::size_t limit = kMaxPluginNameBytes;
};

// Aborts the call (true) when any of `args` is longer than its limit.
bool abort_if_too_long(vitals_call* call, const char* function,
                       std::initializer_list<TextArg> args) {
  for (const TextArg& a : args) {
    if (!fits(a.data, a.len, a.limit)) {
      abort_call(call, too_long(function, a.what, a.len, a.limit));
      return true;
    }
  }
  return false;
}

void record(vitals_call& call, Diagnostic diagnostic, bool is_data_error) {
  if (is_data_error && call.data_errors++ == 0) call.first_data_error = diagnostic;
  if (call.diagnostics.size() >= kMaxDiagnosticsPerCall) {
    ++call.dropped_diagnostics;
    return;
  }
  call.diagnostics.push_back(std::move(diagnostic));
}

// A plugin's message, code or file name as the host keeps it: whatever a
// reader cannot see (a no-break space, a control character, a byte that is
// not UTF-8) is shown as an escape.
std::string plugin_text(const char* data, std::size_t len) {
  return visible_text(text_view(data, len));
}

std::optional<SourceLocation> make_location(const char* file, std::size_t file_len,
                                            std::int64_t line, std::int64_t column) {
  std::string_view f = text_view(file, file_len);
  if (f.empty() && line <= 0) return std::nullopt;
  return SourceLocation{plugin_text(file, file_len), clamp_int(line), clamp_int(column)};
}

// Why data text from a plugin cannot be kept as it is, or "" when it can.
std::string bad_text(std::string_view text) {
  const std::size_t at = invalid_utf8_offset(text);
  if (at == std::string_view::npos) return {};
  return " is not valid UTF-8 (byte " + std::to_string(at + 1) +
         "); set the source's encoding, or save the file as UTF-8";
}

spdlog::level::level_enum to_level(int level) {
  switch (level) {
    case VITALS_LOG_TRACE:
      return spdlog::level::trace;
    case VITALS_LOG_DEBUG:
      return spdlog::level::debug;
    case VITALS_LOG_INFO:
      return spdlog::level::info;
    case VITALS_LOG_WARNING:
      return spdlog::level::warn;
    default:
      return spdlog::level::err;
  }
}

void host_log(vitals_call* call, int level, const char* message, std::size_t len) noexcept {
  try {
    std::string text;
    if (!fits(message, len, kMaxPluginNameBytes)) {
      text = "(" + too_long("log", "a line", len, kMaxPluginNameBytes) + "; it was not read)";
    } else {
      text = plugin_text(message, len);
    }
    spdlog::logger* logger = call != nullptr ? call->logger : t_entry_logger;
    const std::string& label = call != nullptr ? call->plugin_name : t_entry_label;
    if (logger != nullptr) logger->log(to_level(level), "plugin {}: {}", label, text);
    if (call != nullptr && level >= VITALS_LOG_WARNING) {
      Diagnostic d;
      d.severity = level >= VITALS_LOG_ERROR ? Severity::kError : Severity::kWarning;
      d.code = "plugin.log";
      d.message = call->plugin_name + ": " + text;
      record(*call, std::move(d), false);
    }
  } catch (...) {
    // A log line is not worth failing the plugin's call for.
  }
}

void host_set_error(vitals_call* call, int code, const char* message, std::size_t len) noexcept {
  if (call == nullptr) return;
  try {
    call->error_set = true;
    call->error_code = code;
    if (fits(message, len, kMaxPluginNameBytes)) {
      call->error_message = plugin_text(message, len);
    } else {
      call->error_message =
          "(" + too_long("set_error", "a message", len, kMaxPluginNameBytes) + "; it was not read)";
    }
  } catch (...) {
    call->error_message.clear();
  }
}

// A streaming call's open series may have no entry in the current batch yet
// (it gets one with its next point).
bool series_open(const vitals_call& call) {
  return call.current_series != vitals_call::kNoSeries ||
         call.current_streamed != vitals_call::kNoSeries;
}

const std::string& open_key(const vitals_call& call) {
  if (call.current_streamed != vitals_call::kNoSeries) {
    return *call.streamed[call.current_streamed].key;
  }
  return call.series[call.current_series].key;
}

int host_begin_series(vitals_call* call, const char* key, std::size_t len) noexcept {
  if (call == nullptr) return VITALS_ERROR_ABORTED;
  try {
    if (call->phase != vitals_call::Phase::kFetch && call->phase != vitals_call::Phase::kDescribe) {
      return abort_call(call, std::string("begin_series called during ") + phase_name(call->phase));
    }
    if (abort_if_too_long(call, "begin_series", {{"a key", key, len}})) {
      return VITALS_ERROR_ABORTED;
    }
    std::string_view k = text_view(key, len);
    if (series_open(*call)) {
      return abort_call(call, "begin_series(" + quote_user_text(k) + ") called while series '" +
                                  open_key(*call) + "' is still open");
    }
    if (k.empty()) return abort_call(call, "begin_series called with an empty key");
    if (!call->writer_status.is_ok()) return VITALS_ERROR_ABORTED;
    std::string owned(k);
    if (std::string why = bad_text(k); !why.empty()) {
      // The fetch fails; the key is kept repaired so that its points are
      // still checked.
      record(*call,
             Diagnostic::make(Severity::kError, "data.bad_encoding",
                              "series key " + quote_user_text(k) + why, std::nullopt),
             true);
      owned = replace_invalid_utf8(k);
    }
    if (call->writer != nullptr) {
      auto [it, inserted] = call->series_index.try_emplace(std::move(owned), call->streamed.size());
      if (inserted) {
        call->streamed.push_back(
            vitals_call::StreamedSeries{&it->first, {}, vitals_call::kNoSeries});
      }
      vitals_call::StreamedSeries& entry = call->streamed[it->second];
      if (entry.slot == vitals_call::kNoSeries) {
        entry.slot = call->series.size();
        call->series.push_back(Series{it->first, {}});
        call->batch_series.push_back(it->second);
      }
      call->current_series = entry.slot;
      call->current_streamed = it->second;
      return 0;
    }
    auto [it, inserted] = call->series_index.try_emplace(owned, call->series.size());
    if (inserted) call->series.push_back(Series{std::move(owned), {}});
    call->current_series = it->second;
    return 0;
  } catch (const std::exception& e) {
    return abort_call(call, std::string("the host could not store a series: ") + e.what());
  }
}

int host_end_series(vitals_call* call) noexcept {
  if (call == nullptr) return VITALS_ERROR_ABORTED;
  if (!series_open(*call)) {
    return abort_call(call, "end_series called with no series open");
  }
  call->current_series = vitals_call::kNoSeries;
  call->current_streamed = vitals_call::kNoSeries;
  return 0;
}

// A streaming call keeps an observation: checks its period is new to its
// series, and hands the batch on when it is full. Nothing more is kept once
// the fetch is bound to fail (data errors, a repeated period, a writer error).
int stream_point(vitals_call& call, const Observation& obs) {
  vitals_call::StreamedSeries& entry = call.streamed[call.current_streamed];
  if (!add_period_code(entry.seen, period_code(obs.period))) {
    call.repeated_periods.emplace_back(call.current_streamed, obs.period);
  }
  if (call.data_errors > 0 || !call.repeated_periods.empty()) return 0;
  if (entry.slot == vitals_call::kNoSeries) {
    entry.slot = call.series.size();
    call.series.push_back(Series{*entry.key, {}});
    call.batch_series.push_back(call.current_streamed);
    call.current_series = entry.slot;
  }
  call.series[call.current_series].observations.push_back(obs);
  if (++call.batch_points >= call.batch_limit && !flush_batch(call)) return VITALS_ERROR_ABORTED;
  return 0;
}

constexpr std::size_t kPointV1Size = offsetof(vitals_point, field_len) + sizeof(std::size_t);
constexpr std::size_t kPointMinSize = offsetof(vitals_point, target) + sizeof(double);

void reject_point(vitals_call& call, const vitals_point& p, std::string message, std::string code,
                  bool located) {
  Diagnostic d;
  d.code = std::move(code);
  if (located) d.location = make_location(p.file, p.file_len, p.line, p.column);
  if (!d.location) {
    message = "series '" + open_key(call) + "': " + message;
  }
  d.message = std::move(message);
  record(call, std::move(d), true);
}

int host_push_point(vitals_call* call, const vitals_point* point) noexcept {
  if (call == nullptr) return VITALS_ERROR_ABORTED;
  try {
    if (point == nullptr || point->struct_size < kPointMinSize) {
      return abort_call(call, "push_point called with a missing or too small vitals_point");
    }
    if (call->phase != vitals_call::Phase::kFetch) {
      return abort_call(call, std::string("push_point called during ") + phase_name(call->phase));
    }
    if (!series_open(*call)) {
      return abort_call(call, "push_point called with no series open");
    }
    if (!call->writer_status.is_ok()) return VITALS_ERROR_ABORTED;
    // Location fields exist only in points as large as ABI 1.0's.
    vitals_point p{};
    p.struct_size = point->struct_size;
    p.period = point->period;
    p.period_len = point->period_len;
    p.flags = point->flags;
    p.value = point->value;
    p.numerator = point->numerator;
    p.denominator = point->denominator;
    p.target = point->target;
    bool located = point->struct_size >= kPointV1Size;
    if (located) {
      p.file = point->file;
      p.file_len = point->file_len;
      p.line = point->line;
      p.column = point->column;
      p.field = point->field;
      p.field_len = point->field_len;
    }

    if (abort_if_too_long(call, "push_point",
                          {{"a period", p.period, p.period_len},
                           {"a file name", p.file, p.file_len},
                           {"a field name", p.field, p.field_len}})) {
      return VITALS_ERROR_ABORTED;
    }
    std::string_view period_text = text_view(p.period, p.period_len);
    std::string_view field = text_view(p.field, p.field_len);
    Result<Period> period = parse_period_in_form(period_text, call->period_form);
    if (!period.ok()) {
      std::string where = field.empty() ? "" : " in column " + quote_user_text(field);
      reject_point(*call, p, "bad period" + where + ": " + period.status().message(),
                   "data.bad_period", located);
      return 0;
    }

    Observation obs;
    obs.period = *period;
    struct Number {
      unsigned flag;
      double v;
      std::optional<double>* out;
      const char* name;
    };
    const Number numbers[] = {
        {VITALS_POINT_HAS_VALUE, p.value, &obs.value, "value"},
        {VITALS_POINT_HAS_NUMERATOR, p.numerator, &obs.numerator, "numerator"},
        {VITALS_POINT_HAS_DENOMINATOR, p.denominator, &obs.denominator, "denominator"},
        {VITALS_POINT_HAS_TARGET, p.target, &obs.target, "target"}};
    for (const Number& n : numbers) {
      if ((p.flags & n.flag) == 0) continue;
      if (!std::isfinite(n.v)) {
        reject_point(*call, p,
                     std::string("the ") + n.name + " for period " + period->to_string() +
                         " is not a finite number",
                     "data.bad_value", located);
        return 0;
      }
      *n.out = n.v;
    }
    if (call->writer != nullptr) return stream_point(*call, obs);
    // Data from a call with errors is never used, so stop holding it.
    if (call->data_errors == 0) {
      call->series[call->current_series].observations.push_back(obs);
    }
    return 0;
  } catch (const std::exception& e) {
    return abort_call(call, std::string("the host could not store a point: ") + e.what());
  }
}

constexpr std::size_t kProblemMinSize = offsetof(vitals_problem, column) + sizeof(std::int64_t);
constexpr std::size_t kProblemV2Size = offsetof(vitals_problem, setting_len) + sizeof(std::size_t);

int host_report_problem(vitals_call* call, const vitals_problem* problem) noexcept {
  if (call == nullptr) return VITALS_ERROR_ABORTED;
  try {
    if (problem == nullptr || problem->struct_size < kProblemMinSize) {
      return abort_call(call, "report_problem called with a missing or too small vitals_problem");
    }
    if (abort_if_too_long(call, "report_problem",
                          {{"a code", problem->code, problem->code_len},
                           {"a message", problem->message, problem->message_len},
                           {"a file name", problem->file, problem->file_len}})) {
      return VITALS_ERROR_ABORTED;
    }
    Diagnostic d;
    switch (problem->severity) {
      case VITALS_SEVERITY_WARNING:
        d.severity = Severity::kWarning;
        break;
      case VITALS_SEVERITY_NOTE:
        d.severity = Severity::kNote;
        break;
      default:
        d.severity = Severity::kError;
        break;
    }
    std::string_view code = text_view(problem->code, problem->code_len);
    d.code = code.empty() ? "data.problem" : visible_text(code.substr(0, 64));
    d.message = plugin_text(problem->message, problem->message_len);
    if (d.message.empty()) d.message = call->plugin_name + " reported a problem without a message";
    d.location = make_location(problem->file, problem->file_len, problem->line, problem->column);
    if (problem->struct_size >= kProblemV2Size && problem->setting != nullptr &&
        call->setting_locations != nullptr) {
      // ABI 1.2: about a setting, located where the catalogue writes it.
      const std::string setting(text_view(problem->setting, problem->setting_len));
      if (auto it = call->setting_locations->find(setting); it != call->setting_locations->end()) {
        d.location = it->second;
      }
    }
    record(
        *call, std::move(d),
        problem->severity != VITALS_SEVERITY_WARNING && problem->severity != VITALS_SEVERITY_NOTE);
    return 0;
  } catch (const std::exception& e) {
    return abort_call(call, std::string("the host could not store a problem: ") + e.what());
  }
}

constexpr std::size_t kRecordMinSize = offsetof(vitals_record, line) + sizeof(std::int64_t);

// A data error of the open record: reported at the record's location, and
// the record is dropped when it ends.
void reject_record(vitals_call& call, std::string message, std::string code) {
  call.pending_rejected = true;
  record(call,
         Diagnostic::make(Severity::kError, std::move(code), std::move(message),
                          call.pending.location),
         true);
}

std::string record_label(const Record& r) { return r.kind + " " + quote_user_text(r.key); }

int host_begin_record(vitals_call* call, const vitals_record* rec) noexcept {
  if (call == nullptr) return VITALS_ERROR_ABORTED;
  try {
    if (rec == nullptr || rec->struct_size < kRecordMinSize) {
      return abort_call(call, "begin_record called with a missing or too small vitals_record");
    }
    if (call->phase != vitals_call::Phase::kFetch) {
      return abort_call(call, std::string("begin_record called during ") + phase_name(call->phase));
    }
    if (call->record_open) {
      return abort_call(call, "begin_record called while " + record_label(call->pending) +
                                  " is still open");
    }
    if (series_open(*call)) {
      return abort_call(call, "begin_record called while series '" + open_key(*call) +
                                  "' is still open");
    }
    if (abort_if_too_long(call, "begin_record",
                          {{"a kind", rec->kind, rec->kind_len},
                           {"a key", rec->key, rec->key_len},
                           {"a period", rec->period, rec->period_len},
                           {"a file name", rec->file, rec->file_len}})) {
      return VITALS_ERROR_ABORTED;
    }
    std::string_view kind = text_view(rec->kind, rec->kind_len);
    std::string_view key = text_view(rec->key, rec->key_len);
    if (kind.empty()) return abort_call(call, "begin_record called with an empty kind");
    if (key.empty()) return abort_call(call, "begin_record called with an empty key");

    call->record_open = true;
    call->pending_rejected = false;
    call->pending = Record{};
    call->pending.kind.assign(kind);
    call->pending.key.assign(key);
    call->pending.location = make_location(rec->file, rec->file_len, rec->line, 0);
    for (std::string* text : {&call->pending.kind, &call->pending.key}) {
      if (std::string why = bad_text(*text); !why.empty()) {
        reject_record(*call, "record " + quote_user_text(*text) + why, "data.bad_encoding");
        *text = replace_invalid_utf8(*text);
      }
    }
    std::string_view period_text = text_view(rec->period, rec->period_len);
    Result<Period> period = parse_period_in_form(period_text, call->period_form);
    if (!period.ok()) {
      reject_record(*call,
                    "bad period for " + record_label(call->pending) + ": " +
                        period.status().message(),
                    "data.bad_period");
      return 0;
    }
    call->pending.period = *period;
    std::string id = call->pending.kind + '\0' + call->pending.key + '\0' + period->to_string();
    std::int64_t line = call->pending.location ? call->pending.location->line : 0;
    auto [first, inserted] = call->record_lines.try_emplace(std::move(id), line);
    if (!inserted) {
      reject_record(*call,
                    record_label(call->pending) + " for " + period->to_string() +
                        " is delivered more than once" +
                        (first->second > 0 ? " (first on row " + std::to_string(first->second) + ")"
                                           : std::string()),
                    "data.duplicate_record");
    }
    return 0;
  } catch (const std::exception& e) {
    return abort_call(call, std::string("the host could not store a record: ") + e.what());
  }
}

// Checks what every field call needs; returns the field name, or nullopt
// after aborting the call.
std::optional<std::string> field_name(vitals_call* call, const char* name, std::size_t len,
                                      const char* function) {
  if (!call->record_open) {
    abort_call(call, std::string(function) + " called with no record open");
    return std::nullopt;
  }
  if (abort_if_too_long(call, function, {{"a field name", name, len}})) return std::nullopt;
  std::string_view n = text_view(name, len);
  if (n.empty()) {
    abort_call(call, std::string(function) + " called with an empty field name");
    return std::nullopt;
  }
  if (!is_valid_utf8(n) || needs_printable(n)) {
    abort_call(call, std::string(function) + " called with the field name " + quote_user_text(n) +
                         ", which is not printable UTF-8");
    return std::nullopt;
  }
  return std::string(n);
}

int host_record_text(vitals_call* call, const char* name, std::size_t name_len, const char* value,
                     std::size_t value_len) noexcept {
  if (call == nullptr) return VITALS_ERROR_ABORTED;
  try {
    auto field = field_name(call, name, name_len, "record_text");
    if (!field) return VITALS_ERROR_ABORTED;
    if (abort_if_too_long(call, "record_text",
                          {{"a value", value, value_len, kMaxPluginTextBytes}})) {
      return VITALS_ERROR_ABORTED;
    }
    std::string_view text = text_view(value, value_len);
    if (std::string why = bad_text(text); !why.empty()) {
      reject_record(*call,
                    "the " + visible_text(*field) + " of " + record_label(call->pending) + why,
                    "data.bad_encoding");
      return 0;
    }
    if (!call->pending_rejected) {
      call->pending.fields[*field] = std::string(text);
    }
    return 0;
  } catch (const std::exception& e) {
    return abort_call(call, std::string("the host could not store a field: ") + e.what());
  }
}

int host_record_number(vitals_call* call, const char* name, std::size_t name_len,
                       double value) noexcept {
  if (call == nullptr) return VITALS_ERROR_ABORTED;
  try {
    auto field = field_name(call, name, name_len, "record_number");
    if (!field) return VITALS_ERROR_ABORTED;
    if (!std::isfinite(value)) {
      reject_record(*call,
                    "the " + *field + " of " + record_label(call->pending) +
                        " is not a finite number",
                    "data.bad_value");
      return 0;
    }
    if (!call->pending_rejected) call->pending.fields[*field] = value;
    return 0;
  } catch (const std::exception& e) {
    return abort_call(call, std::string("the host could not store a field: ") + e.what());
  }
}

int host_end_record(vitals_call* call) noexcept {
  if (call == nullptr) return VITALS_ERROR_ABORTED;
  try {
    if (!call->record_open) return abort_call(call, "end_record called with no record open");
    call->record_open = false;
    if (!call->pending_rejected) {
      // The same checks as records pushed by an embedding program.
      if (Status valid = validate_record(call->pending); !valid.is_ok()) {
        reject_record(*call, valid.message(), "data.bad_record");
      }
    }
    // Data from a call with errors is never used, so stop holding it.
    if (!call->pending_rejected && call->data_errors == 0) {
      call->records.push_back(std::move(call->pending));
    }
    call->pending = Record{};
    return 0;
  } catch (const std::exception& e) {
    return abort_call(call, std::string("the host could not store a record: ") + e.what());
  }
}

const vitals_host_api kHostApi = {
    sizeof(vitals_host_api),
    VITALS_PLUGIN_ABI_MAJOR,
    VITALS_PLUGIN_ABI_MINOR,
    VITALS_VERSION_STRING,
    &host_log,
    &host_set_error,
    &host_begin_series,
    &host_push_point,
    &host_end_series,
    &host_report_problem,
    &host_begin_record,
    &host_record_text,
    &host_record_number,
    &host_end_record,
};

}  // namespace

const vitals_host_api& host_api() { return kHostApi; }

bool flush_batch(vitals_call& call) {
  if (!call.writer_status.is_ok()) return false;
  for (std::size_t n : call.batch_series) call.streamed[n].slot = vitals_call::kNoSeries;
  std::vector<Series> batch = std::move(call.series);
  call.series.clear();
  call.batch_series.clear();
  call.batch_points = 0;
  try {
    Status written = (*call.writer)(std::move(batch));
    if (!written.is_ok()) call.writer_status = std::move(written);
  } catch (const std::exception& e) {
    call.writer_status =
        Status(StatusCode::kInternal, std::string("storing a batch failed: ") + e.what());
  }
  // The open series (if any) continues in the next batch with its next point.
  call.current_series = vitals_call::kNoSeries;
  return call.writer_status.is_ok();
}

const char* phase_name(vitals_call::Phase phase) {
  switch (phase) {
    case vitals_call::Phase::kCreate:
      return "create";
    case vitals_call::Phase::kDescribe:
      return "describe";
    case vitals_call::Phase::kFetch:
      return "fetch";
    case vitals_call::Phase::kDestroy:
      return "destroy";
    case vitals_call::Phase::kValidate:
      return "validate";
  }
  return "call";
}

EntryLogScope::EntryLogScope(spdlog::logger& logger, std::string label)
    : previous_logger_(t_entry_logger), previous_label_(std::move(t_entry_label)) {
  t_entry_logger = &logger;
  t_entry_label = std::move(label);
}

EntryLogScope::~EntryLogScope() {
  t_entry_logger = previous_logger_;
  t_entry_label = std::move(previous_label_);
}

const char* plugin_code_name(int code) {
  switch (code) {
    case VITALS_OK:
      return "VITALS_OK";
    case VITALS_ERROR:
      return "VITALS_ERROR";
    case VITALS_ERROR_CONFIG:
      return "VITALS_ERROR_CONFIG";
    case VITALS_ERROR_IO:
      return "VITALS_ERROR_IO";
    case VITALS_ERROR_DATA:
      return "VITALS_ERROR_DATA";
    case VITALS_ERROR_NOMEM:
      return "VITALS_ERROR_NOMEM";
    case VITALS_ERROR_ABORTED:
      return "VITALS_ERROR_ABORTED";
    default:
      return "an unknown code";
  }
}

}  // namespace vitals::detail
