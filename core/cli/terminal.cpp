// SPDX-License-Identifier: Apache-2.0
#include "terminal.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <limits>
#include <memory>
#include <mutex>
#include <sstream>
#include <utility>

#include <vitals/diagnostic.hpp>

namespace vitals::cli {

namespace {

enum class ColourMode { kAuto, kAlways, kNever };

ColourMode colour_mode = ColourMode::kAuto;
bool quiet_flag = false;
int verbosity_level = 0;

bool no_color_set() {
  const char* value = std::getenv("NO_COLOR");
  return value != nullptr && *value != '\0';
}

// The file descriptor behind `out`, when it is standard output or error.
int descriptor(const std::ostream& out) {
  if (&out == &std::cout) return STDOUT_FILENO;
  if (&out == &std::cerr) return STDERR_FILENO;
  return -1;
}

// "1:05" or "2:01:05".
std::string clock_text(double seconds) {
  const long total = static_cast<long>(std::lround(seconds));
  char text[32];
  if (total >= 3600) {
    std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", total / 3600, total / 60 % 60, total % 60);
  } else {
    std::snprintf(text, sizeof text, "%ld:%02ld", total / 60, total % 60);
  }
  return text;
}

constexpr std::size_t kBarCells = 24;

// The width of the terminal on standard error; no limit when it does not
// say (a terminal of 0 columns, as a new pseudo-terminal reports).
std::size_t terminal_columns() {
  winsize size{};
  if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 10) return size.ws_col;
  return std::numeric_limits<std::size_t>::max();
}

// Draws the bar of one command's steps; each step starts its own clock.
// Log lines come from any thread, so drawing and logging share a mutex; a
// log line first clears the bar, which the next report draws again.
class Bar {
 public:
  void log(LogLevel level, std::string_view message) {
    std::lock_guard lock(mutex_);
    if (drawn_) std::fputs("\r\033[K", stderr);
    drawn_ = false;
    const char* name = level == LogLevel::kTrace     ? "trace"
                       : level == LogLevel::kDebug   ? "debug"
                       : level == LogLevel::kInfo    ? "info"
                       : level == LogLevel::kWarning ? "warning"
                                                     : "error";
    const bool colour = colour_on(std::cerr) &&
                        (level == LogLevel::kWarning || level == LogLevel::kError);
    const std::string shown =
        paint(name, level == LogLevel::kError ? Colour::kRed : Colour::kYellow, colour);
    std::fprintf(stderr, "vitals: %s: %.*s\n", shown.c_str(), static_cast<int>(message.size()),
                 message.data());
    std::fflush(stderr);
  }

  void operator()(const Progress& p) {
    std::lock_guard lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    if (p.phase != phase_ || p.done == 0) {
      phase_ = std::string(p.phase);
      start_ = now;
    }
    if (p.finished) {
      if (drawn_) std::fputs("\r\033[K", stderr);
      std::fflush(stderr);
      drawn_ = false;
      phase_.clear();
      return;
    }
    const bool big = p.total > 0 ? p.total > kProgressThreshold : p.done > kProgressThreshold;
    if (!big) return;
    const double seconds = std::chrono::duration<double>(now - start_).count();
    std::string line = progress_line(p, seconds);
    // A line wider than the terminal would wrap, and \r would not take the
    // cursor back to its start: the bar gives up cells, then the line is cut.
    const std::size_t columns = terminal_columns();
    if (line.size() >= columns) {
      const std::size_t over = line.size() - columns + 1;
      line = progress_line(p, seconds, over < kBarCells ? kBarCells - over : 0);
      if (line.size() >= columns) line.resize(columns - 1);
    }
    std::fprintf(stderr, "\r%s\033[K", line.c_str());
    std::fflush(stderr);
    drawn_ = true;
  }

 private:
  std::mutex mutex_;
  std::string phase_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  bool drawn_ = false;
};

}  // namespace

std::optional<std::string> set_output_style(const Args& args) {
  quiet_flag = args.has_flag("quiet");
  verbosity_level = args.verbosity;
  const std::string mode = args.get("color").value_or("auto");
  if (mode == "auto") {
    colour_mode = ColourMode::kAuto;
  } else if (mode == "always") {
    colour_mode = ColourMode::kAlways;
  } else if (mode == "never") {
    colour_mode = ColourMode::kNever;
  } else {
    return "--color must be always, never or auto, not '" + mode + "'";
  }
  return std::nullopt;
}

bool quiet() { return quiet_flag; }

int verbosity() { return verbosity_level; }

bool colour_on(const std::ostream& out) {
  switch (colour_mode) {
    case ColourMode::kAlways:
      return true;
    case ColourMode::kNever:
      return false;
    case ColourMode::kAuto:
      break;
  }
  const int fd = descriptor(out);
  return fd >= 0 && ::isatty(fd) == 1 && !no_color_set();
}

std::string paint(std::string_view text, Colour colour, bool on) {
  if (!on) return std::string(text);
  const char* code = colour == Colour::kRed     ? "\033[31m"
                     : colour == Colour::kGreen ? "\033[32m"
                                                : "\033[33m";
  return code + std::string(text) + "\033[0m";
}

std::string colour_pass_fail(const std::string& text, const std::ostream& out) {
  if (!colour_on(out)) return text;
  std::istringstream lines(text);
  std::string result;
  std::string line;
  while (std::getline(lines, line)) {
    for (auto [word, colour] : {std::pair{"PASS", Colour::kGreen}, std::pair{"FAIL", Colour::kRed}}) {
      const std::string lead = std::string("  ") + word + "  ";
      if (line.starts_with(lead)) {
        line = "  " + paint(word, colour, true) + line.substr(2 + std::string_view(word).size());
        break;
      }
    }
    result += line;
    if (!lines.eof()) result += '\n';
  }
  return result;
}

TerminalSinks terminal_sinks() {
  if (quiet_flag || ::isatty(STDERR_FILENO) != 1) return {};
  auto bar = std::make_shared<Bar>();
  return {[bar](const Progress& p) { (*bar)(p); },
          [bar](LogLevel level, std::string_view message) { bar->log(level, message); }};
}

std::string progress_line(const Progress& p, double seconds, std::size_t width) {
  std::string line(p.phase);
  line += "  ";
  const double rate = seconds > 0 ? static_cast<double>(p.done) / seconds : 0;
  if (p.total > 0) {
    const std::size_t done = std::min(p.done, p.total);
    const std::size_t filled = done * width / p.total;
    if (width > 0) line += "[" + std::string(filled, '#') + std::string(width - filled, '.') + "] ";
    line += count_text(done) + "/" + count_text(p.total);
  } else {
    line += count_text(p.done);
  }
  line += " ";
  line += p.unit;
  if (rate >= 1) {
    line += "  " + count_text(static_cast<std::size_t>(rate)) + "/s";
    if (p.total > p.done) {
      line += "  ETA " + clock_text(static_cast<double>(p.total - p.done) / rate);
    }
  }
  return line;
}

}  // namespace vitals::cli
