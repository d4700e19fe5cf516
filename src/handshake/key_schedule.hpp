// The TLS 1.3 key schedule (RFC 8446 §7.1) as a chain of types, each step consuming the one
// before it, so a secret cannot be derived from the wrong stage:
//
//              0
//              |
//              v
//    PSK ->  HKDF-Extract = Early Secret          EarlySecret
//              |
//              +-----> Derive-Secret(., "ext binder" | "res binder", "") = binder_key
//              +-----> Derive-Secret(., "c e traffic", ClientHello)
//              +-----> Derive-Secret(., "e exp master", ClientHello)
//              v
//        Derive-Secret(., "derived", "")
//              |
//              v
//    (EC)DHE -> HKDF-Extract = Handshake Secret   HandshakeSecret
//              |
//              +-----> Derive-Secret(., "c hs traffic", ClientHello...ServerHello)
//              +-----> Derive-Secret(., "s hs traffic", ClientHello...ServerHello)
//              v
//        Derive-Secret(., "derived", "")
//              |
//              v
//    0 -> HKDF-Extract = Master Secret            MasterSecret
//              |
//              +-----> Derive-Secret(., "c ap traffic", ClientHello...server Finished)
//              +-----> Derive-Secret(., "s ap traffic", ClientHello...server Finished)
//              +-----> Derive-Secret(., "exp master", ClientHello...server Finished)
//              +-----> Derive-Secret(., "res master", ClientHello...client Finished)
//
// Transcript hashes are computed by the caller (handshake/transcript.hpp) and passed in.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include <keel/codepoints.hpp>
#include <keel/result.hpp>

#include "core/secret.hpp"
#include "crypto/provider.hpp"

namespace keel::handshake {

/// What a TLS 1.3 cipher suite names: an AEAD and the hash of the key schedule (§B.4).
struct Suite13 {
  CipherSuite id;
  crypto::AeadAlg aead;
  crypto::HashAlg hash;
  std::size_t key_size;
};

/// The TLS 1.3 suites keel implements; nothing for any other codepoint.
[[nodiscard]] std::optional<Suite13> tls13_suite(CipherSuite id) noexcept;

/// A record protection key and IV (§7.3).
struct TrafficKeys {
  Secret key;
  Secret iv;  // 12 bytes: every TLS 1.3 AEAD takes a 96-bit nonce
};

/// §7.3: [sender]_write_key = HKDF-Expand-Label(Secret, "key", "", key_length),
///       [sender]_write_iv  = HKDF-Expand-Label(Secret, "iv", "", iv_length).
[[nodiscard]] Result<TrafficKeys> traffic_keys(const crypto::Provider& provider,
                                               const Suite13& suite, ByteView traffic_secret);

/// §4.4.4: verify_data = HMAC(finished_key, Transcript-Hash(...)), with
/// finished_key = HKDF-Expand-Label(BaseKey, "finished", "", Hash.length).
[[nodiscard]] Result<crypto::Digest> finished_verify_data(const crypto::Provider& provider,
                                                          crypto::HashAlg hash, ByteView base_key,
                                                          ByteView transcript_hash);

/// Proof that the peer's Finished verified: only verify_finished makes one, and the state
/// after it requires one (docs/design.md, rule 3).
class FinishedVerified {
 private:
  FinishedVerified() = default;
  friend Result<FinishedVerified> verify_finished(const crypto::Provider& provider,
                                                  crypto::HashAlg hash, ByteView base_key,
                                                  ByteView transcript_hash, ByteView received);
};

/// §4.4.4: "Recipients of Finished messages MUST verify that the contents are correct and if
/// incorrect MUST terminate the connection with a "decrypt_error" alert." Compared in
/// constant time.
[[nodiscard]] Result<FinishedVerified> verify_finished(const crypto::Provider& provider,
                                                       crypto::HashAlg hash, ByteView base_key,
                                                       ByteView transcript_hash, ByteView received);

/// §7.2: application_traffic_secret_N+1 =
///           HKDF-Expand-Label(application_traffic_secret_N, "traffic upd", "", Hash.length).
[[nodiscard]] Result<Secret> next_traffic_secret(const crypto::Provider& provider,
                                                 crypto::HashAlg hash, ByteView secret);

/// §7.5: TLS-Exporter(label, context_value, key_length) =
///           HKDF-Expand-Label(Derive-Secret(Secret, label, ""), "exporter",
///                             Hash(context_value), key_length). Fills `out`.
[[nodiscard]] Result<void> export_keying_material(const crypto::Provider& provider,
                                                  crypto::HashAlg hash, ByteView exporter_secret,
                                                  std::string_view label, ByteView context,
                                                  MutableByteView out);

/// §4.6.1: the PSK of a ticket =
///           HKDF-Expand-Label(resumption_master_secret, "resumption", ticket_nonce, Hash.length).
[[nodiscard]] Result<Secret> resumption_psk(const crypto::Provider& provider, crypto::HashAlg hash,
                                            ByteView resumption_master_secret,
                                            ByteView ticket_nonce);

class HandshakeSecret;
class MasterSecret;

class EarlySecret {
 public:
  /// Without a PSK, HKDF-Extract(0, 0) (§7.1: a string of Hash.length zero bytes for each).
  [[nodiscard]] static Result<EarlySecret> without_psk(const crypto::Provider& provider,
                                                       crypto::HashAlg hash);
  [[nodiscard]] static Result<EarlySecret> with_psk(const crypto::Provider& provider,
                                                    crypto::HashAlg hash, ByteView psk);

  /// "ext binder" for an external PSK, "res binder" for a resumption one (§4.2.11.2).
  [[nodiscard]] Result<Secret> binder_key(bool external) const;
  [[nodiscard]] Result<Secret> client_early_traffic_secret(ByteView client_hello_hash) const;
  [[nodiscard]] Result<Secret> early_exporter_master_secret(ByteView client_hello_hash) const;
  /// Mixes in the (EC)DHE shared secret.
  [[nodiscard]] Result<HandshakeSecret> advance(ByteView shared_secret) &&;

  [[nodiscard]] ByteView secret() const noexcept { return secret_.view(); }

 private:
  EarlySecret(const crypto::Provider& provider, crypto::HashAlg hash, Secret secret,
              bool without_psk = false)
      : provider_(&provider), hash_(hash), secret_(std::move(secret)), without_psk_(without_psk) {}

  const crypto::Provider* provider_;
  crypto::HashAlg hash_;
  Secret secret_;
  bool without_psk_;  // the fixed early secret: the salt that follows it is fixed too
};

class HandshakeSecret {
 public:
  /// "c hs traffic" and "s hs traffic", over ClientHello...ServerHello.
  [[nodiscard]] Result<Secret> client_traffic_secret(ByteView hello_hash) const;
  [[nodiscard]] Result<Secret> server_traffic_secret(ByteView hello_hash) const;
  [[nodiscard]] Result<MasterSecret> advance() &&;

  [[nodiscard]] ByteView secret() const noexcept { return secret_.view(); }

 private:
  friend class EarlySecret;
  HandshakeSecret(const crypto::Provider& provider, crypto::HashAlg hash, Secret secret)
      : provider_(&provider), hash_(hash), secret_(std::move(secret)) {}

  const crypto::Provider* provider_;
  crypto::HashAlg hash_;
  Secret secret_;
};

class MasterSecret {
 public:
  /// "c ap traffic", "s ap traffic" and "exp master", over ClientHello...server Finished.
  [[nodiscard]] Result<Secret> client_traffic_secret(ByteView server_finished_hash) const;
  [[nodiscard]] Result<Secret> server_traffic_secret(ByteView server_finished_hash) const;
  [[nodiscard]] Result<Secret> exporter_master_secret(ByteView server_finished_hash) const;
  /// "res master", over ClientHello...client Finished.
  [[nodiscard]] Result<Secret> resumption_master_secret(ByteView client_finished_hash) const;

  [[nodiscard]] ByteView secret() const noexcept { return secret_.view(); }

 private:
  friend class HandshakeSecret;
  MasterSecret(const crypto::Provider& provider, crypto::HashAlg hash, Secret secret)
      : provider_(&provider), hash_(hash), secret_(std::move(secret)) {}

  const crypto::Provider* provider_;
  crypto::HashAlg hash_;
  Secret secret_;
};

}  // namespace keel::handshake
