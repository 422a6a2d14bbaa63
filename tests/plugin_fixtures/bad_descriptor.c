// SPDX-License-Identifier: Apache-2.0
/* Declares a descriptor struct_size too small for the fields the host reads
   (as a plugin built against a truncated header would). */
#include <vitals/plugin/abi.h>

#include <stddef.h>

static const vitals_plugin_descriptor descriptor = {offsetof(vitals_plugin_descriptor, create),
                                                    VITALS_PLUGIN_ABI_MAJOR,
                                                    0,
                                                    "bad_descriptor",
                                                    "1.0.0",
                                                    "truncated descriptor",
                                                    0,
                                                    NULL,
                                                    NULL,
                                                    NULL,
                                                    NULL};

const vitals_plugin_descriptor* vitals_plugin_entry_v1(const vitals_host_api* host) {
  (void)host;
  return &descriptor;
}
