#include "x509/trust_store.hpp"

#include <algorithm>
#include <filesystem>

#include "core/file.hpp"
#include "core/try.hpp"
#include "x509/pem.hpp"
#include "x509/signature.hpp"

namespace keel::x509 {

TrustStore& TrustStore::operator=(const TrustStore& other) {
  if (this != &other) {
    anchors_ = other.anchors_;
    key_cache_ = std::make_unique<KeyCache>();
  }
  return *this;
}

Result<std::shared_ptr<const crypto::PublicKey>> TrustStore::anchor_key(
    std::size_t index, const crypto::Provider& provider) const {
  const Certificate& anchor = anchors_.at(index);
  if (key_cache_) {
    const std::lock_guard lock(key_cache_->mutex);
    if (key_cache_->provider == &provider && index < key_cache_->keys.size() &&
        key_cache_->keys[index]) {
      return key_cache_->keys[index];
    }
  }
  KEEL_TRY_ASSIGN(std::shared_ptr<const crypto::PublicKey> key, signer_key(anchor, provider));
  if (key_cache_) {
    const std::lock_guard lock(key_cache_->mutex);
    if (key_cache_->provider == nullptr) {
      key_cache_->provider = &provider;
    }
    if (key_cache_->provider == &provider) {
      key_cache_->keys.resize(anchors_.size());
      key_cache_->keys[index] = key;
    }
  }
  return key;
}
Result<void> TrustStore::add_pem(std::string_view pem_text, const std::string& origin) {
  auto blocks = pem::parse(pem_text, "CERTIFICATE");
  if (!blocks.ok()) {
    return std::move(blocks).error().prepend(origin);
  }
  for (const auto& block : *blocks) {
    auto cert = Certificate::parse(block.der);
    if (!cert.ok()) {
      return std::move(cert).error().prepend(origin + ": certificate at line " +
                                             std::to_string(block.begin_line));
    }
    anchors_.push_back(std::move(cert).value());
  }
  return ok();
}

Result<TrustStore> TrustStore::from_pem_file(const std::string& path) {
  KEEL_TRY_ASSIGN(const std::string text, read_file(path));
  TrustStore store;
  KEEL_TRY(store.add_pem(text, path));
  if (store.anchors_.empty()) {
    return Error(Errc::malformed, path + ": no CERTIFICATE block");
  }
  return store;
}

Result<TrustStore> TrustStore::from_directory(const std::string& path) {
  std::error_code error;
  std::filesystem::directory_iterator entries(path, error);
  if (error) {
    return Error(Errc::io_error, "cannot list " + path + ": " + error.message());
  }
  std::vector<std::filesystem::path> files;
  for (const auto& entry : entries) {
    const auto extension = entry.path().extension();
    if (entry.is_regular_file() && (extension == ".pem" || extension == ".crt")) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());  // a stable order, whatever the directory's
  TrustStore store;
  for (const auto& file : files) {
    KEEL_TRY_ASSIGN(const std::string text, read_file(file.string()));
    KEEL_TRY(store.add_pem(text, file.string()));
  }
  return store;
}

Result<TrustStore> TrustStore::system() {
  return from_pem_file(kSystemTrustBundle);
}

}  // namespace keel::x509
