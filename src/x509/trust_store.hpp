// Trust anchors: the certificates a path may end at.
#pragma once

#include <string>
#include <vector>

#include <keel/result.hpp>

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

 private:
  std::vector<Certificate> anchors_;
};

}  // namespace keel::x509
