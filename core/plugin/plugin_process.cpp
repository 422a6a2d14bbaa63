// SPDX-License-Identifier: Apache-2.0
#include "plugin/plugin_process.hpp"

#include "common/install_layout.hpp"

#include <cerrno>
#include <chrono>
#include <climits>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <utility>
#include <vector>

extern char** environ;

namespace vitals::detail {
namespace {

namespace fs = std::filesystem;
using isolation::Frame;
using isolation::FrameReader;
using Clock = std::chrono::steady_clock;

constexpr const char* kProgramName = "vitals-plugin-host";
constexpr std::size_t kReadChunk = std::size_t{256} * 1024;

std::string seconds_text(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", s);
  return buf;
}

std::string describe_wait_status(int status) {
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    const char* name = strsignal(sig);
    return "was killed by signal " + std::to_string(sig) + " (" +
           (name != nullptr ? name : "unknown signal") + ")";
  }
  if (WIFEXITED(status)) {
    return "exited with status " + std::to_string(WEXITSTATUS(status)) +
           " before the plugin's function returned";
  }
  return "stopped unexpectedly";
}

}  // namespace

std::vector<fs::path> shipped_plugin_dirs() {
  const fs::path dir = module_dir();
  if (dir.empty()) return {};
  std::vector<fs::path> dirs;
  for (const fs::path& root : layout_roots(dir)) {
    dirs.push_back(root / "plugins");
    dirs.push_back(root / "lib" / "vitals" / "plugins");
  }
  return dirs;
}

Result<fs::path> find_plugin_host_program() {
  if (const char* env = std::getenv("VITALS_PLUGIN_HOST"); env != nullptr && *env != '\0') {
    return fs::path(env);
  }
  std::vector<fs::path> candidates;
  if (const fs::path dir = module_dir(); !dir.empty()) {
    for (const fs::path& root : layout_roots(dir)) {
      candidates.push_back(root / kProgramName);
      candidates.push_back(root / "bin" / kProgramName);
    }
  }
  std::string looked;
  for (const fs::path& c : candidates) {
    if (::access(c.c_str(), X_OK) == 0) return c;
    looked += (looked.empty() ? "" : ", ") + c.string();
  }
  return Status(StatusCode::kNotFound, std::string("cannot find the ") + kProgramName +
                                           " program that runs isolated plugins (looked in: " +
                                           (looked.empty() ? "nowhere" : looked) +
                                           "); set VITALS_PLUGIN_HOST");
}

Result<std::unique_ptr<PluginProcess>> PluginProcess::start(const fs::path& program,
                                                            double timeout_s) {
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
    return Status(
        StatusCode::kPluginError,
        std::string("cannot create a socket for an isolated plugin: ") + std::strerror(errno));
  }
  int child_end = sv[1];
  if (child_end == 3) {
    // dup2(3, 3) would keep close-on-exec set.
    child_end = ::fcntl(sv[1], F_DUPFD_CLOEXEC, 4);
    ::close(sv[1]);
  }
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&actions);
  posix_spawnattr_init(&attr);
  posix_spawn_file_actions_adddup2(&actions, child_end, 3);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  // What a plugin prints must not end up in the host's output (a report on
  // standard output); standard error is shared.
  posix_spawn_file_actions_adddup2(&actions, 2, 1);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  std::string path = program.string();
  std::string fd_arg = "3";
  char* argv[] = {path.data(), const_cast<char*>("--fd"), fd_arg.data(), nullptr};
  pid_t pid = 0;
  int rc = ::posix_spawn(&pid, path.c_str(), &actions, &attr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(child_end);
  if (rc != 0) {
    ::close(sv[0]);
    return Status(StatusCode::kPluginError,
                  "cannot start " + path + " to run an isolated plugin: " + std::strerror(rc));
  }
  return std::unique_ptr<PluginProcess>(new PluginProcess(pid, sv[0], timeout_s));
}

PluginProcess::PluginProcess(pid_t pid, int fd, double timeout_s)
    : pid_(pid), fd_(fd), timeout_s_(timeout_s) {}

PluginProcess::~PluginProcess() {
  ::close(fd_);
  if (reaped_) return;
  // The process exits when it reads the end of its socket.
  const auto until = Clock::now() + std::chrono::seconds(1);
  int status = 0;
  while (::waitpid(pid_, &status, WNOHANG) == 0) {
    if (Clock::now() >= until) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

std::string PluginProcess::reap_description() {
  int status = 0;
  // It closed its end, so it is exiting; allow it a moment.
  const auto until = Clock::now() + std::chrono::seconds(2);
  pid_t got = 0;
  while ((got = ::waitpid(pid_, &status, WNOHANG)) == 0 && Clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (got == 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status, 0);
    reaped_ = true;
    return "closed its connection without replying";
  }
  reaped_ = true;
  return describe_wait_status(status);
}

int PluginProcess::fail(vitals_call& call, const std::string& code, std::string reason) {
  if (!reaped_) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    reaped_ = true;
  }
  failure_ = std::move(reason);
  call.abort_reason = failure_;
  const std::string message = "plugin '" + call.plugin_name + "' failed in source '" +
                              call.source_name + "' during " + phase_name(call.phase) + ": " +
                              failure_ + "; the source is reported failed";
  call.diagnostics.push_back(Diagnostic::make(Severity::kError, code, message));
  if (call.logger != nullptr) call.logger->error("{} [{}]", message, code);
  return VITALS_ERROR;
}

namespace {

// A text field of a rebuilt structure, from its frame.
void set_text(const char*& data, std::size_t& len, const FrameReader::Text& t) {
  data = t.data;
  len = t.len;
}

}  // namespace

bool PluginProcess::replay(Frame type, const char* payload, std::size_t len, vitals_call& call,
                           int& rc, bool& replied, bool* has_instance) {
  const vitals_host_api& api = host_api();
  FrameReader r(payload, len);
  int sink = 0;
  switch (type) {
    case Frame::kLog: {
      const int level = r.i32();
      const bool with_call = r.u8() != 0;
      FrameReader::Text t = r.text();
      if (!r.ok()) return false;
      api.log(with_call ? &call : nullptr, level, t.data, t.len);
      break;
    }
    case Frame::kSetError: {
      const int code = r.i32();
      FrameReader::Text t = r.text();
      if (!r.ok()) return false;
      api.set_error(&call, code, t.data, t.len);
      break;
    }
    case Frame::kBeginSeries: {
      FrameReader::Text t = r.text();
      if (!r.ok()) return false;
      sink = api.begin_series(&call, t.data, t.len);
      break;
    }
    case Frame::kPushPoint: {
      vitals_point p{};
      p.struct_size = static_cast<std::size_t>(r.u64());
      p.flags = r.u32();
      p.value = r.f64();
      p.numerator = r.f64();
      p.denominator = r.f64();
      p.target = r.f64();
      p.line = r.i64();
      p.column = r.i64();
      set_text(p.period, p.period_len, r.text());
      set_text(p.file, p.file_len, r.text());
      set_text(p.field, p.field_len, r.text());
      if (!r.ok()) return false;
      sink = api.push_point(&call, p.struct_size == 0 ? nullptr : &p);
      break;
    }
    case Frame::kEndSeries:
      sink = api.end_series(&call);
      break;
    case Frame::kReportProblem: {
      vitals_problem p{};
      p.struct_size = static_cast<std::size_t>(r.u64());
      p.severity = r.i32();
      p.line = r.i64();
      p.column = r.i64();
      set_text(p.code, p.code_len, r.text());
      set_text(p.message, p.message_len, r.text());
      set_text(p.file, p.file_len, r.text());
      set_text(p.setting, p.setting_len, r.text());
      if (!r.ok()) return false;
      sink = api.report_problem(&call, p.struct_size == 0 ? nullptr : &p);
      break;
    }
    case Frame::kBeginRecord: {
      vitals_record rec{};
      rec.struct_size = static_cast<std::size_t>(r.u64());
      rec.line = r.i64();
      set_text(rec.kind, rec.kind_len, r.text());
      set_text(rec.key, rec.key_len, r.text());
      set_text(rec.period, rec.period_len, r.text());
      set_text(rec.file, rec.file_len, r.text());
      if (!r.ok()) return false;
      sink = api.begin_record(&call, rec.struct_size == 0 ? nullptr : &rec);
      break;
    }
    case Frame::kRecordText: {
      FrameReader::Text name = r.text();
      FrameReader::Text value = r.text();
      if (!r.ok()) return false;
      sink = api.record_text(&call, name.data, name.len, value.data, value.len);
      break;
    }
    case Frame::kRecordNumber: {
      FrameReader::Text name = r.text();
      const double value = r.f64();
      if (!r.ok()) return false;
      sink = api.record_number(&call, name.data, name.len, value);
      break;
    }
    case Frame::kEndRecord:
      sink = api.end_record(&call);
      break;
    case Frame::kReply: {
      rc = r.i32();
      const bool instance = r.u8() != 0;
      FrameReader::Text message = r.text();
      if (!r.ok() || message.data == nullptr) return false;
      if (has_instance != nullptr) *has_instance = instance;
      if (message.len > 0 && call.abort_reason.empty()) {
        call.abort_reason.assign(message.data, std::min(message.len, kMaxPluginNameBytes));
      }
      replied = true;
      break;
    }
    default:
      return false;
  }
  if (sink != 0 && !stop_sent_) {
    stop_sent_ = true;
    std::string stop;
    isolation::FrameWriter w(stop, Frame::kStop);
    w.finish();
    (void)isolation::write_all(fd_, stop.data(), stop.size());
  }
  return true;
}

int PluginProcess::call(const std::string& frame, vitals_call& call, bool* has_instance) {
  if (!failure_.empty()) {
    call.abort_reason = "the plugin's process has already failed: " + failure_;
    return VITALS_ERROR;
  }
  stop_sent_ = false;
  in_.clear();
  if (!isolation::write_all(fd_, frame.data(), frame.size())) {
    return fail(call, "plugin.crashed", "its process " + reap_description());
  }
  const auto deadline =
      Clock::now() + std::chrono::duration_cast<Clock::duration>(
                         std::chrono::duration<double>(std::max(timeout_s_, 0.0)));
  std::size_t at = 0;
  int rc = VITALS_ERROR;
  bool replied = false;
  while (true) {
    // Every complete frame received so far.
    while (in_.size() - at >= isolation::kHeaderBytes) {
      const auto* h = reinterpret_cast<const unsigned char*>(in_.data() + at);
      const std::size_t len = h[0] | (h[1] << 8) | (h[2] << 16) | (std::size_t{h[3]} << 24);
      if (len > isolation::kMaxPayloadBytes) {
        return fail(call, "plugin.crashed",
                    "its process sent a message of " + std::to_string(len) +
                        " bytes, over the limit of " + std::to_string(isolation::kMaxPayloadBytes) +
                        " bytes");
      }
      if (in_.size() - at < isolation::kHeaderBytes + len) break;
      const auto type = static_cast<Frame>(h[4]);
      if (!replay(type, in_.data() + at + isolation::kHeaderBytes, len, call, rc, replied,
                  has_instance)) {
        return fail(call, "plugin.crashed",
                    "its process sent a malformed message (type " +
                        std::to_string(static_cast<int>(type)) + ")");
      }
      at += isolation::kHeaderBytes + len;
      if (replied) return rc;
    }
    in_.erase(0, at);
    at = 0;

    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      return fail(call, "plugin.timeout",
                  std::string("it did not finish its ") + phase_name(call.phase) + " within " +
                      seconds_text(timeout_s_) + " s (the source's timeout_s); its process was " +
                      "stopped");
    }
    pollfd p{fd_, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), INT_MAX)));
    if (ready < 0 && errno != EINTR) {
      return fail(call, "plugin.crashed",
                  std::string("waiting for its process failed: ") + std::strerror(errno));
    }
    if (ready <= 0) continue;
    const std::size_t old = in_.size();
    in_.resize(old + kReadChunk);
    ssize_t n = ::read(fd_, in_.data() + old, kReadChunk);
    in_.resize(old + (n > 0 ? static_cast<std::size_t>(n) : 0));
    if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
      return fail(call, "plugin.crashed", "its process " + reap_description());
    }
  }
}

}  // namespace vitals::detail
