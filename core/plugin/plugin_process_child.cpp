// SPDX-License-Identifier: Apache-2.0
#include "plugin/plugin_process_child.hpp"

#include "plugin/host_api.hpp"
#include "plugin/isolation_protocol.hpp"
#include "plugin/plugin_loader.hpp"
#include "plugin/source_config.hpp"

#include <vitals/version.hpp>

#include <spdlog/logger.h>
#include <spdlog/sinks/null_sink.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>
#include <memory>
#include <poll.h>
#include <string>
#include <unistd.h>
#include <utility>
#include <vector>

namespace vitals::detail {
namespace {

using isolation::Frame;
using isolation::FrameReader;
using isolation::FrameWriter;

// Frames are sent in chunks of this size, and at the end of every call.
constexpr std::size_t kFlushBytes = std::size_t{64} * 1024;
// The host's kStop is looked for once per this many sink calls.
constexpr unsigned kStopPollInterval = 256;

// The one connection of this process (it serves one source instance).
struct Connection {
  int fd = -1;
  std::string out;
  std::string in;
  std::size_t in_at = 0;
  bool stop = false;
  bool broken = false;
  unsigned calls_since_poll = 0;
};

Connection g_conn;
// What the plugin receives as its call; only its address matters here.
char g_call_token;
vitals_call* call_token() { return reinterpret_cast<vitals_call*>(&g_call_token); }

void flush() {
  if (g_conn.out.empty()) return;
  if (!isolation::write_all(g_conn.fd, g_conn.out.data(), g_conn.out.size())) g_conn.broken = true;
  g_conn.out.clear();
}

void sent(FrameWriter& w) {
  w.finish();
  if (g_conn.out.size() >= kFlushBytes) flush();
}

// Reads what is available (blocking when `wait`). False on EOF or error.
bool read_more(bool wait) {
  if (!wait) {
    pollfd p{g_conn.fd, POLLIN, 0};
    if (::poll(&p, 1, 0) <= 0) return true;
  }
  if (g_conn.in_at > 0 && g_conn.in_at == g_conn.in.size()) {
    g_conn.in.clear();
    g_conn.in_at = 0;
  }
  char buf[4096];
  while (true) {
    ssize_t n = ::read(g_conn.fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    g_conn.in.append(buf, static_cast<std::size_t>(n));
    return true;
  }
}

// The next complete frame in `in`, if any: its type and payload.
bool next_frame(Frame& type, std::string& payload) {
  const std::size_t avail = g_conn.in.size() - g_conn.in_at;
  if (avail < isolation::kHeaderBytes) return false;
  const auto* h = reinterpret_cast<const unsigned char*>(g_conn.in.data() + g_conn.in_at);
  const std::size_t len = h[0] | (h[1] << 8) | (h[2] << 16) | (std::size_t{h[3]} << 24);
  if (len > isolation::kMaxPayloadBytes) {
    g_conn.broken = true;
    return false;
  }
  if (avail < isolation::kHeaderBytes + len) return false;
  type = static_cast<Frame>(h[4]);
  payload.assign(g_conn.in, g_conn.in_at + isolation::kHeaderBytes, len);
  g_conn.in_at += isolation::kHeaderBytes + len;
  return true;
}

// 0, or non-zero once the host asked the plugin to stop.
int sink_status() {
  if (++g_conn.calls_since_poll >= kStopPollInterval) {
    g_conn.calls_since_poll = 0;
    if (!read_more(false)) g_conn.broken = true;
    Frame type{};
    std::string payload;
    while (next_frame(type, payload)) {
      if (type == Frame::kStop) g_conn.stop = true;
    }
  }
  return g_conn.stop || g_conn.broken ? VITALS_ERROR_ABORTED : 0;
}

// The host API of this process: each function sends its arguments to the
// host, which runs the real function on them. Lengths are checked against
// the host's limits before a text is read, as in the host.

// Sends one sink call's frame, written by `fill`; the sink's answer.
template <typename F>
int forward(vitals_call* call, Frame type, F&& fill) noexcept {
  if (call == nullptr) return VITALS_ERROR_ABORTED;
  const std::size_t mark = g_conn.out.size();
  try {
    FrameWriter w(g_conn.out, type);
    fill(w);
    sent(w);
    return sink_status();
  } catch (...) {
    g_conn.out.resize(mark);  // no half-written frame
    return VITALS_ERROR_ABORTED;
  }
}

void fwd_log(vitals_call* call, int level, const char* message, std::size_t len) noexcept {
  try {
    FrameWriter w(g_conn.out, Frame::kLog);
    w.i32(level).u8(call != nullptr ? 1 : 0).text(message, len, kMaxPluginNameBytes);
    sent(w);
  } catch (...) {
  }
}

void fwd_set_error(vitals_call* call, int code, const char* message, std::size_t len) noexcept {
  if (call == nullptr) return;
  try {
    FrameWriter w(g_conn.out, Frame::kSetError);
    w.i32(code).text(message, len, kMaxPluginNameBytes);
    sent(w);
  } catch (...) {
  }
}

int fwd_begin_series(vitals_call* call, const char* key, std::size_t len) noexcept {
  return forward(call, Frame::kBeginSeries,
                 [&](FrameWriter& w) { w.text(key, len, kMaxPluginNameBytes); });
}

// A copy of the first `struct_size` bytes of a plugin's structure (at most
// the host's size), the rest zero: fields the plugin's version lacks are
// never read.
template <typename T>
T copy_struct(const T* in) {
  T out{};
  if (in != nullptr) std::memcpy(&out, in, std::min(in->struct_size, sizeof out));
  return out;
}

int fwd_push_point(vitals_call* call, const vitals_point* point) noexcept {
  return forward(call, Frame::kPushPoint, [&](FrameWriter& w) {
    const vitals_point p = copy_struct(point);
    w.u64(point != nullptr ? point->struct_size : 0)
        .u32(p.flags)
        .f64(p.value)
        .f64(p.numerator)
        .f64(p.denominator)
        .f64(p.target)
        .i64(p.line)
        .i64(p.column)
        .text(p.period, p.period_len, kMaxPluginNameBytes)
        .text(p.file, p.file_len, kMaxPluginNameBytes)
        .text(p.field, p.field_len, kMaxPluginNameBytes);
  });
}

int fwd_end_series(vitals_call* call) noexcept {
  return forward(call, Frame::kEndSeries, [](FrameWriter&) {});
}

int fwd_report_problem(vitals_call* call, const vitals_problem* problem) noexcept {
  return forward(call, Frame::kReportProblem, [&](FrameWriter& w) {
    const vitals_problem p = copy_struct(problem);
    w.u64(problem != nullptr ? problem->struct_size : 0)
        .i32(p.severity)
        .i64(p.line)
        .i64(p.column)
        .text(p.code, p.code_len, kMaxPluginNameBytes)
        .text(p.message, p.message_len, kMaxPluginNameBytes)
        .text(p.file, p.file_len, kMaxPluginNameBytes)
        .text(p.setting, p.setting_len, kMaxPluginNameBytes);
  });
}

int fwd_begin_record(vitals_call* call, const vitals_record* record) noexcept {
  return forward(call, Frame::kBeginRecord, [&](FrameWriter& w) {
    const vitals_record r = copy_struct(record);
    w.u64(record != nullptr ? record->struct_size : 0)
        .i64(r.line)
        .text(r.kind, r.kind_len, kMaxPluginNameBytes)
        .text(r.key, r.key_len, kMaxPluginNameBytes)
        .text(r.period, r.period_len, kMaxPluginNameBytes)
        .text(r.file, r.file_len, kMaxPluginNameBytes);
  });
}

int fwd_record_text(vitals_call* call, const char* name, std::size_t name_len, const char* value,
                    std::size_t value_len) noexcept {
  return forward(call, Frame::kRecordText, [&](FrameWriter& w) {
    w.text(name, name_len, kMaxPluginNameBytes).text(value, value_len, kMaxPluginTextBytes);
  });
}

int fwd_record_number(vitals_call* call, const char* name, std::size_t name_len,
                      double value) noexcept {
  return forward(call, Frame::kRecordNumber,
                 [&](FrameWriter& w) { w.text(name, name_len, kMaxPluginNameBytes).f64(value); });
}

int fwd_end_record(vitals_call* call) noexcept {
  return forward(call, Frame::kEndRecord, [](FrameWriter&) {});
}

const vitals_host_api kForwardingApi = {
    sizeof(vitals_host_api),
    VITALS_PLUGIN_ABI_MAJOR,
    VITALS_PLUGIN_ABI_MINOR,
    VITALS_VERSION_STRING,
    &fwd_log,
    &fwd_set_error,
    &fwd_begin_series,
    &fwd_push_point,
    &fwd_end_series,
    &fwd_report_problem,
    &fwd_begin_record,
    &fwd_record_text,
    &fwd_record_number,
    &fwd_end_record,
};

void reply(int rc, bool has_instance, const std::string& message) {
  FrameWriter w(g_conn.out, Frame::kReply);
  w.i32(rc).u8(has_instance ? 1 : 0).text(message);
  w.finish();
  flush();
}

// Runs one plugin function as the host's invoke() does: an exception the
// plugin lets escape through the C ABI becomes the reply's message.
template <typename F>
void run_and_reply(F&& body, const bool* has_instance = nullptr) {
  g_conn.stop = false;
  g_conn.calls_since_poll = 0;
  int rc = VITALS_ERROR;
  std::string escaped;
  try {
    rc = body();
  } catch (const std::exception& e) {
    escaped = std::string("the plugin let an exception escape through the C ABI: ") + e.what();
  } catch (...) {
    escaped = "the plugin let an exception escape through the C ABI: an exception of unknown type";
  }
  reply(rc, has_instance != nullptr && *has_instance, escaped);
}

struct Plugin {
  std::shared_ptr<const PluginLibrary> library;
  void* instance = nullptr;
};

bool load(FrameReader& r, Plugin& plugin) {
  FrameReader::Text path = r.text();
  const bool safe = r.u8() != 0;
  if (!r.ok() || path.data == nullptr) return false;
  auto logger = std::make_shared<spdlog::logger>("plugin-host",
                                                 std::make_shared<spdlog::sinks::null_sink_mt>());
  std::vector<Diagnostic> diagnostics;
  auto loaded = load_plugin_library(std::string(path.data, path.len), safe, *logger, diagnostics,
                                    kForwardingApi);
  if (!loaded.ok()) {
    reply(VITALS_ERROR, false, loaded.status().message());
    return true;
  }
  plugin.library = std::move(loaded).value();
  reply(VITALS_OK, false, "");
  return true;
}

bool create(FrameReader& r, Plugin& plugin) {
  SourceConfig config;
  if (plugin.library == nullptr || plugin.instance != nullptr || !config.read(r)) {
    return false;
  }
  bool has_instance = false;
  run_and_reply(
      [&] {
        int rc =
            plugin.library->descriptor().create(call_token(), config.get(), &plugin.instance);
        has_instance = plugin.instance != nullptr;
        return rc;
      },
      &has_instance);
  return true;
}

bool validate(FrameReader& r, Plugin& plugin) {
  SourceConfig config;
  if (plugin.library == nullptr || plugin.library->descriptor().validate == nullptr ||
      !config.read(r)) {
    return false;
  }
  run_and_reply([&] { return plugin.library->descriptor().validate(call_token(), config.get()); });
  return true;
}

}  // namespace

int serve_plugin_requests(int fd) {
  g_conn.fd = fd;
  Plugin plugin;
  Frame type{};
  std::string payload;
  while (true) {
    while (!next_frame(type, payload)) {
      if (g_conn.broken || !read_more(true)) return g_conn.broken ? 1 : 0;
    }
    FrameReader r(payload.data(), payload.size());
    bool ok = true;
    const vitals_plugin_descriptor* d =
        plugin.library != nullptr ? &plugin.library->descriptor() : nullptr;
    switch (type) {
      case Frame::kLoad:
        ok = plugin.library == nullptr && load(r, plugin);
        break;
      case Frame::kCreate:
        ok = create(r, plugin);
        break;
      case Frame::kValidate:
        ok = validate(r, plugin);
        break;
      case Frame::kDescribe:
        ok = plugin.instance != nullptr && d->describe != nullptr;
        if (ok) run_and_reply([&] { return d->describe(plugin.instance, call_token()); });
        break;
      case Frame::kFetch:
        ok = plugin.instance != nullptr;
        if (ok) run_and_reply([&] { return d->fetch(plugin.instance, call_token()); });
        break;
      case Frame::kDestroy:
        ok = plugin.instance != nullptr;
        if (ok) {
          run_and_reply([&] { return d->destroy(plugin.instance, call_token()); });
          plugin.instance = nullptr;
        }
        break;
      case Frame::kStop:
        break;  // it came after the call it was meant for had ended
      default:
        ok = false;
        break;
    }
    if (!ok || g_conn.broken) return 1;
  }
}

}  // namespace vitals::detail
