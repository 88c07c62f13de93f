// parse_request_json gives nlohmann's own tree, or its parse error, for any text.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "service/request_json.hpp"

using nlohmann::json;

namespace {

void check_as_nlohmann(const std::string& text) {
  INFO(text.substr(0, 200));
  const json expected = json::parse(text, nullptr, false);
  const json got = rubric::service::parse_request_json(text);
  REQUIRE(got.is_discarded() == expected.is_discarded());
  if (expected.is_discarded()) return;
  CHECK(got == expected);
  CHECK(got.dump(-1, ' ', false, json::error_handler_t::replace) == expected.dump(-1, ' ', false, json::error_handler_t::replace));
}

}  // namespace

TEST_CASE("service: the request parser gives nlohmann's tree for every kind of value") {
  const std::vector<std::string> texts = {
      "{}", "[]", "null", "true", "false", "0", "-0", "-0.0", "0.0", "5", "-5", "1.0", "1e2", "1E-2", "2.5e-300", "1e400", "-1e400",
      "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "18446744073709551615",
      "18446744073709551616", "123456789012345678901234567890", "0.1", "3.141592653589793238462643383279",
      R"("plain")", R"("esc \" \\ \/ \b \f \n \r \t")", R"("\u00e9 \u2622 \ud834\udd1e")", R"("lone \ud800")", R"("lone \udc00 low")",
      R"("\uD834\uDD1E upper")", "\"nul \\u0000 x\"", "\"\xc3\xa9 raw UTF-8\"", "\"bad \xff\"", "\"\x01 control\"",
      R"({"a":1,"a":2})", R"({"a":{"b":1},"a":[2]})", R"({"b":1,"a":[1,"x",null,{"c":-0}]})", "\xef\xbb\xbf{\"bom\":1}",
      " \n\t{ \"spaces\" : [ 1 , 2 ] } \n", "{\"a\":1} trailing", "{\"a\":1,}", "[1,]", "{'a':1}", "", "   ", "{\"a\":tru}",
      std::string(2000, '[') + std::string(2000, ']'), std::string(600, '[') + std::string(600, ']'),
      R"({"hook":"order-select","hookInstance":"x","context":{"draftOrders":{"resourceType":"Bundle","entry":[]}}})",
  };
  for (const auto& text : texts) check_as_nlohmann(text);
  std::string large = "[";
  for (int i = 0; i < 40000; ++i) large += (i ? ",\"" : "\"") + std::to_string(i) + "\"";
  check_as_nlohmann(large + "]");  // above the size simdjson is used for
}

TEST_CASE("service: the request parser gives nlohmann's tree for the load test's request") {
  std::ifstream in(RUBRIC_SOURCE_DIR "/tests/load/order_select.json");
  std::stringstream s;
  s << in.rdbuf();
  check_as_nlohmann(s.str());
}

// The prefetch (most of a request) stays in simdjson's document when it reads
// there as in the tree; anything that would read otherwise (a key twice, a
// double's negative zero, two `prefetch` members) or is no object goes into
// the tree.
TEST_CASE("service: the request's prefetch stays in the document only when it reads alike") {
  using rubric::service::parse_request;
  const std::string head = R"({"hook":"order-sign","hookInstance":"x","context":{"patientId":"p1"},)";
  auto in_document = [&](const std::string& prefetch_member) {
    const std::string text = head + prefetch_member + "}";
    check_as_nlohmann(text);  // parse_request_json puts a prefetch left in the document back into the tree
    const auto parsed = parse_request(text);
    if (parsed.prefetch_in_document) CHECK(parsed.document.has_value());
    CHECK(parsed.tree.contains("prefetch") != parsed.prefetch_in_document);
    return parsed.prefetch_in_document;
  };
  CHECK(in_document(R"("prefetch":{"patient":{"resourceType":"Patient","id":"p1","birthDate":"1980-02-01"},"procedures":null})"));
  CHECK(in_document(R"("prefetch":{})"));
  CHECK(in_document(R"("prefetch":{"a":{"n":[1,-1,0.5,-0.5,0]}})"));
  CHECK_FALSE(in_document(R"("prefetch":{"patient":{"id":"p1","id":"p2"}})"));
  CHECK_FALSE(in_document(R"("prefetch":{"patient":null,"patient":{"id":"p2"}})"));
  CHECK_FALSE(in_document(R"("prefetch":{"a":{"n":[1,-0.0]}})"));
  CHECK(in_document(R"("prefetch":{"a":{"n":-0}})"));  // the integer 0 both ways
  CHECK_FALSE(in_document(R"("prefetch":{"a":1},"prefetch":{"b":2})"));
  CHECK_FALSE(in_document(R"("prefetch":5)"));
  CHECK_FALSE(in_document(R"("prefetch":[{"a":1}])"));
  // A key twice elsewhere in the request: no document at all.
  const std::string twice = R"({"hook":"a","hook":"b","prefetch":{"a":{}}})";
  check_as_nlohmann(twice);
  CHECK_FALSE(parse_request(twice).document.has_value());
  CHECK(parse_request(twice).tree["prefetch"] == json{{"a", json::object()}});
  // An object of many keys, one of them twice at the end (the sorted check).
  std::string many = R"({"prefetch":{"a":{)";
  for (int i = 0; i < 40; ++i) many += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
  CHECK(parse_request(many + "\"k40\":0}}}").prefetch_in_document);
  CHECK_FALSE(parse_request(many + "\"k3\":0}}}").prefetch_in_document);
  check_as_nlohmann(many + "\"k3\":0}}}");
}
