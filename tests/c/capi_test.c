/* The C API from C: load the Low Back Pain graph from a file and from bytes,
 * evaluate one patient (struct and line), a malformed one, an undetermined
 * one, an NDJSON buffer (full and compact lines), bad graphs and fields, and
 * two threads sharing one graph with a session each.
 * Usage: capi_test GRAPH.json */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bindings/c/rubric.h"

static int failures = 0;
#define CHECK(cond)                                                  \
  do {                                                               \
    if (!(cond)) {                                                   \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                    \
    }                                                                \
  } while (0)

static const char* seed =
    "{\"id\":\"seed\",\"age\":\"55 years\",\"symptom_duration\":\"12 weeks\",\"radiculopathy\":true,\"red_flags\":[],"
    "\"conservative_therapy\":\"0 weeks\",\"prior_lumbar_surgery\":false,\"new_or_progressing_symptoms\":false}";
static const char* open_case =
    "{\"id\":\"u\",\"age\":\"55 years\",\"symptom_duration\":\"12 weeks\",\"red_flags\":[],\"conservative_therapy\":\"0 weeks\","
    "\"prior_lumbar_surgery\":true}";

static char* read_all(const char* path, size_t* size) {
  FILE* f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char* buf = malloc((size_t)n);
  *size = fread(buf, 1, (size_t)n, f);
  fclose(f);
  return buf;
}

struct job {
  const rubric_graph* graph;
  int matched;
};

static void* evaluate_many(void* arg) {
  struct job* j = arg;
  rubric_session* s = rubric_session_new(j->graph);
  for (int i = 0; i < 2000; ++i) {
    rubric_result r;
    if (rubric_evaluate(s, seed, strlen(seed), -1, &r, NULL) == RUBRIC_MATCHED && strcmp(r.variant_id, "2") == 0) ++j->matched;
  }
  rubric_session_free(s);
  return NULL;
}

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: capi_test GRAPH.json\n");
    return 2;
  }
  char* error = NULL;
  rubric_graph* g = rubric_graph_load_file(argv[1], &error);
  CHECK(g != NULL);
  if (!g) {
    fprintf(stderr, "%s\n", error);
    return 1;
  }
  CHECK(strcmp(rubric_graph_id(g), "acr.low_back_pain") == 0);
  int mri = rubric_graph_find_procedure(g, "MRI lumbar spine without IV contrast");
  CHECK(mri >= 0);
  CHECK(rubric_graph_find_procedure(g, "MRI of the knee") == -1);

  /* One patient: the struct and the line. */
  rubric_session* s = rubric_session_new(g);
  rubric_result r;
  const char* line = NULL;
  CHECK(rubric_evaluate(s, seed, strlen(seed), mri, &r, &line) == RUBRIC_MATCHED);
  CHECK(r.status == RUBRIC_MATCHED);
  CHECK(strcmp(r.variant_id, "2") == 0);
  CHECK(strncmp(r.variant_title, "Subacute or chronic low back pain", 33) == 0);
  CHECK(strcmp(r.ordered_category, "usually_not_appropriate") == 0);
  CHECK(strcmp(r.ordered_label, "Usually not appropriate") == 0);
  CHECK(r.missing_count == 0);
  CHECK(r.error == NULL);
  CHECK(strncmp(line, "{\"id\":\"seed\",\"status\":\"matched\",\"variant\":{\"id\":\"2\"", 49) == 0);

  CHECK(rubric_evaluate(s, open_case, strlen(open_case), mri, &r, NULL) == RUBRIC_UNDETERMINED);
  CHECK(r.variant_id == NULL && r.ordered_category == NULL);
  CHECK(r.missing_count == 1 && strcmp(r.missing[0], "new_or_progressing_symptoms") == 0);

  const char* bad = "{\"id\":7,\"age\":\"fifty\"}";
  CHECK(rubric_evaluate(s, bad, strlen(bad), -1, &r, &line) == RUBRIC_ERROR);
  CHECK(strcmp(r.error, "`age`: \"fifty\" is not a duration; write a number and a unit, e.g. \"12 weeks\"") == 0);
  CHECK(strstr(line, "\"status\":\"error\"") != NULL);
  rubric_session_free(s);

  /* A buffer of NDJSON: one line per line, errors as lines. */
  char input[2048];
  snprintf(input, sizeof input, "%s\n%s\nnot json\n%s", seed, open_case, seed);
  char* out = NULL;
  size_t out_size = 0;
  rubric_batch_stats st;
  CHECK(rubric_evaluate_ndjson(g, input, strlen(input), NULL, -1, 2, &out, &out_size, &st, &error) == 0);
  CHECK(st.lines == 4 && st.matched == 2 && st.undetermined == 1 && st.errors == 1);
  int newlines = 0;
  for (size_t i = 0; i < out_size; ++i) newlines += out[i] == '\n';
  CHECK(newlines == 4);
  CHECK(strstr(out, "\"error\":\"line 3: malformed JSON: expected an object {…} with one key per fact\"") != NULL);
  rubric_free(out);
  CHECK(rubric_evaluate_ndjson(g, input, strlen(input), "id,status,ordered", mri, 1, &out, &out_size, NULL, NULL) == 0);
  CHECK(strcmp(out,
               "{\"id\":\"seed\",\"status\":\"matched\",\"ordered\":\"usually_not_appropriate\"}\n"
               "{\"id\":\"u\",\"status\":\"undetermined\",\"ordered\":null}\n"
               "{\"id\":null,\"status\":\"error\",\"ordered\":null}\n"
               "{\"id\":\"seed\",\"status\":\"matched\",\"ordered\":\"usually_not_appropriate\"}\n") == 0);
  rubric_free(out);
  CHECK(rubric_evaluate_ndjson(g, input, strlen(input), "id,shoe_size", -1, 1, &out, &out_size, NULL, &error) == -1);
  CHECK(error && strncmp(error, "unknown field `shoe_size`", 25) == 0);
  rubric_free(error);

  /* The same graph from bytes; a broken graph is an error message. */
  size_t size = 0;
  char* bytes = read_all(argv[1], &size);
  rubric_graph* g2 = rubric_graph_load_bytes(bytes, size, NULL);
  CHECK(g2 != NULL);
  rubric_graph_free(g2);
  error = NULL;
  CHECK(rubric_graph_load_bytes(bytes, size / 2, &error) == NULL);
  CHECK(error && strstr(error, "not valid JSON") != NULL);
  rubric_free(error);
  free(bytes);
  error = NULL;
  CHECK(rubric_graph_load_file("/nonexistent/graph.json", &error) == NULL);
  CHECK(error && strstr(error, "/nonexistent/graph.json") != NULL);
  rubric_free(error);

  /* Two threads, one graph, a session each. */
  pthread_t threads[2];
  struct job jobs[2] = {{g, 0}, {g, 0}};
  for (int t = 0; t < 2; ++t) pthread_create(&threads[t], NULL, evaluate_many, &jobs[t]);
  for (int t = 0; t < 2; ++t) pthread_join(threads[t], NULL);
  CHECK(jobs[0].matched == 2000 && jobs[1].matched == 2000);

  rubric_graph_free(g);
  if (failures) {
    fprintf(stderr, "%d failure(s)\n", failures);
    return 1;
  }
  printf("capi_test: all checks passed\n");
  return 0;
}
