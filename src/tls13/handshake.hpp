// One side's TLS 1.3 handshake, as the connection drives it: start, then one message at a time
// until it is complete. The states of each side are in client.cpp and server.cpp.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <keel/negotiated.hpp>
#include <keel/result.hpp>

#include "handshake/joiner.hpp"
#include "msg/types.hpp"
#include "tls13/channel.hpp"
#include "tls13/session.hpp"

namespace keel::tls13 {

/// unexpected_message naming what came and what a state accepts (both sides' states use it).
[[nodiscard]] inline Error unexpected(const handshake::HandshakeMessage& message,
                                      std::string_view expected) {
  return Error(Errc::unexpected_message,
               msg::to_string(message.type) + " where " + std::string(expected) + " was expected");
}

class Handshake {
 public:
  Handshake() = default;
  Handshake(const Handshake&) = delete;
  Handshake& operator=(const Handshake&) = delete;
  Handshake(Handshake&&) = delete;
  Handshake& operator=(Handshake&&) = delete;
  virtual ~Handshake() = default;

  /// The first flight: a client's ClientHello; nothing for a server.
  [[nodiscard]] virtual Result<void> start(Channel& channel) = 0;
  /// One handshake message from the peer. Each state accepts only the messages the RFC allows
  /// next (unexpected_message otherwise).
  [[nodiscard]] virtual Result<void> handle(Channel& channel,
                                            const handshake::HandshakeMessage& message) = 0;
  /// TLS 1.2 only (RFC 5246 §7.1): the peer's change_cipher_spec, which switches its records
  /// to the new keys. Anything else is unexpected_message.
  [[nodiscard]] virtual Result<void> handle_change_cipher_spec(Channel& /*channel*/) {
    return Error(Errc::unexpected_message, "change_cipher_spec where none is expected");
  }
  /// Application data before the handshake completed: 0-RTT data a server accepted (RFC 8446
  /// §4.2.10), counted against its limit (unexpected_message past it, as §4.2.10 says).
  /// Anywhere else it is unexpected_message.
  [[nodiscard]] virtual Result<void> accept_early_data(std::size_t /*size*/) {
    return Error(Errc::unexpected_message, "application data before the handshake completed");
  }
  /// A client's 0-RTT allowance (§4.2.10): how many bytes of application data it may still
  /// send as early data now — 0 unless it offered early data and the server has not answered
  /// yet.
  [[nodiscard]] virtual std::size_t early_data_room() const noexcept { return 0; }
  /// Counts `size` bytes the client sent as early data (at most early_data_room()).
  virtual void early_data_sent(std::size_t /*size*/) noexcept {}
  /// What the finished handshake leaves, once: nothing until it is complete.
  [[nodiscard]] virtual std::unique_ptr<Session> take_established() = 0;
  /// What was negotiated so far (complete once the handshake is).
  [[nodiscard]] virtual const Negotiated& negotiated() const noexcept = 0;
};

}  // namespace keel::tls13
