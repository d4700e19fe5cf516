// The crypto provider: the primitives keel needs, behind interfaces, so that exactly one folder
// (src/crypto/openssl/) touches a crypto library. Everything above this line — key schedules,
// PRFs, records, handshakes, certificates — is keel's own code.
//
// Objects returned here hold their algorithm state (fetched algorithms, expanded keys) for
// their whole life: a provider fetches each algorithm once, an Aead is keyed once and only its
// nonce changes per record.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include <keel/bytes.hpp>
#include <keel/codepoints.hpp>
#include <keel/result.hpp>

#include "core/rng.hpp"
#include "core/secret.hpp"

namespace keel::crypto {

// ---------------------------------------------------------------------------------------------
// Hashes

enum class HashAlg : std::uint8_t { sha256, sha384, sha512 };

[[nodiscard]] constexpr std::size_t digest_size(HashAlg alg) noexcept {
  switch (alg) {
    case HashAlg::sha256:
      return 32;
    case HashAlg::sha384:
      return 48;
    case HashAlg::sha512:
      return 64;
  }
  return 0;
}

[[nodiscard]] std::string_view to_string(HashAlg alg) noexcept;

/// A hash output; no allocation. (Not secret: transcript hashes, Finished MACs.)
class Digest {
 public:
  static constexpr std::size_t kMaxSize = 64;

  Digest() = default;
  explicit Digest(std::size_t size) : size_(size <= kMaxSize ? size : kMaxSize) {}

  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] ByteView view() const noexcept { return {bytes_.data(), size_}; }
  [[nodiscard]] MutableByteView mutable_view() noexcept { return {bytes_.data(), size_}; }

 private:
  std::array<std::uint8_t, kMaxSize> bytes_{};
  std::size_t size_ = 0;
};

/// A running hash. clone() forks it cheaply (the transcript hash needs the hash "so far"
/// while it keeps running).
class HashContext {
 public:
  virtual ~HashContext() = default;
  [[nodiscard]] virtual HashAlg alg() const noexcept = 0;
  virtual void update(ByteView data) = 0;
  [[nodiscard]] virtual Result<std::unique_ptr<HashContext>> clone() const = 0;
  /// The digest of everything fed so far. The context must not be used afterwards.
  [[nodiscard]] virtual Result<Digest> finish() = 0;
};

// ---------------------------------------------------------------------------------------------
// AEAD (record protection)

enum class AeadAlg : std::uint8_t { aes_128_gcm, aes_256_gcm, chacha20_poly1305 };

/// TLS uses 96-bit nonces and 128-bit tags for every AEAD it negotiates (RFC 8446 §5.3,
/// RFC 5288 §3, RFC 7905 §2).
inline constexpr std::size_t kAeadNonceSize = 12;
inline constexpr std::size_t kAeadTagSize = 16;

[[nodiscard]] constexpr std::size_t key_size(AeadAlg alg) noexcept {
  return alg == AeadAlg::aes_128_gcm ? 16 : 32;
}

[[nodiscard]] std::string_view to_string(AeadAlg alg) noexcept;

/// An AEAD keyed once. seal/open read their input from one buffer and write their output to
/// another, or work in place (the same memory, exactly): either way a record is protected in
/// one pass over its bytes, with no copy before or after.
class Aead {
 public:
  virtual ~Aead() = default;
  [[nodiscard]] virtual AeadAlg alg() const noexcept = 0;
  /// Encrypts the concatenation of `parts` into `out` (whose size is their total) and writes
  /// the tag to `tag` (kAeadTagSize bytes). A part may be the very memory of its place in
  /// `out`; no part may overlap `out` otherwise.
  [[nodiscard]] virtual Result<void> seal(ByteView nonce, ByteView aad,
                                          std::span<const ByteView> parts, MutableByteView out,
                                          MutableByteView tag) = 0;
  /// Checks `tag` and decrypts `in` into `out` (of the same size; in place if they are the same
  /// memory). On failure (bad_record_mac) the contents of `out` are unspecified and must be
  /// discarded.
  [[nodiscard]] virtual Result<void> open(ByteView nonce, ByteView aad, ByteView in,
                                          MutableByteView out, ByteView tag) = 0;

  /// In place: encrypts `in_out` and writes the tag.
  [[nodiscard]] Result<void> seal(ByteView nonce, ByteView aad, MutableByteView in_out,
                                  MutableByteView tag) {
    const ByteView part = in_out;
    return seal(nonce, aad, std::span<const ByteView>(&part, 1), in_out, tag);
  }
  /// In place: checks `tag` and decrypts `in_out`.
  [[nodiscard]] Result<void> open(ByteView nonce, ByteView aad, MutableByteView in_out,
                                  ByteView tag) {
    return open(nonce, aad, ByteView(in_out), in_out, tag);
  }
};

// ---------------------------------------------------------------------------------------------
// Key exchange

/// An ephemeral (EC)DH key pair for one group: x25519, secp256r1 or secp384r1.
class KeyShare {
 public:
  virtual ~KeyShare() = default;
  [[nodiscard]] virtual NamedGroup group() const noexcept = 0;
  /// The public value as it goes on the wire (RFC 8446 §4.2.8.2): 32 bytes for X25519; the
  /// uncompressed point 0x04 || X || Y for the NIST curves.
  [[nodiscard]] virtual ByteView public_key() const noexcept = 0;
  /// The shared secret with the peer's wire-format public value. Rejects (invalid_key_share)
  /// a value of the wrong length, a compressed or off-curve point, the point at infinity, and
  /// an all-zero X25519 result (RFC 8446 §7.4.2).
  [[nodiscard]] virtual Result<Secret> agree(ByteView peer_public) const = 0;
};

// ---------------------------------------------------------------------------------------------
// Signatures

enum class KeyType : std::uint8_t {
  rsa,      // rsaEncryption: PKCS#1 v1.5 and PSS signatures
  rsa_pss,  // id-RSASSA-PSS: PSS only, with the parameters the key carries
  ec_p256,
  ec_p384,
  ed25519,
};

[[nodiscard]] std::string_view to_string(KeyType type) noexcept;

enum class SignatureKind : std::uint8_t { ecdsa, rsa_pkcs1, rsa_pss, ed25519 };

/// A signature algorithm as the primitive sees it: a kind and a hash. (For Ed25519 the hash
/// is part of the algorithm and `hash` is ignored.) RSA-PSS always uses MGF1 with the same
/// hash and a salt as long as the hash, as TLS and the Web PKI require (RFC 8446 §4.2.3).
struct SignatureAlgorithm {
  SignatureKind kind;
  HashAlg hash;
  friend bool operator==(const SignatureAlgorithm&, const SignatureAlgorithm&) = default;
};

/// What keys parse_public_key() accepts.
struct KeyPolicy {
  /// RSA moduli below this are unsupported_key. 2048 by default; see docs/design.md.
  std::size_t min_rsa_bits = 2048;
  /// Larger moduli are refused too: verification cost grows with the cube of the size, and
  /// a hostile certificate should not choose it.
  std::size_t max_rsa_bits = 8192;
};

class PublicKey {
 public:
  virtual ~PublicKey() = default;
  [[nodiscard]] virtual KeyType type() const noexcept = 0;
  /// Modulus bits for RSA, field bits for EC, 256 for Ed25519.
  [[nodiscard]] virtual std::size_t bits() const noexcept = 0;
  /// Succeeds only if `signature` is a valid signature of `message` under this key with
  /// `alg` (bad_signature otherwise; unsupported_algorithm if the key cannot do `alg`).
  [[nodiscard]] virtual Result<void> verify(SignatureAlgorithm alg, ByteView message,
                                            ByteView signature) const = 0;
  /// For EC keys: the uncompressed point 0x04 || X || Y.
  [[nodiscard]] virtual Result<Bytes> ec_point() const = 0;
};

class PrivateKey {
 public:
  virtual ~PrivateKey() = default;
  [[nodiscard]] virtual KeyType type() const noexcept = 0;
  [[nodiscard]] virtual std::size_t bits() const noexcept = 0;
  /// The matching public key as a DER SubjectPublicKeyInfo.
  [[nodiscard]] virtual Result<Bytes> public_key_spki() const = 0;
  [[nodiscard]] virtual Result<Bytes> sign(SignatureAlgorithm alg, ByteView message) const = 0;
  /// The key as a DER PKCS#8 PrivateKeyInfo (RFC 5208), for saving it.
  [[nodiscard]] virtual Result<Secret> pkcs8() const = 0;
};

// ---------------------------------------------------------------------------------------------
// The provider

class Provider {
 public:
  virtual ~Provider() = default;

  /// The backend and its version, e.g. "OpenSSL 3.0.19 27 Jan 2026".
  [[nodiscard]] virtual std::string name() const = 0;

  /// The CSPRNG.
  [[nodiscard]] virtual Rng& rng() noexcept = 0;

  [[nodiscard]] virtual Result<std::unique_ptr<HashContext>> hash(HashAlg alg) const = 0;
  [[nodiscard]] virtual Result<Digest> hash(HashAlg alg, ByteView data) const;

  [[nodiscard]] virtual Result<Digest> hmac(HashAlg alg, ByteView key, ByteView data) const = 0;

  /// SHA-1 (20 bytes), for the identifiers that are defined with it: OCSP CertIDs and
  /// ResponderID byKey (RFC 6960 §4.1.1, §4.2.1). Never for signatures or MACs, which is why
  /// it is not a HashAlg.
  [[nodiscard]] virtual Result<Digest> sha1_identifier(ByteView data) const = 0;

  /// HKDF-Extract (RFC 5869 §2.2). An empty salt means HashLen zero bytes. Built on hmac().
  [[nodiscard]] Result<Secret> hkdf_extract(HashAlg alg, ByteView salt, ByteView ikm) const;
  /// HKDF-Expand (RFC 5869 §2.3) into `out`; at most 255 * HashLen bytes. Built on hmac().
  [[nodiscard]] Result<void> hkdf_expand(HashAlg alg, ByteView prk, ByteView info,
                                         MutableByteView out) const;

  [[nodiscard]] virtual Result<std::unique_ptr<Aead>> aead(AeadAlg alg, ByteView key) const = 0;

  /// A fresh key pair for `group`, its private key drawn from `rng` (so tests can inject it).
  [[nodiscard]] virtual Result<std::unique_ptr<KeyShare>> generate_key_share(NamedGroup group,
                                                                             Rng& rng) const = 0;
  /// The key pair with this private key: 32 bytes for X25519, a big-endian scalar of the
  /// curve's size (or shorter) for the NIST curves.
  [[nodiscard]] virtual Result<std::unique_ptr<KeyShare>> key_share_from_private(
      NamedGroup group, ByteView private_key) const = 0;

  /// A public key from a DER SubjectPublicKeyInfo: RSA, RSA-PSS, EC on P-256/P-384 (named
  /// curves only), Ed25519. Anything else is unsupported_key; malformed input invalid_key.
  [[nodiscard]] virtual Result<std::unique_ptr<PublicKey>> parse_public_key(
      ByteView spki, const KeyPolicy& policy = {}) const = 0;

  /// A private key from PEM or DER: PKCS#8, SEC1 ("EC PRIVATE KEY") or PKCS#1
  /// ("RSA PRIVATE KEY"), of the same kinds parse_public_key() accepts. Encrypted keys are
  /// not supported.
  [[nodiscard]] virtual Result<std::unique_ptr<PrivateKey>> load_private_key(
      ByteView pem_or_der, const KeyPolicy& policy = {}) const = 0;

  /// A new key pair from the CSPRNG: ECDSA P-256 or Ed25519 (unsupported_algorithm otherwise;
  /// keel makes keys only for its own local certificates).
  [[nodiscard]] virtual Result<std::unique_ptr<PrivateKey>> generate_private_key(
      KeyType type) const = 0;
};

/// The default provider (OpenSSL libcrypto 3). Created on first use, shared, thread-safe.
[[nodiscard]] Provider& default_provider();

}  // namespace keel::crypto
