// The public configuration types (keel/config.hpp) over keel's internals.
#include <mutex>

#include <keel/config.hpp>

#include "core/file.hpp"
#include "core/try.hpp"
#include "crypto/provider.hpp"
#include "handshake/negotiation.hpp"
#include "tls13/credential.hpp"
#include "x509/pem.hpp"
#include "x509/trust_store.hpp"

namespace keel {

Result<TrustAnchors> TrustAnchors::system() {
  // Read once per process: a full store is ~150 certificates, parsed in a few milliseconds,
  // not something to repeat per connection. A failure is not cached (the file may appear).
  static std::mutex mutex;
  static std::shared_ptr<const x509::TrustStore> cached;
  const std::scoped_lock lock(mutex);
  if (cached == nullptr) {
    KEEL_TRY_ASSIGN(auto store, x509::TrustStore::system());
    cached = std::make_shared<const x509::TrustStore>(std::move(store));
  }
  return TrustAnchors(cached);
}

Result<TrustAnchors> TrustAnchors::from_pem_file(const std::string& path) {
  KEEL_TRY_ASSIGN(auto store, x509::TrustStore::from_pem_file(path));
  return TrustAnchors(std::make_shared<const x509::TrustStore>(std::move(store)));
}

Result<TrustAnchors> TrustAnchors::from_pem(std::string_view pem, const std::string& origin) {
  x509::TrustStore store;
  KEEL_TRY(store.add_pem(pem, origin));
  return TrustAnchors(std::make_shared<const x509::TrustStore>(std::move(store)));
}

std::size_t TrustAnchors::size() const noexcept {
  return store_ ? store_->size() : 0;
}

Result<CertifiedKey> CertifiedKey::from_pem(std::string_view chain_pem, std::string_view key_pem) {
  KEEL_TRY_ASSIGN(auto blocks, pem::parse(chain_pem, "CERTIFICATE"));
  if (blocks.empty()) {
    return Error(Errc::invalid_argument, "no CERTIFICATE in the chain's PEM");
  }
  std::vector<Bytes> chain;
  chain.reserve(blocks.size());
  for (auto& block : blocks) {
    chain.push_back(std::move(block.der));
  }
  const ByteView key_bytes(reinterpret_cast<const std::uint8_t*>(key_pem.data()), key_pem.size());
  KEEL_TRY_ASSIGN(std::shared_ptr<const crypto::PrivateKey> key,
                  crypto::default_provider().load_private_key(key_bytes));
  KEEL_TRY_ASSIGN(auto credential, tls13::Credential::make(std::move(chain), std::move(key)));
  return CertifiedKey(std::make_shared<const tls13::Credential>(std::move(credential)));
}

Result<CertifiedKey> CertifiedKey::from_pem_files(const std::string& chain_path,
                                                  const std::string& key_path) {
  KEEL_TRY_ASSIGN(auto chain, read_file(chain_path));
  KEEL_TRY_ASSIGN(auto key, read_file(key_path));
  auto certified = from_pem(chain, key);
  if (!certified.ok()) {
    return std::move(certified).error().prepend(chain_path + " and " + key_path);
  }
  return certified;
}

const std::vector<Bytes>& CertifiedKey::chain() const noexcept {
  return credential_->chain();
}

std::vector<CipherSuite> default_cipher_suites() {
  // AES-GCM first: every machine keel targets has AES instructions; ChaCha20-Poly1305 for
  // peers that prefer it.
  return {CipherSuite::TLS_AES_128_GCM_SHA256,
          CipherSuite::TLS_AES_256_GCM_SHA384,
          CipherSuite::TLS_CHACHA20_POLY1305_SHA256,
          CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
          CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
          CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
          CipherSuite::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
          CipherSuite::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
          CipherSuite::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256};
}

std::vector<NamedGroup> default_groups() {
  return {NamedGroup::x25519, NamedGroup::secp256r1, NamedGroup::secp384r1};
}

std::vector<SignatureScheme> default_signature_schemes() {
  const auto schemes = handshake::tls12_signature_schemes();
  return {schemes.begin(), schemes.end()};
}

}  // namespace keel
