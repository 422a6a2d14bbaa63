// SPDX-License-Identifier: Apache-2.0
/* Records (plugin ABI 1.1) through the bare C ABI: a well-formed fetch, and
   the host's checks on what a plugin may hand it, chosen by the `mode` setting. */
#include <vitals/plugin/abi.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const vitals_host_api* host;

typedef struct instance {
  char mode[32];
} instance;

static int fail(vitals_call* call, int code, const char* message) {
  host->set_error(call, code, message, strlen(message));
  return code;
}

static int create(vitals_call* call, const vitals_source_config* config, void** out_instance) {
  instance* self = (instance*)calloc(1, sizeof *self);
  size_t i;
  if (self == NULL) return fail(call, VITALS_ERROR_NOMEM, "out of memory");
  strcpy(self->mode, "ok");
  for (i = 0; i < config->setting_count; ++i) {
    const vitals_setting* s = &config->settings[i];
    if (s->key_len == 4 && memcmp(s->key, "mode", 4) == 0 && s->value_len < sizeof self->mode) {
      memcpy(self->mode, s->value, s->value_len);
      self->mode[s->value_len] = '\0';
    }
  }
  *out_instance = self;
  return VITALS_OK;
}

static vitals_record record(const char* kind, const char* key, const char* period, int64_t line) {
  vitals_record r;
  memset(&r, 0, sizeof r);
  r.struct_size = sizeof r;
  r.kind = kind;
  r.kind_len = strlen(kind);
  r.key = key;
  r.key_len = strlen(key);
  r.period = period;
  r.period_len = strlen(period);
  r.file = "risks.csv";
  r.file_len = 9;
  r.line = line;
  return r;
}

static int text(vitals_call* call, const char* name, const char* value) {
  return host->record_text(call, name, strlen(name), value, strlen(value));
}

static int number(vitals_call* call, const char* name, double value) {
  return host->record_number(call, name, strlen(name), value);
}

#define CHECK(x) \
  if ((x) != 0) return VITALS_ERROR_ABORTED

static int fetch(void* opaque, vitals_call* call) {
  const instance* self = (const instance*)opaque;
  vitals_record r = record("risk", "RM1", "2017-03", 2);
  if (!VITALS_HOST_HAS(host, end_record)) {
    return fail(call, VITALS_ERROR, "the host cannot receive records");
  }
  if (strcmp(self->mode, "field_outside_record") == 0) {
    CHECK(text(call, "title", "x"));
    return VITALS_OK;
  }
  if (strcmp(self->mode, "end_without_begin") == 0) {
    CHECK(host->end_record(call));
    return VITALS_OK;
  }
  if (strcmp(self->mode, "record_in_series") == 0) {
    CHECK(host->begin_series(call, "alpha", 5));
    CHECK(host->begin_record(call, &r));
    return VITALS_OK;
  }
  if (strcmp(self->mode, "small_record") == 0) r.struct_size = 8;
  if (strcmp(self->mode, "empty_key") == 0) r.key_len = 0;
  if (strcmp(self->mode, "bad_period") == 0) {
    r.period = "2017-13";
    r.period_len = 7;
  }
  CHECK(host->begin_record(call, &r));
  if (strcmp(self->mode, "nested_record") == 0) {
    CHECK(host->begin_record(call, &r));
  }
  CHECK(text(call, "title", "Failure in the care market"));
  CHECK(number(call, "current_likelihood", 4));
  CHECK(number(call, "current_impact", strcmp(self->mode, "bad_score") == 0 ? 7 : 3));
  CHECK(text(call, "prospects", "amber"));
  CHECK(text(call, "title", "Failure in the care market (restated)")); /* the last value wins */
  if (strcmp(self->mode, "nan") == 0) CHECK(number(call, "original_impact", nan("")));
  CHECK(host->end_record(call));

  r = record("budget_line", "older_people", "2017-03", 3);
  if (strcmp(self->mode, "duplicate") == 0) r = record("risk", "RM1", "2017-03", 5);
  CHECK(host->begin_record(call, &r));
  CHECK(number(call, "budget", 103677000));
  CHECK(number(call, "forecast", 111914000));
  CHECK(host->end_record(call));

  /* Records and series may be mixed in one fetch. */
  {
    vitals_point p;
    memset(&p, 0, sizeof p);
    p.struct_size = sizeof p;
    p.period = "2017-03";
    p.period_len = 7;
    p.flags = VITALS_POINT_HAS_VALUE;
    p.value = 1.5;
    CHECK(host->begin_series(call, "alpha", 5));
    CHECK(host->push_point(call, &p));
    CHECK(host->end_series(call));
  }
  return VITALS_OK;
}

static int destroy(void* opaque, vitals_call* call) {
  (void)call;
  free(opaque);
  return VITALS_OK;
}

static const vitals_plugin_descriptor descriptor = {sizeof(vitals_plugin_descriptor),
                                                    VITALS_PLUGIN_ABI_MAJOR,
                                                    1,
                                                    "c_records",
                                                    "1.1.0",
                                                    "plain C records fixture",
                                                    VITALS_CAP_DETERMINISTIC,
                                                    &create,
                                                    NULL,
                                                    &fetch,
                                                    &destroy};

const vitals_plugin_descriptor* vitals_plugin_entry_v1(const vitals_host_api* api) {
  host = api;
  return &descriptor;
}
