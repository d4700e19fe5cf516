// Public keys (verification) and private keys (signing) on libcrypto.
#include <algorithm>
#include <array>
#include <string>
#include <string_view>

#include <openssl/core_names.h>
#include <openssl/decoder.h>
#include <openssl/encoder.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "core/try.hpp"
#include "crypto/openssl/key_cache.hpp"
#include "crypto/openssl/ossl.hpp"

namespace keel::crypto::ossl {
namespace {

/// The policy's bounds on an RSA modulus.
Result<void> check_rsa_size(const EVP_PKEY* key, const KeyPolicy& policy) {
  const auto bits = static_cast<std::size_t>(EVP_PKEY_get_bits(key));
  if (bits < policy.min_rsa_bits || bits > policy.max_rsa_bits) {
    return Error(Errc::unsupported_key, "RSA key of " + std::to_string(bits) + " bits; accepted: " +
                                            std::to_string(policy.min_rsa_bits) + " to " +
                                            std::to_string(policy.max_rsa_bits));
  }
  return ok();
}

/// What kind of key libcrypto decoded, or unsupported_key. EC keys must use a named curve
/// (RFC 5480 §2.1.1: "specifiedCurve ... MUST NOT be used" in PKIX).
Result<KeyType> classify(EVP_PKEY* key, const KeyPolicy& policy) {
  if (EVP_PKEY_is_a(key, "RSA") == 1 || EVP_PKEY_is_a(key, "RSA-PSS") == 1) {
    KEEL_TRY(check_rsa_size(key, policy));
    return EVP_PKEY_is_a(key, "RSA") == 1 ? KeyType::rsa : KeyType::rsa_pss;
  }
  if (EVP_PKEY_is_a(key, "ED25519") == 1) {
    return KeyType::ed25519;
  }
  if (EVP_PKEY_is_a(key, "EC") == 1) {
    std::array<char, 32> encoding{};
    std::array<char, 32> group{};
    std::size_t length = 0;
    if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_EC_ENCODING, encoding.data(),
                                       encoding.size(), &length) != 1 ||
        std::string_view(encoding.data()) != OSSL_PKEY_EC_ENCODING_GROUP) {
      clear_errors();
      return Error(Errc::unsupported_key, "EC key with explicit curve parameters");
    }
    if (EVP_PKEY_get_group_name(key, group.data(), group.size(), &length) != 1) {
      return failure(Errc::invalid_key, "EC key without a curve");
    }
    const std::string_view name(group.data());
    if (name == "prime256v1") {
      return KeyType::ec_p256;
    }
    if (name == "secp384r1") {
      return KeyType::ec_p384;
    }
    return Error(Errc::unsupported_key, "EC key on curve " + std::string(name));
  }
  return Error(Errc::unsupported_key,
               "key type " + std::string(EVP_PKEY_get0_type_name(key) != nullptr
                                             ? EVP_PKEY_get0_type_name(key)
                                             : "(unnamed)"));
}

Result<void> check_fits(KeyType type, SignatureAlgorithm alg) {
  bool fits = false;
  switch (alg.kind) {
    case SignatureKind::ecdsa:
      fits = type == KeyType::ec_p256 || type == KeyType::ec_p384;
      break;
    case SignatureKind::rsa_pkcs1:
      fits = type == KeyType::rsa;
      break;
    case SignatureKind::rsa_pss:
      fits = type == KeyType::rsa || type == KeyType::rsa_pss;
      break;
    case SignatureKind::ed25519:
      fits = type == KeyType::ed25519;
      break;
  }
  if (!fits) {
    return Error(Errc::unsupported_algorithm,
                 "a " + std::string(to_string(type)) + " key cannot make this signature");
  }
  return ok();
}

/// Starts a DigestSign/DigestVerify operation with the padding `alg` needs.
Result<MdCtxPtr> start(EVP_PKEY* key, SignatureAlgorithm alg, bool signing) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  const char* md = alg.kind == SignatureKind::ed25519 ? nullptr : md_name(alg.hash);
  const int rc =
      signing ? EVP_DigestSignInit_ex(ctx.get(), &pctx, md, nullptr, nullptr, key, nullptr)
              : EVP_DigestVerifyInit_ex(ctx.get(), &pctx, md, nullptr, nullptr, key, nullptr);
  if (!ctx || rc != 1) {
    return failure(Errc::unsupported_algorithm, "signature setup");
  }
  if (alg.kind == SignatureKind::rsa_pkcs1 &&
      EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1) {
    return failure(Errc::crypto_failure, "RSA PKCS#1 padding");
  }
  // RFC 8446 §4.2.3: "The length of the Salt MUST be equal to the length of the output of the
  // digest algorithm", with MGF1 over the same digest.
  if (alg.kind == SignatureKind::rsa_pss &&
      (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
       EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1 ||
       EVP_PKEY_CTX_set_rsa_mgf1_md_name(pctx, md, nullptr) != 1)) {
    return failure(Errc::unsupported_algorithm, "RSA-PSS parameters");
  }
  return ctx;
}

class OsslPublicKey final : public PublicKey {
 public:
  OsslPublicKey(PkeyPtr key, KeyType type) : key_(std::move(key)), type_(type) {}

  [[nodiscard]] KeyType type() const noexcept override { return type_; }
  [[nodiscard]] std::size_t bits() const noexcept override {
    return static_cast<std::size_t>(EVP_PKEY_get_bits(key_.get()));
  }

  [[nodiscard]] Result<void> verify(SignatureAlgorithm alg, ByteView message,
                                    ByteView signature) const override {
    KEEL_TRY(check_fits(type_, alg));
    KEEL_TRY_ASSIGN(MdCtxPtr ctx, start(key_.get(), alg, /*signing=*/false));
    if (EVP_DigestVerify(ctx.get(), ptr(signature), signature.size(), ptr(message),
                         message.size()) != 1) {
      clear_errors();
      return Error(Errc::bad_signature, std::string(to_string(type_)) + " signature");
    }
    return ok();
  }

  [[nodiscard]] Result<Bytes> ec_point() const override {
    if (type_ != KeyType::ec_p256 && type_ != KeyType::ec_p384) {
      return Error(Errc::invalid_argument, "not an EC key");
    }
    std::size_t length = 0;
    if (EVP_PKEY_get_octet_string_param(key_.get(), OSSL_PKEY_PARAM_PUB_KEY, nullptr, 0, &length) !=
        1) {
      return failure(Errc::crypto_failure, "EC point");
    }
    Bytes point(length);
    if (EVP_PKEY_get_octet_string_param(key_.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                        point.size(), &length) != 1) {
      return failure(Errc::crypto_failure, "EC point");
    }
    point.resize(length);
    return point;
  }

 private:
  PkeyPtr key_;
  KeyType type_;
};

class OsslPrivateKey final : public PrivateKey {
 public:
  OsslPrivateKey(PkeyPtr key, KeyType type) : key_(std::move(key)), type_(type) {}

  [[nodiscard]] KeyType type() const noexcept override { return type_; }
  [[nodiscard]] std::size_t bits() const noexcept override {
    return static_cast<std::size_t>(EVP_PKEY_get_bits(key_.get()));
  }

  [[nodiscard]] Result<Bytes> public_key_spki() const override {
    const int length = i2d_PUBKEY(key_.get(), nullptr);
    if (length <= 0) {
      return failure(Errc::crypto_failure, "encoding a public key");
    }
    Bytes spki(static_cast<std::size_t>(length));
    unsigned char* out = spki.data();
    if (i2d_PUBKEY(key_.get(), &out) != length) {
      return failure(Errc::crypto_failure, "encoding a public key");
    }
    return spki;
  }

  [[nodiscard]] Result<Bytes> sign(SignatureAlgorithm alg, ByteView message) const override {
    KEEL_TRY(check_fits(type_, alg));
    KEEL_TRY_ASSIGN(MdCtxPtr ctx, start(key_.get(), alg, /*signing=*/true));
    std::size_t length = 0;
    if (EVP_DigestSign(ctx.get(), nullptr, &length, ptr(message), message.size()) != 1) {
      return failure(Errc::crypto_failure, "signature size");
    }
    Bytes signature(length);
    if (EVP_DigestSign(ctx.get(), signature.data(), &length, ptr(message), message.size()) != 1) {
      return failure(Errc::crypto_failure, std::string(to_string(type_)) + " signing");
    }
    signature.resize(length);
    return signature;
  }

  [[nodiscard]] Result<Secret> pkcs8() const override {
    std::unique_ptr<OSSL_ENCODER_CTX, Deleter<OSSL_ENCODER_CTX_free>> encoder(
        OSSL_ENCODER_CTX_new_for_pkey(key_.get(), EVP_PKEY_KEYPAIR, "DER", "PrivateKeyInfo",
                                      nullptr));
    unsigned char* data = nullptr;
    std::size_t length = 0;
    if (!encoder || OSSL_ENCODER_to_data(encoder.get(), &data, &length) != 1) {
      return failure(Errc::crypto_failure, "encoding a private key");
    }
    Secret der = Secret::copy_of(ByteView(data, length));
    OPENSSL_clear_free(data, length);
    return der;
  }

 private:
  PkeyPtr key_;
  KeyType type_;
};

/// A key file can hold a public key that does not belong to its private key (SEC1 and PKCS#8
/// carry both, and libcrypto does not compare them). Such a key would sign handshakes that no
/// peer can verify; prove at load time that it signs what its own public key verifies.
Result<void> check_pair(const PrivateKey& key) {
  SignatureAlgorithm alg{SignatureKind::ed25519, HashAlg::sha256};
  switch (key.type()) {
    case KeyType::rsa:
    case KeyType::rsa_pss:
      alg.kind = SignatureKind::rsa_pss;
      break;
    case KeyType::ec_p256:
      alg.kind = SignatureKind::ecdsa;
      break;
    case KeyType::ec_p384:
      alg = {SignatureKind::ecdsa, HashAlg::sha384};
      break;
    case KeyType::ed25519:
      break;
  }
  constexpr std::string_view kProbe = "keel private key self-test";
  const ByteView probe(reinterpret_cast<const std::uint8_t*>(kProbe.data()), kProbe.size());
  KEEL_TRY_ASSIGN(const Bytes signature, key.sign(alg, probe));
  KEEL_TRY_ASSIGN(const Bytes spki, key.public_key_spki());
  const unsigned char* cursor = spki.data();
  PkeyPtr public_key(
      d2i_PUBKEY_ex(nullptr, &cursor, static_cast<long>(spki.size()), nullptr, nullptr));
  if (!public_key) {
    return failure(Errc::invalid_key, "the public key stored with the private key");
  }
  KEEL_TRY_ASSIGN(MdCtxPtr ctx, start(public_key.get(), alg, /*signing=*/false));
  if (EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), probe.data(), probe.size()) !=
      1) {
    clear_errors();
    return Error(Errc::invalid_key, "the private key does not match the public key stored with it");
  }
  return ok();
}

int refuse_passphrase(char* /*buf*/, size_t /*size*/, size_t* /*length*/,
                      const OSSL_PARAM* /*params*/, void* /*arg*/) {
  return 0;
}

bool contains(ByteView data, std::string_view needle) {
  const auto* first = reinterpret_cast<const char*>(data.data());
  const std::string_view text(first, data.size());
  return text.find(needle) != std::string_view::npos;
}

}  // namespace

Result<std::unique_ptr<PublicKey>> parse_public_key(ParsedKeyCache& cache, ByteView spki,
                                                    const KeyPolicy& policy) {
  if (auto cached = cache.find(spki)) {
    // The kind was settled when the key entered the cache; the policy is this caller's.
    if (cached->type == KeyType::rsa || cached->type == KeyType::rsa_pss) {
      KEEL_TRY(check_rsa_size(cached->key.get(), policy));
    }
    return std::unique_ptr<PublicKey>(
        std::make_unique<OsslPublicKey>(std::move(cached->key), cached->type));
  }
  KEEL_TRY_ASSIGN(PkeyPtr key, decode_spki(spki));
  KEEL_TRY_ASSIGN(const KeyType type, classify(key.get(), policy));
  if ((type == KeyType::ec_p256 || type == KeyType::ec_p384) &&
      EVP_PKEY_set_utf8_string_param(key.get(), OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT,
                                     OSSL_PKEY_EC_POINT_CONVERSION_FORMAT_UNCOMPRESSED) != 1) {
    return failure(Errc::crypto_failure, "EC point format");
  }
  cache.insert(spki, key.get(), type);  // from here on the key is only read
  return std::unique_ptr<PublicKey>(std::make_unique<OsslPublicKey>(std::move(key), type));
}

Result<std::unique_ptr<PrivateKey>> generate_private_key(KeyType type) {
  PkeyPtr key;
  switch (type) {
    case KeyType::ec_p256:
      key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));  // NOLINT(*-vararg)
      break;
    case KeyType::ed25519:
      key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));  // NOLINT(*-vararg)
      break;
    default:
      return Error(
          Errc::unsupported_algorithm,
          "keel generates ECDSA P-256 and Ed25519 keys only, not " + std::string(to_string(type)));
  }
  if (!key) {
    return failure(Errc::crypto_failure, "key generation");
  }
  return std::unique_ptr<PrivateKey>(std::make_unique<OsslPrivateKey>(std::move(key), type));
}

Result<std::unique_ptr<PrivateKey>> load_private_key(const Algorithms& /*algs*/,
                                                     ByteView pem_or_der, const KeyPolicy& policy) {
  const bool pem = contains(pem_or_der, "-----BEGIN ");
  if (pem && contains(pem_or_der, "ENCRYPTED")) {
    return Error(Errc::unsupported_key, "encrypted private keys are not supported");
  }
  EVP_PKEY* raw = nullptr;
  std::unique_ptr<OSSL_DECODER_CTX, Deleter<OSSL_DECODER_CTX_free>> decoder(
      OSSL_DECODER_CTX_new_for_pkey(&raw, pem ? "PEM" : "DER", nullptr, nullptr, EVP_PKEY_KEYPAIR,
                                    nullptr, nullptr));
  if (!decoder ||
      OSSL_DECODER_CTX_set_passphrase_cb(decoder.get(), refuse_passphrase, nullptr) != 1) {
    return failure(Errc::crypto_failure, "key decoder setup");
  }
  const unsigned char* data = pem_or_der.data();
  std::size_t length = pem_or_der.size();
  if (OSSL_DECODER_from_data(decoder.get(), &data, &length) != 1 || raw == nullptr) {
    return failure(Errc::invalid_key,
                   pem ? "PEM private key does not decode" : "DER private key does not decode");
  }
  PkeyPtr key(raw);
  KEEL_TRY_ASSIGN(const KeyType type, classify(key.get(), policy));
  auto loaded = std::make_unique<OsslPrivateKey>(std::move(key), type);
  KEEL_TRY(check_pair(*loaded));
  return std::unique_ptr<PrivateKey>(std::move(loaded));
}

}  // namespace keel::crypto::ossl
