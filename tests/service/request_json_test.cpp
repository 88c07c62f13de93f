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
