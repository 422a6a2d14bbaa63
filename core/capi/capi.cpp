// SPDX-License-Identifier: Apache-2.0
// The C API (include/vitals/vitals.h): thin shims over the C++ API. Every
// entry point catches everything, so no exception crosses into C, Python or .NET.
#include <vitals/vitals.h>

#include <vitals/engine.hpp>
#include <vitals/report.hpp>
#include <vitals/version.hpp>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/json_text.hpp"

struct vitals_options {
  vitals::EngineOptions options;
};

struct vitals_engine {
  explicit vitals_engine(vitals::Engine e) : engine(std::move(e)) {}
  vitals::Engine engine;
  bool has_catalogue = false;  // the last load_catalogue succeeded
};

struct vitals_batch {
  std::vector<vitals::Series> series;
  std::unordered_map<std::string, std::size_t> by_key;  // index into `series`
};

struct vitals_report {
  vitals::EvaluationReport report;
};

namespace {

using vitals::Status;
using vitals::StatusCode;

thread_local std::string last_error;

vitals_status fail(vitals_status code, std::string message) {
  last_error = std::move(message);
  return code;
}

vitals_status fail(const Status& status) {
  return fail(static_cast<vitals_status>(status.code()), status.to_string());
}

vitals_status ok() {
  last_error.clear();
  return VITALS_OK;
}

// Runs `body` (returning vitals_status) with the C boundary's guarantees.
template <typename F>
vitals_status guarded(F&& body) {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return fail(VITALS_INTERNAL, "out of memory");
  } catch (const std::exception& e) {
    return fail(VITALS_INTERNAL, std::string("internal error: ") + e.what());
  } catch (...) {
    return fail(VITALS_INTERNAL, "internal error");
  }
}

vitals_status no_catalogue() {
  return fail(VITALS_INVALID_ARGUMENT,
              "no catalogue is loaded: call vitals_engine_load_catalogue() first");
}

bool missing(const void* p, const char* what, vitals_status& status) {
  if (p != nullptr) return false;
  status = fail(VITALS_INVALID_ARGUMENT, std::string(what) + " must not be NULL");
  return true;
}

// A copy of `text` the caller frees with vitals_free().
char* give(std::string_view text) {
  char* out = static_cast<char*>(std::malloc(text.size() + 1));
  if (out == nullptr) throw std::bad_alloc();
  std::memcpy(out, text.data(), text.size());
  out[text.size()] = '\0';
  return out;
}

vitals_status hand_out(std::string_view text, char** out) {
  if (out == nullptr) return fail(VITALS_INVALID_ARGUMENT, "the output pointer must not be NULL");
  *out = give(text);
  return ok();
}

std::optional<long long> whole_number(const char* text) {
  if (text == nullptr || *text == '\0') return std::nullopt;
  char* end = nullptr;
  long long v = std::strtoll(text, &end, 10);
  if (*end != '\0' || v < 0) return std::nullopt;
  return v;
}

std::string json_string(std::string_view text) { return vitals::detail::json_quote(text); }

void append_diagnostics(std::string& out, const std::vector<vitals::Diagnostic>& diagnostics) {
  out += '[';
  bool first = true;
  for (const vitals::Diagnostic& d : diagnostics) {
    if (!first) out += ',';
    first = false;
    out += "{\"severity\":" + json_string(vitals::severity_name(d.severity));
    out += ",\"code\":" + json_string(d.code);
    out += ",\"message\":" + json_string(d.message);
    if (d.location) {
      out += ",\"file\":" + json_string(d.location->file);
      out += ",\"line\":" + std::to_string(d.location->line);
      out += ",\"column\":" + std::to_string(d.location->column);
    } else {
      out += ",\"file\":null,\"line\":0,\"column\":0";
    }
    out += ",\"indicator_id\":" + json_string(d.indicator_id);
    out += ",\"rule_id\":" + json_string(d.rule_id) + "}";
  }
  out += ']';
}

std::string summary_json(const vitals::IngestSummary& s) {
  std::string out = "{\"sources\":" + std::to_string(s.sources) +
                    ",\"series\":" + std::to_string(s.series) +
                    ",\"inserted\":" + std::to_string(s.inserted) +
                    ",\"revised\":" + std::to_string(s.revised) +
                    ",\"unchanged\":" + std::to_string(s.unchanged) + ",\"diagnostics\":";
  append_diagnostics(out, s.diagnostics);
  out += '}';
  return out;
}

vitals_status give_summary(const vitals::IngestSummary& summary, char** summary_out) {
  if (summary_out != nullptr) *summary_out = give(summary_json(summary));
  return ok();
}

std::optional<vitals::LogLevel> log_level(std::string_view text) {
  if (text == "trace") return vitals::LogLevel::kTrace;
  if (text == "debug") return vitals::LogLevel::kDebug;
  if (text == "info") return vitals::LogLevel::kInfo;
  if (text == "warning") return vitals::LogLevel::kWarning;
  if (text == "error") return vitals::LogLevel::kError;
  if (text == "off") return vitals::LogLevel::kOff;
  return std::nullopt;
}

std::optional<double> figure(double v) {
  if (std::isnan(v)) return std::nullopt;
  return v;
}

// A new, empty handle, or null with "out of memory" as the last error.
template <typename T>
T* new_handle() {
  try {
    return new T();
  } catch (...) {
    last_error = "out of memory";
    return nullptr;
  }
}

// A document of `report` for `engine`'s catalogue in `format` (a document
// format's name), written by `render` (inputs, format, stream) -> Status and
// handed out in `out`.
template <typename Render>
vitals_status hand_out_document(const vitals_engine& engine, const vitals_report& report,
                                const char* format, char** out, Render&& render) {
  if (!engine.has_catalogue) return no_catalogue();
  auto parsed = vitals::parse_document_format(format);
  if (!parsed.ok()) return fail(parsed.status());
  const vitals::ReportInputs inputs = vitals::report_inputs(engine.engine, report.report);
  std::ostringstream text;
  if (Status s = render(inputs, *parsed, text); !s.is_ok()) return fail(s);
  return hand_out(text.str(), out);
}

}  // namespace

extern "C" {

const char* vitals_version(void) {
  static const std::string version = vitals::version_string();
  return version.c_str();
}

const char* vitals_status_name(int status) {
  if (status < VITALS_OK || status > VITALS_INTERNAL) return "unknown";
  return vitals::status_code_name(static_cast<StatusCode>(status));
}

const char* vitals_last_error(void) { return last_error.c_str(); }

void vitals_free(void* p) { std::free(p); }

vitals_options* vitals_options_new(void) { return new_handle<vitals_options>(); }

void vitals_options_free(vitals_options* options) { delete options; }

vitals_status vitals_options_set(vitals_options* options, const char* key, const char* value) {
  return guarded([&]() -> vitals_status {
    vitals_status status = VITALS_OK;
    if (missing(options, "options", status) || missing(key, "key", status) ||
        missing(value, "value", status)) {
      return status;
    }
    vitals::EngineOptions& o = options->options;
    const std::string_view k = key;
    auto bad_value = [&](const char* expected) {
      return fail(VITALS_INVALID_ARGUMENT, "option '" + std::string(k) + "': '" + value +
                                               "' is not " + expected);
    };
    if (k == "store") {
      o.store_path = value;
    } else if (k == "plugin_dir") {
      o.plugins.enabled = true;
      o.plugins.dirs.emplace_back(value);
    } else if (k == "plugin_permissions") {
      if (std::string_view(value) == "strict") {
        o.plugins.require_safe_permissions = true;
      } else if (std::string_view(value) == "relaxed") {
        o.plugins.require_safe_permissions = false;
      } else {
        return bad_value("\"strict\" or \"relaxed\"");
      }
    } else if (k == "rule_dir") {
      o.default_rule_dirs.emplace_back(value);
    } else if (k == "threads") {
      auto n = whole_number(value);
      if (!n || *n > 1024) return bad_value("a whole number from 0 to 1024");
      o.threads = static_cast<int>(*n);
    } else if (k == "log_level") {
      auto level = log_level(value);
      if (!level) return bad_value("trace, debug, info, warning, error or off");
      o.log_level = *level;
    } else if (k == "max_bytes" || k == "max_instructions" || k == "max_string_bytes") {
      auto n = whole_number(value);
      if (!n || *n == 0) return bad_value("a positive whole number");
      if (k == "max_bytes") o.sandbox.max_bytes = static_cast<std::size_t>(*n);
      if (k == "max_instructions") o.sandbox.max_instructions = static_cast<std::uint64_t>(*n);
      if (k == "max_string_bytes") o.sandbox.max_string_bytes = static_cast<std::size_t>(*n);
    } else if (k == "max_cpu_ms") {
      auto n = whole_number(value);
      if (!n) return bad_value("a whole number (0: no time limit)");
      o.sandbox.max_cpu_ms = static_cast<std::uint64_t>(*n);
    } else {
      return fail(VITALS_INVALID_ARGUMENT,
                  "unknown option '" + std::string(k) +
                      "' (store, plugin_dir, plugin_permissions, rule_dir, threads, log_level, "
                      "max_bytes, max_instructions, max_string_bytes, max_cpu_ms)");
    }
    return ok();
  });
}

vitals_status vitals_engine_open(const vitals_options* options, vitals_engine** out) {
  return guarded([&]() -> vitals_status {
    vitals_status status = VITALS_OK;
    if (missing(out, "out", status)) return status;
    *out = nullptr;
    auto engine = vitals::Engine::open(options ? options->options : vitals::EngineOptions{});
    if (!engine.ok()) return fail(engine.status());
    *out = new vitals_engine(std::move(*engine));
    return ok();
  });
}

void vitals_engine_free(vitals_engine* engine) { delete engine; }

vitals_status vitals_engine_load_catalogue(vitals_engine* engine, const char* dir) {
  return guarded([&]() -> vitals_status {
    vitals_status status = VITALS_OK;
    if (missing(engine, "engine", status) || missing(dir, "dir", status)) return status;
    Status loaded = engine->engine.load_catalogue(dir);
    engine->has_catalogue = loaded.is_ok();
    if (!loaded.is_ok()) return fail(loaded);
    return ok();
  });
}

vitals_status vitals_engine_diagnostics(const vitals_engine* engine, char** json_out) {
  return guarded([&]() -> vitals_status {
    vitals_status status = VITALS_OK;
    if (missing(engine, "engine", status)) return status;
    std::string json;
    append_diagnostics(json, engine->engine.diagnostics());
    return hand_out(json, json_out);
  });
}

vitals_status vitals_engine_indicators(const vitals_engine* engine, char** json_out) {
  return guarded([&]() -> vitals_status {
    vitals_status status = VITALS_OK;
    if (missing(engine, "engine", status)) return status;
    if (!engine->has_catalogue) return no_catalogue();
    std::string json = "[";
    bool first = true;
    for (const vitals::IndicatorDefinition& d : engine->engine.catalogue().indicators) {
      if (!first) json += ',';
      first = false;
      json += "{\"id\":" + json_string(d.id) + ",\"title\":" + json_string(d.title) +
              ",\"polarity\":" + json_string(vitals::polarity_name(d.polarity)) +
              ",\"unit\":" + json_string(vitals::unit_name(d.unit)) +
              ",\"frequency\":" + json_string(vitals::frequency_name(d.frequency)) +
              ",\"source\":" + json_string(d.source.source) +
              ",\"series\":" + json_string(d.source.series) + "}";
    }
    json += ']';
    return hand_out(json, json_out);
  });
}

vitals_status vitals_engine_ingest_sources(vitals_engine* engine, char** summary_out) {
  return guarded([&]() -> vitals_status {
    vitals_status status = VITALS_OK;
    if (missing(engine, "engine", status)) return status;
    auto summary = engine->engine.ingest();
    if (!summary.ok()) return fail(summary.status());
    return give_summary(*summary, summary_out);
  });
}

vitals_batch* vitals_batch_new(void) { return new_handle<vitals_batch>(); }

void vitals_batch_free(vitals_batch* batch) { delete batch; }

vitals_status vitals_batch_add(vitals_batch* batch, const char* key, const char* period,
                               double value, double numerator, double denominator, double target) {
  return guarded([&]() -> vitals_status {
    vitals_status status = VITALS_OK;
    if (missing(batch, "batch", status) || missing(key, "key", status) ||
        missing(period, "period", status)) {
      return status;
    }
    if (*key == '\0') return fail(VITALS_INVALID_ARGUMENT, "the series key must not be empty");
    auto parsed = vitals::Period::parse(period);
    if (!parsed.ok()) return fail(parsed.status());
    auto [it, inserted] = batch->by_key.emplace(key, batch->series.size());
    if (inserted) batch->series.push_back(vitals::Series{key, {}});
    batch->series[it->second].observations.push_back(vitals::Observation{
        *parsed, figure(value), figure(numerator), figure(denominator), figure(target)});
    return ok();
  });
}

vitals_status vitals_engine_ingest(vitals_engine* engine, const char* source,
                                   const vitals_batch* batch, char** summary_out) {
  return guarded([&]() -> vitals_status {
    vitals_status status = VITALS_OK;
    if (missing(engine, "engine", status) || missing(source, "source", status) ||
        missing(batch, "batch", status)) {
      return status;
    }
    auto summary = engine->engine.ingest_series(source, batch->series);
    if (!summary.ok()) return fail(summary.status());
    return give_summary(*summary, summary_out);
  });
}

vitals_status vitals_engine_evaluate(vitals_engine* engine, const char* period, int record_run,
                                     vitals_report** out) {
  return guarded([&]() -> vitals_status {
    vitals_status status = VITALS_OK;
    if (missing(engine, "engine", status) || missing(period, "period", status) ||
        missing(out, "out", status)) {
      return status;
    }
    *out = nullptr;
    auto parsed = vitals::Period::parse(period);
    if (!parsed.ok()) return fail(parsed.status());
    vitals::EvaluateOptions options;
    options.record_run = record_run != 0;
    auto report = engine->engine.evaluate(*parsed, options);
    if (!report.ok()) return fail(report.status());
    *out = new vitals_report{std::move(*report)};
    return ok();
  });
}

void vitals_report_free(vitals_report* report) { delete report; }

size_t vitals_report_indicator_count(const vitals_report* report) {
  return report ? report->report.indicators.size() : 0;
}

size_t vitals_report_exception_count(const vitals_report* report) {
  if (report == nullptr) return 0;
  size_t n = 0;
  for (const vitals::IndicatorResult& r : report->report.indicators) n += r.is_exception ? 1 : 0;
  return n;
}

int64_t vitals_report_run_id(const vitals_report* report) {
  return report ? report->report.run_id : 0;
}

int vitals_report_complete(const vitals_report* report) {
  return report != nullptr && report->report.complete() ? 1 : 0;
}

size_t vitals_report_incomplete_count(const vitals_report* report) {
  return report ? report->report.incomplete.size() : 0;
}

const char* vitals_report_incomplete_message(const vitals_report* report, size_t index) {
  if (report == nullptr || index >= report->report.incomplete.size()) return nullptr;
  return report->report.incomplete[index].message.c_str();
}

vitals_status vitals_report_render(const vitals_report* report, const char* format, char** out) {
  return guarded([&]() -> vitals_status {
    vitals_status status = VITALS_OK;
    if (missing(report, "report", status) || missing(format, "format", status)) return status;
    auto parsed = vitals::parse_report_format(format);
    if (!parsed.ok()) return fail(parsed.status());
    std::ostringstream text;
    if (Status s = vitals::render(report->report, *parsed, text); !s.is_ok()) return fail(s);
    return hand_out(text.str(), out);
  });
}

vitals_status vitals_engine_render_report(const vitals_engine* engine, const vitals_report* report,
                                          const char* format, char** out) {
  return guarded([&]() -> vitals_status {
    vitals_status status = VITALS_OK;
    if (missing(engine, "engine", status) || missing(report, "report", status) ||
        missing(format, "format", status)) {
      return status;
    }
    return hand_out_document(
        *engine, *report, format, out,
        [](const vitals::ReportInputs& inputs, vitals::DocumentFormat f, std::ostream& text) {
          return vitals::render_committee_report(inputs, f, text);
        });
  });
}

vitals_status vitals_engine_render_card(const vitals_engine* engine, const vitals_report* report,
                                        const char* indicator_id, const char* format, char** out) {
  return guarded([&]() -> vitals_status {
    vitals_status status = VITALS_OK;
    if (missing(engine, "engine", status) || missing(report, "report", status) ||
        missing(indicator_id, "indicator_id", status) || missing(format, "format", status)) {
      return status;
    }
    return hand_out_document(
        *engine, *report, format, out,
        [&](const vitals::ReportInputs& inputs, vitals::DocumentFormat f, std::ostream& text) {
          return vitals::render_card(inputs, indicator_id, f, text);
        });
  });
}

}  // extern "C"
