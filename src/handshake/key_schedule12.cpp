#include "handshake/key_schedule12.hpp"

#include <array>
#include <string>

#include "core/try.hpp"
#include "crypto/kdf.hpp"

namespace keel::handshake {

std::optional<Suite12> tls12_suite(CipherSuite id) noexcept {
  using crypto::AeadAlg;
  using crypto::HashAlg;
  switch (id) {
    case CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256:
      return Suite12{id, Auth12::ecdsa, AeadAlg::aes_128_gcm, HashAlg::sha256};
    case CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384:
      return Suite12{id, Auth12::ecdsa, AeadAlg::aes_256_gcm, HashAlg::sha384};
    case CipherSuite::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256:
      return Suite12{id, Auth12::ecdsa, AeadAlg::chacha20_poly1305, HashAlg::sha256};
    case CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256:
      return Suite12{id, Auth12::rsa, AeadAlg::aes_128_gcm, HashAlg::sha256};
    case CipherSuite::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384:
      return Suite12{id, Auth12::rsa, AeadAlg::aes_256_gcm, HashAlg::sha384};
    case CipherSuite::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256:
      return Suite12{id, Auth12::rsa, AeadAlg::chacha20_poly1305, HashAlg::sha256};
    default:
      return std::nullopt;
  }
}

Result<Secret> extended_master_secret(const crypto::Provider& provider, const Suite12& suite,
                                      ByteView pre_master_secret, ByteView session_hash) {
  Secret master(kMasterSecretSize12);
  KEEL_TRY(crypto::tls12_prf(provider, suite.hash, pre_master_secret, "extended master secret",
                             session_hash, master.mutable_view()));
  return master;
}

Result<KeyBlock12> key_block(const crypto::Provider& provider, const Suite12& suite,
                             ByteView master_secret, const msg::Random& client_random,
                             const msg::Random& server_random) {
  // RFC 5288 §3 and RFC 7905 §2 set the IV lengths: 4 (the GCM salt) or 12.
  const std::size_t key_size = crypto::key_size(suite.aead);
  const std::size_t iv_size = suite.aead == crypto::AeadAlg::chacha20_poly1305 ? 12 : 4;
  std::array<std::uint8_t, 64> seed{};  // server_random + client_random
  std::copy(server_random.begin(), server_random.end(), seed.begin());
  std::copy(client_random.begin(), client_random.end(), seed.begin() + 32);
  Secret block(2 * key_size + 2 * iv_size);
  KEEL_TRY(crypto::tls12_prf(provider, suite.hash, master_secret, "key expansion", seed,
                             block.mutable_view()));
  const ByteView all = block.view();
  return KeyBlock12{
      Secret::copy_of(all.subspan(0, key_size)),
      Secret::copy_of(all.subspan(key_size, key_size)),
      Secret::copy_of(all.subspan(2 * key_size, iv_size)),
      Secret::copy_of(all.subspan(2 * key_size + iv_size, iv_size)),
  };
}

Result<Secret> finished_verify_data12(const crypto::Provider& provider, const Suite12& suite,
                                      ByteView master_secret, FinishedSender sender,
                                      ByteView handshake_hash) {
  Secret verify_data(kVerifyDataSize12);
  KEEL_TRY(
      crypto::tls12_prf(provider, suite.hash, master_secret,
                        sender == FinishedSender::client ? "client finished" : "server finished",
                        handshake_hash, verify_data.mutable_view()));
  return verify_data;
}

Result<void> export_keying_material12(const crypto::Provider& provider, const Suite12& suite,
                                      ByteView master_secret, const msg::Random& client_random,
                                      const msg::Random& server_random, std::string_view label,
                                      std::optional<ByteView> context, MutableByteView out) {
  // RFC 5705 §4: labels of TLS's own PRF uses must not be exporter labels.
  for (const std::string_view reserved : {"client finished", "server finished", "master secret",
                                          "extended master secret", "key expansion"}) {
    if (label == reserved) {
      return Error(Errc::invalid_argument,
                   "\"" + std::string(label) + "\" is a label of TLS itself, not an exporter's");
    }
  }
  if (context && context->size() > 0xFFFF) {
    return Error(Errc::invalid_argument, "exporter context longer than 65535 bytes");
  }
  Bytes seed(client_random.begin(), client_random.end());
  seed.insert(seed.end(), server_random.begin(), server_random.end());
  if (context) {
    seed.push_back(static_cast<std::uint8_t>(context->size() >> 8U));
    seed.push_back(static_cast<std::uint8_t>(context->size()));
    seed.insert(seed.end(), context->begin(), context->end());
  }
  return crypto::tls12_prf(provider, suite.hash, master_secret, label, seed, out);
}

}  // namespace keel::handshake
