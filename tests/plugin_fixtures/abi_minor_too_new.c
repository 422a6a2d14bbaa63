// SPDX-License-Identifier: Apache-2.0
/* Requires a newer minor of the plugin ABI than the host provides. */
#include <vitals/plugin/abi.h>

#include <stddef.h>

static int create(vitals_call* call, const vitals_source_config* config, void** out) {
  (void)call;
  (void)config;
  (void)out;
  return VITALS_ERROR;
}
static int fetch(void* instance, vitals_call* call) {
  (void)instance;
  (void)call;
  return VITALS_ERROR;
}
static int destroy(void* instance, vitals_call* call) {
  (void)instance;
  (void)call;
  return VITALS_OK;
}

static const vitals_plugin_descriptor descriptor = {sizeof(vitals_plugin_descriptor),
                                                    VITALS_PLUGIN_ABI_MAJOR,
                                                    VITALS_PLUGIN_ABI_MINOR + 1,
                                                    "abi_minor_too_new",
                                                    "2.0.0",
                                                    "future SDK",
                                                    0,
                                                    &create,
                                                    NULL,
                                                    &fetch,
                                                    &destroy};

const vitals_plugin_descriptor* vitals_plugin_entry_v1(const vitals_host_api* host) {
  (void)host;
  return &descriptor;
}
