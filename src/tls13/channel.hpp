// What both sides of a TLS 1.3 handshake drive: the record layer, the reassembly of handshake
// messages, the transcript, and the key changes between them (RFC 8446 §4, §5, §7).
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>

#include <keel/bytes.hpp>
#include <keel/result.hpp>

#include "crypto/provider.hpp"
#include "handshake/joiner.hpp"
#include "handshake/key_schedule.hpp"
#include "handshake/transcript.hpp"
#include "msg/hello.hpp"
#include "record/record_layer.hpp"

namespace keel::tls13 {

/// Receives each secret as it is derived, in the NSS key log format's terms: a label
/// ("CLIENT_HANDSHAKE_TRAFFIC_SECRET", ...), the ClientHello random, the secret. An explicit
/// callback, never a log line (docs/design.md, rule 4).
using KeyLog = std::function<void(std::string_view label, ByteView client_random, ByteView secret)>;

class Channel {
 public:
  Channel(crypto::Provider& provider, std::size_t max_handshake_message)
      : provider_(&provider), joiner_(max_handshake_message) {}

  [[nodiscard]] const crypto::Provider& provider() const noexcept { return *provider_; }
  /// The provider's CSPRNG (a handshake's settings may inject another).
  [[nodiscard]] Rng& provider_rng() noexcept { return provider_->rng(); }
  [[nodiscard]] record::RecordLayer& records() noexcept { return records_; }
  [[nodiscard]] const record::RecordLayer& records() const noexcept { return records_; }
  [[nodiscard]] handshake::Joiner& joiner() noexcept { return joiner_; }
  [[nodiscard]] handshake::Transcript& transcript() noexcept { return transcript_; }

  /// Adds a whole handshake message to the transcript and holds it for the flight: the
  /// messages of one flight share records (RFC 8448's server sends EncryptedExtensions to
  /// Finished in one), written out by flush(), by a write key change or by a
  /// change_cipher_spec.
  [[nodiscard]] Result<void> send_handshake(ByteView message);
  /// Writes the held handshake messages as records.
  [[nodiscard]] Result<void> flush();
  /// Queues a whole post-handshake message (KeyUpdate, NewSessionTicket): not in the
  /// transcript (§4.4.1 ends it at the client's Finished).
  [[nodiscard]] Result<void> send_post_handshake(ByteView message);
  /// §D.4: the dummy change_cipher_spec of middlebox compatibility mode, sent in plaintext.
  [[nodiscard]] Result<void> send_change_cipher_spec();

  /// Switches the protection of one direction to the keys of `traffic_secret`. §5.1: the
  /// peer's handshake messages must not straddle a key change (unexpected_message).
  [[nodiscard]] Result<void> set_read_secret(const handshake::Suite13& suite,
                                             ByteView traffic_secret);
  [[nodiscard]] Result<void> set_write_secret(const handshake::Suite13& suite,
                                              ByteView traffic_secret);

  /// Writes plaintext again: a client's second ClientHello after it wrote early data.
  [[nodiscard]] Result<void> clear_write_secret();

  void set_key_log(KeyLog key_log) { key_log_ = std::move(key_log); }
  void set_client_random(const msg::Random& random) noexcept { client_random_ = random; }
  /// Hands a secret to the key log, if there is one.
  void log_secret(std::string_view label, ByteView secret) const;

 private:
  crypto::Provider* provider_;
  record::RecordLayer records_;
  handshake::Joiner joiner_;
  handshake::Transcript transcript_;
  Bytes flight_;  // handshake messages not yet written
  KeyLog key_log_;
  msg::Random client_random_{};
};

}  // namespace keel::tls13
