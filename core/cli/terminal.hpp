// SPDX-License-Identifier: Apache-2.0
#pragma once

// What `vitals` shows only on a terminal: colour and the progress bar.

#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include <vitals/options.hpp>
#include <vitals/progress.hpp>

#include "args.hpp"

namespace vitals::cli {

/// Work of more items than this shows a progress bar; smaller steps finish
/// before a bar would be worth drawing.
constexpr std::size_t kProgressThreshold = 2000;

/// Takes --quiet (-q) and --color=always|never|auto from `args` for the
/// rest of the command. Returns an error message for a bad --color value.
std::optional<std::string> set_output_style(const Args& args);

/// Whether --quiet was given: only errors go to standard error.
bool quiet();

/// How many -v were given (-vv is two).
int verbosity();

/// Whether text written to `out` gets colour: --color=always, or (auto, the
/// default) `out` is standard output or error on a terminal and NO_COLOR is
/// not set to a non-empty value.
bool colour_on(const std::ostream& out);

enum class Colour { kRed, kGreen, kYellow };

/// `text` in `colour` when `on`, else `text` unchanged.
std::string paint(std::string_view text, Colour colour, bool on);

/// `text` with the PASS and FAIL that begin its lines in green and red, when
/// `out` takes colour.
std::string colour_pass_fail(const std::string& text, const std::ostream& out);

/// The engine's sinks while a progress bar may be drawn.
struct TerminalSinks {
  /// Draws a one-line progress bar on standard error.
  ProgressSink progress;
  /// Writes the engine's log lines as the default sink does ("vitals:
  /// info: ..."), first clearing the bar so that a line never follows it.
  LogSink log;
};

/// Both sinks, sharing the bar; both empty when standard error is not a
/// terminal or --quiet was given (the engine then logs as it always does).
TerminalSinks terminal_sinks();

/// The bar's line for `p` after `seconds` of work (no \r, no clearing):
/// "evaluating  [####....] 81,234/150,000 indicators  12,345/s  ETA 0:05".
/// `width` is the number of cells of the bar.
std::string progress_line(const Progress& p, double seconds, std::size_t width = 24);

}  // namespace vitals::cli
