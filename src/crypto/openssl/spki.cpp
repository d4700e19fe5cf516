// SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) to an EVP_PKEY without libcrypto's decoders.
//
// OpenSSL 3's DER decoders (d2i_PUBKEY) try every decoder that might apply and take a lock
// for each: that costs more than the signature check the key is parsed for. keel reads the
// SPKI itself, strictly, for the key types certificates use (EC on P-256/P-384 with a named
// curve, RSA, Ed25519) and imports the raw values. Anything else goes to d2i_PUBKEY.
#include <array>
#include <optional>
#include <string>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>

#include "core/try.hpp"
#include "crypto/openssl/ossl.hpp"

namespace keel::crypto::ossl {
namespace {

struct Tlv {
  std::uint8_t tag = 0;
  ByteView body;
};

/// The next DER element of `data` (definite, minimal lengths), advancing `data` past it.
std::optional<Tlv> next_tlv(ByteView& data) {
  if (data.size() < 2) {
    return std::nullopt;
  }
  const std::uint8_t tag = data[0];
  std::size_t length = data[1];
  std::size_t header = 2;
  if (length >= 0x80) {
    const std::size_t count = length & 0x7FU;
    if (count == 0 || count > 4 || data.size() < 2 + count || data[2] == 0) {
      return std::nullopt;
    }
    length = 0;
    for (std::size_t i = 0; i < count; ++i) {
      length = (length << 8U) | data[2 + i];
    }
    if (length < 0x80) {
      return std::nullopt;
    }
    header += count;
  }
  if (data.size() - header < length) {
    return std::nullopt;
  }
  Tlv out{tag, data.subspan(header, length)};
  data = data.subspan(header + length);
  return out;
}

bool is(ByteView oid, std::initializer_list<std::uint8_t> known) {
  return std::equal(oid.begin(), oid.end(), known.begin(), known.end());
}

/// The parts of an SPKI: algorithm OID, its parameters (whole element, if any), the key bits.
struct SpkiParts {
  ByteView algorithm;
  std::optional<Tlv> params;
  ByteView key;
};

std::optional<SpkiParts> split(ByteView spki) {
  ByteView rest = spki;
  const auto outer = next_tlv(rest);
  if (!outer || outer->tag != 0x30 || !rest.empty()) {
    return std::nullopt;
  }
  ByteView fields = outer->body;
  const auto alg = next_tlv(fields);
  const auto bits = next_tlv(fields);
  if (!alg || alg->tag != 0x30 || !bits || bits->tag != 0x03 || !fields.empty() ||
      bits->body.empty() || bits->body[0] != 0) {
    return std::nullopt;
  }
  ByteView alg_fields = alg->body;
  const auto oid = next_tlv(alg_fields);
  if (!oid || oid->tag != 0x06) {
    return std::nullopt;
  }
  SpkiParts parts{oid->body, std::nullopt, bits->body.subspan(1)};
  if (!alg_fields.empty()) {
    parts.params = next_tlv(alg_fields);
    if (!parts.params || !alg_fields.empty()) {
      return std::nullopt;
    }
  }
  return parts;
}

Result<PkeyPtr> import(const char* type, OSSL_PARAM* params) {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params) != 1) {
    return failure(Errc::invalid_key, std::string(type) + " public key does not import");
  }
  return PkeyPtr(raw);
}

}  // namespace

namespace {

Result<PkeyPtr> import_ec_point(const char* curve, ByteView point) {
  std::string name = curve;  // OSSL_PARAM wants mutable buffers; libcrypto only reads them
  Bytes point_copy(point.begin(), point.end());
  std::array params = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, name.data(), 0),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point_copy.data(),
                                        point_copy.size()),
      OSSL_PARAM_construct_end(),
  };
  // libcrypto rejects a point that is not on the curve.
  return import("EC", params.data());
}

/// A key on `curve` (its generator as the public point) to duplicate for every import.
/// Importing by group name builds the curve's group from its parameters each time (about
/// 25 us for P-256 on the benchmark machine, three times per handshake); a duplicate copies
/// the prepared group (about 7 us). Null if libcrypto cannot make it (then keys are imported
/// by name).
PkeyPtr make_curve_template(const char* curve, int nid) {
  const EcGroupPtr group(EC_GROUP_new_by_curve_name(nid));
  if (!group) {
    return nullptr;
  }
  const EC_POINT* generator = EC_GROUP_get0_generator(group.get());
  Bytes encoded(EC_POINT_point2oct(group.get(), generator, POINT_CONVERSION_UNCOMPRESSED, nullptr,
                                   0, nullptr));
  if (encoded.empty() ||
      EC_POINT_point2oct(group.get(), generator, POINT_CONVERSION_UNCOMPRESSED, encoded.data(),
                         encoded.size(), nullptr) != encoded.size()) {
    return nullptr;
  }
  auto key = import_ec_point(curve, encoded);
  return key.ok() ? std::move(key).value() : nullptr;
}

/// The template for `curve`, made once (thread-safe static initialisation) and only read
/// afterwards: EVP_PKEY_dup() does not modify its argument.
EVP_PKEY* curve_template(std::string_view curve) {
  if (curve == "prime256v1") {
    static const PkeyPtr kP256 = make_curve_template("prime256v1", NID_X9_62_prime256v1);
    return kP256.get();
  }
  if (curve == "secp384r1") {
    static const PkeyPtr kP384 = make_curve_template("secp384r1", NID_secp384r1);
    return kP384.get();
  }
  return nullptr;
}

}  // namespace

Result<PkeyPtr> ec_public_key(const char* curve, ByteView point) {
  EVP_PKEY* const prepared = curve_template(curve);
  if (prepared == nullptr) {
    return import_ec_point(curve, point);
  }
  PkeyPtr key(EVP_PKEY_dup(prepared));
  // libcrypto rejects a point that is not on the curve (EC_POINT_oct2point checks it).
  if (!key || EVP_PKEY_set1_encoded_public_key(key.get(), ptr(point), point.size()) != 1) {
    return failure(Errc::invalid_key, std::string(curve) + " public key does not import");
  }
  return key;
}

namespace {

/// RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } (RFC 8017 §A.1.1),
/// both positive and minimally encoded.
Result<PkeyPtr> import_rsa(ByteView key) {
  ByteView rest = key;
  const auto outer = next_tlv(rest);
  if (!outer || outer->tag != 0x30 || !rest.empty()) {
    return Error(Errc::invalid_key, "RSAPublicKey is not a SEQUENCE");
  }
  ByteView fields = outer->body;
  std::array<BnPtr, 2> numbers;
  for (auto& number : numbers) {
    const auto integer = next_tlv(fields);
    if (!integer || integer->tag != 0x02 || integer->body.empty() ||
        (integer->body[0] & 0x80U) != 0 ||
        (integer->body.size() > 1 && integer->body[0] == 0 && (integer->body[1] & 0x80U) == 0)) {
      return Error(Errc::invalid_key, "RSAPublicKey holds a bad INTEGER");
    }
    number.reset(BN_bin2bn(integer->body.data(), static_cast<int>(integer->body.size()), nullptr));
    if (!number) {
      return failure(Errc::crypto_failure, "RSA key numbers");
    }
  }
  if (!fields.empty()) {
    return Error(Errc::invalid_key, "bytes after the RSAPublicKey");
  }
  std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD_free>> builder(OSSL_PARAM_BLD_new());
  if (!builder ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, numbers[0].get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, numbers[1].get()) != 1) {
    return failure(Errc::crypto_failure, "RSA key parameters");
  }
  std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM_free>> params(
      OSSL_PARAM_BLD_to_param(builder.get()));
  if (!params) {
    return failure(Errc::crypto_failure, "RSA key parameters");
  }
  return import("RSA", params.get());
}

Result<PkeyPtr> import_ed25519(ByteView key) {
  if (key.size() != 32) {
    return Error(Errc::invalid_key,
                 "Ed25519 public key of " + std::to_string(key.size()) + " bytes");
  }
  PkeyPtr pkey(EVP_PKEY_new_raw_public_key_ex(nullptr, "ED25519", nullptr, key.data(), key.size()));
  if (!pkey) {
    return failure(Errc::invalid_key, "Ed25519 public key");
  }
  return pkey;
}

Result<PkeyPtr> decode_with_libcrypto(ByteView spki) {
  const unsigned char* cursor = spki.data();
  PkeyPtr key(d2i_PUBKEY_ex(nullptr, &cursor, static_cast<long>(spki.size()), nullptr, nullptr));
  if (!key) {
    return failure(Errc::invalid_key, "SubjectPublicKeyInfo does not decode");
  }
  if (cursor != spki.data() + spki.size()) {
    return Error(Errc::invalid_key, "bytes after the SubjectPublicKeyInfo");
  }
  return key;
}

}  // namespace

Result<PkeyPtr> decode_spki(ByteView spki) {
  const auto parts = split(spki);
  if (!parts) {
    return decode_with_libcrypto(spki);  // it names what is wrong, or reads a BER variant
  }
  // id-ecPublicKey (RFC 5480 §2.1.1) with a namedCurve.
  if (is(parts->algorithm, {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01}) && parts->params &&
      parts->params->tag == 0x06) {
    if (is(parts->params->body, {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07})) {
      return ec_public_key("prime256v1", parts->key);
    }
    if (is(parts->params->body, {0x2b, 0x81, 0x04, 0x00, 0x22})) {
      return ec_public_key("secp384r1", parts->key);
    }
  }
  // rsaEncryption (RFC 3279 §2.3.1), with NULL parameters.
  if (is(parts->algorithm, {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01}) &&
      parts->params && parts->params->tag == 0x05 && parts->params->body.empty()) {
    return import_rsa(parts->key);
  }
  // id-Ed25519 (RFC 8410 §3), without parameters.
  if (is(parts->algorithm, {0x2b, 0x65, 0x70}) && !parts->params) {
    return import_ed25519(parts->key);
  }
  return decode_with_libcrypto(spki);  // other curves and types: classified, then refused
}

}  // namespace keel::crypto::ossl
