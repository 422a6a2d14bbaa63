// SPDX-License-Identifier: Apache-2.0
/* An ABI 1.2 plugin in plain C with a validate function: it accepts only the
   setting `mode`, whose value must be "ok", and reports a problem naming the
   setting for anything else (and one naming no setting when `mode` is
   "unnamed"). */
#include <vitals/plugin/abi.h>

#include <string.h>

static const vitals_host_api* host;
static int instance_marker;

static int streq(const char* a, size_t alen, const char* b) {
  return alen == strlen(b) && memcmp(a, b, alen) == 0;
}

static int report(vitals_call* call, const char* setting, size_t setting_len, const char* message) {
  vitals_problem p;
  memset(&p, 0, sizeof p);
  p.struct_size = sizeof p;
  p.severity = VITALS_SEVERITY_ERROR;
  p.code = "source.bad_setting";
  p.code_len = strlen(p.code);
  p.message = message;
  p.message_len = strlen(message);
  p.setting = setting;
  p.setting_len = setting_len;
  return host->report_problem(call, &p);
}

static int validate(vitals_call* call, const vitals_source_config* config) {
  int errors = 0;
  size_t i;
  for (i = 0; i < config->setting_count; ++i) {
    const vitals_setting* s = &config->settings[i];
    if (!streq(s->key, s->key_len, "mode")) {
      report(call, s->key, s->key_len, "only 'mode' is a setting of c_validate");
      ++errors;
    } else if (streq(s->value, s->value_len, "unnamed")) {
      report(call, NULL, 0, "a problem about no setting in particular");
      ++errors;
    } else if (!streq(s->value, s->value_len, "ok")) {
      report(call, s->key, s->key_len, "mode must be \"ok\"");
      ++errors;
    }
  }
  return errors > 0 ? VITALS_ERROR_CONFIG : VITALS_OK;
}

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

static const vitals_plugin_descriptor descriptor = {
    sizeof(vitals_plugin_descriptor), VITALS_PLUGIN_ABI_MAJOR, 0, "c_validate", "1.0.0",
    "C, ABI 1.2", 0, &create, NULL, &fetch, &destroy, &validate};

VITALS_PLUGIN_EXPORT const vitals_plugin_descriptor* vitals_plugin_entry_v1(
    const vitals_host_api* api) {
  if (api == NULL || api->abi_major != VITALS_PLUGIN_ABI_MAJOR) return NULL;
  host = api;
  return &descriptor;
}
