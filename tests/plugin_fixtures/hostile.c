// SPDX-License-Identifier: Apache-2.0
/* A plugin that misbehaves in the way its `mode` setting names, to show the
   host survives it: crash_create, crash_describe, crash_fetch, crash_destroy
   (SIGSEGV in that entry point), abort_fetch, stack_overflow_fetch,
   exit0_fetch (_Exit(0)), hang_fetch (sleeps forever), slow_fetch (70,000
   points, more than the host's first batch, then creates the file named by
   `started` and waits until the file named by `go` exists before one more
   series), lying_error, lying_key,
   lying_log (a short text passed with a length of 100000 bytes),
   crash_validate and hang_validate (in validate, ABI 1.2). Any other
   mode delivers the series "hostile.a" with two points. */
#include <vitals/plugin/abi.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const vitals_host_api* host;

/* Lies are told about this buffer: it is larger than any limit, so reading
   what the plugin claims stays inside it (and shows what would be copied). */
static char g_large[1 << 17];
static const size_t kLie = 100000;

typedef struct instance {
  char mode[32];
  char started[1024];
  char go[1024];
} instance;

static int streq(const char* a, size_t alen, const char* b) {
  return alen == strlen(b) && memcmp(a, b, alen) == 0;
}

static int is(const instance* self, const char* mode) { return strcmp(self->mode, mode) == 0; }

/* Not provably NULL, so the compiler emits a real store (not a trap). */
static int* volatile g_nowhere = NULL;

static void crash(void) { *g_nowhere = 1; }

static volatile int g_depth_limit = 1 << 30;

static int recurse(int depth) {
  volatile char frame[4096];
  frame[0] = (char)depth;
  if (depth >= g_depth_limit) return frame[0];
  return recurse(depth + 1) + frame[0];
}

static void sleep_ms(long ms) {
  struct timespec ts;
  ts.tv_sec = ms / 1000;
  ts.tv_nsec = (ms % 1000) * 1000000L;
  while (nanosleep(&ts, &ts) != 0) {
  }
}

static int create(vitals_call* call, const vitals_source_config* config, void** out_instance) {
  instance* self = (instance*)calloc(1, sizeof *self);
  size_t i;
  if (self == NULL) return VITALS_ERROR_NOMEM;
  strcpy(self->mode, "ok");
  for (i = 0; i < config->setting_count; ++i) {
    const vitals_setting* s = &config->settings[i];
    if (streq(s->key, s->key_len, "mode") && s->value_len < sizeof self->mode) {
      memcpy(self->mode, s->value, s->value_len);
      self->mode[s->value_len] = '\0';
    } else if (streq(s->key, s->key_len, "started") && s->value_len < sizeof self->started) {
      memcpy(self->started, s->value, s->value_len);
    } else if (streq(s->key, s->key_len, "go") && s->value_len < sizeof self->go) {
      memcpy(self->go, s->value, s->value_len);
    }
  }
  if (is(self, "crash_create")) crash();
  if (is(self, "lying_error")) {
    host->set_error(call, VITALS_ERROR_CONFIG, g_large, kLie);
    free(self);
    return VITALS_ERROR_CONFIG;
  }
  *out_instance = self;
  return VITALS_OK;
}

static int describe(void* opaque, vitals_call* call) {
  const instance* self = (const instance*)opaque;
  if (is(self, "crash_describe")) crash();
  if (host->begin_series(call, "hostile.a", 9) != 0) return VITALS_ERROR_ABORTED;
  return host->end_series(call) != 0 ? VITALS_ERROR_ABORTED : VITALS_OK;
}

static int push(vitals_call* call, const char* period, double value) {
  vitals_point p;
  memset(&p, 0, sizeof p);
  p.struct_size = sizeof p;
  p.period = period;
  p.period_len = strlen(period);
  p.flags = VITALS_POINT_HAS_VALUE;
  p.value = value;
  return host->push_point(call, &p);
}

static int fetch(void* opaque, vitals_call* call) {
  const instance* self = (const instance*)opaque;
  if (is(self, "crash_fetch")) crash();
  if (is(self, "abort_fetch")) abort();
  if (is(self, "stack_overflow_fetch")) return recurse(0) == 0 ? VITALS_ERROR : VITALS_OK;
  if (is(self, "exit0_fetch")) _Exit(0);
  if (is(self, "hang_fetch")) {
    for (;;) sleep_ms(1000);
  }
  if (is(self, "lying_log")) host->log(call, VITALS_LOG_WARNING, g_large, kLie);
  if (is(self, "lying_key")) {
    if (host->begin_series(call, g_large, kLie) != 0) return VITALS_ERROR_ABORTED;
  }
  if (is(self, "slow_fetch")) {
    char key[32];
    char period[16];
    int s;
    int m;
    int waited;
    FILE* f;
    for (s = 0; s < 1000; ++s) {
      snprintf(key, sizeof key, "slow.%d", s);
      if (host->begin_series(call, key, strlen(key)) != 0) return VITALS_ERROR_ABORTED;
      for (m = 0; m < 70; ++m) {
        snprintf(period, sizeof period, "%d-%02d", 2010 + m / 12, m % 12 + 1);
        if (push(call, period, (double)(s + m)) != 0) return VITALS_ERROR_ABORTED;
      }
      if (host->end_series(call) != 0) return VITALS_ERROR_ABORTED;
    }
    f = fopen(self->started, "w");
    if (f != NULL) fclose(f);
    for (waited = 0; waited < 60000 && access(self->go, F_OK) != 0; waited += 20) sleep_ms(20);
    if (host->begin_series(call, "hostile.a", 9) != 0) return VITALS_ERROR_ABORTED;
    if (push(call, "2017-01", 1.0) != 0) return VITALS_ERROR_ABORTED;
    return host->end_series(call) != 0 ? VITALS_ERROR_ABORTED : VITALS_OK;
  }
  if (host->begin_series(call, "hostile.a", 9) != 0) return VITALS_ERROR_ABORTED;
  if (push(call, "2017-01", 1.0) != 0 || push(call, "2017-02", 2.0) != 0) {
    return VITALS_ERROR_ABORTED;
  }
  return host->end_series(call) != 0 ? VITALS_ERROR_ABORTED : VITALS_OK;
}

static int destroy(void* opaque, vitals_call* call) {
  const instance* self = (const instance*)opaque;
  (void)call;
  if (is(self, "crash_destroy")) crash();
  free(opaque);
  return VITALS_OK;
}

/* ABI 1.2: checks settings without fetching; crash_validate and
   hang_validate misbehave here, every other mode is accepted. */
static int validate(vitals_call* call, const vitals_source_config* config) {
  size_t i;
  (void)call;
  for (i = 0; i < config->setting_count; ++i) {
    const vitals_setting* s = &config->settings[i];
    if (!streq(s->key, s->key_len, "mode")) continue;
    if (streq(s->value, s->value_len, "crash_validate")) crash();
    if (streq(s->value, s->value_len, "hang_validate")) {
      for (;;) sleep_ms(1000);
    }
  }
  return VITALS_OK;
}

static const vitals_plugin_descriptor descriptor = {sizeof(vitals_plugin_descriptor),
                                                    VITALS_PLUGIN_ABI_MAJOR,
                                                    0,
                                                    "hostile",
                                                    "1.0.0",
                                                    "plain C fixture",
                                                    0,
                                                    &create,
                                                    &describe,
                                                    &fetch,
                                                    &destroy,
                                                    &validate};

const vitals_plugin_descriptor* vitals_plugin_entry_v1(const vitals_host_api* api) {
  host = api;
  memset(g_large, 'x', sizeof g_large);
  return &descriptor;
}
