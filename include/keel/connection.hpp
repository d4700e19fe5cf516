// A TLS connection without I/O: the caller moves bytes between it and the network, and reads
// and writes application data through it. Adapters (keel/stream.hpp) do the moving for a
// socket.
//
//   auto conn = keel::Connection::client(config, "example.com").value();
//   send(conn.pending_output()); conn.consume_output(n);   // the ClientHello
//   conn.feed(received_bytes);                               // the server's flight
//   ... until conn.is_handshake_complete(), then conn.write()/conn.read() ...
//   conn.close();                                            // close_notify
//
// Every call returns a Result: on a failure the connection has queued the fatal alert for the
// peer (send pending_output() one last time), and every later call returns the same error.
// Error::message() says precisely what went wrong ("certificate has expired: CN=... expired
// 2026-01-01 00:00:00 UTC").
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>

#include <keel/bytes.hpp>
#include <keel/config.hpp>
#include <keel/negotiated.hpp>
#include <keel/result.hpp>

namespace keel {

namespace connection {
class Engine;
}

class Connection {
 public:
  /// A client for `server_name`: a DNS name (sent as server_name and verified against the
  /// certificate) or an IP address literal (verified against its iPAddress names). The
  /// ClientHello is ready in pending_output() at once.
  [[nodiscard]] static Result<Connection> client(const std::shared_ptr<const ClientConfig>& config,
                                                 std::string_view server_name);
  [[nodiscard]] static Result<Connection> client(const ClientConfig& config,
                                                 std::string_view server_name);
  [[nodiscard]] static Result<Connection> server(const std::shared_ptr<const ServerConfig>& config);
  [[nodiscard]] static Result<Connection> server(const ServerConfig& config);

  Connection(Connection&& other) noexcept;
  Connection& operator=(Connection&& other) noexcept;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  /// Bytes received from the peer, all of them (the connection buffers what it must).
  [[nodiscard]] Result<void> feed(ByteView bytes);
  /// feed() and read() in one pass, for bulk receivers: application data in `bytes` is
  /// decrypted straight into `out` (after anything buffered before) as far as it fits — no
  /// copy in between — and the rest is buffered for read(). Returns how many bytes of `out`
  /// hold application data; the bytes of `out` after them are unspecified.
  [[nodiscard]] Result<std::size_t> feed_and_read(ByteView bytes, MutableByteView out);
  /// The peer's side of the transport ended (recv returned 0). An error (stream_truncated)
  /// unless the peer sent close_notify first: a truncated stream is never a clean end.
  [[nodiscard]] Result<void> feed_end_of_stream();

  /// Bytes to send to the peer, and how to say some were sent.
  [[nodiscard]] ByteView pending_output() const noexcept;
  void consume_output(std::size_t n) noexcept;

  /// Application data received: copies up to out.size() bytes, returns how many (0 when none
  /// is buffered; then peer_closed() tells whether more can come).
  [[nodiscard]] Result<std::size_t> read(MutableByteView out);
  /// Bytes read() can return now.
  [[nodiscard]] std::size_t readable() const noexcept;
  /// Whether the peer sent close_notify: once readable() is 0 too, the stream has ended.
  [[nodiscard]] bool peer_closed() const noexcept;

  /// Application data to send. Before the handshake completes it is held (up to 1 MiB) and
  /// sent right after it.
  [[nodiscard]] Result<void> write(ByteView data);
  /// Sends close_notify: nothing more will be written.
  [[nodiscard]] Result<void> close();
  /// Whether this side is done writing: its close_notify (or a fatal alert) is queued in
  /// pending_output(). (A close() before the handshake completes queues it afterwards.)
  [[nodiscard]] bool close_sent() const noexcept;
  /// Renews this side's write keys (RFC 8446 §4.6.3); with `request_peer`, asks the peer to
  /// renew its own.
  [[nodiscard]] Result<void> update_keys(bool request_peer = false);
  /// Keying material for another protocol (RFC 8446 §7.5; RFC 5705's interface): fills `out`.
  [[nodiscard]] Result<void> export_keying_material(std::string_view label, ByteView context,
                                                    MutableByteView out) const;

  [[nodiscard]] bool is_handshake_complete() const noexcept;
  /// The negotiated parameters (complete once the handshake is).
  [[nodiscard]] const Negotiated& negotiated() const noexcept;
  /// The error that ended the connection, if one did.
  [[nodiscard]] const std::optional<Error>& error() const noexcept;
  /// A server's count of the application data that arrived as 0-RTT early data (RFC 8446
  /// §4.2.10): the first bytes read() returns. An attacker can replay them to another server
  /// of a fleet, so they must only ask for what is safe to repeat.
  [[nodiscard]] std::size_t early_data_received() const noexcept;
  /// A client's count of the application data sent as 0-RTT early data (ClientConfig::
  /// early_data): the first bytes written. negotiated().early_data_accepted says whether the
  /// server took them; if not, keel sent them again after the handshake.
  [[nodiscard]] std::size_t early_data_sent() const noexcept;
  /// NewSessionTickets received (each kept in the config's session cache, if it has one).
  [[nodiscard]] std::size_t session_tickets_received() const noexcept;

  /// For keel's own adapters and tests: the engine behind the connection.
  explicit Connection(std::unique_ptr<connection::Engine> engine);

 private:
  std::unique_ptr<connection::Engine> engine_;
};

}  // namespace keel
