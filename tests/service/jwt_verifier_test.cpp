// The JWT verifier against tokens signed at test time: one test per
// rejection of CDS Hooks 2.0 §Trusting CDS Clients, each asserting the
// reason and the log detail, and the accepted cases (ES384, RS384, `jku`).
#include <atomic>
#include <thread>

#include <catch2/catch.hpp>
#include <httplib.h>

#include "service/security/jwt_verifier.hpp"
#include "test_keys.hpp"

using namespace rubric::service;
using namespace rubric::service::security;
using json = nlohmann::json;

namespace {

constexpr std::int64_t now = 1'800'000'000;
const std::string endpoint = "https://cds.example.org/cds-services/rubric-order-select";
const std::string issuer = "https://ehr.example.org";

struct keys {
  test::test_key ec = test::make_ec_key("ec-1");
  test::test_key rsa = test::make_rsa_key("rsa-1");
  test::test_key stranger = test::make_ec_key("ec-1");  // same kid, other key: an impostor
  test::test_key jku_key = test::make_ec_key("jku-1");
};

// Key generation (RSA 3072 especially) is slow: once per process.
const keys& test_keys() {
  static const keys instance;
  return instance;
}

json claims(std::string jti = "jti-1") {
  return {{"iss", issuer}, {"sub", "client-42"}, {"aud", endpoint}, {"iat", now - 5},
          {"exp", now + 240}, {"jti", std::move(jti)}, {"tenant", "hospital-a"}};
}

verifier_config config(std::vector<std::string> jku_allow = {}) {
  auto parsed = parse_jwk_set(test::jwk_set_json({&test_keys().ec, &test_keys().rsa}));
  REQUIRE(std::holds_alternative<jwk_set>(parsed));
  verifier_config c;
  c.issuers.push_back({issuer, std::make_shared<const jwk_set>(std::get<jwk_set>(std::move(parsed))),
                       std::move(jku_allow)});
  c.clock_skew = std::chrono::seconds(30);
  return c;
}

verification check(jwt_verifier& verifier, const std::string& token, std::int64_t at = now) {
  return verifier.verify_at("Bearer " + token, endpoint, at);
}

void require_rejected(const verification& v, rejection reason, const std::string& detail) {
  REQUIRE_FALSE(v.ok());
  CHECK(to_string(*v.reason) == to_string(reason));
  CHECK(v.detail == detail);
}

}  // namespace

TEST_CASE("an ES384 token from a configured issuer is accepted with its claims", "[jwt]") {
  jwt_verifier verifier(config());
  const auto v = check(verifier, test::sign_token(test_keys().ec, claims()));
  REQUIRE(v.ok());
  CHECK(v.claims.iss == issuer);
  CHECK(v.claims.sub == "client-42");
  CHECK(v.claims.jti == "jti-1");
  CHECK(v.claims.tenant == "hospital-a");
  CHECK(v.claims.exp == now + 240);
  CHECK(verifier.remembered_tokens() == 1);
}

TEST_CASE("an RS384 token (RSA 3072) is accepted, and `aud` may be an array holding the endpoint", "[jwt]") {
  jwt_verifier verifier(config());
  json payload = claims();
  payload["aud"] = json::array({"https://other.example.org", endpoint});
  CHECK(check(verifier, test::sign_token(test_keys().rsa, payload)).ok());
}

TEST_CASE("the Authorization scheme is `Bearer`, case-insensitive; anything else is no token", "[jwt]") {
  CHECK(bearer_token("bearer abc.def.ghi") == std::optional<std::string_view>("abc.def.ghi"));
  CHECK_FALSE(bearer_token("Basic dXNlcjpwYXNz"));
  CHECK_FALSE(bearer_token("Bearer "));
  jwt_verifier verifier(config());
  require_rejected(verifier.verify_at("", endpoint, now), rejection::no_token, "no `Authorization: Bearer` token");
  require_rejected(verifier.verify_at("Basic abc", endpoint, now), rejection::no_token,
                   "no `Authorization: Bearer` token");
}

TEST_CASE("a token that is not a compact JWS is malformed", "[jwt]") {
  jwt_verifier verifier(config());
  require_rejected(check(verifier, "abc.def"), rejection::malformed, "not three base64url parts");
  require_rejected(check(verifier, "a*b.c.d"), rejection::malformed, "not three base64url parts");
  require_rejected(check(verifier, test::unsigned_token(json::array(), claims())), rejection::malformed,
                   "header or payload is not a JSON object");
  require_rejected(check(verifier, std::string(9000, 'a')), rejection::malformed, "token of 9000 bytes");
  require_rejected(check(verifier, test::sign_token(test_keys().ec, claims(), {{"crit", {"exp"}}})),
                   rejection::malformed, "`crit` header parameters are not supported");
}

TEST_CASE("`alg` none is refused, whatever its case", "[jwt]") {
  jwt_verifier verifier(config());
  require_rejected(check(verifier, test::unsigned_token({{"alg", "none"}, {"kid", "ec-1"}}, claims())),
                   rejection::alg_none, "`alg` `none`");
  require_rejected(check(verifier, test::unsigned_token({{"alg", "NoNe"}, {"kid", "ec-1"}}, claims())),
                   rejection::alg_none, "`alg` `NoNe`");
}

TEST_CASE("every HMAC `alg` is refused, even with a signature made from the public key", "[jwt]") {
  jwt_verifier verifier(config());
  const std::string public_key_text = test_keys().ec.public_jwk().dump();  // the classic confusion attack
  for (const char* alg : {"HS256", "HS384", "HS512"})
    require_rejected(check(verifier, test::unsigned_token({{"alg", alg}, {"kid", "ec-1"}}, claims(), public_key_text)),
                     rejection::alg_hmac, std::string("`alg` `") + alg + "`");
}

TEST_CASE("an `alg` other than ES384 or RS384 is refused", "[jwt]") {
  jwt_verifier verifier(config());
  for (const char* alg : {"ES256", "RS256", "PS384", "EdDSA"})
    require_rejected(check(verifier, test::unsigned_token({{"alg", alg}, {"kid", "ec-1"}}, claims(), "x")),
                     rejection::alg_unsupported, std::string("`alg` `") + alg + "`");
  require_rejected(check(verifier, test::unsigned_token({{"kid", "ec-1"}}, claims(), "x")), rejection::malformed,
                   "no `alg` string in the header");
}

TEST_CASE("a token without `kid` is refused", "[jwt]") {
  jwt_verifier verifier(config());
  require_rejected(check(verifier, test::sign_token(test_keys().ec, claims(), {{"kid", nullptr}})),
                   rejection::kid_missing, "no `kid` in the header");
  require_rejected(check(verifier, test::sign_token(test_keys().ec, claims(), {{"kid", ""}})),
                   rejection::kid_missing, "no `kid` in the header");
}

TEST_CASE("a `kid` the issuer does not have is refused", "[jwt]") {
  jwt_verifier verifier(config());
  require_rejected(check(verifier, test::sign_token(test_keys().ec, claims(), {{"kid", "ec-2"}})),
                   rejection::kid_unknown, "`kid` `ec-2` for issuer `https://ehr.example.org`");
}

TEST_CASE("a signature by another key, or over a changed payload, is refused", "[jwt]") {
  jwt_verifier verifier(config());
  require_rejected(check(verifier, test::sign_token(test_keys().stranger, claims())), rejection::bad_signature,
                   "`ES384` signature with key `ec-1`");
  // Swap the payload of a good RS384 token for another one.
  const std::string good = test::sign_token(test_keys().rsa, claims());
  json changed = claims();
  changed["sub"] = "someone-else";
  const std::string forged = test::unsigned_token({{"alg", "RS384"}, {"kid", "rsa-1"}}, changed);
  const std::string tampered = forged.substr(0, forged.rfind('.')) + good.substr(good.rfind('.'));
  require_rejected(check(verifier, tampered), rejection::bad_signature, "`RS384` signature with key `rsa-1`");
  CHECK(verifier.remembered_tokens() == 0);
}

TEST_CASE("a key is used only for its own algorithm", "[jwt]") {
  jwt_verifier verifier(config());
  require_rejected(check(verifier, test::sign_token(test_keys().rsa, claims(), {{"kid", "ec-1"}})),
                   rejection::key_alg_mismatch, "key `ec-1` cannot verify `RS384`");
}

TEST_CASE("`aud` must equal the endpoint URL exactly", "[jwt]") {
  jwt_verifier verifier(config());
  json payload = claims();
  payload["aud"] = endpoint + "/";
  require_rejected(check(verifier, test::sign_token(test_keys().ec, payload)), rejection::aud_mismatch,
                   "`aud` `" + endpoint + "/`, endpoint `" + endpoint + "`");
}

TEST_CASE("an expired token is refused once the skew has passed", "[jwt]") {
  jwt_verifier verifier(config());
  json payload = claims();
  payload["exp"] = now - 31;
  require_rejected(check(verifier, test::sign_token(test_keys().ec, payload)), rejection::expired,
                   "`exp` 1799999969, now 1800000000");
  payload["exp"] = now - 29;  // within the 30 s skew
  payload["jti"] = "jti-2";
  CHECK(check(verifier, test::sign_token(test_keys().ec, payload)).ok());
}

TEST_CASE("a token issued in the future (beyond the skew) is refused", "[jwt]") {
  jwt_verifier verifier(config());
  json payload = claims();
  payload["iat"] = now + 31;
  require_rejected(check(verifier, test::sign_token(test_keys().ec, payload)), rejection::issued_in_future,
                   "`iat` 1800000031, now 1800000000");
  payload["iat"] = now + 30;
  CHECK(check(verifier, test::sign_token(test_keys().ec, payload)).ok());
}

TEST_CASE("a token valid for longer than the maximum lifetime is refused", "[jwt]") {
  jwt_verifier verifier(config());
  json payload = claims();
  payload["exp"] = now + 3600;
  require_rejected(check(verifier, test::sign_token(test_keys().ec, payload)), rejection::lifetime_too_long,
                   "`exp` 1800003600, now 1800000000");
}

TEST_CASE("an issuer that is not allow-listed is refused before any key is looked up", "[jwt]") {
  jwt_verifier verifier(config());
  json payload = claims();
  payload["iss"] = "https://evil.example.org";
  require_rejected(check(verifier, test::sign_token(test_keys().ec, payload)), rejection::iss_not_allowed,
                   "`iss` `https://evil.example.org`");
}

TEST_CASE("a replayed `jti` from the same issuer is refused", "[jwt]") {
  jwt_verifier verifier(config());
  const std::string token = test::sign_token(test_keys().ec, claims("once"));
  REQUIRE(check(verifier, token).ok());
  require_rejected(check(verifier, token, now + 10), rejection::jti_replayed,
                   "`jti` `once` from `https://ehr.example.org`");
  // The same jti in a new token is a replay too.
  require_rejected(check(verifier, test::sign_token(test_keys().rsa, claims("once")), now + 20),
                   rejection::jti_replayed, "`jti` `once` from `https://ehr.example.org`");
}

TEST_CASE("a token used by many threads at once is accepted exactly once", "[jwt]") {
  jwt_verifier verifier(config());
  const std::string token = test::sign_token(test_keys().ec, claims("race"));
  std::atomic<int> accepted{0}, replayed{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&] {
      const auto v = check(verifier, token);
      if (v.ok()) ++accepted;
      else if (v.reason == rejection::jti_replayed) ++replayed;
    });
  for (auto& t : threads) t.join();
  CHECK(accepted == 1);
  CHECK(replayed == 7);
}

TEST_CASE("a full replay cache refuses new tokens until entries expire", "[jwt]") {
  verifier_config c = config();
  c.replay_capacity = 1;
  jwt_verifier verifier(std::move(c));
  REQUIRE(check(verifier, test::sign_token(test_keys().ec, claims("a"))).ok());
  require_rejected(check(verifier, test::sign_token(test_keys().ec, claims("b"))), rejection::replay_cache_full,
                   "replay cache full");
  // Once "a" has expired (exp + skew), its place is free.
  json later = claims("b");
  later["iat"] = now + 300;
  later["exp"] = now + 500;
  CHECK(check(verifier, test::sign_token(test_keys().ec, later), now + 300).ok());
}

TEST_CASE("each required claim is checked: iss, sub, aud, exp, iat, jti", "[jwt]") {
  jwt_verifier verifier(config());
  for (const char* name : {"iss", "sub", "aud", "exp", "iat", "jti"}) {
    json payload = claims(std::string("missing-") + name);
    payload.erase(name);
    require_rejected(check(verifier, test::sign_token(test_keys().ec, payload)), rejection::claim_missing,
                     std::string("claim `") + name + "`");
  }
  json wrong_type = claims("typed");
  wrong_type["exp"] = "tomorrow";
  require_rejected(check(verifier, test::sign_token(test_keys().ec, wrong_type)), rejection::claim_missing,
                   "claim `exp`");
}

// The token's JSON is read by simdjson, and by nlohmann when simdjson refuses
// it or the text escapes a surrogate: both readings must agree with nlohmann's
// tree, which is what the verifier read before (service/security/jose_json).
TEST_CASE("of duplicate claims the later one counts, on either JSON reading", "[jwt]") {
  jwt_verifier verifier(config());
  const std::string header = R"({"alg":"ES384","kid":"ec-1","typ":"JWT"})";
  auto payload = [&](const std::string& auds, const std::string& jti, const std::string& extra = "") {
    return R"({"iss":")" + issuer + R"(","sub":"client-42",)" + auds + R"(,"iat":)" + std::to_string(now - 5) +
           R"(,"exp":)" + std::to_string(now + 240) + R"(,"jti":")" + jti + R"(")" + extra + "}";
  };
  const std::string wrong = R"("aud":"https://elsewhere.example.org")", right = R"("aud":")" + endpoint + R"(")";
  CHECK(check(verifier, test::sign_token_text(test_keys().ec, payload(wrong + "," + right, "dup-1"), header)).ok());
  require_rejected(check(verifier, test::sign_token_text(test_keys().ec, payload(right + "," + wrong, "dup-2"), header)),
                   rejection::aud_mismatch, "`aud` `https://elsewhere.example.org`, endpoint `" + endpoint + "`");
  // An escaped surrogate pair sends the text to nlohmann; duplicates still resolve the same way.
  const auto v = check(verifier, test::sign_token_text(test_keys().ec, payload(wrong + "," + right, "dup-3", R"(,"tenant":"\ud83d\ude00")"), header));
  REQUIRE(v.ok());
  CHECK(v.claims.tenant == "\xF0\x9F\x98\x80");
  // A lone surrogate is not JSON to nlohmann: malformed, whatever simdjson thinks.
  require_rejected(check(verifier, test::sign_token_text(test_keys().ec, payload(right, "dup-4", R"(,"tenant":"\ud83d")"), header)),
                   rejection::malformed, "header or payload is not a JSON object");
}

TEST_CASE("an `aud` array without the endpoint is logged as JSON; numbers of every JSON form are dates", "[jwt]") {
  jwt_verifier verifier(config());
  json payload = claims("aud-array");
  payload["aud"] = json::array({"https://a.example.org", 7});
  require_rejected(check(verifier, test::sign_token(test_keys().ec, payload)), rejection::aud_mismatch,
                   R"(`aud` `["https://a.example.org",7]`, endpoint `)" + endpoint + "`");
  // `exp` as a fraction (dropped), `iat` as an exponent: both NumericDates.
  const std::string header = R"({"alg":"RS384","kid":"rsa-1"})";
  const std::string text = R"({"iss":")" + issuer + R"(","sub":"c","aud":")" + endpoint + R"(","iat":1.7999999e9,"exp":)" +
                           std::to_string(now + 100) + R"(.75,"jti":"numbers"})";
  const auto v = check(verifier, test::sign_token_text(test_keys().rsa, text, header));
  REQUIRE(v.ok());
  CHECK(v.claims.exp == now + 100);
  CHECK(v.claims.iat == 1'799'999'900);
  // An integer beyond 64 bits is no NumericDate (nlohmann reads it as 1e20, over the bound).
  const std::string huge = R"({"iss":")" + issuer + R"(","sub":"c","aud":")" + endpoint +
                           R"(","iat":100000000000000000000,"exp":1,"jti":"huge"})";
  require_rejected(check(verifier, test::sign_token_text(test_keys().rsa, huge, header)), rejection::claim_missing, "claim `iat`");
}

namespace {

// A JWK Set served on 127.0.0.1 at an ephemeral port, as an EHR's `jku` endpoint.
struct jwks_server {
  httplib::Server server;
  std::thread thread;
  int port = 0;
  std::atomic<int> hits{0};
  explicit jwks_server(std::string body) {
    server.Get("/jwks.json", [this, body](const httplib::Request&, httplib::Response& res) {
      ++hits;
      res.set_content(body, "application/json");
    });
    port = server.bind_to_any_port("127.0.0.1");
    thread = std::thread([this] { server.listen_after_bind(); });
    while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~jwks_server() {
    server.stop();
    thread.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port) + "/jwks.json"; }
};

}  // namespace

TEST_CASE("keys from an allow-listed `jku` are fetched once and cached", "[jwt][jku]") {
  jwks_server keys_endpoint(test::jwk_set_json({&test_keys().jku_key}));
  jwt_verifier verifier(config({keys_endpoint.url()}));
  for (const char* jti : {"k1", "k2"})
    CHECK(check(verifier, test::sign_token(test_keys().jku_key, claims(jti), {{"jku", keys_endpoint.url()}})).ok());
  CHECK(keys_endpoint.hits == 1);
  // The fetched set replaces the file for this token: a file key is unknown there.
  require_rejected(check(verifier, test::sign_token(test_keys().ec, claims("k3"), {{"jku", keys_endpoint.url()}})),
                   rejection::kid_unknown, "`kid` `ec-1` for issuer `https://ehr.example.org`");
}

TEST_CASE("a `jku` that is not on the issuer's allow-list is refused without fetching it", "[jwt][jku]") {
  jwks_server keys_endpoint(test::jwk_set_json({&test_keys().jku_key}));
  jwt_verifier verifier(config({"https://ehr.example.org/jwks.json"}));
  require_rejected(check(verifier, test::sign_token(test_keys().jku_key, claims(), {{"jku", keys_endpoint.url()}})),
                   rejection::jku_not_allowed,
                   "`jku` `" + keys_endpoint.url() + "` for issuer `https://ehr.example.org`");
  CHECK(keys_endpoint.hits == 0);
}

TEST_CASE("an allow-listed `jku` that cannot be fetched is refused", "[jwt][jku]") {
  std::string url;
  {
    jwks_server gone("{}");
    url = gone.url();
  }  // the port is closed now
  jwt_verifier verifier(config({url}));
  const auto v = check(verifier, test::sign_token(test_keys().jku_key, claims(), {{"jku", url}}));
  REQUIRE_FALSE(v.ok());
  CHECK(to_string(*v.reason) == "jku_unavailable");
  CHECK(v.detail == "could not fetch `jku`: Connection error");
}
