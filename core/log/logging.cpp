// SPDX-License-Identifier: Apache-2.0
#include "log/logging.hpp"

#include <mutex>
#include <string>

#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

namespace vitals::detail {

spdlog::level::level_enum to_spdlog(LogLevel level) {
  switch (level) {
    case LogLevel::kTrace: return spdlog::level::trace;
    case LogLevel::kDebug: return spdlog::level::debug;
    case LogLevel::kInfo: return spdlog::level::info;
    case LogLevel::kWarning: return spdlog::level::warn;
    case LogLevel::kError: return spdlog::level::err;
    case LogLevel::kOff: return spdlog::level::off;
  }
  return spdlog::level::warn;
}

namespace {

LogLevel from_spdlog(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace: return LogLevel::kTrace;
    case spdlog::level::debug: return LogLevel::kDebug;
    case spdlog::level::info: return LogLevel::kInfo;
    case spdlog::level::warn: return LogLevel::kWarning;
    case spdlog::level::err:
    case spdlog::level::critical: return LogLevel::kError;
    default: return LogLevel::kOff;
  }
}

// Forwards formatted lines to an embedder's callback. A callback that throws
// breaks its contract; the line is dropped rather than unwinding into us.
class CallbackSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit CallbackSink(LogSink sink) : sink_(std::move(sink)) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    try {
      sink_(from_spdlog(msg.level), std::string_view(msg.payload.data(), msg.payload.size()));
    } catch (const std::exception&) {
    }
  }
  void flush_() override {}

 private:
  LogSink sink_;
};

}  // namespace

std::shared_ptr<spdlog::logger> make_logger(LogLevel level, LogSink sink) {
  spdlog::sink_ptr out;
  if (sink) {
    out = std::make_shared<CallbackSink>(std::move(sink));
  } else {
    out = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    out->set_pattern("vitals: %l: %v");
  }
  auto logger = std::make_shared<spdlog::logger>("vitals", std::move(out));
  logger->set_level(to_spdlog(level));
  return logger;
}

std::shared_ptr<spdlog::logger> null_logger() {
  return std::make_shared<spdlog::logger>("vitals.null",
                                          std::make_shared<spdlog::sinks::null_sink_mt>());
}

}  // namespace vitals::detail
