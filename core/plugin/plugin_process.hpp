// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "plugin/host_api.hpp"
#include "plugin/isolation_protocol.hpp"

#include <vitals/status.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <sys/types.h>
#include <vector>

namespace vitals::detail {

/// The program that runs isolated plugins: `VITALS_PLUGIN_HOST` when set,
/// else vitals-plugin-host beside the library or program holding this code,
/// or in the bin/ directory of the tree it is installed in. kNotFound
/// listing the places looked in.
Result<std::filesystem::path> find_plugin_host_program();

/// The directories the plugins shipped with Vitals are in, relative to the
/// library or program holding this code: plugins/ beside it (the build tree)
/// and lib/vitals/plugins of its installed tree. Some may not exist.
std::vector<std::filesystem::path> shipped_plugin_dirs();

/// One isolated plugin instance: a vitals-plugin-host process, started with
/// fork+exec (posix_spawn), that loads the plugin and runs its functions on
/// the host's request, connected by a socket pair (isolation_protocol.hpp).
/// Every call has a deadline. When the process crashes, exits, breaks the
/// protocol or passes the deadline, it is killed, the call fails with the
/// reason, and every later call fails at once with the same reason.
/// Thread safety: not safe for concurrent use.
class PluginProcess {
 public:
  /// Starts `program`. kPluginError when it cannot be started.
  static Result<std::unique_ptr<PluginProcess>> start(const std::filesystem::path& program,
                                                      double timeout_s);

  /// Closes the connection; the process exits (it is killed if it has not
  /// within a second).
  ~PluginProcess();
  PluginProcess(const PluginProcess&) = delete;
  PluginProcess& operator=(const PluginProcess&) = delete;

  /// Sends the request `frame` (a complete frame, isolation::FrameWriter)
  /// and replays every host API call the plugin makes into `call` through
  /// the real host API (host_api()), until the plugin's reply. Returns the
  /// plugin function's code; sets `*has_instance` from a create's reply.
  /// When a host function returns non-zero, the process is told to stop.
  /// When the process fails (see the class comment), sets call.abort_reason,
  /// adds an error Diagnostic ("plugin.crashed" or "plugin.timeout") naming
  /// the plugin, the source, the call and the signal or exit status, and
  /// returns VITALS_ERROR. An exception the plugin let escape becomes
  /// call.abort_reason as in-process.
  int call(const std::string& frame, vitals_call& call, bool* has_instance = nullptr);

  /// False once the process has failed.
  bool alive() const { return failure_.empty(); }
  double timeout_s() const { return timeout_s_; }

 private:
  PluginProcess(pid_t pid, int fd, double timeout_s);

  // Kills and reaps the process, then records why it failed.
  int fail(vitals_call& call, const std::string& code, std::string reason);
  // Reaps the process after it closed its end: "was killed by signal 11 (...)".
  std::string reap_description();
  // Handles one frame; false when it breaks the protocol.
  bool replay(isolation::Frame type, const char* payload, std::size_t len, vitals_call& call,
              int& rc, bool& replied, bool* has_instance);

  pid_t pid_;
  int fd_;
  double timeout_s_;
  bool reaped_ = false;
  bool stop_sent_ = false;
  std::string failure_;
  std::string in_;
};

}  // namespace vitals::detail
