// SPDX-License-Identifier: Apache-2.0
/* A plugin as built against plugin ABI 1.0: the structures below are a frozen
   copy of abi.h at minor 0 (no record sink), so this library proves that a
   host of a later minor still loads and runs plugins of minor 0. It includes
   no Vitals header on purpose. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct vitals_call vitals_call;

typedef struct v10_setting {
  const char* key;
  size_t key_len;
  const char* value;
  size_t value_len;
} v10_setting;

typedef struct v10_source_config {
  size_t struct_size;
  const char* source_name;
  size_t source_name_len;
  const char* base_dir;
  size_t base_dir_len;
  const v10_setting* settings;
  size_t setting_count;
} v10_source_config;

typedef struct v10_point {
  size_t struct_size;
  const char* period;
  size_t period_len;
  unsigned flags;
  double value;
  double numerator;
  double denominator;
  double target;
  const char* file;
  size_t file_len;
  int64_t line;
  int64_t column;
  const char* field;
  size_t field_len;
} v10_point;

typedef struct v10_problem v10_problem;

typedef struct v10_host_api {
  size_t struct_size;
  uint32_t abi_major;
  uint32_t abi_minor;
  const char* host_version;
  void (*log)(vitals_call* call, int level, const char* message, size_t len);
  void (*set_error)(vitals_call* call, int code, const char* message, size_t len);
  int (*begin_series)(vitals_call* call, const char* key, size_t len);
  int (*push_point)(vitals_call* call, const v10_point* point);
  int (*end_series)(vitals_call* call);
  int (*report_problem)(vitals_call* call, const v10_problem* problem);
} v10_host_api;

typedef struct v10_descriptor {
  size_t struct_size;
  uint32_t abi_major;
  uint32_t abi_minor_required;
  const char* name;
  const char* version;
  const char* build_info;
  uint64_t capabilities;
  int (*create)(vitals_call* call, const v10_source_config* config, void** out_instance);
  int (*describe)(void* instance, vitals_call* call);
  int (*fetch)(void* instance, vitals_call* call);
  int (*destroy)(void* instance, vitals_call* call);
} v10_descriptor;

static const v10_host_api* host;
static int instance_marker;

static int create(vitals_call* call, const v10_source_config* config, void** out_instance) {
  (void)call;
  (void)config;
  *out_instance = &instance_marker;
  return 0;
}

static int fetch(void* instance, vitals_call* call) {
  v10_point p;
  (void)instance;
  memset(&p, 0, sizeof p);
  p.struct_size = sizeof p;
  p.period = "2017-03";
  p.period_len = 7;
  p.flags = 1u; /* has value */
  p.value = 42.0;
  if (host->begin_series(call, "answer", 6) != 0) return 6;
  if (host->push_point(call, &p) != 0) return 6;
  if (host->end_series(call) != 0) return 6;
  return 0;
}

static int destroy(void* instance, vitals_call* call) {
  (void)instance;
  (void)call;
  return 0;
}

static const v10_descriptor descriptor = {sizeof(v10_descriptor), 1, 0, "abi_v1_0", "1.0.0",
                                          "frozen ABI 1.0 structures", 1, &create, NULL, &fetch,
                                          &destroy};

__attribute__((visibility("default"))) const v10_descriptor* vitals_plugin_entry_v1(
    const v10_host_api* api) {
  /* A 1.0 plugin only needs the 1.0 table; a larger one is fine. */
  if (api == NULL || api->abi_major != 1 || api->struct_size < sizeof(v10_host_api)) return NULL;
  host = api;
  return &descriptor;
}
