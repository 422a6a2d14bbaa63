/* SPDX-License-Identifier: Apache-2.0 */
/* The same as main.cpp through the C API (vitals/vitals.h), the way Python
 * (ctypes) and .NET (P/Invoke) programs call libvitals.
 *
 *   embed_example_c CATALOGUE_DIR
 */
#include <vitals/vitals.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

static int check(vitals_status status, const char* doing) {
  if (status == VITALS_OK) return 0;
  fprintf(stderr, "%s failed: %s: %s\n", doing, vitals_status_name(status), vitals_last_error());
  return 1;
}

int main(int argc, char** argv) {
  vitals_options* options = NULL;
  vitals_engine* engine = NULL;
  vitals_batch* batch = NULL;
  vitals_report* report = NULL;
  char* text = NULL;
  int failed = 1;
  const char* periods[] = {"2016-12", "2017-01", "2017-02", "2017-03"};
  const double values[] = {3.2, 3.4, 3.5, 3.56};
  int i;

  if (argc < 2) {
    fprintf(stderr, "usage: embed_example_c CATALOGUE_DIR\n");
    return 2;
  }
  printf("libvitals %s\n", vitals_version());
  options = vitals_options_new();
  if (check(vitals_options_set(options, "store", ":memory:"), "vitals_options_set")) goto done;
  if (check(vitals_engine_open(options, &engine), "vitals_engine_open")) goto done;
  if (check(vitals_engine_load_catalogue(engine, argv[1]), "vitals_engine_load_catalogue")) goto done;

  batch = vitals_batch_new();
  for (i = 0; i < 4; ++i) {
    if (check(vitals_batch_add(batch, "dtoc_social_care_per_100k", periods[i], values[i], NAN, NAN,
                               NAN),
              "vitals_batch_add")) {
      goto done;
    }
  }
  if (check(vitals_engine_ingest(engine, "dashboard", batch, &text), "vitals_engine_ingest")) goto done;
  printf("ingest: %s\n", text);
  vitals_free(text);
  text = NULL;

  if (check(vitals_engine_evaluate(engine, "2017-03", 0, &report), "vitals_engine_evaluate")) goto done;
  printf("%zu exception(s) among %zu indicators\n", vitals_report_exception_count(report),
         vitals_report_indicator_count(report));
  if (check(vitals_report_render(report, "markdown", &text), "vitals_report_render")) goto done;
  fputs(text, stdout);
  vitals_free(text);
  text = NULL;

  /* Errors are codes plus a message, never a crash. */
  if (vitals_engine_render_card(engine, report, "no_such_indicator", "html", &text) ==
      VITALS_NOT_FOUND) {
    printf("unknown indicator: %s\n", vitals_status_name(VITALS_NOT_FOUND));
  }
  failed = 0;

done:
  vitals_free(text);
  vitals_report_free(report);
  vitals_batch_free(batch);
  vitals_engine_free(engine);
  vitals_options_free(options);
  return failed;
}
