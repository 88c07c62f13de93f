// JWK → EVP_PKEY with OSSL_PARAM_BLD and EVP_PKEY_fromdata; each key is also
// checked by EVP_PKEY_public_check (an EC point must be on P-384).
#include "service/security/jwk.hpp"

#include <nlohmann/json.hpp>
#include <openssl/core_names.h>

#include "service/security/base64url.hpp"

namespace rubric::service::security {
namespace {

using json = nlohmann::json;
using key_or_error = std::variant<public_key, std::string>;

constexpr std::size_t p384_coordinate_bytes = 48;
constexpr int min_rsa_bits = 2048;

std::optional<std::string> decoded_member(const json& jwk, const char* name) {
  const auto it = jwk.find(name);
  if (it == jwk.end() || !it->is_string()) return std::nullopt;
  return base64url_decode(it->get<std::string>());
}

// Runs EVP_PKEY_fromdata over the parameters in `bld` for `type_name`.
pkey_ptr pkey_from_params(const char* type_name, OSSL_PARAM_BLD* bld) {
  param_ptr params(OSSL_PARAM_BLD_to_param(bld));
  pkey_ctx_ptr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type_name, nullptr));
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0) return nullptr;
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) <= 0) return nullptr;
  pkey_ptr key(raw);
  pkey_ctx_ptr check(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
  if (!check || EVP_PKEY_public_check(check.get()) != 1) return nullptr;
  return key;
}

std::variant<pkey_ptr, std::string> ec_key(const json& jwk) {
  if (jwk.value("crv", std::string{}) != "P-384") return std::string("`crv` is not `P-384`");
  const auto x = decoded_member(jwk, "x");
  const auto y = decoded_member(jwk, "y");
  if (!x || !y || x->size() != p384_coordinate_bytes || y->size() != p384_coordinate_bytes)
    return std::string("`x` and `y` must be 48-byte base64url coordinates");
  // The uncompressed point encoding (SEC 1 §2.3.3): 0x04 || x || y.
  const std::string point = std::string(1, '\x04') + *x + *y;
  param_bld_ptr bld(OSSL_PARAM_BLD_new());
  if (!bld ||
      !OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "secp384r1", 0) ||
      !OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()))
    return std::string("out of memory");
  pkey_ptr key = pkey_from_params("EC", bld.get());
  if (!key) return std::string("the point is not on P-384");
  return key;
}

bignum_ptr bignum_from(const std::string& bytes) {
  return bignum_ptr(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                              static_cast<int>(bytes.size()), nullptr));
}

std::variant<pkey_ptr, std::string> rsa_key(const json& jwk) {
  const auto n = decoded_member(jwk, "n");
  const auto e = decoded_member(jwk, "e");
  if (!n || !e || n->empty() || e->empty()) return std::string("`n` and `e` must be base64url numbers");
  bignum_ptr n_bn = bignum_from(*n);
  bignum_ptr e_bn = bignum_from(*e);
  param_bld_ptr bld(OSSL_PARAM_BLD_new());
  if (!n_bn || !e_bn || !bld || !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n_bn.get()) ||
      !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e_bn.get()))
    return std::string("out of memory");
  pkey_ptr key = pkey_from_params("RSA", bld.get());
  if (!key) return std::string("not a valid RSA public key");
  if (EVP_PKEY_get_bits(key.get()) < min_rsa_bits) return std::string("RSA modulus shorter than 2048 bits");
  return key;
}

key_or_error parse_key(const json& jwk) {
  if (!jwk.is_object()) return std::string("a key is not a JSON object");
  const auto kid = jwk.find("kid");
  if (kid == jwk.end() || !kid->is_string() || kid->get<std::string>().empty())
    return std::string("a key has no `kid`");
  public_key key{kid->get<std::string>(), key_type::ec_p384, jwk.value("alg", std::string{}), nullptr};
  const std::string where = "key `" + key.kid + "`: ";
  if (jwk.contains("d")) return where + "is a private key (has `d`); publish public keys only";
  const std::string kty = jwk.value("kty", std::string{});
  std::variant<pkey_ptr, std::string> built = std::string("`kty` `" + kty + "` is not `EC` or `RSA`");
  if (kty == "EC") {
    built = ec_key(jwk);
  } else if (kty == "RSA") {
    key.type = key_type::rsa;
    built = rsa_key(jwk);
  }
  if (auto* message = std::get_if<std::string>(&built)) return where + *message;
  key.pkey = std::shared_ptr<EVP_PKEY>(std::get<pkey_ptr>(built).release(), EVP_PKEY_free);
  return key;
}

}  // namespace

const public_key* jwk_set::find(std::string_view kid) const {
  const auto it = keys.find(kid);
  return it == keys.end() ? nullptr : &it->second;
}

std::variant<jwk_set, std::string> parse_jwk_set(std::string_view json_text) {
  const json doc = json::parse(json_text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return std::string("the JWK Set is not a JSON object");
  const auto keys = doc.find("keys");
  if (keys == doc.end() || !keys->is_array()) return std::string("the JWK Set has no `keys` array");
  jwk_set set;
  for (const json& jwk : *keys) {
    auto key = parse_key(jwk);
    if (auto* message = std::get_if<std::string>(&key)) return *message;
    auto& parsed = std::get<public_key>(key);
    const std::string kid = parsed.kid;
    if (!set.keys.emplace(kid, std::move(parsed)).second) return "two keys share the `kid` `" + kid + "`";
  }
  return set;
}

}  // namespace rubric::service::security
