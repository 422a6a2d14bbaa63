// SPDX-License-Identifier: Apache-2.0
#pragma once

/*
** The Vitals source-plugin ABI: a pure C interface between the host (libvitals)
** and a plugin shared library. C++ plugin authors normally use
** <vitals/plugin/sdk.hpp>, which implements all of this for them.
**
** Lifecycle
**   1. The host dlopen()s the plugin and looks up VITALS_PLUGIN_ENTRY_NAME
**      ("vitals_plugin_entry_v1"; the ABI major is part of the symbol name).
**   2. It calls the entry once with the host's function table and receives a
**      static descriptor. It checks, in order: abi_major equal, then
**      abi_minor_required <= VITALS_PLUGIN_ABI_MINOR of the host, then
**      struct_size large enough, then the name unique among loaded plugins.
**   3. For each source the catalogue declares with this plugin, it calls
**      validate() (ABI 1.2, when the plugin has it) to check the settings
**      without reading any data, e.g. for `vitals check`; then create() with
**      the source's settings, then fetch() (and describe()) as often as it
**      likes, then destroy().
**
** Memory and ownership
**   - Every string the host passes is UTF-8, NUL-terminated, also given with
**     its length, and valid only until the function it was passed to returns.
**   - Every string or structure the plugin passes to a host function is copied
**     before that function returns. No plugin-allocated memory outlives a call,
**     and the host never frees plugin memory (nor the plugin host memory).
**   - The descriptor and the strings it points to must stay valid for as long
**     as the library is loaded (a static object is the natural choice). The host
**     never unloads a plugin library.
**
** Errors
**   - Every plugin function returns VITALS_OK or one of the VITALS_ERROR_*
**     codes, and on error should call host->set_error() with a message.
**   - No C++ exception may leave a plugin function; the SDK's shims catch them.
**   - Host functions never fail by unwinding; the sink functions return
**     non-zero when the host wants the plugin to stop (the plugin should then
**     return VITALS_ERROR_ABORTED as soon as it can).
**
** Threads
**   Host functions may be called only on the thread that is running the
**   plugin function they belong to (the `call` argument), and only until that
**   plugin function returns.
*/

/*
** ABI EVOLUTION RULES (in the spirit of sqlite3ext.h; read before changing
** anything in this file):
**
**   The structures below are shared between separately compiled binaries. To
**   preserve backwards compatibility, new fields and new function pointers
**   must be added at the END of their structure, never in the middle, and
**   every addition bumps VITALS_PLUGIN_ABI_MINOR. Never reorder, resize or
**   retype an existing member, and never remove one: a deprecated slot keeps
**   its place (a new host may set it to a function that fails). Readers check
**   struct_size before touching any member added after minor 0.
**
**   Anything that cannot be expressed by appending is a new ABI major: a new
**   entry symbol (vitals_plugin_entry_v2), so that an old host sees "no entry"
**   instead of misreading a structure.
*/

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VITALS_PLUGIN_ABI_MAJOR 1
#define VITALS_PLUGIN_ABI_MINOR 3

/* The entry symbol for this ABI major, as an identifier and as a string. */
#define VITALS_PLUGIN_ENTRY vitals_plugin_entry_v1
#define VITALS_PLUGIN_ENTRY_NAME "vitals_plugin_entry_v1"

/* Return codes of plugin functions. */
#define VITALS_OK 0
#define VITALS_ERROR 1         /* failed; the message was given to set_error */
#define VITALS_ERROR_CONFIG 2  /* a setting is missing or invalid */
#define VITALS_ERROR_IO 3      /* a file or service could not be read */
#define VITALS_ERROR_DATA 4    /* the data is invalid; details were reported as problems */
#define VITALS_ERROR_NOMEM 5   /* out of memory */
#define VITALS_ERROR_ABORTED 6 /* a sink function returned non-zero: the host asked to stop */

/* Log levels for vitals_host_api.log. */
#define VITALS_LOG_TRACE 0
#define VITALS_LOG_DEBUG 1
#define VITALS_LOG_INFO 2
#define VITALS_LOG_WARNING 3
#define VITALS_LOG_ERROR 4

/* Severities for vitals_problem.severity. */
#define VITALS_SEVERITY_ERROR 0
#define VITALS_SEVERITY_WARNING 1
#define VITALS_SEVERITY_NOTE 2

/* Capability bits for vitals_plugin_descriptor.capabilities:
**   DETERMINISTIC  same settings, same data: fetch is repeatable;
**   THREAD_SAFE    distinct instances may run on distinct threads at once;
**   NEEDS_NETWORK  fetch talks to a remote service. */
#define VITALS_CAP_DETERMINISTIC (UINT64_C(1) << 0)
#define VITALS_CAP_THREAD_SAFE (UINT64_C(1) << 1)
#define VITALS_CAP_NEEDS_NETWORK (UINT64_C(1) << 2)

/* Presence bits for vitals_point.flags: a number is missing unless its bit is set. */
#define VITALS_POINT_HAS_VALUE (1u << 0)
#define VITALS_POINT_HAS_NUMERATOR (1u << 1)
#define VITALS_POINT_HAS_DENOMINATOR (1u << 2)
#define VITALS_POINT_HAS_TARGET (1u << 3)

/* One host-side call in progress; opaque to plugins. */
typedef struct vitals_call vitals_call;

/* ABI 1.2: a string with its length. */
typedef struct vitals_string {
  const char* text;
  size_t len;
} vitals_string;

/* One setting of a source: a key and its value, both as text. */
typedef struct vitals_setting {
  const char* key;
  size_t key_len;
  const char* value;
  size_t value_len;
} vitals_setting;

/*
** The configuration of one source instance: the catalogue's [sources.NAME]
** table flattened to text pairs (sorted by key, keys unique), and the
** directory that relative paths in them are relative to.
*/
typedef struct vitals_source_config {
  size_t struct_size;
  const char* source_name; /* the catalogue's NAME */
  size_t source_name_len;
  const char* base_dir; /* absolute, or empty when unknown */
  size_t base_dir_len;
  const vitals_setting* settings;
  size_t setting_count;

  /* ---- ABI 1.2 ----------------------------------------------------------
  ** The folders a source may read files from, besides base_dir: the
  ** catalogue's [catalogue] data_dirs, each absolute with every symbolic link
  ** resolved. A file a setting names must lie, once every symbolic link on
  ** its way is followed, inside base_dir or one of these; a plugin refuses
  ** any other (VITALS_ERROR_CONFIG). The SDK's Settings::path() does so.
  ** When base_dir is empty (no catalogue folder) nothing is confined.
  ** Read these members only when VITALS_CONFIG_HAS(config, data_dir_count);
  ** a 1.1 host passes no such list and checks nothing. */
  const vitals_string* data_dirs;
  size_t data_dir_count;
} vitals_source_config;

/* True when the host's config is large enough to hold `member` (a member
** added after ABI 1.1), e.g. VITALS_CONFIG_HAS(config, data_dir_count). */
#define VITALS_CONFIG_HAS(config, member)                                              \
  ((config) != NULL && (config)->struct_size >= offsetof(vitals_source_config, member) + \
                                                  sizeof((config)->member))

/*
** One observation pushed into the current series. The period is text in one
** of the forms "2017-03", "2017-Q1", "2017" or "2016/17"; the host parses it
** and reports a bad one at the location given here.
*/
typedef struct vitals_point {
  size_t struct_size; /* sizeof(vitals_point) as the plugin was compiled */
  const char* period;
  size_t period_len;
  unsigned flags; /* VITALS_POINT_HAS_* */
  double value;
  double numerator;
  double denominator;
  double target;
  /* Where the period was read, for messages. All optional: NULL / 0 = unknown. */
  const char* file;
  size_t file_len;
  int64_t line;      /* 1-based; for tables, the row (the header is row 1) */
  int64_t column;    /* 1-based field number of the period */
  const char* field; /* name of the field holding the period, e.g. "period" */
  size_t field_len;
} vitals_point;

/* A problem in the data, reported with where it is. */
typedef struct vitals_problem {
  size_t struct_size;
  int severity;     /* VITALS_SEVERITY_* */
  const char* code; /* stable dotted code, e.g. "data.bad_value"; NULL = "data.problem" */
  size_t code_len;
  const char* message;
  size_t message_len;
  const char* file; /* optional, as in vitals_point */
  size_t file_len;
  int64_t line;
  int64_t column;
  /* ---- ABI 1.2 ----
  ** The setting the problem is about (a key of the source's settings), or
  ** NULL. The host then locates the problem where the catalogue writes that
  ** setting, instead of at file/line/column. A 1.1 host ignores it. */
  const char* setting;
  size_t setting_len;
} vitals_problem;

/*
** ABI 1.1: the start of one record (see begin_record). Records carry what is
** not a time series: a budget line's monitoring figures, a saving, an entry of
** a risk register. `kind` names what the record is ("budget_line", "saving",
** "risk"; a host stores other kinds but does not use them), `key` is the id
** the catalogue links to, and `period` the period the record describes, in
** the forms of vitals_point.period; the host reports a bad one at `file` and
** `line`.
*/
typedef struct vitals_record {
  size_t struct_size; /* sizeof(vitals_record) as the plugin was compiled */
  const char* kind;
  size_t kind_len;
  const char* key;
  size_t key_len;
  const char* period;
  size_t period_len;
  /* Where the record was read, for messages. Optional: NULL / 0 = unknown. */
  const char* file;
  size_t file_len;
  int64_t line; /* 1-based; for tables, the row (the header is row 1) */
} vitals_record;

/* Host to plugin: handed to the entry function; valid for the whole process. */
typedef struct vitals_host_api {
  size_t struct_size;
  uint32_t abi_major;
  uint32_t abi_minor;
  const char* host_version; /* e.g. "0.1.0" */

  /* Writes a line to the host's log. `call` may be NULL only inside the entry function. */
  void (*log)(vitals_call* call, int level, const char* message, size_t len);
  /* Records why the current plugin function is about to fail. The last call wins. */
  void (*set_error)(vitals_call* call, int code, const char* message, size_t len);

  /* The data sink, usable during fetch (describe: series only, no points).
  ** Pushing to a key already pushed in this call appends to that series.
  ** Each returns 0 to continue, or non-zero when the plugin should stop. */
  int (*begin_series)(vitals_call* call, const char* key, size_t len);
  int (*push_point)(vitals_call* call, const vitals_point* point);
  int (*end_series)(vitals_call* call);
  /* A located problem (bad row, bad cell). An error-severity problem makes
  ** the whole fetch fail, but the plugin should keep reading so that every
  ** problem is reported at once. Usable during create, describe and fetch. */
  int (*report_problem)(vitals_call* call, const vitals_problem* problem);

  /* ---- ABI 1.1 ----------------------------------------------------------
  ** The record sink, usable during fetch only. A plugin must check that the
  ** host has these members (VITALS_HOST_HAS(host, end_record)) before using
  ** them: a 1.0 host's table ends above.
  ** begin_record starts a record (no series or other record may be open);
  ** record_text and record_number add a named field to it (a name given twice
  ** keeps the last value); end_record ends it. A record whose period is bad,
  ** or whose kind, key and period repeat an earlier record of this call, is a
  ** data error (the fetch fails). Each returns 0 to continue, or non-zero when
  ** the plugin should stop. */
  int (*begin_record)(vitals_call* call, const vitals_record* record);
  int (*record_text)(vitals_call* call, const char* name, size_t name_len, const char* value,
                     size_t value_len);
  int (*record_number)(vitals_call* call, const char* name, size_t name_len, double value);
  int (*end_record)(vitals_call* call);
} vitals_host_api;

/* True when the host's table is large enough to hold `member` (a member added
** after ABI 1.0), e.g. VITALS_HOST_HAS(host, end_record) for the record sink. */
#define VITALS_HOST_HAS(host, member)                                                   \
  ((host) != NULL && (host)->struct_size >= offsetof(vitals_host_api, member) +       \
                                                sizeof((host)->member) &&               \
   (host)->member != NULL)

/* Plugin to host: returned by the entry function; static in the plugin. */
typedef struct vitals_plugin_descriptor {
  size_t struct_size;
  uint32_t abi_major;          /* VITALS_PLUGIN_ABI_MAJOR */
  uint32_t abi_minor_required; /* the lowest host minor this plugin works with */
  const char* name;            /* unique, [A-Za-z0-9_.-]{1,64}, e.g. "csv" */
  const char* version;         /* the plugin's own version, e.g. "1.2.0" */
  const char* build_info;      /* compiler, standard library, SDK version; logged, never parsed */
  uint64_t capabilities;       /* VITALS_CAP_* */

  /* Creates an instance for one source. On VITALS_OK sets *out_instance (not
  ** NULL); on failure leaves it NULL and calls set_error. */
  int (*create)(vitals_call* call, const vitals_source_config* config, void** out_instance);
  /* Optional (may be NULL): announces the series keys fetch would deliver,
  ** with begin_series/end_series and no points. */
  int (*describe)(void* instance, vitals_call* call);
  /* Pushes everything the source holds through the sink functions. */
  int (*fetch)(void* instance, vitals_call* call);
  /* Frees the instance. Called exactly once per successful create. */
  int (*destroy)(void* instance, vitals_call* call);

  /* ---- ABI 1.2 ----------------------------------------------------------
  ** Optional (may be NULL; absent from descriptors built before 1.2, which
  ** the host tells apart by struct_size): checks a source's settings as
  ** create() would, WITHOUT reading any data, creating an instance or keeping
  ** any state, so that `vitals check` can report misspelt or missing
  ** settings and missing files before anything is fetched. Report each
  ** problem with report_problem, naming the setting in vitals_problem.setting
  ** so that the host can point at the catalogue line; then return VITALS_OK
  ** when the settings are usable, or VITALS_ERROR_CONFIG when any problem
  ** was an error. Warnings alone do not fail. The host may call validate any
  ** number of times, before or without create. */
  int (*validate)(vitals_call* call, const vitals_source_config* config);

  /* ---- ABI 1.3 ----------------------------------------------------------
  ** Optional (may be NULL; absent from descriptors built before 1.3): the
  ** keys of the settings that name the files fetch reads, ended by NULL,
  ** e.g. {"path", NULL}. A relative value is relative to base_dir. By giving
  ** this list a plugin PROMISES that everything fetch delivers (series,
  ** records, problems and their locations) depends on nothing but the
  ** source's settings and the bytes of those files: no clock, no
  ** environment, no other file, no database or service. The host may then
  ** not call create or fetch at all for a source whose files, settings and
  ** plugin are unchanged since it last read it, and repeat that read's
  ** problems instead. A plugin that reads anything else (a database, a
  ** folder, a web service) leaves it NULL and is always fetched. */
  const char* const* input_file_settings;
} vitals_plugin_descriptor;

typedef const vitals_plugin_descriptor* (*vitals_plugin_entry_fn)(const vitals_host_api* host);

#if defined(__GNUC__) || defined(__clang__)
#define VITALS_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define VITALS_PLUGIN_EXPORT
#endif

/*
** The one symbol a plugin exports. Returns the plugin's descriptor, or NULL
** if the plugin cannot work with this host (it may log why first).
*/
VITALS_PLUGIN_EXPORT const vitals_plugin_descriptor* vitals_plugin_entry_v1(
    const vitals_host_api* host);

#ifdef __cplusplus
} /* extern "C" */
#endif
