// Trust anchors: the certificates a path may end at.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <keel/result.hpp>

#include "crypto/provider.hpp"
#include "x509/certificate.hpp"

namespace keel::x509 {

/// Debian's bundle of the system's trusted roots.
inline constexpr const char* kSystemTrustBundle = "/etc/ssl/certs/ca-certificates.crt";

class TrustStore {
 public:
  /// Every CERTIFICATE block of a PEM file; errors name the file (and the line).
  [[nodiscard]] static Result<TrustStore> from_pem_file(const std::string& path);
  /// Every *.pem and *.crt file of a directory.
  [[nodiscard]] static Result<TrustStore> from_directory(const std::string& path);
  /// The system store (kSystemTrustBundle).
  [[nodiscard]] static Result<TrustStore> system();

  void add(Certificate anchor) { anchors_.push_back(std::move(anchor)); }
  /// Adds every CERTIFICATE in `pem_text`; `origin` names it in errors.
  [[nodiscard]] Result<void> add_pem(std::string_view pem_text, const std::string& origin);

  [[nodiscard]] const std::vector<Certificate>& anchors() const noexcept { return anchors_; }
  [[nodiscard]] std::size_t size() const noexcept { return anchors_.size(); }

  /// The public key of anchors()[index], parsed by `provider` on first use and kept: every
  /// chain ends at an anchor, and parsing a key costs as much as a third of checking the
  /// signature it is parsed for. Thread-safe (a store is shared by every connection of a
  /// config). A provider other than the first one gets a fresh parse.
  [[nodiscard]] Result<std::shared_ptr<const crypto::PublicKey>> anchor_key(
      std::size_t index, const crypto::Provider& provider) const;

  TrustStore() = default;
  TrustStore(const TrustStore& other) : anchors_(other.anchors_) {}
  TrustStore& operator=(const TrustStore& other);
  TrustStore(TrustStore&&) noexcept = default;
  TrustStore& operator=(TrustStore&&) noexcept = default;
  ~TrustStore() = default;

 private:
  struct KeyCache {
    std::mutex mutex;
    const crypto::Provider* provider = nullptr;
    std::vector<std::shared_ptr<const crypto::PublicKey>> keys;  // by anchor index
  };

  std::vector<Certificate> anchors_;
  std::unique_ptr<KeyCache> key_cache_ = std::make_unique<KeyCache>();
};

}  // namespace keel::x509
