// A connected socket and the Connection that speaks TLS over it, for the tool's commands that
// drive the bytes themselves (`keel client`, `keel demo`).
#pragma once

#include <array>
#include <cerrno>

#include <keel/connection.hpp>

#include "io/socket.hpp"

#include <sys/socket.h>
#include <unistd.h>

namespace keel::tool {

/// Moves bytes between a socket and a Connection.
class SocketPipe {
 public:
  SocketPipe(int socket, Connection connection)
      : socket_(socket), connection_(std::move(connection)) {}
  SocketPipe(const SocketPipe&) = delete;
  SocketPipe& operator=(const SocketPipe&) = delete;
  SocketPipe(SocketPipe&&) = delete;
  SocketPipe& operator=(SocketPipe&&) = delete;
  ~SocketPipe() { ::close(socket_); }

  Connection& connection() { return connection_; }

  Result<void> flush() {
    while (!connection_.pending_output().empty()) {
      const ByteView out = connection_.pending_output();
      const ssize_t sent = ::send(socket_, out.data(), out.size(), MSG_NOSIGNAL);
      if (sent < 0) {
        if (errno == EINTR) {
          continue;
        }
        return io::io_error("send", errno);
      }
      connection_.consume_output(static_cast<std::size_t>(sent));
    }
    return {};
  }

  /// One recv, fed to the connection (its alert, if it fails, is sent).
  Result<void> receive() {
    std::array<std::uint8_t, 16384> buffer{};
    ssize_t received = 0;
    do {
      received = ::recv(socket_, buffer.data(), buffer.size(), 0);
    } while (received < 0 && errno == EINTR);
    if (received < 0) {
      return io::io_error("recv", errno);
    }
    auto fed = received == 0
                   ? connection_.feed_end_of_stream()
                   : connection_.feed(ByteView(buffer).first(static_cast<std::size_t>(received)));
    if (!fed.ok()) {
      (void)flush();
    }
    return fed;
  }

  [[nodiscard]] int socket() const { return socket_; }

 private:
  int socket_;
  Connection connection_;
};

/// Sends raw bytes, bypassing the connection (keel demo's tampered record).
inline Result<void> send_raw(int socket, ByteView bytes) {
  while (!bytes.empty()) {
    const ssize_t sent = ::send(socket, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent < 0) {
      if (errno == EINTR) {
        continue;
      }
      return io::io_error("send", errno);
    }
    bytes = bytes.subspan(static_cast<std::size_t>(sent));
  }
  return {};
}

}  // namespace keel::tool
