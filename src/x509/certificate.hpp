// An X.509 v1/v3 certificate (RFC 5280 §4.1), parsed once and kept with its DER.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <keel/bytes.hpp>
#include <keel/result.hpp>

#include "x509/der.hpp"
#include "x509/extensions.hpp"
#include "x509/name.hpp"

namespace keel::x509 {

/// Signature algorithms as certificates name them. The last three are recognised only to be
/// named in the error that rejects them.
enum class SignatureAlgorithmId : std::uint8_t {
  ecdsa_sha256,
  ecdsa_sha384,
  ecdsa_sha512,
  rsa_pkcs1_sha256,
  rsa_pkcs1_sha384,
  rsa_pkcs1_sha512,
  rsa_pss_sha256,  // RSASSA-PSS with MGF1 over the same hash and salt = hash length
  rsa_pss_sha384,
  rsa_pss_sha512,
  ed25519,
  rsa_pkcs1_sha1,
  ecdsa_sha1,
  rsa_pkcs1_md5,
  unknown,
};

[[nodiscard]] std::string_view to_string(SignatureAlgorithmId id) noexcept;

/// Reads an AlgorithmIdentifier used for signatures. Unknown algorithms (and RSA-PSS with
/// parameters outside the TLS profile) are `unknown`, not errors: the validator rejects them
/// with a message naming them. Malformed parameters are errors.
[[nodiscard]] Result<SignatureAlgorithmId> parse_signature_algorithm(const der::Element& element);

class Certificate {
 public:
  /// Parses a DER certificate (the bytes are copied and kept). Rejects what RFC 5280 §4.1
  /// forbids structurally: a version other than v1..v3 or an explicitly encoded v1, extensions
  /// outside v3, unique identifiers in v1, differing inner and outer signature algorithms, a
  /// signature with unused bits, duplicate or malformed extensions. (An unknown critical
  /// extension is recorded in extensions().unknown_critical for the validator.)
  [[nodiscard]] static Result<Certificate> parse(ByteView der);

  [[nodiscard]] ByteView der() const noexcept { return *der_; }
  /// The signed part (TBSCertificate, with its header).
  [[nodiscard]] ByteView tbs() const noexcept { return tbs_; }
  /// 1, 2 or 3.
  [[nodiscard]] int version() const noexcept { return version_; }
  /// The serial number's INTEGER contents (two's complement).
  [[nodiscard]] ByteView serial() const noexcept { return serial_; }
  [[nodiscard]] SignatureAlgorithmId signature_algorithm() const noexcept { return sig_alg_; }
  [[nodiscard]] ByteView signature_algorithm_oid() const noexcept { return sig_alg_oid_; }
  [[nodiscard]] ByteView signature() const noexcept { return signature_; }
  [[nodiscard]] const Name& issuer() const noexcept { return issuer_; }
  [[nodiscard]] const Name& subject() const noexcept { return subject_; }
  [[nodiscard]] der::Seconds not_before() const noexcept { return not_before_; }
  [[nodiscard]] der::Seconds not_after() const noexcept { return not_after_; }
  /// The SubjectPublicKeyInfo, whole (what the crypto provider parses).
  [[nodiscard]] ByteView spki() const noexcept { return spki_; }
  [[nodiscard]] const Extensions& extensions() const noexcept { return extensions_; }

  /// The subject for messages: "CN=example.com, O=Example (serial 0a1b...)".
  [[nodiscard]] std::string describe() const;

 private:
  Certificate() = default;
  /// Fills the fields from the TBSCertificate; returns its signature AlgorithmIdentifier.
  Result<ByteView> parse_tbs(const der::Element& tbs);

  std::shared_ptr<const Bytes> der_;  // every view below points into it
  ByteView tbs_;
  int version_ = 1;
  ByteView serial_;
  SignatureAlgorithmId sig_alg_ = SignatureAlgorithmId::unknown;
  ByteView sig_alg_oid_;
  ByteView signature_;
  Name issuer_;
  Name subject_;
  der::Seconds not_before_{};
  der::Seconds not_after_{};
  ByteView spki_;
  Extensions extensions_;
};

}  // namespace keel::x509
