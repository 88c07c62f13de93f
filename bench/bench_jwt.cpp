// The cost of verifying one CDS Hooks client JWT (service/security): ES384
// (P-384 ECDSA) and RS384 (RSA 2048 and 3072), each a fresh token with its own `jti`,
// through the whole check (parse, key lookup, signature, claims, replay
// cache). It bounds what one core of `rubric serve` can admit per second.
#include <benchmark/benchmark.h>

#include <chrono>

#include "service/security/jwt_verifier.hpp"
#include "test_keys.hpp"

namespace {

using namespace rubric::service;

constexpr int token_count = 2000;
const std::string audience = "https://cds.example.org/cds-services/order-select";

void verify_tokens(benchmark::State& state, const test::test_key& key) {
  auto keys = security::parse_jwk_set(test::jwk_set_json({&key}));
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch()).count();
  std::vector<std::string> tokens;
  for (int i = 0; i < token_count; ++i)
    tokens.push_back("Bearer " + test::sign_token(key, {{"iss", "https://ehr"}, {"sub", "c"}, {"aud", audience},
                                                        {"iat", now}, {"exp", now + 200}, {"jti", std::to_string(i)}}));
  auto fresh_verifier = [&] {
    security::verifier_config config;
    config.issuers.push_back({"https://ehr", std::make_shared<const security::jwk_set>(std::get<security::jwk_set>(keys)), {}});
    return std::make_unique<security::jwt_verifier>(std::move(config));
  };
  auto verifier = fresh_verifier();
  std::size_t next = 0;
  for (auto _ : state) {
    if (next == tokens.size()) {  // every jti used: a new replay cache
      state.PauseTiming();
      verifier = fresh_verifier();
      next = 0;
      state.ResumeTiming();
    }
    auto v = verifier->verify_at(tokens[next++], audience, now);
    if (!v.ok()) state.SkipWithError("a token was refused");
    benchmark::DoNotOptimize(v);
  }
}

void BM_verify_es384(benchmark::State& state) {
  static const auto key = test::make_ec_key("es");
  verify_tokens(state, key);
}
void BM_verify_rs384_3072(benchmark::State& state) {
  static const auto key = test::make_rsa_key("rs");
  verify_tokens(state, key);
}
// RSA 2048: the key size bench/serve/serve_bench.sh signs with.
void BM_verify_rs384_2048(benchmark::State& state) {
  static const auto key = test::make_rsa_key("rs2048", 2048);
  verify_tokens(state, key);
}
BENCHMARK(BM_verify_es384)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_verify_rs384_2048)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_verify_rs384_3072)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
