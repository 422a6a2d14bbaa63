// SPDX-License-Identifier: Apache-2.0
/* A descriptor of the current layout whose struct_size stops before
   `validate` (as an ABI 1.1 plugin's would), while the slot behind it holds a
   validate function that fails loudly. The host must not read past
   struct_size: it notes that the settings are not checked, and never calls
   this validate. */
#include <vitals/plugin/abi.h>

#include <stddef.h>
#include <string.h>

static const vitals_host_api* host;
static int instance_marker;

static int create(vitals_call* call, const vitals_source_config* config, void** out_instance) {
  (void)call;
  (void)config;
  *out_instance = &instance_marker;
  return VITALS_OK;
}

static int fetch(void* instance, vitals_call* call) {
  (void)instance;
  (void)call;
  return VITALS_OK;
}

static int destroy(void* instance, vitals_call* call) {
  (void)instance;
  (void)call;
  return VITALS_OK;
}

static int validate(vitals_call* call, const vitals_source_config* config) {
  static const char message[] = "validate was called beyond the descriptor's struct_size";
  (void)config;
  host->set_error(call, VITALS_ERROR, message, strlen(message));
  return VITALS_ERROR;
}

static const vitals_plugin_descriptor descriptor = {
    offsetof(vitals_plugin_descriptor, validate), /* an ABI 1.1 size */
    VITALS_PLUGIN_ABI_MAJOR, 0, "validate_beyond_size", "1.0.0", "C, ABI 1.1 size", 0,
    &create, NULL, &fetch, &destroy, &validate};

VITALS_PLUGIN_EXPORT const vitals_plugin_descriptor* vitals_plugin_entry_v1(
    const vitals_host_api* api) {
  if (api == NULL || api->abi_major != VITALS_PLUGIN_ABI_MAJOR) return NULL;
  host = api;
  return &descriptor;
}
