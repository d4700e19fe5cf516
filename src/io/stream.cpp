// The blocking socket adapter (keel/stream.hpp): it moves bytes and waits; the protocol is all
// in the Connection. This file and src/io/ are where keel touches sockets.
#include <array>
#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

#include <keel/stream.hpp>

#include "core/try.hpp"
#include "io/socket.hpp"

#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>
#include <unistd.h>

namespace keel {
using io::connect_tcp;
using io::io_error;

Result<Stream> Stream::connect(const std::string& host, std::uint16_t port,
                               const std::shared_ptr<const ClientConfig>& config,
                               std::string_view server_name) {
  KEEL_TRY_ASSIGN(const int fd, connect_tcp(host, port));
  return client(fd, config, server_name.empty() ? std::string_view(host) : server_name);
}

Result<Stream> Stream::client(int socket, const std::shared_ptr<const ClientConfig>& config,
                              std::string_view server_name) {
  auto connection = Connection::client(config, server_name);
  if (!connection.ok()) {
    ::close(socket);
    return std::move(connection).error();
  }
  Stream stream(socket, std::move(connection).value());
  KEEL_TRY(stream.handshake());
  return stream;
}

Result<Stream> Stream::server(int socket, const std::shared_ptr<const ServerConfig>& config) {
  auto connection = Connection::server(config);
  if (!connection.ok()) {
    ::close(socket);
    return std::move(connection).error();
  }
  Stream stream(socket, std::move(connection).value());
  KEEL_TRY(stream.handshake());
  return stream;
}

Stream::Stream(Stream&& other) noexcept
    : socket_(std::exchange(other.socket_, -1)), connection_(std::move(other.connection_)) {}

Stream& Stream::operator=(Stream&& other) noexcept {
  if (this != &other) {
    if (socket_ >= 0) {
      ::close(socket_);
    }
    socket_ = std::exchange(other.socket_, -1);
    connection_ = std::move(other.connection_);
  }
  return *this;
}

Stream::~Stream() {
  if (socket_ >= 0) {
    ::close(socket_);
  }
}

Error Stream::failed(Error error) {
  (void)flush();  // the alert, if the connection queued one
  return error;
}

Result<void> Stream::flush() {
  while (!connection_.pending_output().empty()) {
    const ByteView out = connection_.pending_output();
    const ssize_t sent = ::send(socket_, out.data(), out.size(), MSG_NOSIGNAL);
    if (sent < 0) {
      if (errno == EINTR) {
        continue;
      }
      return io_error("send", errno);
    }
    connection_.consume_output(static_cast<std::size_t>(sent));
  }
  return {};
}

Result<void> Stream::receive() {
  std::array<std::uint8_t, 16384> buffer{};
  while (true) {
    const ssize_t received = ::recv(socket_, buffer.data(), buffer.size(), 0);
    if (received < 0) {
      if (errno == EINTR) {
        continue;
      }
      return io_error("recv", errno);
    }
    if (received == 0) {
      return connection_.feed_end_of_stream();
    }
    return connection_.feed(ByteView(buffer).first(static_cast<std::size_t>(received)));
  }
}

Result<void> Stream::handshake() {
  while (true) {
    KEEL_TRY(flush());
    if (connection_.is_handshake_complete()) {
      return {};
    }
    auto received = receive();
    if (!received.ok()) {
      return failed(std::move(received).error());
    }
  }
}

Result<std::size_t> Stream::read(MutableByteView out) {
  while (true) {
    if (connection_.readable() > 0 || out.empty()) {
      return connection_.read(out);
    }
    if (connection_.peer_closed()) {
      return std::size_t{0};
    }
    KEEL_TRY(flush());  // a KeyUpdate answer, say
    auto received = receive();
    if (!received.ok()) {
      return failed(std::move(received).error());
    }
  }
}

Result<void> Stream::write(ByteView data) {
  auto written = connection_.write(data);
  if (!written.ok()) {
    return failed(std::move(written).error());
  }
  return flush();
}

Result<void> Stream::close() {
  auto closed = connection_.close();
  if (!closed.ok()) {
    return failed(std::move(closed).error());
  }
  KEEL_TRY(flush());
  if (::shutdown(socket_, SHUT_WR) != 0 && errno != ENOTCONN) {
    return io_error("shutdown", errno);
  }
  return {};
}

Result<void> Stream::set_timeout(std::chrono::milliseconds timeout) const {
  timeval value{};
  value.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  value.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  for (const int option : {SO_RCVTIMEO, SO_SNDTIMEO}) {
    if (::setsockopt(socket_, SOL_SOCKET, option, &value, sizeof value) != 0) {
      return io_error("setsockopt", errno);
    }
  }
  return {};
}

}  // namespace keel
