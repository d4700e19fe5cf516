#include "x509/signature.hpp"

#include <string>

#include "core/try.hpp"

namespace keel::x509 {

Result<crypto::SignatureAlgorithm> signature_primitive(SignatureAlgorithmId id) {
  using crypto::HashAlg;
  using crypto::SignatureKind;
  switch (id) {
    case SignatureAlgorithmId::ecdsa_sha256:
      return crypto::SignatureAlgorithm{SignatureKind::ecdsa, HashAlg::sha256};
    case SignatureAlgorithmId::ecdsa_sha384:
      return crypto::SignatureAlgorithm{SignatureKind::ecdsa, HashAlg::sha384};
    case SignatureAlgorithmId::ecdsa_sha512:
      return crypto::SignatureAlgorithm{SignatureKind::ecdsa, HashAlg::sha512};
    case SignatureAlgorithmId::rsa_pkcs1_sha256:
      return crypto::SignatureAlgorithm{SignatureKind::rsa_pkcs1, HashAlg::sha256};
    case SignatureAlgorithmId::rsa_pkcs1_sha384:
      return crypto::SignatureAlgorithm{SignatureKind::rsa_pkcs1, HashAlg::sha384};
    case SignatureAlgorithmId::rsa_pkcs1_sha512:
      return crypto::SignatureAlgorithm{SignatureKind::rsa_pkcs1, HashAlg::sha512};
    case SignatureAlgorithmId::rsa_pss_sha256:
      return crypto::SignatureAlgorithm{SignatureKind::rsa_pss, HashAlg::sha256};
    case SignatureAlgorithmId::rsa_pss_sha384:
      return crypto::SignatureAlgorithm{SignatureKind::rsa_pss, HashAlg::sha384};
    case SignatureAlgorithmId::rsa_pss_sha512:
      return crypto::SignatureAlgorithm{SignatureKind::rsa_pss, HashAlg::sha512};
    case SignatureAlgorithmId::ed25519:
      return crypto::SignatureAlgorithm{SignatureKind::ed25519, HashAlg::sha512};
    default:
      return Error(Errc::weak_algorithm, std::string(to_string(id)) + " is not accepted");
  }
}

Result<void> check_key_size(const Certificate& owner, const crypto::PublicKey& key) {
  const bool rsa = key.type() == crypto::KeyType::rsa || key.type() == crypto::KeyType::rsa_pss;
  if (rsa && key.bits() % 8 != 0) {
    return Error(Errc::weak_algorithm,
                 owner.describe() + ": RSA modulus of " + std::to_string(key.bits()) + " bits");
  }
  return ok();
}

Result<std::unique_ptr<crypto::PublicKey>> signer_key(const Certificate& signer,
                                                      const crypto::Provider& provider) {
  auto key = provider.parse_public_key(signer.spki());
  if (!key.ok()) {
    Error error = std::move(key).error();
    const Errc code =
        error.code() == Errc::unsupported_key ? Errc::weak_algorithm : Errc::invalid_certificate;
    return Error(code, "key of " + signer.describe() + ": " + error.message());
  }
  return key;
}

Result<void> verify_signed_with(const Certificate& signer, const crypto::PublicKey& key,
                                SignatureAlgorithmId algorithm, ByteView tbs, ByteView signature) {
  KEEL_TRY_ASSIGN(const crypto::SignatureAlgorithm primitive, signature_primitive(algorithm));
  KEEL_TRY(check_key_size(signer, key));
  if (!key.verify(primitive, tbs, signature).ok()) {
    return Error(Errc::bad_signature, "not signed by " + signer.describe());
  }
  return ok();
}

Result<void> verify_signed_by(const Certificate& signer, SignatureAlgorithmId algorithm,
                              ByteView tbs, ByteView signature, const crypto::Provider& provider) {
  KEEL_TRY(signature_primitive(algorithm));
  KEEL_TRY_ASSIGN(const auto key, signer_key(signer, provider));
  return verify_signed_with(signer, *key, algorithm, tbs, signature);
}

}  // namespace keel::x509
