// Checking a signature made by a certificate's key: over a certificate, a CRL or an OCSP
// response. One place decides which algorithms and keys are acceptable.
#pragma once

#include <memory>

#include <keel/bytes.hpp>
#include <keel/result.hpp>

#include "crypto/provider.hpp"
#include "x509/certificate.hpp"

namespace keel::x509 {

/// The primitive behind a signature algorithm, or weak_algorithm for SHA-1, MD5 and anything
/// keel does not accept.
[[nodiscard]] Result<crypto::SignatureAlgorithm> signature_primitive(SignatureAlgorithmId id);

/// Web PKI (BR §6.1.5): RSA moduli are a whole number of octets (the provider's KeyPolicy
/// enforces the 2048-bit minimum). `owner` names the certificate in the error.
[[nodiscard]] Result<void> check_key_size(const Certificate& owner, const crypto::PublicKey& key);

/// `signer`'s public key: weak_algorithm for a key keel refuses, invalid_certificate for one
/// that does not parse.
[[nodiscard]] Result<std::unique_ptr<crypto::PublicKey>> signer_key(
    const Certificate& signer, const crypto::Provider& provider);

/// Whether `key` (`signer`'s, parsed before) made `signature` over `tbs` with `algorithm`;
/// errors as verify_signed_by().
[[nodiscard]] Result<void> verify_signed_with(const Certificate& signer,
                                              const crypto::PublicKey& key,
                                              SignatureAlgorithmId algorithm, ByteView tbs,
                                              ByteView signature);

/// Whether `signer`'s key made `signature` over `tbs` with `algorithm`. Errors:
/// weak_algorithm for an algorithm or key keel refuses, invalid_certificate for a key that
/// does not parse, bad_signature when the signature does not verify (the caller names what
/// was signed).
[[nodiscard]] Result<void> verify_signed_by(const Certificate& signer,
                                            SignatureAlgorithmId algorithm, ByteView tbs,
                                            ByteView signature, const crypto::Provider& provider);

}  // namespace keel::x509
