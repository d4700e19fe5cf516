// After the handshake (RFC 8446 §4.6, §7.2, §7.5): the application traffic secrets, the
// post-handshake messages that change or use them, and the exporter.
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>
#include <vector>

#include <keel/bytes.hpp>
#include <keel/result.hpp>

#include "core/secret.hpp"
#include "handshake/joiner.hpp"
#include "handshake/key_schedule.hpp"
#include "msg/new_session_ticket.hpp"
#include "tls13/channel.hpp"
#include "tls13/session.hpp"

namespace keel::tls13 {

enum class Side : std::uint8_t { client, server };

/// The secrets a completed handshake leaves.
struct ApplicationSecrets {
  Secret client;
  Secret server;
  Secret exporter;
  Secret resumption;
};

/// §7.1: the application traffic secrets and the exporter master secret, over the transcript
/// through the server's Finished (`server_finished_hash`), each written to the key log.
[[nodiscard]] Result<ApplicationSecrets> derive_application_secrets(
    const handshake::MasterSecret& master, ByteView server_finished_hash, const Channel& channel);

/// Receives what a NewSessionTicket makes (a client's): the ticket and its PSK (§4.6.1).
using TicketSink = std::function<void(const msg::NewSessionTicket& ticket, Secret psk)>;

class Established final : public Session {
 public:
  /// KeyUpdates accepted in a row with no application data between them (a flood defence;
  /// limit_exceeded past it).
  static constexpr std::size_t kMaxKeyUpdatesInARow = 32;
  /// Only after the peer's Finished verified (docs/design.md, rule 3). A client's tickets go
  /// to `on_ticket` (dropped if it is empty).
  Established(Side side, handshake::Suite13 suite, ApplicationSecrets secrets,
              const handshake::FinishedVerified& /*peer_finished*/, TicketSink on_ticket = {})
      : side_(side),
        suite_(suite),
        secrets_(std::move(secrets)),
        on_ticket_(std::move(on_ticket)) {}

  /// A handshake message after the handshake: KeyUpdate (either side), NewSessionTicket (to
  /// a client). Anything else is unexpected_message: keel offers no post-handshake
  /// authentication.
  [[nodiscard]] Result<void> handle(Channel& channel,
                                    const handshake::HandshakeMessage& message) override;

  /// §4.6.3: sends a KeyUpdate and switches this side's write keys; with `request_peer`, the
  /// peer must update its own.
  [[nodiscard]] Result<void> update_keys(Channel& channel, bool request_peer) override;

  /// This side sent close_notify: a KeyUpdate from the peer is still read, but not answered.
  void stop_writing() noexcept override { writing_ = false; }

  /// Application data arrived: the KeyUpdate flood count starts again.
  void note_application_data() noexcept override { key_updates_in_a_row_ = 0; }

  /// §7.5 exporter, over the exporter_master_secret.
  [[nodiscard]] Result<void> export_keying_material(const crypto::Provider& provider,
                                                    std::string_view label, ByteView context,
                                                    MutableByteView out) const override;

  [[nodiscard]] std::size_t tickets_received() const noexcept override { return tickets_; }

 private:
  [[nodiscard]] Secret& write_secret() noexcept {
    return side_ == Side::client ? secrets_.client : secrets_.server;
  }
  [[nodiscard]] Secret& read_secret() noexcept {
    return side_ == Side::client ? secrets_.server : secrets_.client;
  }

  Side side_;
  handshake::Suite13 suite_;
  ApplicationSecrets secrets_;
  std::size_t key_updates_in_a_row_ = 0;
  bool writing_ = true;
  TicketSink on_ticket_;
  std::size_t tickets_ = 0;
};

}  // namespace keel::tls13
