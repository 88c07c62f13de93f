// Batch NDJSON: N lines in, N lines out, in order, with error lines, for one
// and several threads, and lines split across read chunks.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "runtime/batch.hpp"
#include "tests/runtime_only/lbp_fixture.hpp"

using namespace rubric::runtime;
namespace t = rubric::testing;

namespace {

std::vector<std::string> run(const graph& g, const std::string& input, unsigned threads) {
  std::FILE* in = std::tmpfile();
  std::FILE* out = std::tmpfile();
  std::fwrite(input.data(), 1, input.size(), in);
  std::rewind(in);
  batch_options o;
  o.threads = threads;
  run_batch(g, in, out, o);
  std::rewind(out);
  std::vector<std::string> lines;
  std::string line;
  int c;
  while ((c = std::fgetc(out)) != EOF) {
    if (c == '\n') { lines.push_back(line); line.clear(); }
    else line.push_back(static_cast<char>(c));
  }
  CHECK(line.empty());  // every output line ends with a newline
  std::fclose(in);
  std::fclose(out);
  return lines;
}

const char* seed = R"({"id":"seed","age":"55 years","symptom_duration":"12 weeks","radiculopathy":true,"red_flags":[],"conservative_therapy":"0 weeks","prior_lumbar_surgery":false,"new_or_progressing_symptoms":false})";

}  // namespace

TEST_CASE("a matched line has the contract's fields") {
  graph g = t::lbp_graph();
  auto lines = run(g, std::string(seed) + "\n", 1);
  REQUIRE(lines.size() == 1);
  const std::string& l = lines[0];
  CHECK(l.rfind(R"({"id":"seed","status":"matched","variant":{"id":"2","title":"Subacute or chronic low back pain)", 0) == 0);
  CHECK(l.find(R"("ratings":[{"procedure":"Radiography lumbar spine","category":"usually_not_appropriate","label":"Usually not appropriate","rrl":"☢☢☢"},)") != std::string::npos);
  CHECK(l.find(R"("advice":["Begin conservative management)") != std::string::npos);
  CHECK(l.find(R"("next":[{"variant":"3","label":"Symptoms persist or worsen after 6 weeks of therapy in a candidate","urgent":false},{"variant":"4","label":"Signs of cauda equina syndrome appear","urgent":true}])") != std::string::npos);
  CHECK(l.find(R"("missing":[],"candidates":[],"otherwise":null,"warnings":[],"error":null})") != std::string::npos);
}

TEST_CASE("undetermined, no-criteria and error lines") {
  graph g = t::lbp_graph();
  std::string input =
      R"({"id":1,"age":"55 years","symptom_duration":"12 weeks","red_flags":[],"conservative_therapy":"0 weeks","prior_lumbar_surgery":true})" "\n"
      R"({"id":2,"age":"55 years","symptom_duration":"12 weeks","red_flags":[],"conservative_therapy":"8 weeks","improved_with_therapy":true,"prior_lumbar_surgery":false,"new_or_progressing_symptoms":false})" "\n"
      "{\"id\":3,\"age\":\"fifty\"}\n"
      "not json at all\n"
      "\n"
      "{\"id\":6,\"red_flags\":[\"fever\"],\"shoe_size\":44}\r\n"
      "{\"id\":7";  // no final newline, truncated
  auto lines = run(g, input, 1);
  REQUIRE(lines.size() == 7);
  CHECK(lines[0].find(R"("status":"undetermined")") != std::string::npos);
  CHECK(lines[0].find(R"("missing":["new_or_progressing_symptoms"],"candidates":["5","2"])") != std::string::npos);
  CHECK(lines[1].find(R"("status":"no_criteria_apply","variant":null,"ratings":[],"advice":["Improved after conservative therapy: no imaging is needed.","Reassess the clinical picture."])") != std::string::npos);
  CHECK(lines[1].find(R"("otherwise":"No ACR variant applies")") != std::string::npos);
  CHECK(lines[2] == R"({"id":3,"status":"error","variant":null,"ratings":[],"advice":[],"next":[],"missing":[],"candidates":[],"otherwise":null,"warnings":[],"error":"line 3: `age`: \"fifty\" is not a duration; write a number and a unit, e.g. \"12 weeks\""})");
  CHECK(lines[3].find(R"("error":"line 4: malformed JSON: expected an object {…} with one key per fact")") != std::string::npos);
  CHECK(lines[4].find(R"("error":"line 5: empty line; expected a JSON object with one key per fact")") != std::string::npos);
  CHECK(lines[5].find(R"("id":6,"status":"matched","variant":{"id":"7")") != std::string::npos);
  CHECK(lines[5].find(R"("warnings":["unknown fact `shoe_size` ignored"])") != std::string::npos);
  CHECK(lines[6].find(R"("status":"error")") != std::string::npos);
  CHECK(lines[6].find("line 7: malformed JSON") != std::string::npos);
}

TEST_CASE("N in, N out, in order, with 1 and 4 threads, across read chunks") {
  graph g = t::lbp_graph();
  std::string input;
  const int n = 60000;  // > 4 MiB: spans several read chunks
  for (int i = 0; i < n; ++i) {
    if (i % 1000 == 7) input += "{broken\n";
    else input += R"({"id":)" + std::to_string(i) + R"(,"age":"55 years","symptom_duration":")" + std::to_string(i % 20) +
                  R"( weeks","red_flags":[],"conservative_therapy":"0 weeks","prior_lumbar_surgery":false,"new_or_progressing_symptoms":false,"pad":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})" "\n";
  }
  REQUIRE(input.size() > (4u << 20));
  auto one = run(g, input, 1);
  auto four = run(g, input, 4);
  REQUIRE(one.size() == static_cast<std::size_t>(n));
  CHECK(one == four);
  for (int i = 0; i < n; i += 997) {
    INFO(i);
    if (i % 1000 == 7) CHECK(one[i].find("\"status\":\"error\"") != std::string::npos);
    else {
      CHECK(one[i].rfind("{\"id\":" + std::to_string(i) + ",", 0) == 0);
      CHECK(one[i].find(i % 20 >= 6 ? "\"variant\":{\"id\":\"2\"" : "\"variant\":{\"id\":\"1\"") != std::string::npos);
    }
  }
}

TEST_CASE("an over-long line is one error line and the batch goes on") {
  graph g = t::lbp_graph();
  std::string input = std::string(seed) + "\n{\"id\":\"big\",\"x\":\"" + std::string(17u << 20, 'a') + "\"}\n" + seed + "\n";
  auto lines = run(g, input, 1);
  REQUIRE(lines.size() == 3);
  CHECK(lines[1].find("\"error\":\"line 2: longer than 16 MiB\"") != std::string::npos);
  CHECK(lines[2].find("\"status\":\"matched\"") != std::string::npos);
}

// A regular file is mapped, not read: from the FILE's position (stdin
// redirected from a file that was partly read), and left at its end.
TEST_CASE("a mapped file is read from its current position and left at its end") {
  graph g = t::lbp_graph();
  std::FILE* in = std::tmpfile();
  std::FILE* out = std::tmpfile();
  const std::string first = "{\"id\":\"skipped\"}\n";
  const std::string rest = std::string(seed) + "\n" + seed;  // the last line has no newline
  std::fwrite(first.data(), 1, first.size(), in);
  std::fwrite(rest.data(), 1, rest.size(), in);
  std::fflush(in);
  std::fseek(in, static_cast<long>(first.size()), SEEK_SET);
  batch_stats s = run_batch(g, in, out, {});
  CHECK(s.lines == 2);
  CHECK(s.matched == 2);
  CHECK(std::ftell(in) == static_cast<long>(first.size() + rest.size()));
  std::rewind(out);
  std::string text;
  for (int c; (c = std::fgetc(out)) != EOF;) text.push_back(static_cast<char>(c));
  CHECK(text.find("skipped") == std::string::npos);
  CHECK(std::count(text.begin(), text.end(), '\n') == 2);
  CHECK(text.rfind(R"({"id":"seed","status":"matched")", 0) == 0);
  std::fclose(in);
  std::fclose(out);
}

// Blocks are cut by size and their lines counted as they are decoded, so an
// error line's number is placed when its block is written: on an input of
// many blocks and several mapped chunks, every error line names its own line,
// with any number of threads, from a file (mapped) and from memory (read in
// chunks); --on-error=fail stops at a line far into the input.
TEST_CASE("error lines name their line numbers across blocks, chunks and threads") {
  graph g = t::lbp_graph();
  std::string input;
  const int n = 70000;  // > 4 MiB in lines of varying length: many blocks, two chunks
  auto bad = [](int i) { return i % 1009 == 0 || i == 1 || i == n - 1 || i == 40001; };
  for (int i = 0; i < n; ++i) {
    if (bad(i)) input += i % 2 ? "\n" : "{\"id\":" + std::to_string(i) + ",\"age\":\"fifty\"}\n";
    else input += std::string(seed).insert(1, "\"pad\":\"" + std::string(static_cast<std::size_t>(i % 97), 'x') + "\",") + "\n";
  }
  REQUIRE(input.size() > (4u << 20));
  auto check = [&](const std::vector<std::string>& lines) {
    REQUIRE(lines.size() == static_cast<std::size_t>(n));
    int errors = 0;
    for (int i = 0; i < n; ++i) {
      const bool is_error = lines[static_cast<std::size_t>(i)].find("\"status\":\"error\"") != std::string::npos;
      if (is_error != bad(i)) FAIL("line " << i + 1 << ": " << lines[static_cast<std::size_t>(i)]);
      if (!is_error) continue;
      ++errors;
      const std::string expected = fmt::format("\"error\":\"line {}: ", i + 1);
      if (lines[static_cast<std::size_t>(i)].find(expected) == std::string::npos)
        FAIL("line " << i + 1 << ": " << lines[static_cast<std::size_t>(i)]);
    }
    CHECK(errors == 73);
  };
  for (unsigned threads : {1u, 2u, 4u}) {
    INFO(threads << " threads");
    check(run(g, input, threads));
    std::string out;
    batch_options o;
    o.threads = threads;
    batch_stats s = run_batch(g, input, out, o);
    CHECK(s.errors == 73);
    CHECK(s.first_error == "line 1: `age`: \"fifty\" is not a duration; write a number and a unit, e.g. \"12 weeks\"");
    std::vector<std::string> lines;
    std::istringstream stream(out);
    for (std::string l; std::getline(stream, l);) lines.push_back(l);
    check(lines);

    // Fail mode, from input line 3: the next bad line is input line 1010
    // (i = 1009, an empty line), line 1008 here, some blocks in.
    const std::string from_line_3 = input.substr(input.find('\n', input.find('\n') + 1) + 1);
    o.errors = on_error::fail;
    out.clear();
    s = run_batch(g, from_line_3, out, o);
    CHECK(s.stopped);
    CHECK(s.lines == 1008);
    CHECK(std::count(out.begin(), out.end(), '\n') == 1008);
    CHECK(s.first_error == "line 1008: empty line; expected a JSON object with one key per fact");
  }
}

// Short lines make blocks of thousands of lines: a worker writes 1,024 of them
// into its slot and the writer does the rest, numbering the error lines the same.
TEST_CASE("error lines name their line numbers in blocks of short lines") {
  graph g = t::lbp_graph();
  std::string input;
  const int n = 30000;
  for (int i = 0; i < n; ++i) input += i % 997 == 3 ? std::string("x\n") : "{\"id\":" + std::to_string(i) + "}\n";
  std::string first;
  for (unsigned threads : {1u, 2u, 3u}) {
    INFO(threads << " threads");
    std::string out;
    batch_options o;
    o.threads = threads;
    batch_stats s = run_batch(g, input, out, o);
    CHECK(s.lines == static_cast<std::uint64_t>(n));
    CHECK(s.errors == 31);
    CHECK(s.undetermined == static_cast<std::uint64_t>(n - 31));
    std::istringstream stream(out);
    int i = 0, errors = 0;
    for (std::string l; std::getline(stream, l); ++i) {
      if (i % 997 != 3) {
        if (l.rfind("{\"id\":" + std::to_string(i) + ",\"status\":\"undetermined\"", 0) != 0) FAIL("line " << i + 1 << ": " << l);
        continue;
      }
      ++errors;
      if (l.find(fmt::format("\"error\":\"line {}: malformed JSON", i + 1)) == std::string::npos) FAIL("line " << i + 1 << ": " << l);
    }
    CHECK(i == n);
    CHECK(errors == 31);
    if (threads == 1) first = out;
    else CHECK(out == first);
  }
}
