// The language server's pieces below the protocol: Content-Length framing,
// UTF-16 positions and incremental edits, URIs, the name index, hover,
// completion contexts and range formatting. The whole server is driven by a
// real client in tests/lsp/ (tests/cli/lsp_client.sh).
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "lsp/analysis.hpp"
#include "lsp/document.hpp"
#include "lsp/features.hpp"
#include "lsp/json_rpc.hpp"

using namespace rubric::lsp;

namespace {

std::string read_lbp() {
  std::ifstream in(RUBRIC_SOURCE_DIR "/guidelines/acr/low_back_pain.rubric");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

position at(const document& doc, const std::string& needle, std::uint32_t delta = 0) {
  auto offset = doc.text().find(needle);
  REQUIRE(offset != std::string::npos);
  return doc.position_of(static_cast<std::uint32_t>(offset) + delta);
}

}  // namespace

TEST_CASE("lsp: messages are framed by Content-Length, whatever the header case") {
  std::stringstream in;
  std::string second_body = "{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"id\":\"☢\"}";  // ☢ is 3 bytes
  in << "Content-Length: 17\r\n\r\n{\"jsonrpc\":\"2.0\"}"
     << "content-length: " << second_body.size()
     << "\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n" << second_body;
  auto first = read_message(in);
  REQUIRE(first.status == read_status::ok);
  CHECK(first.message["jsonrpc"] == "2.0");
  auto second = read_message(in);
  REQUIRE(second.status == read_status::ok);
  CHECK(second.message["id"] == "☢");
  CHECK(read_message(in).status == read_status::end_of_stream);
}

TEST_CASE("lsp: a frame without length or with a broken body is an error, not a crash") {
  std::stringstream no_length("Content-Type: x\r\n\r\n{}");
  auto a = read_message(no_length);
  CHECK(a.status == read_status::bad_header);
  CHECK(a.error == "missing Content-Length header");
  std::stringstream broken("Content-Length: 5\r\n\r\n{nope");
  auto b = read_message(broken);
  CHECK(b.status == read_status::bad_json);
  std::stringstream truncated("Content-Length: 50\r\n\r\n{}");
  CHECK(read_message(truncated).status == read_status::end_of_stream);
}

TEST_CASE("lsp: positions count UTF-16 code units; edits apply in place") {
  document doc("file:///t.rubric", "/t.rubric", "rrl ☢☢ x\n😀 y\n", 1);
  CHECK(doc.offset_of({0, 6}) == 4 + 3 + 3);  // after `rrl ☢☢`
  CHECK(doc.position_of(10) == position{0, 6});
  CHECK(doc.offset_of({1, 2}) == 13 + 4);  // the emoji is a surrogate pair
  CHECK(doc.offset_of({0, 99}) == 12);    // clamped to the line's end
  CHECK(doc.offset_of({9, 0}) == doc.text().size());
  doc.edit({{0, 7}, {1, 1}}, "z\n🙂 ", 2);
  CHECK(doc.text() == "rrl ☢☢ z\n🙂  y\n");
  CHECK(doc.version() == 2);
}

TEST_CASE("lsp: file URIs and paths convert both ways") {
  CHECK(path_from_uri("file:///a/b%20c/d.rubric") == "/a/b c/d.rubric");
  CHECK(uri_from_path("/a/b c/☢.rubric") == "file:///a/b%20c/%E2%98%A2.rubric");
}

TEST_CASE("lsp: the index resolves names in the guideline and the stdlib") {
  document doc("file:///lbp.rubric", RUBRIC_SOURCE_DIR "/guidelines/acr/low_back_pain.rubric", read_lbp(), 1);
  auto a = analyze(doc.path(), doc.text(), {});
  REQUIRE(a->has_program());
  CHECK(a->diagnostics.empty());
  const occurrence* fact = a->index.at(a->root, doc.offset_of(at(doc, "symptom_duration >= subacute", 2)));
  REQUIRE(fact != nullptr);
  CHECK(fact->what.kind == target_kind::fact);
  CHECK_FALSE(fact->declaration);
  const occurrence* member = a->index.at(a->root, doc.offset_of(at(doc, "{significant_trauma}", 3)));
  REQUIRE(member != nullptr);
  CHECK(member->what.kind == target_kind::member);
  CHECK(a->sources().path(a->program().module(member->what.module).file).ends_with("stdlib/spine.rubric"));
  json h = hover(*a, doc, at(doc, "criterion elderly", 11));
  CHECK(h["contents"]["value"].get<std::string>().find("In plain words: Age is more than 70 years") != std::string::npos);
}

TEST_CASE("lsp: completion reads the line's context") {
  document doc("file:///lbp.rubric", RUBRIC_SOURCE_DIR "/guidelines/acr/low_back_pain.rubric", read_lbp(), 1);
  auto a = analyze(doc.path(), doc.text(), {});
  auto labels = [&](position p) {
    std::vector<std::string> out;
    json result = completion(a.get(), doc, p);
    for (const auto& i : result["items"]) out.push_back(i["label"]);
    return out;
  };
  auto units = labels(at(doc, "let subacute = 6 ", 17));
  // A `let` may be any quantity: the duration words first, then the table's
  // common units and atoms, each once, never a refused one (`Cel`).
  REQUIRE(units.size() > 40);
  CHECK(std::vector<std::string>(units.begin(), units.begin() + 4) == std::vector<std::string>{"days", "weeks", "months", "years"});
  for (const char* u : {"wk", "mo", "a", "ng/mL", "mm[Hg]", "/min", "mol"})
    CHECK(std::count(units.begin(), units.end(), u) == 1);
  CHECK(std::count(units.begin(), units.end(), "Cel") == 0);
  // Compared with a duration fact: time units only.
  auto time = labels(at(doc, "assume age >= 18 ", 17));
  CHECK(std::find(time.begin(), time.end(), "years") != time.end());
  CHECK(std::find(time.begin(), time.end(), "h") != time.end());
  CHECK(std::find(time.begin(), time.end(), "ng/mL") == time.end());
  auto members = labels(at(doc, "{low_velocity_trauma, osteoporosis, ", 36));
  CHECK(std::find(members.begin(), members.end(), "fever") != members.end());
  CHECK(std::find(members.begin(), members.end(), "osteoporosis") == members.end());  // already listed
  auto clauses = labels(at(doc, "  when acute_pain", 2));
  CHECK(clauses.front() == "when");
  auto decls = labels(at(doc, "criterion elderly", 0));
  CHECK(decls.front() == "guideline");
  auto names = labels(at(doc, "when acute_pain", 5));
  CHECK(std::find(names.begin(), names.end(), "persistent_pain") != names.end());
  CHECK(std::find(names.begin(), names.end(), "red_flags") != names.end());
}

TEST_CASE("lsp: range formatting edits only the hunks that touch the range") {
  std::string text = read_lbp();
  auto replace = [&](const std::string& from, const std::string& to) { text.replace(text.find(from), from.size(), to); };
  replace("let subacute = 6 weeks", "let subacute=6 weeks");
  replace("let therapy_trial = 6 weeks", "let   therapy_trial = 6 weeks");
  document doc("file:///lbp.rubric", RUBRIC_SOURCE_DIR "/guidelines/acr/low_back_pain.rubric", text, 1);
  position first = at(doc, "let subacute");
  json edits = format_range(doc, {first, first});
  REQUIRE(edits.size() == 1);
  CHECK(edits[0]["newText"] == "let subacute = 6 weeks\n");
  CHECK(format_document(doc).size() == 1);
  document broken("file:///x.rubric", "/x.rubric", "guideline x \"X\"\nvariant", 1);
  CHECK(format_document(broken).empty());
}
