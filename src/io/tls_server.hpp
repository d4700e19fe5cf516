// A TLS server on one thread: an epoll event loop over non-blocking sockets, each connection a
// sans-I/O Connection and an application Session. Why an event loop rather than a thread per
// connection: an idle TLS connection then costs its few KiB of buffers and a file descriptor,
// not a thread stack, so ten thousand idle clients are cheap — and nothing is shared between
// connections, so there is nothing to lock.
//
// Bounded: a handshake must complete within the handshake timeout (slowloris connections are
// closed); at most max_connections are open (others wait in the kernel's backlog).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include <keel/config.hpp>
#include <keel/connection.hpp>
#include <keel/result.hpp>

namespace keel::io {

/// The application side of one connection.
class Session {
 public:
  Session() = default;
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  Session(Session&&) = delete;
  Session& operator=(Session&&) = delete;
  virtual ~Session() = default;

  /// New application data is readable (connection.readable() > 0) or the peer closed
  /// (connection.peer_closed()). Write replies with connection.write(); call
  /// connection.close() to end the connection once they are sent.
  [[nodiscard]] virtual Result<void> on_data(Connection& connection) = 0;
};

struct TlsServerOptions {
  std::chrono::milliseconds handshake_timeout{10000};
  std::size_t max_connections = 16384;
  /// Called with every connection that ends in an error (for logging); may be empty.
  std::function<void(const std::string& peer, const Error& error)> on_error;
};

class TlsServer {
 public:
  /// Listens on `address` ("127.0.0.1:8443", "[::1]:8443"). Errors name the address.
  [[nodiscard]] static Result<TlsServer> listen(const std::string& address,
                                                std::shared_ptr<const ServerConfig> config,
                                                TlsServerOptions options = {});
  TlsServer(TlsServer&& other) noexcept;
  TlsServer& operator=(TlsServer&& other) noexcept;
  TlsServer(const TlsServer&) = delete;
  TlsServer& operator=(const TlsServer&) = delete;
  ~TlsServer();

  /// The port actually bound (useful with port 0).
  [[nodiscard]] std::uint16_t port() const noexcept;

  /// Serves until SIGINT or SIGTERM (which it blocks and handles itself), then closes every
  /// connection. `make_session` makes the application side of each new connection.
  [[nodiscard]] Result<void> run(const std::function<std::unique_ptr<Session>()>& make_session);
  /// Makes run() stop as a signal would; callable from any thread.
  void request_stop() const noexcept;

 private:
  struct State;
  explicit TlsServer(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace keel::io
