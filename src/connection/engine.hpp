// The sans-I/O core of one TLS connection: bytes in, bytes out, application data both ways.
// It routes what the record layer delivers — handshake messages to the handshake (or, after
// it, to the post-handshake logic), alerts to the connection's state, application data to the
// reader — and turns every failure into one fatal alert to the peer and one error to the
// caller. It never touches a socket, a clock or a random source of its own.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>

#include <keel/bytes.hpp>
#include <keel/negotiated.hpp>
#include <keel/result.hpp>

#include "core/byte_buffer.hpp"
#include "tls13/channel.hpp"
#include "tls13/handshake.hpp"
#include "tls13/session.hpp"

namespace keel::connection {

class Engine {
 public:
  /// Application data accepted by write() before the handshake completes (sent as soon as it
  /// does); more is limit_exceeded.
  static constexpr std::size_t kMaxEarlyWrite = std::size_t{1} << 20U;
  /// user_canceled alerts accepted in a connection (a flood defence: each changes nothing, and
  /// a peer that means it sends one, then close_notify); more is unexpected_message.
  static constexpr std::size_t kMaxUserCanceled = 8;

  Engine(crypto::Provider& provider, std::unique_ptr<tls13::Handshake> handshake,
         std::size_t max_handshake_message = handshake::Joiner::kDefaultMaxMessage);

  /// Sends the first flight (a client's ClientHello).
  [[nodiscard]] Result<void> start();

  /// Takes all of `bytes` from the peer and processes every complete record. On a failure the
  /// fatal alert is queued for the peer and the error returned now and by every later call.
  [[nodiscard]] Result<void> feed(ByteView bytes);
  /// feed() and read() in one pass: application data in `bytes` is decrypted straight into
  /// `out` (after any data buffered before), as far as it fits; the rest is buffered for
  /// read(). Returns how many bytes were written to `out`.
  [[nodiscard]] Result<std::size_t> feed_and_read(ByteView bytes, MutableByteView out);
  /// The peer's transport ended. Fine after its close_notify; otherwise stream_truncated
  /// (RFC 8446 §6.1: an end without close_notify may be an attack, never a clean end).
  [[nodiscard]] Result<void> feed_end_of_stream();

  [[nodiscard]] ByteView pending_output() const noexcept {
    return channel_.records().pending_output();
  }
  void consume_output(std::size_t n) noexcept { channel_.records().consume_output(n); }

  /// Copies application data received into `out`; 0 when none is buffered.
  [[nodiscard]] Result<std::size_t> read(MutableByteView out);
  [[nodiscard]] std::size_t readable() const noexcept { return received_.size() - read_offset_; }
  /// Whether the peer sent close_notify (then read() returns what remains, then 0 for good).
  [[nodiscard]] bool peer_closed() const noexcept { return peer_closed_; }

  /// Queues application data, protected and cut into records.
  [[nodiscard]] Result<void> write(ByteView data);
  /// Sends close_notify (after any data queued before the handshake completed).
  [[nodiscard]] Result<void> close();
  /// §4.6.3: new write keys; with `request_peer`, the peer must renew its own.
  [[nodiscard]] Result<void> update_keys(bool request_peer);
  [[nodiscard]] Result<void> export_keying_material(std::string_view label, ByteView context,
                                                    MutableByteView out) const;

  [[nodiscard]] bool handshake_complete() const noexcept { return established_ != nullptr; }
  /// Whether this side is done writing: close_notify or a fatal alert is queued.
  [[nodiscard]] bool close_sent() const noexcept { return close_sent_; }
  [[nodiscard]] const Negotiated& negotiated() const noexcept { return handshake_->negotiated(); }
  [[nodiscard]] const std::optional<Error>& error() const noexcept { return error_; }
  /// Bytes of application data that arrived as 0-RTT data (the first ones read() returns).
  [[nodiscard]] std::size_t early_data_received() const noexcept { return early_data_received_; }
  /// Bytes of application data a client sent as 0-RTT data (the first ones written).
  [[nodiscard]] std::size_t early_data_sent() const noexcept { return early_data_sent_; }
  [[nodiscard]] std::size_t session_tickets_received() const noexcept {
    return established_ ? established_->tickets_received() : 0;
  }

 private:
  /// Processes every record in `bytes`; application data goes into `direct` while it fits and
  /// nothing older is buffered. Returns the bytes written to `direct`.
  [[nodiscard]] Result<std::size_t> process(ByteView bytes, MutableByteView direct);
  [[nodiscard]] Result<void> dispatch(record::ContentType type, ByteView content);
  [[nodiscard]] Result<void> on_handshake(ByteView content);
  [[nodiscard]] Result<void> on_alert(ByteView content);
  [[nodiscard]] Result<void> send_close_notify();
  /// Records the error and queues the fatal alert it maps to (docs/design.md, rule 1: one
  /// alert, then the connection is closed for good).
  Error fail(Error error);

  tls13::Channel channel_;
  std::unique_ptr<tls13::Handshake> handshake_;
  std::unique_ptr<tls13::Session> established_;  // once the handshake completed
  ByteBuffer received_;  // application data not yet read (from read_offset_ on)
  std::size_t read_offset_ = 0;
  std::size_t early_data_received_ = 0;
  Bytes early_write_;                // written before the handshake completed
  std::size_t early_data_sent_ = 0;  // of early_write_, sent as 0-RTT data
  std::size_t user_canceled_ = 0;    // alerts received
  bool close_requested_ = false;
  bool close_sent_ = false;
  bool peer_closed_ = false;
  std::optional<Error> error_;
};

}  // namespace keel::connection
