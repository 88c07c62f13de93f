// The C API (rubric.h) over the runtime: graph loading, one-patient
// evaluation with a per-thread session, and NDJSON buffers through the same
// batch engine as the CLI. No exception crosses the C boundary.
#include "bindings/c/rubric.h"

#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "runtime/batch.hpp"
#include "runtime/evaluate.hpp"
#include "runtime/graph_io.hpp"
#include "runtime/line_writer.hpp"
#include "runtime/patient.hpp"
#include "runtime/program.hpp"

using namespace rubric::runtime;

struct rubric_graph {
  graph g;
  program prog;
  line_writer names;  // resolves procedure names, ids and codes
  explicit rubric_graph(graph&& gr) : g(std::move(gr)), prog(g), names(g, {}) {}
};

struct rubric_session {
  const rubric_graph* graph;
  patient_decoder decoder;
  line_writer writer;
  patient p;
  evaluation e;
  std::string error, line;
  std::vector<const char*> missing;
  explicit rubric_session(const rubric_graph* gr) : graph(gr), decoder(gr->g), writer(gr->g, {}) {}
};

namespace {

char* copy_string(const std::string& s) {
  char* out = static_cast<char*>(std::malloc(s.size() + 1));
  if (out) std::memcpy(out, s.c_str(), s.size() + 1);
  return out;
}

rubric_graph* finish_load(graph_load_result r, char** error) {
  if (!r) {
    if (error) *error = copy_string(r.error);
    return nullptr;
  }
  try {
    return new rubric_graph(std::move(*r.value));
  } catch (const std::exception& ex) {
    if (error) *error = copy_string(ex.what());
    return nullptr;
  }
}

}  // namespace

extern "C" {

rubric_graph* rubric_graph_load_file(const char* path, char** error) {
  try {
    return finish_load(load_graph_file(path), error);
  } catch (const std::exception& ex) {
    if (error) *error = copy_string(ex.what());
    return nullptr;
  }
}

rubric_graph* rubric_graph_load_bytes(const char* data, size_t size, char** error) {
  try {
    return finish_load(load_graph_json(std::string_view(data, size)), error);
  } catch (const std::exception& ex) {
    if (error) *error = copy_string(ex.what());
    return nullptr;
  }
}

void rubric_graph_free(rubric_graph* graph) { delete graph; }

const char* rubric_graph_id(const rubric_graph* graph) { return graph->g.id.c_str(); }

int rubric_graph_find_procedure(const rubric_graph* graph, const char* name) {
  std::int32_t i = graph->names.resolve_procedure(name ? name : "");
  return i < 0 ? -1 : i;
}

rubric_session* rubric_session_new(const rubric_graph* graph) {
  try {
    return new rubric_session(graph);
  } catch (const std::exception&) {
    return nullptr;
  }
}

void rubric_session_free(rubric_session* session) { delete session; }

rubric_status rubric_evaluate(rubric_session* s, const char* json, size_t size, int procedure, rubric_result* result,
                              const char** line) {
  try {
    const graph& g = s->graph->g;
    s->line.clear();
    s->missing.clear();
    if (!s->decoder.decode(std::string_view(json, size), s->p, s->error)) {
      if (result) *result = rubric_result{RUBRIC_ERROR, nullptr, nullptr, nullptr, nullptr, 0, nullptr, s->error.c_str()};
      if (line) {
        s->writer.write_error(s->p.id, s->error, s->line);
        *line = s->line.c_str();
      }
      return RUBRIC_ERROR;
    }
    evaluate(s->graph->prog, s->p, s->e);
    const auto st = static_cast<rubric_status>(s->e.result);
    if (result) {
      *result = rubric_result{st, nullptr, nullptr, nullptr, nullptr, 0, nullptr, nullptr};
      if (s->e.result == status::matched) {
        const variant& v = g.variants[s->e.selected.front()];
        result->variant_id = v.id.c_str();
        result->variant_title = v.title.c_str();
        if (procedure >= 0 && static_cast<std::size_t>(procedure) < g.procedures.size()) {
          int level = rating_level(g, s->e, static_cast<std::uint32_t>(procedure));
          if (level >= 0) {
            const auto& l = g.scales[static_cast<std::size_t>(g.rating_scale)].levels[static_cast<std::size_t>(level)];
            result->ordered_category = l.id.c_str();
            result->ordered_label = l.label.c_str();
          }
        }
      }
      for (std::uint32_t slot : s->e.missing) s->missing.push_back(g.facts[slot].id.c_str());
      result->missing_count = s->missing.size();
      result->missing = s->missing.data();
    }
    if (line) {
      s->writer.write(s->p, s->e, s->line);
      *line = s->line.c_str();
    }
    return st;
  } catch (const std::exception& ex) {
    s->error = ex.what();
    if (result) *result = rubric_result{RUBRIC_ERROR, nullptr, nullptr, nullptr, nullptr, 0, nullptr, s->error.c_str()};
    return RUBRIC_ERROR;
  }
}

int rubric_evaluate_ndjson(const rubric_graph* graph, const char* data, size_t size, const char* fields, int procedure,
                           unsigned threads, char** out, size_t* out_size, rubric_batch_stats* stats, char** error) {
  try {
    batch_options o;
    o.threads = threads == 0 ? 1 : threads;
    o.procedure = procedure;
    if (fields && *fields) {
      std::string message;
      auto parsed = parse_fields(fields, message);
      if (!parsed) {
        if (error) *error = copy_string(message);
        return -1;
      }
      o.fields = std::move(*parsed);
    }
    std::string text;
    batch_stats st = run_batch(graph->g, std::string_view(data, size), text, o);
    if (stats) *stats = rubric_batch_stats{st.lines, st.matched, st.undetermined, st.no_criteria, st.errors};
    *out = static_cast<char*>(std::malloc(text.size() + 1));
    if (!*out) throw std::bad_alloc();
    std::memcpy(*out, text.data(), text.size());
    (*out)[text.size()] = '\0';
    *out_size = text.size();
    return 0;
  } catch (const std::exception& ex) {
    if (error) *error = copy_string(ex.what());
    return -1;
  }
}

void rubric_free(void* p) { std::free(p); }

}  // extern "C"
