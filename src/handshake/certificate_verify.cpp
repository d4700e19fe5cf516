#include "handshake/certificate_verify.hpp"

#include <algorithm>
#include <string>
#include <string_view>

#include "core/try.hpp"
#include "handshake/negotiation.hpp"

namespace keel::handshake {
namespace {

constexpr std::size_t kPadding = 64;

bool is_tls13_scheme(SignatureScheme scheme) {
  const auto schemes = tls13_signature_schemes();
  return std::find(schemes.begin(), schemes.end(), scheme) != schemes.end();
}

}  // namespace

Bytes certificate_verify_content(Signer signer, ByteView transcript_hash) {
  const std::string_view context = signer == Signer::server ? "TLS 1.3, server CertificateVerify"
                                                            : "TLS 1.3, client CertificateVerify";
  Bytes content(kPadding + context.size() + 1 + transcript_hash.size(), 0x20);
  auto out = std::copy(context.begin(), context.end(), content.begin() + kPadding);
  *out++ = 0;
  std::copy(transcript_hash.begin(), transcript_hash.end(), out);
  return content;
}

Result<Bytes> sign_handshake(const crypto::PrivateKey& key, SignatureScheme scheme, Signer signer,
                             ByteView transcript_hash) {
  const auto info = scheme_info(scheme);
  if (!info || !is_tls13_scheme(scheme) ||
      std::find(info->key_types.begin(), info->key_types.end(), key.type()) ==
          info->key_types.end()) {
    return Error(Errc::internal, to_string(scheme) + " does not fit the signing key");
  }
  return key.sign(info->algorithm, certificate_verify_content(signer, transcript_hash));
}

Result<HandshakeSignatureVerified> verify_handshake_signature(
    const crypto::PublicKey& key, SignatureScheme scheme, std::span<const SignatureScheme> offered,
    Signer signer, ByteView transcript_hash, ByteView signature) {
  if (std::find(offered.begin(), offered.end(), scheme) == offered.end()) {
    return Error(Errc::illegal_parameter,
                 "CertificateVerify with " + to_string(scheme) + ", which was not offered");
  }
  const auto info = scheme_info(scheme);
  if (!info || !is_tls13_scheme(scheme) ||
      std::find(info->key_types.begin(), info->key_types.end(), key.type()) ==
          info->key_types.end()) {
    return Error(Errc::illegal_parameter, "CertificateVerify with " + to_string(scheme) +
                                              " for a " +
                                              std::string(crypto::to_string(key.type())) + " key");
  }
  if (!key.verify(info->algorithm, certificate_verify_content(signer, transcript_hash), signature)
           .ok()) {
    return Error(Errc::bad_signature, "the peer's CertificateVerify does not verify");
  }
  return HandshakeSignatureVerified();
}

}  // namespace keel::handshake
