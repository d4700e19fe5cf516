// A TLS 1.2 connection after its handshake: no key updates, no renegotiation (RFC 5746 is
// spoken only to say so), and the RFC 5705 exporter over the master secret.
#pragma once

#include <cstddef>
#include <string_view>

#include <keel/bytes.hpp>
#include <keel/result.hpp>

#include "core/secret.hpp"
#include "handshake/key_schedule12.hpp"
#include "msg/hello.hpp"
#include "tls13/established.hpp"
#include "tls13/session.hpp"

namespace keel::tls12 {

using tls13::Side;

/// Proof that the peer's TLS 1.2 Finished verified: only its check makes one (docs/design.md,
/// rule 3).
class FinishedVerified12 {
 private:
  FinishedVerified12() = default;
  friend Result<FinishedVerified12> verify_finished12(const crypto::Provider& provider,
                                                      const handshake::Suite12& suite,
                                                      ByteView master_secret,
                                                      handshake::FinishedSender sender,
                                                      ByteView handshake_hash, ByteView received);
};

/// RFC 5246 §7.4.9: the peer's verify_data against the expected one, in constant time
/// (decrypt_error if they differ).
[[nodiscard]] Result<FinishedVerified12> verify_finished12(
    const crypto::Provider& provider, const handshake::Suite12& suite, ByteView master_secret,
    handshake::FinishedSender sender, ByteView handshake_hash, ByteView received);

/// RFC 5246 §7.1, §7.4.9: this side's ChangeCipherSpec, the write keys of `keys` for
/// `sender` from then on, and its Finished over the transcript so far.
[[nodiscard]] Result<void> send_change_cipher_spec_and_finished(tls13::Channel& channel,
                                                                const handshake::Suite12& suite,
                                                                ByteView master_secret,
                                                                const handshake::KeyBlock12& keys,
                                                                handshake::FinishedSender sender);

class Established final : public tls13::Session {
 public:
  /// Renegotiation requests refused in a row before the peer is cut off (a flood defence).
  static constexpr std::size_t kMaxRefusals = 8;

  /// Only after the peer's Finished verified.
  Established(Side side, handshake::Suite12 suite, Secret master_secret,
              const msg::Random& client_random, const msg::Random& server_random,
              const FinishedVerified12& /*peer_finished*/)
      : side_(side),
        suite_(suite),
        master_secret_(std::move(master_secret)),
        client_random_(client_random),
        server_random_(server_random) {}

  /// keel does not renegotiate (docs/design.md): a HelloRequest to a client or a ClientHello
  /// to a server gets the no_renegotiation warning (RFC 5246 §7.2.2: "This message is always
  /// a warning") and the connection goes on; anything else is unexpected_message.
  [[nodiscard]] Result<void> handle(tls13::Channel& channel,
                                    const handshake::HandshakeMessage& message) override;
  /// TLS 1.2 has no KeyUpdate: invalid_argument.
  [[nodiscard]] Result<void> update_keys(tls13::Channel& channel, bool request_peer) override;
  void stop_writing() noexcept override { writing_ = false; }
  void note_application_data() noexcept override { refusals_in_a_row_ = 0; }
  /// RFC 5705, with the context always present (an empty one included).
  [[nodiscard]] Result<void> export_keying_material(const crypto::Provider& provider,
                                                    std::string_view label, ByteView context,
                                                    MutableByteView out) const override;
  [[nodiscard]] std::size_t tickets_received() const noexcept override { return 0; }

 private:
  Side side_;
  handshake::Suite12 suite_;
  Secret master_secret_;
  msg::Random client_random_;
  msg::Random server_random_;
  std::size_t refusals_in_a_row_ = 0;
  bool writing_ = true;
};

}  // namespace keel::tls12
