#include "x509/certificate_verifier.hpp"

#include <chrono>
#include <string>

#include "x509/ocsp.hpp"

namespace keel::x509 {

X509CertificateVerifier::X509CertificateVerifier(std::shared_ptr<const TrustStore> store,
                                                 VerifierPolicy policy,
                                                 const crypto::Provider& provider)
    : store_(std::move(store)), policy_(std::move(policy)), provider_(provider) {}

Result<VerifiedPeer> X509CertificateVerifier::verify(const PeerCertificates& peer) const {
  if (peer.chain.empty()) {
    // RFC 8446 §4.4.2.4: the caller answers an empty Certificate with certificate_required;
    // reaching here without one is the caller's bug.
    return Error(Errc::invalid_argument, "no peer certificate to verify");
  }
  if (peer.chain.size() > policy_.max_peer_certificates) {
    return Error(Errc::limit_exceeded,
                 "peer sent " + std::to_string(peer.chain.size()) + " certificates, at most " +
                     std::to_string(policy_.max_peer_certificates) + " are accepted");
  }
  std::vector<Certificate> certs;
  certs.reserve(peer.chain.size());
  for (std::size_t i = 0; i < peer.chain.size(); ++i) {
    auto cert = Certificate::parse(peer.chain[i]);
    if (!cert.ok()) {
      // A peer that sends a broken certificate gets bad_certificate, whichever it was.
      Error error = std::move(cert).error();
      return Error(Errc::invalid_certificate,
                   "peer certificate " + std::to_string(i + 1) + ": " + error.message());
    }
    certs.push_back(std::move(cert).value());
  }
  std::vector<OcspResponse> responses;
  for (const ByteView der : peer.ocsp_responses) {
    auto response = OcspResponse::parse(der);
    if (!response.ok()) {
      return std::move(response).error().prepend("stapled OCSP response");
    }
    responses.push_back(std::move(response).value());
  }

  VerifyOptions options;
  options.time = peer.time;
  options.purposes = {peer.purpose};
  options.dns_name = peer.dns_name;
  options.ip_address = peer.ip_address;
  options.max_depth = policy_.max_depth;
  options.max_signature_checks = policy_.max_signature_checks;
  options.max_candidates = policy_.max_candidates;
  options.crls = policy_.crls;
  options.ocsp_responses = responses;
  options.require_revocation_info = policy_.require_revocation_info;

  auto verified =
      verify_chain(certs.front(), std::span(certs).subspan(1), *store_, options, provider_);
  if (!verified.ok()) {
    return std::move(verified).error();
  }
  std::vector<Certificate> path;
  path.reserve(verified->path().size());
  for (const Certificate* cert : verified->path()) {
    path.push_back(*cert);  // copies share the DER (Certificate keeps it by shared_ptr)
  }
  return VerifiedPeer(std::move(path));
}

Result<VerifiedPeer> verify_client_chain(const CertificateVerifier& verifier,
                                         std::span<const ByteView> chain, TimePoint now) {
  const PeerCertificates peer{
      .chain = chain,
      .ocsp_responses = {},
      .purpose = Purpose::client_auth,
      .dns_name = std::nullopt,
      .ip_address = std::nullopt,
      .time = std::chrono::floor<std::chrono::seconds>(now),
  };
  return verifier.verify(peer);
}

}  // namespace keel::x509
