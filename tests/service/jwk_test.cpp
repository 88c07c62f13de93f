// JWK Sets, base64url and the verifier configuration: what is accepted and
// the message for what is not.
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "service/security/base64url.hpp"
#include "service/security/verifier_config.hpp"
#include "test_keys.hpp"

using namespace rubric::service;
using namespace rubric::service::security;
using json = nlohmann::json;

namespace {

std::string error_of(const json& set) {
  auto parsed = parse_jwk_set(set.dump());
  REQUIRE(std::holds_alternative<std::string>(parsed));
  return std::get<std::string>(parsed);
}

}  // namespace

TEST_CASE("base64url round-trips and refuses padding, foreign characters and loose bits", "[jwk]") {
  for (const std::string text : {"", "f", "fo", "foo", "foob", "\xff\xfe\x00\x01"})
    CHECK(base64url_decode(base64url_encode(text)) == text);
  CHECK(base64url_encode("\xfb\xff") == "-_8");
  CHECK_FALSE(base64url_decode("Zm9v="));
  CHECK_FALSE(base64url_decode("Zm+v"));
  CHECK_FALSE(base64url_decode("Z"));
  CHECK_FALSE(base64url_decode("Zh"));  // "Zg" is "f"; "Zh" has a stray low bit
}

TEST_CASE("a JWK Set with an EC P-384 and an RSA key parses by kid", "[jwk]") {
  const auto ec = test::make_ec_key("a");
  auto parsed = parse_jwk_set(test::jwk_set_json({&ec}));
  REQUIRE(std::holds_alternative<jwk_set>(parsed));
  const auto& set = std::get<jwk_set>(parsed);
  REQUIRE(set.find("a") != nullptr);
  CHECK(set.find("a")->type == key_type::ec_p384);
  CHECK(set.find("b") == nullptr);
}

TEST_CASE("JWK mistakes are named with the key", "[jwk]") {
  const auto ec = test::make_ec_key("a");
  json key = ec.public_jwk();
  CHECK(error_of("[]") == "the JWK Set is not a JSON object");
  CHECK(error_of({{"keys", 1}}) == "the JWK Set has no `keys` array");
  CHECK(error_of({{"keys", {key, key}}}) == "two keys share the `kid` `a`");
  json no_kid = key;
  no_kid.erase("kid");
  CHECK(error_of({{"keys", {no_kid}}}) == "a key has no `kid`");
  json p256 = key;
  p256["crv"] = "P-256";
  CHECK(error_of({{"keys", {p256}}}) == "key `a`: `crv` is not `P-384`");
  json off_curve = key;
  std::string y = base64url_decode(key["y"].get<std::string>()).value();
  y.back() = static_cast<char>(y.back() ^ 1);
  off_curve["y"] = base64url_encode(y);
  CHECK(error_of({{"keys", {off_curve}}}) == "key `a`: the point is not on P-384");
  json private_key = key;
  private_key["d"] = "AAAA";
  CHECK(error_of({{"keys", {private_key}}}) == "key `a`: is a private key (has `d`); publish public keys only");
  json oct = {{"kty", "oct"}, {"kid", "s"}, {"k", "c2VjcmV0"}};
  CHECK(error_of({{"keys", {oct}}}) == "key `s`: `kty` `oct` is not `EC` or `RSA`");
  const json small_rsa = test::make_rsa_key("r", 1024).public_jwk();
  CHECK(error_of({{"keys", {small_rsa}}}) == "key `r`: RSA modulus shorter than 2048 bits");
}

TEST_CASE("the verifier configuration reads issuers, key files relative to itself, and limits", "[jwk]") {
  const auto dir = std::filesystem::temp_directory_path() / ("rubric-verifier-config-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto ec = test::make_ec_key("a");
  std::ofstream(dir / "keys.json") << test::jwk_set_json({&ec});
  std::ofstream(dir / "config.json") << R"({"issuers": [{"iss": "https://ehr", "jwks_file": "keys.json",
                                            "jku": ["https://ehr/jwks"]}],
                                            "clock_skew_seconds": 10, "replay_capacity": 5})";
  auto loaded = load_verifier_config(dir / "config.json");
  REQUIRE(std::holds_alternative<verifier_config>(loaded));
  const auto& config = std::get<verifier_config>(loaded);
  REQUIRE(config.issuers.size() == 1);
  CHECK(config.issuers[0].keys->find("a") != nullptr);
  CHECK(config.issuers[0].jku_allow == std::vector<std::string>{"https://ehr/jwks"});
  CHECK(config.clock_skew == std::chrono::seconds(10));
  CHECK(config.max_lifetime == std::chrono::seconds(300));
  CHECK(config.replay_capacity == 5);

  auto error = [&](std::string_view text) {
    auto parsed = parse_verifier_config(text, dir);
    REQUIRE(std::holds_alternative<std::string>(parsed));
    return std::get<std::string>(parsed);
  };
  CHECK(error(R"({"issuers": []})") == "`issuers` must list at least one trusted issuer");
  CHECK(error(R"({"issuers": [{"iss": "x"}]})") == "issuer `x`: neither `jwks_file` nor `jku` gives it keys");
  CHECK(error(R"({"issuers": [{"iss": "x", "jwks_file": "nope.json"}]})") ==
        "issuer `x`: cannot read `" + (dir / "nope.json").string() + "`");
  CHECK(error(R"({"issuers": [{"iss": "x", "jku": ["u"]}], "clock_skew_seconds": -1})") ==
        "`clock_skew_seconds` is not a non-negative integer");
  std::filesystem::remove_all(dir);
}
