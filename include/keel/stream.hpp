// A blocking TLS stream over a connected socket: the simplest way to use keel.
//
//   auto stream = keel::Stream::connect("example.com", 443).value();
//   stream.write(request).value();
//   std::array<std::uint8_t, 4096> buffer;
//   while (auto n = stream.read(buffer).value()) { ... }   // 0: the server closed cleanly
//
// Every call blocks until done or failed; a failure sends the alert it calls for and says
// precisely what went wrong (Error::message()).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <keel/bytes.hpp>
#include <keel/config.hpp>
#include <keel/connection.hpp>
#include <keel/result.hpp>

namespace keel {

class Stream {
 public:
  /// Connects to host:port over TCP (every address the name resolves to, in order, until one
  /// answers) and completes the handshake. The server is verified for `server_name`, which is
  /// `host` unless given.
  [[nodiscard]] static Result<Stream> connect(
      const std::string& host, std::uint16_t port,
      const std::shared_ptr<const ClientConfig>& config = std::make_shared<const ClientConfig>(),
      std::string_view server_name = {});
  /// A client over a connected socket (the stream owns it from now on, even on failure).
  [[nodiscard]] static Result<Stream> client(int socket,
                                             const std::shared_ptr<const ClientConfig>& config,
                                             std::string_view server_name);
  /// A server over an accepted socket (owned likewise); the handshake is complete on return.
  [[nodiscard]] static Result<Stream> server(int socket,
                                             const std::shared_ptr<const ServerConfig>& config);

  Stream(Stream&& other) noexcept;
  Stream& operator=(Stream&& other) noexcept;
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;
  /// Closes the socket (without close_notify: call close() for a clean end).
  ~Stream();

  /// Reads application data into `out`: at least one byte, or 0 once the peer closed cleanly.
  /// A peer that vanishes without close_notify is an error (stream_truncated).
  [[nodiscard]] Result<std::size_t> read(MutableByteView out);
  /// Writes all of `data`.
  [[nodiscard]] Result<void> write(ByteView data);
  /// Sends close_notify and shuts down the sending side of the socket.
  [[nodiscard]] Result<void> close();

  /// Limits how long one read or write may wait on the socket (io_error "timed out" past it).
  [[nodiscard]] Result<void> set_timeout(std::chrono::milliseconds timeout) const;

  [[nodiscard]] const Negotiated& negotiated() const noexcept { return connection_.negotiated(); }
  [[nodiscard]] Connection& connection() noexcept { return connection_; }
  [[nodiscard]] int socket() const noexcept { return socket_; }

 private:
  Stream(int socket, Connection connection) : socket_(socket), connection_(std::move(connection)) {}
  [[nodiscard]] Result<void> handshake();
  /// Sends everything the connection has queued.
  [[nodiscard]] Result<void> flush();
  /// Receives once and feeds it (or the end of the stream) to the connection.
  [[nodiscard]] Result<void> receive();
  /// Sends the alert of a failure, best effort, and returns the failure.
  [[nodiscard]] Error failed(Error error);

  int socket_ = -1;
  Connection connection_;
};

}  // namespace keel
