// Key generation with EVP_PKEY_Q_keygen and signing with EVP_DigestSign.
#include "test_keys.hpp"

#include <stdexcept>

#include <openssl/core_names.h>

#include "service/security/base64url.hpp"
#include "service/security/jws.hpp"

namespace rubric::service::test {
namespace {

using security::base64url_encode;

std::string bignum_param(EVP_PKEY* key, const char* name, int pad_to = 0) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &raw) != 1) throw std::runtime_error("no key parameter");
  security::bignum_ptr bn(raw);
  const int length = pad_to > 0 ? pad_to : BN_num_bytes(bn.get());
  std::string bytes(static_cast<std::size_t>(length), '\0');
  BN_bn2binpad(bn.get(), reinterpret_cast<unsigned char*>(bytes.data()), length);
  return base64url_encode(bytes);
}

}  // namespace

nlohmann::json test_key::public_jwk() const {
  if (alg == "ES384")
    return {{"kty", "EC"}, {"crv", "P-384"}, {"kid", kid}, {"use", "sig"}, {"alg", alg},
            {"x", bignum_param(pair.get(), OSSL_PKEY_PARAM_EC_PUB_X, 48)},
            {"y", bignum_param(pair.get(), OSSL_PKEY_PARAM_EC_PUB_Y, 48)}};
  return {{"kty", "RSA"}, {"kid", kid}, {"use", "sig"}, {"alg", alg},
          {"n", bignum_param(pair.get(), OSSL_PKEY_PARAM_RSA_N)},
          {"e", bignum_param(pair.get(), OSSL_PKEY_PARAM_RSA_E)}};
}

test_key make_ec_key(std::string kid) {
  security::pkey_ptr pair(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384"));
  if (!pair) throw std::runtime_error("EC key generation failed");
  return {std::move(kid), "ES384", std::move(pair)};
}

test_key make_rsa_key(std::string kid, int bits) {
  security::pkey_ptr pair(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(bits)));
  if (!pair) throw std::runtime_error("RSA key generation failed");
  return {std::move(kid), "RS384", std::move(pair)};
}

std::string jwk_set_json(std::initializer_list<const test_key*> keys) {
  nlohmann::json set = {{"keys", nlohmann::json::array()}};
  for (const test_key* key : keys) set["keys"].push_back(key->public_jwk());
  return set.dump();
}

std::string sign_token(const test_key& key, const nlohmann::json& payload, const nlohmann::json& header) {
  nlohmann::json full_header = {{"alg", key.alg}, {"typ", "JWT"}, {"kid", key.kid}};
  if (header.is_object()) full_header.update(header);
  return sign_token_text(key, payload.dump(), full_header.dump());
}

std::string sign_token_text(const test_key& key, const std::string& payload, const std::string& header) {
  const std::string input = base64url_encode(header) + "." + base64url_encode(payload);
  security::md_ctx_ptr ctx(EVP_MD_CTX_new());
  std::size_t length = 0;
  if (EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha384(), nullptr, key.pair.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &length, reinterpret_cast<const unsigned char*>(input.data()),
                     input.size()) != 1)
    throw std::runtime_error("signing failed");
  std::string signature(length, '\0');
  EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                 reinterpret_cast<const unsigned char*>(input.data()), input.size());
  signature.resize(length);
  if (key.alg == "ES384") signature = security::ecdsa_der_to_raw(signature, 48).value();
  return input + "." + base64url_encode(signature);
}

std::string unsigned_token(const nlohmann::json& header, const nlohmann::json& payload, std::string signature) {
  return base64url_encode(header.dump()) + "." + base64url_encode(payload.dump()) + "." +
         base64url_encode(signature);
}

}  // namespace rubric::service::test
