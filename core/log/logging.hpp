// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>

#include <spdlog/logger.h>
#include <vitals/options.hpp>

namespace vitals::detail {

/// A logger owned by one engine and passed down explicitly; it is never
/// registered in spdlog's global registry, which is not shared across
/// shared-library borders. Lines go to `sink` when set, else to stderr.
std::shared_ptr<spdlog::logger> make_logger(LogLevel level, LogSink sink);

/// A logger that discards everything, for components used without an engine.
std::shared_ptr<spdlog::logger> null_logger();

spdlog::level::level_enum to_spdlog(LogLevel level);

}  // namespace vitals::detail
