// Links only the runtime library: the graph types and JSON writer are usable alone.
#include <catch2/catch.hpp>

#include "runtime/graph.hpp"
#include "runtime/json_writer.hpp"

TEST_CASE("the json writer escapes strings and places commas") {
  rubric::runtime::json_writer w;
  w.begin_object().key("a").value("x\"y").key("b").begin_array().value(1).value(true).end_array().end_object();
  CHECK(w.str() == R"({"a":"x\"y","b":[1,true]})");
}
