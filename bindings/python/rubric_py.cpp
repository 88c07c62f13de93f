// The extension module `rubric._rubric` (pybind11): a compiled graph, one
// patient's evaluation with its explanation, NDJSON through the CLI's batch
// engine (byte-identical output), and column results for DataFrames. The GIL
// is released while C++ evaluates, so Python threads evaluate in parallel.
// The Python package (rubric/__init__.py) wraps this in the documented API.
// Like a hospital deployment, it links the runtime alone (no compiler).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "runtime/batch.hpp"
#include "runtime/evaluate.hpp"
#include "runtime/explain.hpp"
#include "runtime/graph_io.hpp"
#include "runtime/line_writer.hpp"
#include "runtime/patient.hpp"
#include "runtime/program.hpp"

namespace py = pybind11;
using namespace rubric;
using namespace rubric::runtime;

namespace {

// A loaded graph with what evaluation needs, shared by every call.
class compiled {
 public:
  explicit compiled(graph g) : g_(std::move(g)), prog_(g_), names_(g_, {}) {}
  const graph& g() const { return g_; }

  static std::shared_ptr<compiled> from_graph_json(const std::string& text) {
    graph_load_result r = load_graph_json(text);
    if (!r) throw std::invalid_argument(r.error);
    return std::make_shared<compiled>(std::move(*r.value));
  }
  static std::shared_ptr<compiled> from_file(const std::string& path) {
    graph_load_result r = load_graph_file(path);
    if (!r) throw std::invalid_argument(r.error);
    return std::make_shared<compiled>(std::move(*r.value));
  }
  std::string to_json() const { return write_graph_json(g_, false); }

  std::int32_t procedure(const py::object& name) const {
    if (name.is_none()) return -1;
    auto text = name.cast<std::string>();
    std::int32_t i = names_.resolve_procedure(text);
    if (i < 0) throw std::invalid_argument("`" + text + "` is not a procedure of this guideline");
    return i;
  }

  // One patient as JSON text → a dict of the result (see rubric.Result).
  py::dict evaluate(const std::string& json, bool explain_it) const {
    patient p;
    evaluation e;
    std::string error, line, text, xjson;
    bool ok;
    {
      py::gil_scoped_release release;
      patient_decoder d(g_);
      ok = d.decode(json, p, error);
      if (ok) {
        evaluate_prog(p, e);
        line_writer(g_, {}).write(p, e, line);
        if (explain_it) {
          explanation x = explain(g_, p, e);
          text = render_explanation_text(g_, p, x);
          xjson = render_explanation_json(g_, p, x);
        }
      }
    }
    if (!ok) throw std::invalid_argument(error);
    py::dict out;
    out["status"] = std::string(status_name(e.result));
    py::object variant = py::none(), title = py::none();
    py::list ratings;
    if (e.result == status::matched) {
      const variant_t& v = g_.variants[e.selected.front()];
      variant = py::str(v.id);
      title = py::str(v.title);
      for (const rating& r : v.ratings) {
        const level& l = g_.scales[static_cast<std::size_t>(g_.rating_scale)].levels[r.level];
        py::dict d;
        d["procedure"] = g_.procedures[r.procedure].name;
        d["category"] = l.id;
        d["label"] = l.label;
        ratings.append(d);
      }
    }
    out["variant"] = variant;
    out["title"] = title;
    out["ratings"] = ratings;
    py::list missing, candidates;
    for (auto s : e.missing) missing.append(g_.facts[s].id);
    for (auto v : e.candidates) candidates.append(g_.variants[v].id);
    out["missing"] = missing;
    out["candidates"] = candidates;
    out["line"] = line;
    out["explanation_text"] = text;
    out["explanation_json"] = xjson;
    return out;
  }

  // NDJSON in, NDJSON out: the bytes `rubric eval --format ndjson` writes.
  py::tuple evaluate_ndjson(const std::string& input, const py::object& fields, const py::object& procedure,
                            const py::object& procedure_key, unsigned threads) const {
    batch_options o;
    o.threads = threads == 0 ? 1 : threads;
    o.procedure = this->procedure(procedure);
    if (!procedure_key.is_none()) o.procedure_key = procedure_key.cast<std::string>();
    if (!fields.is_none()) {
      std::string error;
      auto parsed = parse_fields(fields.cast<std::string>(), error);
      if (!parsed) throw std::invalid_argument(error);
      o.fields = std::move(*parsed);
    }
    std::string out;
    batch_stats s;
    {
      py::gil_scoped_release release;
      s = run_batch(g_, input, out, o);
    }
    py::dict stats;
    stats["lines"] = s.lines;
    stats["matched"] = s.matched;
    stats["undetermined"] = s.undetermined;
    stats["no_criteria_apply"] = s.no_criteria;
    stats["errors"] = s.errors;
    return py::make_tuple(py::bytes(out), stats);
  }

 private:
  using variant_t = runtime::variant;
  void evaluate_prog(const patient& p, evaluation& e) const { runtime::evaluate(prog_, p, e); }

  graph g_;
  program prog_;
  line_writer names_;  // resolves procedure names, ids and codes
};

}  // namespace

PYBIND11_MODULE(_rubric, m) {
  m.doc() = "Rubric runtime: decision graphs, evaluation, NDJSON batches (see the `rubric` package)";
  py::class_<compiled, std::shared_ptr<compiled>>(m, "CompiledGraph")
      .def_static("from_graph_json", &compiled::from_graph_json, py::arg("text"))
      .def_static("from_file", &compiled::from_file, py::arg("path"))
      .def("to_json", &compiled::to_json)
      .def_property_readonly("id", [](const compiled& c) { return c.g().id; })
      .def_property_readonly("title", [](const compiled& c) { return c.g().title; })
      .def_property_readonly("facts", [](const compiled& c) {
        std::vector<std::string> out;
        for (const fact& f : c.g().facts) out.push_back(f.id);
        return out;
      })
      .def("procedure_index", &compiled::procedure, py::arg("name"))
      .def("evaluate_json", &compiled::evaluate, py::arg("json"), py::arg("explain") = true)
      .def("evaluate_ndjson", &compiled::evaluate_ndjson, py::arg("input"), py::arg("fields") = py::none(),
           py::arg("procedure") = py::none(), py::arg("procedure_key") = py::none(), py::arg("threads") = 1);
}
