#include "crypto/openssl/ossl.hpp"

#include <array>

#include <openssl/err.h>

namespace keel::crypto::ossl {

Error failure(Errc code, std::string_view what) {
  std::string detail(what);
  const unsigned long err = ERR_get_error();
  if (err != 0) {
    std::array<char, 256> text{};
    ERR_error_string_n(err, text.data(), text.size());
    detail += " (";
    detail += text.data();
    detail += ")";
  }
  ERR_clear_error();
  return Error(code, std::move(detail));
}

void clear_errors() noexcept {
  ERR_clear_error();
}

const unsigned char* ptr(ByteView bytes) noexcept {
  static const unsigned char kEmpty = 0;
  return bytes.empty() ? &kEmpty : bytes.data();
}

const char* md_name(HashAlg alg) noexcept {
  switch (alg) {
    case HashAlg::sha256:
      return "SHA256";
    case HashAlg::sha384:
      return "SHA384";
    case HashAlg::sha512:
      return "SHA512";
  }
  return "";
}

Algorithms::Algorithms()
    : sha256(EVP_MD_fetch(nullptr, "SHA256", nullptr)),
      sha384(EVP_MD_fetch(nullptr, "SHA384", nullptr)),
      sha512(EVP_MD_fetch(nullptr, "SHA512", nullptr)),
      sha1(EVP_MD_fetch(nullptr, "SHA1", nullptr)),
      aes_128_gcm(EVP_CIPHER_fetch(nullptr, "AES-128-GCM", nullptr)),
      aes_256_gcm(EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr)),
      chacha20_poly1305(EVP_CIPHER_fetch(nullptr, "ChaCha20-Poly1305", nullptr)) {
  // A missing algorithm is reported when it is used, with its name, not here.
  clear_errors();
}

Result<const EVP_MD*> Algorithms::md(HashAlg alg) const {
  const EVP_MD* md = nullptr;
  switch (alg) {
    case HashAlg::sha256:
      md = sha256.get();
      break;
    case HashAlg::sha384:
      md = sha384.get();
      break;
    case HashAlg::sha512:
      md = sha512.get();
      break;
  }
  if (md == nullptr) {
    return Error(Errc::crypto_failure, std::string("libcrypto does not provide ") + md_name(alg));
  }
  return md;
}

Result<const EVP_CIPHER*> Algorithms::cipher(AeadAlg alg) const {
  const EVP_CIPHER* cipher = nullptr;
  switch (alg) {
    case AeadAlg::aes_128_gcm:
      cipher = aes_128_gcm.get();
      break;
    case AeadAlg::aes_256_gcm:
      cipher = aes_256_gcm.get();
      break;
    case AeadAlg::chacha20_poly1305:
      cipher = chacha20_poly1305.get();
      break;
  }
  if (cipher == nullptr) {
    return Error(Errc::crypto_failure, "libcrypto does not provide " + std::string(to_string(alg)));
  }
  return cipher;
}

}  // namespace keel::crypto::ossl
