// SPDX-License-Identifier: Apache-2.0
// vitals-plugin-host: runs one isolated source plugin for a Vitals host
// process, which starts it with the socket to serve on as file descriptor 3.
#include "plugin/plugin_process_child.hpp"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char** argv) {
  int fd = -1;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--fd") == 0) fd = std::atoi(argv[i + 1]);
  }
  if (fd < 0) {
    std::fprintf(stderr,
                 "vitals-plugin-host runs source plugins for Vitals in a process of their own; "
                 "it is started by Vitals, not by hand\n");
    return 2;
  }
  // A plugin stuck in a call must not outlive the host that started it.
  // (Strictly, the signal comes when the thread that started this process
  // ends; the engine creates, uses and closes a source within one call.)
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() == 1) return 1;
  std::signal(SIGPIPE, SIG_IGN);
  return vitals::detail::serve_plugin_requests(fd);
}
