// JWS ECDSA signatures are raw R || S (RFC 7518 §3.4) while EVP_DigestVerify
// takes DER, so ES384 signatures are converted through ECDSA_SIG first.
#include "service/security/jws.hpp"

#include <openssl/ecdsa.h>

#include <unordered_map>

#include "service/security/base64url.hpp"

namespace rubric::service::security {
namespace {

constexpr std::size_t p384_scalar_bytes = 48;

const unsigned char* bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

// DER of the ECDSA signature whose raw form is R || S, or empty on failure.
std::string ecdsa_raw_to_der(std::string_view raw) {
  const std::size_t half = raw.size() / 2;
  bignum_ptr r(BN_bin2bn(bytes(raw), static_cast<int>(half), nullptr));
  bignum_ptr s(BN_bin2bn(bytes(raw.substr(half)), static_cast<int>(half), nullptr));
  ecdsa_sig_ptr sig(ECDSA_SIG_new());
  if (!r || !s || !sig || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) return {};
  r.release();  // owned by sig now
  s.release();
  unsigned char* der = nullptr;
  const int length = i2d_ECDSA_SIG(sig.get(), &der);
  if (length <= 0) return {};
  std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(length));
  OPENSSL_free(der);
  return out;
}

// SHA-384 fetched from the provider once: EVP_sha384() in a DigestVerifyInit
// looks it up again on every call (OpenSSL 3 "implicit fetch").
const EVP_MD* sha384() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA384", nullptr);  // lives as long as the process
  return md;
}

// A verify context initialised for `pkey` with SHA-384, made once per key
// and thread. EVP_DigestVerifyInit looks the signature algorithm up in the
// provider store (a global lookup under a lock) and builds a key context on
// every call; copying a prepared context skips both. Each entry holds a
// reference to its key (the key context does), so a key's address cannot be
// reused by another key while its entry lives.
EVP_MD_CTX* prepared_context(EVP_PKEY* pkey) {
  thread_local std::unordered_map<EVP_PKEY*, md_ctx_ptr> by_key;
  if (auto it = by_key.find(pkey); it != by_key.end()) return it->second.get();
  if (by_key.size() >= 64) by_key.clear();  // keys rotated through a `jku`: stay bounded
  md_ctx_ptr ctx(EVP_MD_CTX_new());
  if (!ctx || !sha384() || EVP_DigestVerifyInit(ctx.get(), nullptr, sha384(), nullptr, pkey) != 1) return nullptr;
  return by_key.emplace(pkey, std::move(ctx)).first->second.get();
}

bool digest_verify_sha384(EVP_PKEY* pkey, std::string_view data, std::string_view signature) {
  EVP_MD_CTX* prepared = prepared_context(pkey);
  thread_local md_ctx_ptr ctx(EVP_MD_CTX_new());  // the copy one call works on
  if (!prepared || !ctx || EVP_MD_CTX_copy_ex(ctx.get(), prepared) != 1) return false;
  return EVP_DigestVerify(ctx.get(), bytes(signature), signature.size(), bytes(data), data.size()) == 1;
}

}  // namespace

std::optional<compact_jws> split_compact_jws(std::string_view token) {
  const auto first = token.find('.');
  if (first == std::string_view::npos) return std::nullopt;
  const auto second = token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos)
    return std::nullopt;
  auto header = base64url_decode(token.substr(0, first));
  auto payload = base64url_decode(token.substr(first + 1, second - first - 1));
  auto signature = base64url_decode(token.substr(second + 1));
  if (!header || !payload || !signature) return std::nullopt;
  return compact_jws{std::move(*header), std::move(*payload), std::move(*signature), token.substr(0, second)};
}

bool verify_signature(std::string_view alg, const public_key& key, std::string_view signing_input,
                      std::string_view signature) {
  if (alg == "ES384" && key.type == key_type::ec_p384) {
    if (signature.size() != 2 * p384_scalar_bytes) return false;
    const std::string der = ecdsa_raw_to_der(signature);
    return !der.empty() && digest_verify_sha384(key.pkey.get(), signing_input, der);
  }
  if (alg == "RS384" && key.type == key_type::rsa) {
    if (signature.size() != static_cast<std::size_t>(EVP_PKEY_get_size(key.pkey.get()))) return false;
    return digest_verify_sha384(key.pkey.get(), signing_input, signature);
  }
  return false;
}

std::optional<std::string> ecdsa_der_to_raw(std::string_view der, std::size_t half) {
  const unsigned char* cursor = bytes(der);
  ecdsa_sig_ptr sig(d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(der.size())));
  if (!sig) return std::nullopt;
  std::string raw(2 * half, '\0');
  auto* out = reinterpret_cast<unsigned char*>(raw.data());
  if (BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), out, static_cast<int>(half)) < 0 ||
      BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), out + half, static_cast<int>(half)) < 0)
    return std::nullopt;
  return raw;
}

}  // namespace rubric::service::security
