/* rubric.h — the Rubric runtime for C: load a compiled decision graph
 * (`rubric compile -o graph.json`), evaluate patients — one JSON object, or a
 * buffer of NDJSON — and read results as JSON lines (the bytes of
 * `rubric eval --format ndjson`) or as a struct of the compact fields.
 *
 * Thread safety: a rubric_graph is immutable once loaded; share it between
 * any number of threads. A rubric_session holds scratch buffers: one per
 * thread. rubric_evaluate_ndjson needs no session and may run on many threads
 * at once over the same graph.
 *
 * Ownership: strings in results point into the graph (ids, titles,
 * categories: valid while the graph lives) or into the session (lines and
 * error texts: valid until the session's next call). Buffers returned through
 * `char**` out-parameters are the caller's: release them with rubric_free.
 */
#ifndef RUBRIC_H
#define RUBRIC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rubric_graph rubric_graph;
typedef struct rubric_session rubric_session;

typedef enum rubric_status {
  RUBRIC_MATCHED = 0,
  RUBRIC_UNDETERMINED = 1,
  RUBRIC_NO_CRITERIA_APPLY = 2,
  RUBRIC_ERROR = 3 /* the patient could not be read: see rubric_result.error */
} rubric_status;

/* Loads a decision graph from a file or from bytes in memory. On failure
 * returns NULL and, when `error` is not NULL, sets *error to a message
 * (free it with rubric_free). */
rubric_graph* rubric_graph_load_file(const char* path, char** error);
rubric_graph* rubric_graph_load_bytes(const char* data, size_t size, char** error);
void rubric_graph_free(rubric_graph* graph);

/* The guideline's id, e.g. "acr.low_back_pain". */
const char* rubric_graph_id(const rubric_graph* graph);
/* A procedure by display name, id or code: its index, or -1. */
int rubric_graph_find_procedure(const rubric_graph* graph, const char* name);

rubric_session* rubric_session_new(const rubric_graph* graph);
void rubric_session_free(rubric_session* session);

/* The compact fields of one result. */
typedef struct rubric_result {
  rubric_status status;
  const char* variant_id;        /* matched: the selected variant's id; otherwise NULL */
  const char* variant_title;     /* matched: its title; otherwise NULL */
  const char* ordered_category;  /* the level id the variant gives the ordered procedure, or NULL */
  const char* ordered_label;     /* its label ("Usually not appropriate"), or NULL */
  size_t missing_count;          /* undetermined: the facts whose values would decide it */
  const char* const* missing;    /* their ids */
  const char* error;             /* RUBRIC_ERROR: what is wrong with the patient; otherwise NULL */
} rubric_result;

/* Evaluates one patient given as a JSON object of `size` bytes. `procedure`
 * is the ordered procedure (rubric_graph_find_procedure) or -1. Fills
 * `result` when not NULL and, when `line` is not NULL, points *line at the
 * NDJSON result line (no newline; NUL-terminated; owned by the session).
 * Returns the status. */
rubric_status rubric_evaluate(rubric_session* session, const char* json, size_t size, int procedure,
                              rubric_result* result, const char** line);

typedef struct rubric_batch_stats {
  uint64_t lines, matched, undetermined, no_criteria_apply, errors;
} rubric_batch_stats;

/* Evaluates a buffer of NDJSON: exactly one result line per input line, the
 * bytes `rubric eval --format ndjson` writes. `fields` is NULL for full lines
 * or a --fields list ("id,status,variant,ordered"); `procedure` as above;
 * `threads` ≥ 1. Malformed records become error lines. Returns 0 and sets
 * *out and *out_size (free *out with rubric_free); -1 on a bad `fields` list
 * (with *error set when `error` is not NULL). `stats` may be NULL. */
int rubric_evaluate_ndjson(const rubric_graph* graph, const char* data, size_t size, const char* fields, int procedure,
                           unsigned threads, char** out, size_t* out_size, rubric_batch_stats* stats, char** error);

void rubric_free(void* p);

#ifdef __cplusplus
}
#endif

#endif /* RUBRIC_H */
