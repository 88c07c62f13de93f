// The text and JSON renderers of diagnostics.
#include <catch2/catch.hpp>

#include "compiler/diagnostics/diagnostic.hpp"

using namespace rubric::compiler;

TEST_CASE("a diagnostic renders as file:line:col, source line and caret") {
  source_manager sources;
  file_id f = sources.add("demo.rubric", "variant 2 \"Title\"\n  rate \"MRI\" usualy appropriate\n");
  diagnostic d = make_diagnostic(diag_code::cannot_read_file, span{f, 31, 37}, "something is wrong here");
  d.suggest("write it differently");
  std::string text = render_text(sources, d);
  CHECK(text ==
        "demo.rubric:2:14: error[R0100]: something is wrong here\n"
        "  |\n"
        "2 |   rate \"MRI\" usualy appropriate\n"
        "  |              ^~~~~~\n"
        "  = help: write it differently\n");
}

TEST_CASE("diagnostics render as a JSON array with positions") {
  source_manager sources;
  file_id f = sources.add("a.rubric", "x\ny");
  std::vector<diagnostic> ds{make_diagnostic(diag_code::cannot_read_file, span{f, 2, 3}, "bad `y`")};
  std::string json = render_json(sources, ds);
  CHECK(json ==
        R"([{"code":"R0100","name":"cannot_read_file","severity":"error","message":"bad `y`","file":"a.rubric",)"
        R"("line":2,"column":1,"end_line":2,"end_column":2,"related":[],"notes":[],"help":[]}])");
}
