/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VITALS_VITALS_H
#define VITALS_VITALS_H

/*
 * The C API of libvitals, for programs that cannot use the C++ API: Python
 * (ctypes), .NET (P/Invoke), or C. See docs/embedding.md.
 *
 * Conventions:
 *  - Objects are opaque handles, made by a *_new or *_open function and freed
 *    by the matching *_free function (which accepts NULL).
 *  - Every function that can fail returns a vitals_status; VITALS_OK is 0.
 *    On failure vitals_last_error() describes the problem.
 *  - Strings in and out are UTF-8 and NUL-terminated. A string the library
 *    returns through a `char** out` parameter belongs to the caller, who
 *    frees it with vitals_free(). Structured results are JSON text.
 *  - Missing figures (a blank cell: "not available yet") are NaN.
 *  - No function throws or aborts on bad input.
 *
 * Thread safety: an engine, and the reports and batches made with it, must be
 * used by one thread at a time; distinct engines may be used concurrently.
 * vitals_last_error() is per thread.
 */

#include <stddef.h>
#include <stdint.h>

#if defined(VITALS_BUILDING_LIBRARY)
#define VITALS_C_API __attribute__((visibility("default")))
#else
#define VITALS_C_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* The same codes, in the same order, as vitals::StatusCode. */
typedef enum vitals_status {
  VITALS_OK = 0,
  VITALS_INVALID_ARGUMENT = 1, /* the caller passed something malformed */
  VITALS_NOT_FOUND = 2,        /* a file, indicator, plugin or run does not exist */
  VITALS_PARSE_ERROR = 3,      /* a user's file could not be read as its format */
  VITALS_VALIDATION_ERROR = 4, /* a user's file parsed but says something invalid */
  VITALS_IO_ERROR = 5,         /* reading or writing the file system failed */
  VITALS_PLUGIN_ERROR = 6,     /* a source plugin failed to load or to run */
  VITALS_RULE_ERROR = 7,       /* a rule script failed to load or to run */
  VITALS_STORE_ERROR = 8,      /* the SQLite store failed */
  VITALS_INTERNAL = 9          /* a bug in Vitals */
} vitals_status;

typedef struct vitals_options vitals_options;
typedef struct vitals_engine vitals_engine;
typedef struct vitals_batch vitals_batch;
typedef struct vitals_report vitals_report;

/* The library's version, e.g. "0.1.0". Static storage. */
VITALS_C_API const char* vitals_version(void);

/* A stable lower-case name for a status, e.g. "parse_error"; "unknown" for a
 * value that is not a vitals_status. Static storage. */
VITALS_C_API const char* vitals_status_name(int status);

/* What went wrong in this thread's last failed call, e.g.
 * "store '/x/h.db': cannot open: file is not a database"; "" when none has
 * failed. Valid until this thread's next call into the library. */
VITALS_C_API const char* vitals_last_error(void);

/* Frees a string (or any buffer) the library returned. NULL is fine. */
VITALS_C_API void vitals_free(void* p);

/* ---- Options ------------------------------------------------------------ */

VITALS_C_API vitals_options* vitals_options_new(void);
VITALS_C_API void vitals_options_free(vitals_options* options);

/* Sets one option; VITALS_INVALID_ARGUMENT for an unknown key or a bad value.
 *   "store"          path of the SQLite store (default "vitals.db"; created
 *                    when missing; ":memory:" keeps nothing)
 *   "plugin_dir"     a directory of source plugins; each call adds one and
 *                    enables plugin loading (off by default)
 *   "plugin_permissions"  "strict" (default: refuse group- or world-writable
 *                    plugin files) or "relaxed"
 *   "rule_dir"       a rule directory used when the catalogue names none;
 *                    each call adds one
 *   "threads"        evaluation threads: "0" (default) = one per core
 *   "log_level"      "trace", "debug", "info", "warning" (default), "error", "off";
 *                    log lines go to standard error
 *   "max_bytes", "max_instructions", "max_string_bytes"
 *                    the rule sandbox's limits (whole numbers)          */
VITALS_C_API vitals_status vitals_options_set(vitals_options* options, const char* key,
                                              const char* value);

/* ---- Engine ------------------------------------------------------------- */

/* Opens (creating when missing) the store and loads the allowed plugins. On
 * success *out is a new engine; on failure *out is NULL. `options` may be
 * NULL (every default) and may be freed afterwards. */
VITALS_C_API vitals_status vitals_engine_open(const vitals_options* options, vitals_engine** out);
VITALS_C_API void vitals_engine_free(vitals_engine* engine);

/* Loads the catalogue in directory `dir` (catalogue.toml, indicators/,
 * commentary/) and its rules. VITALS_VALIDATION_ERROR when it has errors; the
 * located problems are in vitals_engine_diagnostics(). */
VITALS_C_API vitals_status vitals_engine_load_catalogue(vitals_engine* engine, const char* dir);

/* The diagnostics of the last vitals_engine_open / load_catalogue, as a JSON
 * array of objects: {"severity", "code", "message", "file", "line", "column",
 * "indicator_id", "rule_id"} ("file" null when not located). */
VITALS_C_API vitals_status vitals_engine_diagnostics(const vitals_engine* engine, char** json_out);

/* The loaded catalogue's indicators as a JSON array of {"id", "title",
 * "polarity", "unit", "frequency", "source", "series"}. */
VITALS_C_API vitals_status vitals_engine_indicators(const vitals_engine* engine, char** json_out);

/* Fetches every source of the catalogue through its plugin into the store.
 * `summary_out` (may be NULL) receives the JSON summary: {"sources",
 * "series", "inserted", "revised", "unchanged", "diagnostics": [...]}. */
VITALS_C_API vitals_status vitals_engine_ingest_sources(vitals_engine* engine, char** summary_out);

/* ---- Pushing observations (no plugin, no file) -------------------------- */

VITALS_C_API vitals_batch* vitals_batch_new(void);
VITALS_C_API void vitals_batch_free(vitals_batch* batch);

/* Adds one observation of series `key` (usually an indicator id) for
 * `period` ("2017-03", "2017-Q1", "2017", "2016/17"). NaN = blank.
 * VITALS_INVALID_ARGUMENT for a malformed period or empty key. */
VITALS_C_API vitals_status vitals_batch_add(vitals_batch* batch, const char* key,
                                            const char* period, double value, double numerator,
                                            double denominator, double target);

/* Stores the batch's observations for the catalogue source `source` in one
 * transaction (new periods inserted, changed figures kept as revisions). The
 * batch is left as it was. `summary_out` as for vitals_engine_ingest_sources. */
VITALS_C_API vitals_status vitals_engine_ingest(vitals_engine* engine, const char* source,
                                                const vitals_batch* batch, char** summary_out);

/* ---- Evaluation --------------------------------------------------------- */

/* Evaluates every indicator for `period` with the catalogue's rules. When
 * `record_run` is non-zero the run is stored. On success *out is a new report. */
VITALS_C_API vitals_status vitals_engine_evaluate(vitals_engine* engine, const char* period,
                                                  int record_run, vitals_report** out);
VITALS_C_API void vitals_report_free(vitals_report* report);

VITALS_C_API size_t vitals_report_indicator_count(const vitals_report* report);
VITALS_C_API size_t vitals_report_exception_count(const vitals_report* report);
/* The stored run's id, or 0 when the run was not recorded. */
VITALS_C_API int64_t vitals_report_run_id(const vitals_report* report);
/* 1 when the run read every source and every rule evaluated every indicator
 * it applies to, else 0 (also for NULL). An incomplete report must say so:
 * the rendered reports open with a banner naming what is missing. */
VITALS_C_API int vitals_report_complete(const vitals_report* report);
/* How many reasons the run is incomplete (0 when complete), and the plain
 * English sentence of reason `index`, owned by the report (NULL when out of
 * range). The JSON rendering has them in full ("incomplete"). */
VITALS_C_API size_t vitals_report_incomplete_count(const vitals_report* report);
VITALS_C_API const char* vitals_report_incomplete_message(const vitals_report* report,
                                                          size_t index);

/* The report as "json" (the contract in docs/report-format.md), "markdown" or
 * "text" (the committee's exception summary). */
VITALS_C_API vitals_status vitals_report_render(const vitals_report* report, const char* format,
                                                char** out);

/* The committee report ("html", "markdown" or "json"): summary, dashboard
 * and a card per exception, with the catalogue's commentary. REQUIRES: the
 * report came from this engine and its catalogue is still loaded. */
VITALS_C_API vitals_status vitals_engine_render_report(const vitals_engine* engine,
                                                       const vitals_report* report,
                                                       const char* format, char** out);

/* The report card of one indicator of the report, as a document of its own.
 * VITALS_NOT_FOUND when the indicator is not in the report. */
VITALS_C_API vitals_status vitals_engine_render_card(const vitals_engine* engine,
                                                     const vitals_report* report,
                                                     const char* indicator_id, const char* format,
                                                     char** out);

#ifdef __cplusplus
}
#endif

#endif /* VITALS_VITALS_H */
