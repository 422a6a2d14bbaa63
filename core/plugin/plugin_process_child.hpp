// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace vitals::detail {

/// The isolated side of a plugin (the vitals-plugin-host program): serves
/// the host's requests (isolation_protocol.hpp) arriving on the stream
/// socket `fd`: loads the plugin with the host's own loader, calls its
/// create, describe, fetch and destroy, and forwards every host API call the
/// plugin makes to the host as it happens. Returns the process's exit
/// status when the host closes the socket (0), or 1 when the socket fails or
/// the host breaks the protocol.
int serve_plugin_requests(int fd);

}  // namespace vitals::detail
