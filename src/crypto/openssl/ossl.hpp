// Shared pieces of the OpenSSL provider: owning handles for libcrypto objects and the
// translation of libcrypto's error queue into keel errors. Only src/crypto/openssl/ includes
// OpenSSL headers.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <string_view>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>

#include <keel/bytes.hpp>
#include <keel/error.hpp>

#include "crypto/provider.hpp"

namespace keel::crypto::ossl {

template <auto Free>
struct Deleter {
  template <class T>
  void operator()(T* p) const noexcept {
    Free(p);
  }
};

using MdPtr = std::unique_ptr<EVP_MD, Deleter<EVP_MD_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX_free>>;
using CipherPtr = std::unique_ptr<EVP_CIPHER, Deleter<EVP_CIPHER_free>>;
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, Deleter<EVP_CIPHER_CTX_free>>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX_free>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BN_clear_free>>;
using BnCtxPtr = std::unique_ptr<BN_CTX, Deleter<BN_CTX_free>>;
using EcGroupPtr = std::unique_ptr<EC_GROUP, Deleter<EC_GROUP_free>>;
using EcPointPtr = std::unique_ptr<EC_POINT, Deleter<EC_POINT_clear_free>>;

/// An Error of `code` whose detail is `what` plus the oldest entry of libcrypto's error
/// queue. Clears the queue, so no stale entry confuses a later call on this thread.
[[nodiscard]] Error failure(Errc code, std::string_view what);

/// Drops whatever libcrypto left in this thread's error queue.
void clear_errors() noexcept;

/// A pointer libcrypto accepts for `bytes`, never null (an empty span may have a null data()).
[[nodiscard]] const unsigned char* ptr(ByteView bytes) noexcept;

/// OpenSSL's digest name for `alg` ("SHA256").
[[nodiscard]] const char* md_name(HashAlg alg) noexcept;

/// The fetched digests and ciphers: fetched once, when the provider is created, so no call
/// looks an algorithm up by name. (HMAC is built on the digests, hash.cpp.)
struct Algorithms {
  MdPtr sha256;
  MdPtr sha384;
  MdPtr sha512;
  MdPtr sha1;  // identifiers only (Provider::sha1_identifier)
  CipherPtr aes_128_gcm;
  CipherPtr aes_256_gcm;
  CipherPtr chacha20_poly1305;

  Algorithms();
  /// The digest for `alg`, or crypto_failure if this libcrypto does not have it.
  [[nodiscard]] Result<const EVP_MD*> md(HashAlg alg) const;
  [[nodiscard]] Result<const EVP_CIPHER*> cipher(AeadAlg alg) const;
};

// One factory per primitive family, each in its own file.
[[nodiscard]] Result<std::unique_ptr<HashContext>> make_hash(const Algorithms& algs, HashAlg alg);
[[nodiscard]] Result<Digest> hmac(const Algorithms& algs, HashAlg alg, ByteView key, ByteView data);
[[nodiscard]] Result<Digest> sha1(const Algorithms& algs, ByteView data);
[[nodiscard]] Result<std::unique_ptr<PrivateKey>> generate_private_key(KeyType type);
/// A public key from a DER SubjectPublicKeyInfo (spki.cpp).
[[nodiscard]] Result<PkeyPtr> decode_spki(ByteView spki);
/// An EC public key from an uncompressed point on `curve` (libcrypto's group name);
/// invalid_key for a point that is not on the curve.
[[nodiscard]] Result<PkeyPtr> ec_public_key(const char* curve, ByteView point);
[[nodiscard]] Result<std::unique_ptr<Aead>> make_aead(const Algorithms& algs, AeadAlg alg,
                                                      ByteView key);
[[nodiscard]] Result<std::unique_ptr<KeyShare>> generate_key_share(NamedGroup group, Rng& rng);
[[nodiscard]] Result<std::unique_ptr<KeyShare>> key_share_from_private(NamedGroup group,
                                                                       ByteView private_key);
class ParsedKeyCache;
/// Found in `cache` or parsed and kept there (keys.cpp).
[[nodiscard]] Result<std::unique_ptr<PublicKey>> parse_public_key(ParsedKeyCache& cache,
                                                                  ByteView spki,
                                                                  const KeyPolicy& policy);
[[nodiscard]] Result<std::unique_ptr<PrivateKey>> load_private_key(const Algorithms& algs,
                                                                   ByteView pem_or_der,
                                                                   const KeyPolicy& policy);
/// libcrypto's CSPRNG.
[[nodiscard]] Rng& system_rng() noexcept;

}  // namespace keel::crypto::ossl
