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

// A verify context for `pkey` with SHA-384 as the signature's digest, made
// once per key and thread. EVP_PKEY_verify may be called again and again on
// one context with the same parameters (EVP_PKEY_verify(3)), so a call
// neither builds a context (EVP_DigestVerifyInit looks the algorithm up in
// the provider store under a lock) nor copies one (EVP_MD_CTX_copy_ex
// duplicates the key context, ~2 us). Each entry holds a reference to its
// key, so a key's address cannot be reused by another key while it lives.
EVP_PKEY_CTX* prepared_context(EVP_PKEY* pkey) {
  thread_local std::unordered_map<EVP_PKEY*, pkey_ctx_ptr> by_key;
  if (auto it = by_key.find(pkey); it != by_key.end()) return it->second.get();
  if (by_key.size() >= 64) by_key.clear();  // keys rotated through a `jku`: stay bounded
  pkey_ctx_ptr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr));
  if (!ctx || !sha384() || EVP_PKEY_verify_init(ctx.get()) != 1 || EVP_PKEY_CTX_set_signature_md(ctx.get(), sha384()) != 1)
    return nullptr;
  return by_key.emplace(pkey, std::move(ctx)).first->second.get();
}

// RSA PKCS #1 v1.5 or ECDSA (DER) over the SHA-384 digest of `data`: what
// EVP_DigestVerify with SHA-384 checks, in two steps.
bool digest_verify_sha384(EVP_PKEY* pkey, std::string_view data, std::string_view signature) {
  EVP_PKEY_CTX* ctx = prepared_context(pkey);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  if (!ctx || EVP_Digest(data.data(), data.size(), digest, &digest_size, sha384(), nullptr) != 1) return false;
  return EVP_PKEY_verify(ctx, bytes(signature), signature.size(), digest, digest_size) == 1;
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
