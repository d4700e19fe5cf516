#include "x509/certificate.hpp"

#include <algorithm>
#include <string>

#include "core/hex.hpp"
#include "core/try.hpp"
#include "x509/oids.hpp"

namespace keel::x509 {
namespace {

using der::malformed;

/// RSASSA-PSS-params (RFC 4055 §3.1) as the Web PKI profile allows: the hash explicit, MGF1
/// with the same hash, a salt as long as the hash, the default trailer.
Result<SignatureAlgorithmId> parse_pss_params(ByteView params_encoding) {
  KEEL_TRY_ASSIGN(const der::Element params, der::parse_single(params_encoding));
  if (params.tag != der::tag::kSequence) {
    return malformed("RSASSA-PSS parameters are not a SEQUENCE");
  }
  der::Reader reader(params.body);
  KEEL_TRY_ASSIGN(der::Reader hash_field, reader.enter(der::tag::context_constructed(0)));
  KEEL_TRY_ASSIGN(der::Reader hash_alg, hash_field.enter());
  KEEL_TRY_ASSIGN(const der::Element hash_oid_element, hash_alg.read(der::tag::kOid));
  KEEL_TRY_ASSIGN(const ByteView hash_oid, der::oid(hash_oid_element));
  if (hash_alg.peek(der::tag::kNull)) {
    KEEL_TRY(hash_alg.next());
  }
  KEEL_TRY(hash_alg.expect_empty());
  KEEL_TRY(hash_field.expect_empty());

  KEEL_TRY_ASSIGN(der::Reader mgf_field, reader.enter(der::tag::context_constructed(1)));
  KEEL_TRY_ASSIGN(der::Reader mgf, mgf_field.enter());
  KEEL_TRY_ASSIGN(const der::Element mgf_oid_element, mgf.read(der::tag::kOid));
  KEEL_TRY_ASSIGN(const ByteView mgf_oid, der::oid(mgf_oid_element));
  KEEL_TRY_ASSIGN(der::Reader mgf_hash, mgf.enter());
  KEEL_TRY_ASSIGN(const der::Element mgf_hash_oid_element, mgf_hash.read(der::tag::kOid));
  KEEL_TRY_ASSIGN(const ByteView mgf_hash_oid, der::oid(mgf_hash_oid_element));
  if (mgf_hash.peek(der::tag::kNull)) {
    KEEL_TRY(mgf_hash.next());
  }
  KEEL_TRY(mgf_hash.expect_empty());
  KEEL_TRY(mgf.expect_empty());
  KEEL_TRY(mgf_field.expect_empty());

  KEEL_TRY_ASSIGN(der::Reader salt_field, reader.enter(der::tag::context_constructed(2)));
  KEEL_TRY_ASSIGN(const der::Element salt_element, salt_field.next());
  KEEL_TRY_ASSIGN(const std::uint64_t salt_length, der::small_unsigned(salt_element));
  KEEL_TRY(salt_field.expect_empty());
  KEEL_TRY(reader.expect_empty());  // trailerField: only the default, which DER omits

  if (!oid::is(mgf_oid, oid::kMgf1) ||
      !std::equal(hash_oid.begin(), hash_oid.end(), mgf_hash_oid.begin(), mgf_hash_oid.end())) {
    return SignatureAlgorithmId::unknown;
  }
  if (oid::is(hash_oid, oid::kSha256) && salt_length == 32) {
    return SignatureAlgorithmId::rsa_pss_sha256;
  }
  if (oid::is(hash_oid, oid::kSha384) && salt_length == 48) {
    return SignatureAlgorithmId::rsa_pss_sha384;
  }
  if (oid::is(hash_oid, oid::kSha512) && salt_length == 64) {
    return SignatureAlgorithmId::rsa_pss_sha512;
  }
  return SignatureAlgorithmId::unknown;
}

}  // namespace

std::string_view to_string(SignatureAlgorithmId id) noexcept {
  switch (id) {
    case SignatureAlgorithmId::ecdsa_sha256:
      return "ecdsa-with-SHA256";
    case SignatureAlgorithmId::ecdsa_sha384:
      return "ecdsa-with-SHA384";
    case SignatureAlgorithmId::ecdsa_sha512:
      return "ecdsa-with-SHA512";
    case SignatureAlgorithmId::rsa_pkcs1_sha256:
      return "sha256WithRSAEncryption";
    case SignatureAlgorithmId::rsa_pkcs1_sha384:
      return "sha384WithRSAEncryption";
    case SignatureAlgorithmId::rsa_pkcs1_sha512:
      return "sha512WithRSAEncryption";
    case SignatureAlgorithmId::rsa_pss_sha256:
      return "RSASSA-PSS (SHA-256)";
    case SignatureAlgorithmId::rsa_pss_sha384:
      return "RSASSA-PSS (SHA-384)";
    case SignatureAlgorithmId::rsa_pss_sha512:
      return "RSASSA-PSS (SHA-512)";
    case SignatureAlgorithmId::ed25519:
      return "Ed25519";
    case SignatureAlgorithmId::rsa_pkcs1_sha1:
      return "sha1WithRSAEncryption";
    case SignatureAlgorithmId::ecdsa_sha1:
      return "ecdsa-with-SHA1";
    case SignatureAlgorithmId::rsa_pkcs1_md5:
      return "md5WithRSAEncryption";
    case SignatureAlgorithmId::unknown:
      break;
  }
  return "unknown signature algorithm";
}

Result<SignatureAlgorithmId> parse_signature_algorithm(const der::Element& element) {
  if (element.tag != der::tag::kSequence) {
    return malformed("AlgorithmIdentifier is not a SEQUENCE");
  }
  der::Reader reader(element.body);
  KEEL_TRY_ASSIGN(const der::Element oid_element, reader.read(der::tag::kOid));
  KEEL_TRY_ASSIGN(const ByteView id, der::oid(oid_element));
  std::optional<der::Element> params;
  if (!reader.empty()) {
    KEEL_TRY_ASSIGN(params, reader.next());
  }
  KEEL_TRY(reader.expect_empty());

  const bool null_params = params && params->tag == der::tag::kNull && params->body.empty();
  // RFC 5758 §3.2 and RFC 8410 §3: ECDSA and Ed25519 identifiers have no parameters.
  const auto no_params = [&](SignatureAlgorithmId result) -> Result<SignatureAlgorithmId> {
    if (params) {
      return malformed(std::string(to_string(result)) + " with parameters");
    }
    return result;
  };
  // RFC 4055 §5: PKCS #1 v1.5 identifiers carry a NULL.
  const auto null_param = [&](SignatureAlgorithmId result) -> Result<SignatureAlgorithmId> {
    if (!null_params) {
      return malformed(std::string(to_string(result)) + " without NULL parameters");
    }
    return result;
  };
  if (oid::is(id, oid::kEcdsaSha256)) {
    return no_params(SignatureAlgorithmId::ecdsa_sha256);
  }
  if (oid::is(id, oid::kEcdsaSha384)) {
    return no_params(SignatureAlgorithmId::ecdsa_sha384);
  }
  if (oid::is(id, oid::kEcdsaSha512)) {
    return no_params(SignatureAlgorithmId::ecdsa_sha512);
  }
  if (oid::is(id, oid::kEd25519)) {
    return no_params(SignatureAlgorithmId::ed25519);
  }
  if (oid::is(id, oid::kRsaSha256)) {
    return null_param(SignatureAlgorithmId::rsa_pkcs1_sha256);
  }
  if (oid::is(id, oid::kRsaSha384)) {
    return null_param(SignatureAlgorithmId::rsa_pkcs1_sha384);
  }
  if (oid::is(id, oid::kRsaSha512)) {
    return null_param(SignatureAlgorithmId::rsa_pkcs1_sha512);
  }
  if (oid::is(id, oid::kRsaPss)) {
    if (!params) {
      return malformed("RSASSA-PSS without parameters");
    }
    return parse_pss_params(params->encoding);
  }
  if (oid::is(id, oid::kRsaSha1)) {
    return SignatureAlgorithmId::rsa_pkcs1_sha1;
  }
  if (oid::is(id, oid::kEcdsaSha1)) {
    return SignatureAlgorithmId::ecdsa_sha1;
  }
  if (oid::is(id, oid::kRsaMd5)) {
    return SignatureAlgorithmId::rsa_pkcs1_md5;
  }
  return SignatureAlgorithmId::unknown;
}

Result<Certificate> Certificate::parse(ByteView der) {
  Certificate cert;
  cert.der_ = std::make_shared<const Bytes>(der.begin(), der.end());
  KEEL_TRY_ASSIGN(const der::Element outer, der::parse_single(*cert.der_));
  if (outer.tag != der::tag::kSequence) {
    return malformed("Certificate is not a SEQUENCE");
  }
  der::Reader reader(outer.body);
  KEEL_TRY_ASSIGN(const der::Element tbs, reader.read(der::tag::kSequence));
  KEEL_TRY_ASSIGN(const der::Element outer_alg, reader.read(der::tag::kSequence));
  KEEL_TRY_ASSIGN(const der::Element signature, reader.read(der::tag::kBitString));
  KEEL_TRY(reader.expect_empty());

  KEEL_TRY_ASSIGN(const ByteView inner_alg, cert.parse_tbs(tbs));
  // RFC 5280 §4.1.1.2: signatureAlgorithm "MUST contain the same algorithm identifier as the
  // signature field in the sequence tbsCertificate" (compared as encoded).
  if (!std::equal(inner_alg.begin(), inner_alg.end(), outer_alg.encoding.begin(),
                  outer_alg.encoding.end())) {
    return malformed("signatureAlgorithm differs from the TBSCertificate's signature field");
  }
  KEEL_TRY_ASSIGN(cert.sig_alg_, parse_signature_algorithm(outer_alg));
  KEEL_TRY_ASSIGN(const der::Element oid_element, der::Reader(outer_alg.body).read(der::tag::kOid));
  cert.sig_alg_oid_ = oid_element.body;
  KEEL_TRY_ASSIGN(const der::BitString bits, der::bit_string(signature));
  if (bits.unused_bits != 0) {
    return malformed("signatureValue has unused bits");
  }
  cert.signature_ = bits.bytes;
  return cert;
}

Result<ByteView> Certificate::parse_tbs(const der::Element& tbs) {
  tbs_ = tbs.encoding;
  der::Reader reader(tbs.body);

  // version [0] EXPLICIT Version DEFAULT v1: DER omits v1 (X.690 §11.5).
  KEEL_TRY_ASSIGN(const auto version, reader.read_optional(der::tag::context_constructed(0)));
  if (version) {
    KEEL_TRY_ASSIGN(const der::Element value, der::parse_single(version->body));
    KEEL_TRY_ASSIGN(const std::uint64_t v, der::small_unsigned(value));
    if (v == 0) {
      return malformed("version v1 is encoded (DER requires it omitted)");
    }
    if (v > 2) {
      return malformed("version " + std::to_string(v + 1) + " (only v1, v2, v3 exist)");
    }
    version_ = static_cast<int>(v) + 1;
  }

  KEEL_TRY_ASSIGN(const der::Element serial, reader.read(der::tag::kInteger));
  KEEL_TRY_ASSIGN(serial_, der::integer(serial));

  KEEL_TRY_ASSIGN(const der::Element inner_alg, reader.read(der::tag::kSequence));

  KEEL_TRY_ASSIGN(const der::Element issuer, reader.read(der::tag::kSequence));
  KEEL_TRY_ASSIGN(issuer_, Name::parse(issuer));

  KEEL_TRY_ASSIGN(der::Reader validity, reader.enter());
  KEEL_TRY_ASSIGN(const der::Element not_before, validity.next());
  KEEL_TRY_ASSIGN(not_before_, der::time(not_before));
  KEEL_TRY_ASSIGN(const der::Element not_after, validity.next());
  KEEL_TRY_ASSIGN(not_after_, der::time(not_after));
  KEEL_TRY(validity.expect_empty());

  KEEL_TRY_ASSIGN(const der::Element subject, reader.read(der::tag::kSequence));
  KEEL_TRY_ASSIGN(subject_, Name::parse(subject));

  KEEL_TRY_ASSIGN(const der::Element spki, reader.read(der::tag::kSequence));
  spki_ = spki.encoding;

  // issuerUniqueID [1] and subjectUniqueID [2]: v2 and v3 only (RFC 5280 §4.1.2.8).
  for (const unsigned field : {1U, 2U}) {
    KEEL_TRY_ASSIGN(const auto unique_id, reader.read_optional(der::tag::context(field)));
    if (unique_id && version_ < 2) {
      return malformed("unique identifier in a v1 certificate");
    }
  }
  // extensions [3] EXPLICIT: v3 only (RFC 5280 §4.1.2.9).
  KEEL_TRY_ASSIGN(const auto extensions, reader.read_optional(der::tag::context_constructed(3)));
  if (extensions) {
    if (version_ != 3) {
      return malformed("extensions in a v" + std::to_string(version_) + " certificate");
    }
    KEEL_TRY_ASSIGN(const der::Element list, der::parse_single(extensions->body));
    KEEL_TRY(parse_extensions(list, extensions_));
  }
  KEEL_TRY(reader.expect_empty());
  return inner_alg.encoding;
}

std::string Certificate::describe() const {
  std::string name = subject_.to_string();
  if (name.empty()) {
    name = "(empty subject)";
  }
  return name + " (serial " + to_hex(serial_) + ")";
}

}  // namespace keel::x509
