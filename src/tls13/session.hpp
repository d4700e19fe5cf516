// What a connection drives once its handshake is complete, whichever version it negotiated:
// post-handshake messages, key updates, the exporter. TLS 1.3's is tls13::Established, TLS
// 1.2's tls12::Established. (In tls13/ because the TLS 1.3 handshake is the one that starts
// every connection and settles the version.)
#pragma once

#include <cstddef>
#include <string_view>

#include <keel/bytes.hpp>
#include <keel/result.hpp>

#include "crypto/provider.hpp"
#include "handshake/joiner.hpp"
#include "tls13/channel.hpp"

namespace keel::tls13 {

class Session {
 public:
  Session() = default;
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  Session(Session&&) = delete;
  Session& operator=(Session&&) = delete;
  virtual ~Session() = default;

  /// A handshake message after the handshake.
  [[nodiscard]] virtual Result<void> handle(Channel& channel,
                                            const handshake::HandshakeMessage& message) = 0;
  /// New write keys; with `request_peer`, the peer must renew its own.
  [[nodiscard]] virtual Result<void> update_keys(Channel& channel, bool request_peer) = 0;
  /// This side sent close_notify: what the peer sends is still read, but not answered.
  virtual void stop_writing() noexcept = 0;
  /// Application data arrived (flood counters start again).
  virtual void note_application_data() noexcept = 0;
  /// Keying material for the application (RFC 8446 §7.5, RFC 5705).
  [[nodiscard]] virtual Result<void> export_keying_material(const crypto::Provider& provider,
                                                            std::string_view label,
                                                            ByteView context,
                                                            MutableByteView out) const = 0;
  /// Session tickets the server sent (a client's count).
  [[nodiscard]] virtual std::size_t tickets_received() const noexcept = 0;
};

}  // namespace keel::tls13
