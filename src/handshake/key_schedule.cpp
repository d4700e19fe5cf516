#include "handshake/key_schedule.hpp"

#include "core/hex.hpp"
#include "core/try.hpp"
#include "crypto/kdf.hpp"

namespace keel::handshake {
namespace {

constexpr std::size_t kIvSize = 12;

/// Values §7.1 fixes for each TLS 1.3 hash, so that no handshake computes them: Hash(""), the
/// early secret without a PSK (HKDF-Extract(0, 0)) and the salt derived from it for the
/// handshake secret. The SHA-256 ones are RFC 8448 §3's "extract secret early" and "derive
/// secret for handshake"; tests/unit/kdf_test.cpp recomputes all of them.
struct FixedValues {
  Bytes empty_hash;
  Bytes early_secret;
  Bytes handshake_salt;
};

Bytes hex(std::string_view text) {
  return std::move(from_hex(text)).value();  // the literals below are valid hex
}

const FixedValues* fixed_values(crypto::HashAlg hash) {
  static const FixedValues kSha256{
      hex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
      hex("33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a"),
      hex("6f2615a108c702c5678f54fc9dbab69716c076189c48250cebeac3576c3611ba")};
  static const FixedValues kSha384{
      hex("38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da"
          "274edebfe76f65fbd51ad2f14898b95b"),
      hex("7ee8206f5570023e6dc7519eb1073bc4e791ad37b5c382aa10ba18e2357e7169"
          "71f9362f2c2fe2a76bfd78dfec4ea9b5"),
      hex("1591dac5cbbf0330a4a84de9c753330e92d01f0a88214b4464972fd668049e93"
          "e52f2b16fad922fdc0584478428f282b")};
  switch (hash) {
    case crypto::HashAlg::sha256:
      return &kSha256;
    case crypto::HashAlg::sha384:
      return &kSha384;
    default:
      return nullptr;
  }
}

/// Derive-Secret(Secret, "derived", ""): the salt of the next extraction.
Result<Secret> derived(const crypto::Provider& provider, crypto::HashAlg hash, ByteView secret) {
  if (const FixedValues* fixed = fixed_values(hash)) {
    return crypto::derive_secret(provider, hash, secret, "derived", fixed->empty_hash);
  }
  KEEL_TRY_ASSIGN(const crypto::Digest empty, provider.hash(hash, ByteView{}));
  return crypto::derive_secret(provider, hash, secret, "derived", empty.view());
}

}  // namespace

std::optional<Suite13> tls13_suite(CipherSuite id) noexcept {
  switch (id) {
    case CipherSuite::TLS_AES_128_GCM_SHA256:
      return Suite13{id, crypto::AeadAlg::aes_128_gcm, crypto::HashAlg::sha256, 16};
    case CipherSuite::TLS_AES_256_GCM_SHA384:
      return Suite13{id, crypto::AeadAlg::aes_256_gcm, crypto::HashAlg::sha384, 32};
    case CipherSuite::TLS_CHACHA20_POLY1305_SHA256:
      return Suite13{id, crypto::AeadAlg::chacha20_poly1305, crypto::HashAlg::sha256, 32};
    default:
      return std::nullopt;
  }
}

Result<TrafficKeys> traffic_keys(const crypto::Provider& provider, const Suite13& suite,
                                 ByteView traffic_secret) {
  KEEL_TRY_ASSIGN(Secret key, crypto::hkdf_expand_label(provider, suite.hash, traffic_secret, "key",
                                                        ByteView{}, suite.key_size));
  KEEL_TRY_ASSIGN(Secret iv, crypto::hkdf_expand_label(provider, suite.hash, traffic_secret, "iv",
                                                       ByteView{}, kIvSize));
  return TrafficKeys{std::move(key), std::move(iv)};
}

Result<crypto::Digest> finished_verify_data(const crypto::Provider& provider, crypto::HashAlg hash,
                                            ByteView base_key, ByteView transcript_hash) {
  KEEL_TRY_ASSIGN(const Secret finished_key,
                  crypto::hkdf_expand_label(provider, hash, base_key, "finished", ByteView{},
                                            crypto::digest_size(hash)));
  return provider.hmac(hash, finished_key.view(), transcript_hash);
}

Result<FinishedVerified> verify_finished(const crypto::Provider& provider, crypto::HashAlg hash,
                                         ByteView base_key, ByteView transcript_hash,
                                         ByteView received) {
  KEEL_TRY_ASSIGN(const crypto::Digest expected,
                  finished_verify_data(provider, hash, base_key, transcript_hash));
  if (!constant_time_equal(expected.view(), received)) {
    return Error(Errc::bad_signature, "the peer's Finished does not verify");
  }
  return FinishedVerified();
}

Result<Secret> next_traffic_secret(const crypto::Provider& provider, crypto::HashAlg hash,
                                   ByteView secret) {
  return crypto::hkdf_expand_label(provider, hash, secret, "traffic upd", ByteView{},
                                   crypto::digest_size(hash));
}

Result<void> export_keying_material(const crypto::Provider& provider, crypto::HashAlg hash,
                                    ByteView exporter_secret, std::string_view label,
                                    ByteView context, MutableByteView out) {
  KEEL_TRY_ASSIGN(const crypto::Digest empty, provider.hash(hash, ByteView{}));
  KEEL_TRY_ASSIGN(const Secret per_label,
                  crypto::derive_secret(provider, hash, exporter_secret, label, empty.view()));
  KEEL_TRY_ASSIGN(const crypto::Digest context_hash, provider.hash(hash, context));
  KEEL_TRY_ASSIGN(const Secret value,
                  crypto::hkdf_expand_label(provider, hash, per_label.view(), "exporter",
                                            context_hash.view(), out.size()));
  std::copy(value.view().begin(), value.view().end(), out.begin());
  return ok();
}

Result<Secret> resumption_psk(const crypto::Provider& provider, crypto::HashAlg hash,
                              ByteView resumption_master_secret, ByteView ticket_nonce) {
  return crypto::hkdf_expand_label(provider, hash, resumption_master_secret, "resumption",
                                   ticket_nonce, crypto::digest_size(hash));
}

Result<EarlySecret> EarlySecret::without_psk(const crypto::Provider& provider,
                                             crypto::HashAlg hash) {
  if (const FixedValues* fixed = fixed_values(hash)) {
    return EarlySecret(provider, hash, Secret::copy_of(fixed->early_secret), /*without_psk=*/true);
  }
  const Bytes zeros(crypto::digest_size(hash), 0);
  return with_psk(provider, hash, zeros);
}

Result<EarlySecret> EarlySecret::with_psk(const crypto::Provider& provider, crypto::HashAlg hash,
                                          ByteView psk) {
  KEEL_TRY_ASSIGN(Secret secret, provider.hkdf_extract(hash, ByteView{}, psk));
  return EarlySecret(provider, hash, std::move(secret));
}

Result<Secret> EarlySecret::binder_key(bool external) const {
  const char* label = external ? "ext binder" : "res binder";
  if (const FixedValues* fixed = fixed_values(hash_)) {
    return crypto::derive_secret(*provider_, hash_, secret_.view(), label, fixed->empty_hash);
  }
  KEEL_TRY_ASSIGN(const crypto::Digest empty, provider_->hash(hash_, ByteView{}));
  return crypto::derive_secret(*provider_, hash_, secret_.view(), label, empty.view());
}

Result<Secret> EarlySecret::client_early_traffic_secret(ByteView client_hello_hash) const {
  return crypto::derive_secret(*provider_, hash_, secret_.view(), "c e traffic", client_hello_hash);
}

Result<Secret> EarlySecret::early_exporter_master_secret(ByteView client_hello_hash) const {
  return crypto::derive_secret(*provider_, hash_, secret_.view(), "e exp master",
                               client_hello_hash);
}

Result<HandshakeSecret> EarlySecret::advance(ByteView shared_secret) && {
  const FixedValues* fixed = without_psk_ ? fixed_values(hash_) : nullptr;
  KEEL_TRY_ASSIGN(const Secret salt, fixed != nullptr
                                         ? Result<Secret>(Secret::copy_of(fixed->handshake_salt))
                                         : derived(*provider_, hash_, secret_.view()));
  KEEL_TRY_ASSIGN(Secret next, provider_->hkdf_extract(hash_, salt.view(), shared_secret));
  return HandshakeSecret(*provider_, hash_, std::move(next));
}

Result<Secret> HandshakeSecret::client_traffic_secret(ByteView hello_hash) const {
  return crypto::derive_secret(*provider_, hash_, secret_.view(), "c hs traffic", hello_hash);
}

Result<Secret> HandshakeSecret::server_traffic_secret(ByteView hello_hash) const {
  return crypto::derive_secret(*provider_, hash_, secret_.view(), "s hs traffic", hello_hash);
}

Result<MasterSecret> HandshakeSecret::advance() && {
  KEEL_TRY_ASSIGN(const Secret salt, derived(*provider_, hash_, secret_.view()));
  const Bytes zeros(crypto::digest_size(hash_), 0);
  KEEL_TRY_ASSIGN(Secret next, provider_->hkdf_extract(hash_, salt.view(), zeros));
  return MasterSecret(*provider_, hash_, std::move(next));
}

Result<Secret> MasterSecret::client_traffic_secret(ByteView server_finished_hash) const {
  return crypto::derive_secret(*provider_, hash_, secret_.view(), "c ap traffic",
                               server_finished_hash);
}

Result<Secret> MasterSecret::server_traffic_secret(ByteView server_finished_hash) const {
  return crypto::derive_secret(*provider_, hash_, secret_.view(), "s ap traffic",
                               server_finished_hash);
}

Result<Secret> MasterSecret::exporter_master_secret(ByteView server_finished_hash) const {
  return crypto::derive_secret(*provider_, hash_, secret_.view(), "exp master",
                               server_finished_hash);
}

Result<Secret> MasterSecret::resumption_master_secret(ByteView client_finished_hash) const {
  return crypto::derive_secret(*provider_, hash_, secret_.view(), "res master",
                               client_finished_hash);
}

}  // namespace keel::handshake
