// A certificate chain and the private key of its leaf: what a server (or a client asked for a
// certificate) presents and signs with. Parsed and checked once, shared by every connection.
#pragma once

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include <keel/bytes.hpp>
#include <keel/result.hpp>

#include "crypto/provider.hpp"
#include "x509/certificate.hpp"

namespace keel::tls13 {

class Credential {
 public:
  /// `chain` is DER, the leaf first. The key must be the leaf's (invalid_argument otherwise:
  /// a mismatched pair would fail every handshake with a confusing signature error).
  [[nodiscard]] static Result<Credential> make(std::vector<Bytes> chain,
                                               std::shared_ptr<const crypto::PrivateKey> key);

  [[nodiscard]] const std::vector<Bytes>& chain() const noexcept { return chain_; }
  [[nodiscard]] const x509::Certificate& leaf() const noexcept { return leaf_; }
  [[nodiscard]] const crypto::PrivateKey& key() const noexcept { return *key_; }
  /// The Certificate handshake message for this chain with an empty request context (what a
  /// server sends, RFC 8446 §4.4.2), encoded once here rather than in every handshake.
  [[nodiscard]] ByteView certificate_message() const noexcept { return certificate_message_; }

  /// Whether the leaf names `server_name` (a normalized DNS name) in its subjectAltName.
  [[nodiscard]] bool covers(std::string_view server_name) const;

 private:
  Credential(std::vector<Bytes> chain, x509::Certificate leaf,
             std::shared_ptr<const crypto::PrivateKey> key, Bytes certificate_message)
      : chain_(std::move(chain)),
        leaf_(std::move(leaf)),
        key_(std::move(key)),
        certificate_message_(std::move(certificate_message)) {}

  std::vector<Bytes> chain_;
  x509::Certificate leaf_;
  std::shared_ptr<const crypto::PrivateKey> key_;
  Bytes certificate_message_;
};

}  // namespace keel::tls13
