// SPDX-License-Identifier: Apache-2.0
/* A source plugin in plain C against <vitals/plugin/abi.h> alone: proves the
   header is C, and exercises the host's checks on what a plugin without the
   SDK may hand it, chosen by the `mode` setting. */
#include <vitals/plugin/abi.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const vitals_host_api* host;

typedef struct instance {
  char mode[32];
} instance;

static int streq(const char* a, size_t alen, const char* b) {
  return alen == strlen(b) && memcmp(a, b, alen) == 0;
}

static int fail(vitals_call* call, int code, const char* message) {
  host->set_error(call, code, message, strlen(message));
  return code;
}

static int create(vitals_call* call, const vitals_source_config* config, void** out_instance) {
  instance* self = NULL;
  const char* mode = "ok";
  size_t mode_len = 2;
  size_t i;
  for (i = 0; i < config->setting_count; ++i) {
    const vitals_setting* s = &config->settings[i];
    if (streq(s->key, s->key_len, "mode")) {
      mode = s->value;
      mode_len = s->value_len;
    }
  }
  if (mode_len >= sizeof self->mode) return fail(call, VITALS_ERROR_CONFIG, "mode is too long");
  if (streq(mode, mode_len, "create_fails")) {
    return fail(call, VITALS_ERROR_CONFIG, "the settings are wrong");
  }
  if (streq(mode, mode_len, "no_instance")) return VITALS_OK;
  if (streq(mode, mode_len, "silent_failure")) return VITALS_ERROR_IO;
  self = (instance*)calloc(1, sizeof *self);
  if (self == NULL) return fail(call, VITALS_ERROR_NOMEM, "out of memory");
  memcpy(self->mode, mode, mode_len);
  *out_instance = self;
  return VITALS_OK;
}

static vitals_point point(const char* period, double value) {
  vitals_point p;
  memset(&p, 0, sizeof p);
  p.struct_size = sizeof p;
  p.period = period;
  p.period_len = strlen(period);
  p.flags = VITALS_POINT_HAS_VALUE;
  p.value = value;
  return p;
}

static int fetch(void* opaque, vitals_call* call) {
  const instance* self = (const instance*)opaque;
  vitals_point p = point("2017-01", 1.0);
  if (strcmp(self->mode, "push_outside_series") == 0) {
    if (host->push_point(call, &p) != 0) return VITALS_ERROR_ABORTED;
    return VITALS_OK;
  }
  if (strcmp(self->mode, "end_without_begin") == 0) {
    if (host->end_series(call) != 0) return VITALS_ERROR_ABORTED;
    return VITALS_OK;
  }
  if (strcmp(self->mode, "silent_fetch_failure") == 0) return VITALS_ERROR_IO;
  if (host->begin_series(call, "alpha", 5) != 0) return VITALS_ERROR_ABORTED;
  if (strcmp(self->mode, "nan_value") == 0) {
    p.value = nan("");
  } else if (strcmp(self->mode, "small_point") == 0) {
    p.struct_size = 8;
  } else if (strcmp(self->mode, "nested_series") == 0) {
    if (host->begin_series(call, "beta", 4) != 0) return VITALS_ERROR_ABORTED;
  } else if (strcmp(self->mode, "unlocated_bad_period") == 0) {
    p.period = "2017-00";
    p.period_len = 7;
  }
  if (host->push_point(call, &p) != 0) return VITALS_ERROR_ABORTED;
  p = point("2017-02", 2.0);
  p.flags = VITALS_POINT_HAS_NUMERATOR | VITALS_POINT_HAS_DENOMINATOR;
  p.value = 99.0; /* not flagged: must be ignored */
  p.numerator = 3.0;
  p.denominator = 4.0;
  if (host->push_point(call, &p) != 0) return VITALS_ERROR_ABORTED;
  /* The series is left open on purpose: the host closes it. */
  return VITALS_OK;
}

static int destroy(void* opaque, vitals_call* call) {
  (void)call;
  free(opaque);
  return VITALS_OK;
}

static const vitals_plugin_descriptor descriptor = {sizeof(vitals_plugin_descriptor),
                                                    VITALS_PLUGIN_ABI_MAJOR,
                                                    0,
                                                    "c_source",
                                                    "1.0.0",
                                                    "plain C fixture",
                                                    VITALS_CAP_DETERMINISTIC,
                                                    &create,
                                                    NULL,
                                                    &fetch,
                                                    &destroy};

const vitals_plugin_descriptor* vitals_plugin_entry_v1(const vitals_host_api* api) {
  const char hello[] = "c_source entry called";
  host = api;
  api->log(NULL, VITALS_LOG_INFO, hello, sizeof hello - 1);
  return &descriptor;
}
