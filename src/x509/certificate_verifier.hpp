// The interface the TLS engine calls to decide whether to trust a peer, and keel's X.509
// implementation of it. An application may supply its own (pinning, a private PKI, ...).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <keel/bytes.hpp>
#include <keel/result.hpp>

#include "core/clock.hpp"
#include "crypto/provider.hpp"
#include "x509/certificate.hpp"
#include "x509/crl.hpp"
#include "x509/trust_store.hpp"
#include "x509/verify.hpp"

namespace keel::x509 {

/// What the handshake knows when it asks: the certificates as the peer sent them and whom the
/// peer must be.
struct PeerCertificates {
  /// DER certificates, the peer's own first (TLS 1.3 Certificate.certificate_list, RFC 8446
  /// §4.4.2), then whatever intermediates it sent, in any order.
  std::span<const ByteView> chain;
  /// OCSP responses the peer stapled (RFC 8446 §4.4.2.1, RFC 6066 §8), DER.
  std::span<const ByteView> ocsp_responses;
  Purpose purpose = Purpose::server_auth;
  /// The name the client asked for (normalized, see normalize_dns_name) or the address it
  /// connected to; neither when a server checks a client.
  std::optional<std::string> dns_name;
  std::optional<Bytes> ip_address;
  der::Seconds time{};
};

/// A peer that passed verification: its path, owned, leaf first and trust anchor last.
class VerifiedPeer {
 public:
  explicit VerifiedPeer(std::vector<Certificate> path) : path_(std::move(path)) {}

  [[nodiscard]] const std::vector<Certificate>& path() const noexcept { return path_; }
  [[nodiscard]] const Certificate& leaf() const noexcept { return path_.front(); }
  /// The key the peer's CertificateVerify must verify under.
  [[nodiscard]] ByteView leaf_spki() const noexcept { return path_.front().spki(); }

 private:
  std::vector<Certificate> path_;
};

class CertificateVerifier {
 public:
  CertificateVerifier() = default;
  CertificateVerifier(const CertificateVerifier&) = delete;
  CertificateVerifier& operator=(const CertificateVerifier&) = delete;
  CertificateVerifier(CertificateVerifier&&) = delete;
  CertificateVerifier& operator=(CertificateVerifier&&) = delete;
  virtual ~CertificateVerifier() = default;

  /// The verified path, or the precise reason the peer is not trusted (Error::message() is
  /// printable; alert_for() gives the alert to send).
  [[nodiscard]] virtual Result<VerifiedPeer> verify(const PeerCertificates& peer) const = 0;
};

/// A client's chain, as a server checks it (for client_auth, no name), at `now`.
[[nodiscard]] Result<VerifiedPeer> verify_client_chain(const CertificateVerifier& verifier,
                                                       std::span<const ByteView> chain,
                                                       TimePoint now);

/// Policy beyond the request: revocation lists, requirements and limits.
struct VerifierPolicy {
  std::vector<Crl> crls;
  bool require_revocation_info = false;
  /// Certificates a peer may send (RFC 8446 leaves it open; real chains have 2 to 4).
  std::size_t max_peer_certificates = 16;
  std::size_t max_depth = 10;
  std::size_t max_signature_checks = 100;
  std::size_t max_candidates = 1000;
};

/// keel's verifier: RFC 5280 path building and validation (x509/verify.hpp) to the anchors
/// of a trust store, with the stapled OCSP responses and the policy's CRLs.
class X509CertificateVerifier final : public CertificateVerifier {
 public:
  X509CertificateVerifier(std::shared_ptr<const TrustStore> store, VerifierPolicy policy = {},
                          const crypto::Provider& provider = crypto::default_provider());

  [[nodiscard]] Result<VerifiedPeer> verify(const PeerCertificates& peer) const override;

 private:
  std::shared_ptr<const TrustStore> store_;
  VerifierPolicy policy_;
  const crypto::Provider& provider_;
};

}  // namespace keel::x509
