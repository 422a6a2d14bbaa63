// SPDX-License-Identifier: Apache-2.0
/* Built for a future plugin ABI major 2: exports only vitals_plugin_entry_v2.
   The v1 host must refuse it by name, without calling anything. */
#include <vitals/plugin/abi.h>

#include <stddef.h>

VITALS_PLUGIN_EXPORT const void* vitals_plugin_entry_v2(const void* host);

const void* vitals_plugin_entry_v2(const void* host) {
  (void)host;
  return NULL;
}
