#include "io/tls_server.hpp"

#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <deque>
#include <optional>
#include <unordered_map>

#include "core/try.hpp"
#include "io/socket.hpp"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

namespace keel::io {
namespace {

using Clock = std::chrono::steady_clock;

/// How long a connection that sent its close_notify waits for the peer's end before the socket
/// is closed anyway.
constexpr std::chrono::seconds kLinger{5};
/// Bytes read from one connection per wake-up, so one busy peer cannot starve the others.
constexpr std::size_t kReadBudget = std::size_t{64} * 1024;

struct Peer {
  std::uint64_t id = 0;
  int fd = -1;
  std::string name;
  Connection connection;
  std::unique_ptr<Session> session;
  bool established = false;
  bool writing_blocked = false;
  bool draining = false;  // close_notify sent and the write side shut: waiting for the peer's end
  std::size_t bytes_received = 0;
};

struct Deadline {
  Clock::time_point at;
  std::uint64_t id;
  int fd;
};

std::string peer_name(const sockaddr_storage& address) {
  std::array<char, NI_MAXHOST> host{};
  std::array<char, NI_MAXSERV> service{};
  if (::getnameinfo(reinterpret_cast<const sockaddr*>(&address), sizeof address, host.data(),
                    host.size(), service.data(), service.size(),
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
    return "?";
  }
  return std::string(host.data()) + ":" + service.data();
}

}  // namespace

struct TlsServer::State {
  int listener = -1;
  int epoll = -1;
  int wake = -1;  // an eventfd: request_stop() from another thread
  std::uint16_t port = 0;
  std::shared_ptr<const ServerConfig> config;
  TlsServerOptions options;
  std::unordered_map<int, std::unique_ptr<Peer>> peers;
  // Each queue is in time order (every entry is now + a fixed delay): handshakes that must
  // complete, and closed connections lingering for their peer's end.
  std::deque<Deadline> handshakes;
  std::deque<Deadline> lingers;
  std::uint64_t next_id = 1;
  bool accepting = true;
  std::function<std::unique_ptr<Session>()> make_session;

  State() = default;
  State(const State&) = delete;
  State& operator=(const State&) = delete;
  State(State&&) = delete;
  State& operator=(State&&) = delete;
  ~State() {
    for (auto& [fd, peer] : peers) {
      ::close(fd);
    }
    if (epoll >= 0) {
      ::close(epoll);
    }
    if (wake >= 0) {
      ::close(wake);
    }
    if (listener >= 0) {
      ::close(listener);
    }
  }

  void report(const Peer& peer, const Error& error) const {
    if (options.on_error) {
      options.on_error(peer.name, error);
    }
  }

  void drop(int fd) {
    ::close(fd);  // also leaves the epoll set
    peers.erase(fd);
    if (!accepting && peers.size() < options.max_connections) {
      accepting = true;
      epoll_event event{};
      event.events = EPOLLIN;
      event.data.fd = listener;
      (void)::epoll_ctl(epoll, EPOLL_CTL_MOD, listener, &event);
    }
  }

  void watch(const Peer& peer, bool writable) const {
    epoll_event event{};
    event.events = EPOLLIN | EPOLLRDHUP | (writable ? EPOLLOUT : 0U);
    event.data.fd = peer.fd;
    (void)::epoll_ctl(epoll, EPOLL_CTL_MOD, peer.fd, &event);
  }

  void accept_all() {
    while (peers.size() < options.max_connections) {
      sockaddr_storage address{};
      socklen_t length = sizeof address;
      const int fd = ::accept4(listener, reinterpret_cast<sockaddr*>(&address), &length,
                               SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        return;  // EAGAIN: all accepted; anything else: try again on the next wake
      }
      // keel already sends each flight in one write: Nagle's algorithm would only hold back
      // a reply behind the ACK of the flight before it (a ticket, say).
      const int on = 1;
      (void)::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
      auto connection = Connection::server(config);
      if (!connection.ok()) {
        ::close(fd);
        continue;
      }
      auto peer = std::make_unique<Peer>(
          Peer{next_id++, fd, peer_name(address), std::move(connection).value(), make_session()});
      epoll_event event{};
      event.events = EPOLLIN | EPOLLRDHUP;
      event.data.fd = fd;
      if (::epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event) != 0) {
        ::close(fd);
        continue;
      }
      handshakes.push_back({Clock::now() + options.handshake_timeout, peer->id, fd});
      peers.emplace(fd, std::move(peer));
    }
    // Full: stop watching the listener; drop() starts again when a connection ends.
    accepting = false;
    epoll_event event{};
    event.data.fd = listener;
    (void)::epoll_ctl(epoll, EPOLL_CTL_MOD, listener, &event);
  }

  /// Sends what the connection has queued. False if the connection is gone.
  bool flush(Peer& peer) {
    while (!peer.connection.pending_output().empty()) {
      const ByteView out = peer.connection.pending_output();
      const ssize_t sent = ::send(peer.fd, out.data(), out.size(), MSG_NOSIGNAL);
      if (sent < 0) {
        if (errno == EINTR) {
          continue;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
          if (!peer.writing_blocked) {
            watch(peer, true);
          }
          peer.writing_blocked = true;
          return true;
        }
        drop(peer.fd);
        return false;
      }
      peer.connection.consume_output(static_cast<std::size_t>(sent));
    }
    if (peer.writing_blocked) {
      watch(peer, false);
    }
    peer.writing_blocked = false;
    if (peer.connection.close_sent() && !peer.draining) {
      // Everything is sent, close_notify last: wait (a while) for the peer's end, so that
      // closing does not reset what it has not read yet.
      peer.draining = true;
      (void)::shutdown(peer.fd, SHUT_WR);
      lingers.push_back({Clock::now() + kLinger, peer.id, peer.fd});
    }
    return true;
  }

  void on_readable(Peer& peer) {
    std::array<std::uint8_t, 16384> buffer{};
    std::size_t budget = kReadBudget;
    while (budget > 0) {
      const ssize_t received = ::recv(peer.fd, buffer.data(), buffer.size(), 0);
      if (received < 0) {
        if (errno == EINTR) {
          continue;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
          break;
        }
        drop(peer.fd);
        return;
      }
      if (peer.draining) {
        if (received == 0) {
          drop(peer.fd);
          return;
        }
        continue;  // after our close_notify, the peer's bytes are read and dropped
      }
      auto fed =
          received == 0
              ? peer.connection.feed_end_of_stream()
              : peer.connection.feed(ByteView(buffer).first(static_cast<std::size_t>(received)));
      if (!fed.ok()) {
        // A connection closed before it sent anything (a port probe, a health check) is not
        // worth a report.
        if (received != 0 || peer.bytes_received != 0) {
          report(peer, fed.error());
        }
        const int fd = peer.fd;
        (void)flush(peer);  // the alert, best effort (flush may drop the peer)
        if (peers.contains(fd)) {
          drop(fd);
        }
        return;
      }
      peer.bytes_received += static_cast<std::size_t>(received);
      budget -= std::min(budget, static_cast<std::size_t>(received));
      if (received == 0 || peer.connection.peer_closed()) {
        break;
      }
    }
    if (!peer.established && peer.connection.is_handshake_complete()) {
      peer.established = true;
    }
    if (peer.established && (peer.connection.readable() > 0 || peer.connection.peer_closed())) {
      auto handled = peer.session->on_data(peer.connection);
      if (!handled.ok()) {
        report(peer, handled.error());
        drop(peer.fd);
        return;
      }
      if (peer.connection.peer_closed()) {
        (void)peer.connection.close();
      }
    }
    (void)flush(peer);
  }

  void expire(Clock::time_point now) {
    while (!handshakes.empty() && handshakes.front().at <= now) {
      const Deadline deadline = handshakes.front();
      handshakes.pop_front();
      const auto found = peers.find(deadline.fd);
      if (found != peers.end() && found->second->id == deadline.id && !found->second->established) {
        report(*found->second,
               Error(Errc::limit_exceeded, "no handshake within the handshake timeout"));
        drop(deadline.fd);
      }
    }
    while (!lingers.empty() && lingers.front().at <= now) {
      const Deadline deadline = lingers.front();
      lingers.pop_front();
      const auto found = peers.find(deadline.fd);
      if (found != peers.end() && found->second->id == deadline.id) {
        drop(deadline.fd);
      }
    }
  }

  /// Milliseconds until the next deadline, or -1 for none.
  [[nodiscard]] int next_timeout() const {
    std::optional<Clock::time_point> next;
    for (const auto* queue : {&handshakes, &lingers}) {
      if (!queue->empty() && (!next || queue->front().at < *next)) {
        next = queue->front().at;
      }
    }
    if (!next) {
      return -1;
    }
    const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(*next - Clock::now());
    return static_cast<int>(std::max<std::int64_t>(0, wait.count() + 1));
  }
};

TlsServer::TlsServer(std::unique_ptr<State> state) : state_(std::move(state)) {}
TlsServer::TlsServer(TlsServer&& other) noexcept = default;
TlsServer& TlsServer::operator=(TlsServer&& other) noexcept = default;
TlsServer::~TlsServer() = default;

std::uint16_t TlsServer::port() const noexcept {
  return state_->port;
}

void TlsServer::request_stop() const noexcept {
  const std::uint64_t one = 1;
  (void)::write(state_->wake, &one, sizeof one);
}

Result<TlsServer> TlsServer::listen(const std::string& address,
                                    std::shared_ptr<const ServerConfig> config,
                                    TlsServerOptions options) {
  const auto colon = address.rfind(':');
  if (colon == std::string::npos) {
    return Error(Errc::invalid_argument, "listen address \"" + address + "\": expected HOST:PORT");
  }
  std::string host = address.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  const std::string service = address.substr(colon + 1);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  if (const int status = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found);
      status != 0) {
    return Error(Errc::io_error, "listen address \"" + address + "\": " + ::gai_strerror(status));
  }
  const std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> addresses(found, &::freeaddrinfo);

  auto state = std::make_unique<State>();
  state->config = std::move(config);
  state->options = std::move(options);
  state->listener =
      ::socket(found->ai_family, found->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  const int on = 1;
  if (state->listener < 0 ||
      ::setsockopt(state->listener, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0 ||
      ::bind(state->listener, found->ai_addr, found->ai_addrlen) != 0 ||
      ::listen(state->listener, SOMAXCONN) != 0) {
    return io_error("cannot listen on " + address, errno);
  }
  sockaddr_storage bound{};
  socklen_t length = sizeof bound;
  (void)::getsockname(state->listener, reinterpret_cast<sockaddr*>(&bound), &length);
  state->port =
      ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<const sockaddr_in6*>(&bound)->sin6_port
                                        : reinterpret_cast<const sockaddr_in*>(&bound)->sin_port);
  state->epoll = ::epoll_create1(EPOLL_CLOEXEC);
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.fd = state->listener;
  if (state->epoll < 0 || ::epoll_ctl(state->epoll, EPOLL_CTL_ADD, state->listener, &event) != 0) {
    return io_error("epoll", errno);
  }
  state->wake = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  event.data.fd = state->wake;
  if (state->wake < 0 || ::epoll_ctl(state->epoll, EPOLL_CTL_ADD, state->wake, &event) != 0) {
    return io_error("eventfd", errno);
  }
  return TlsServer(std::move(state));
}

Result<void> TlsServer::run(const std::function<std::unique_ptr<Session>()>& make_session) {
  State& s = *state_;
  s.make_session = make_session;
  // SIGINT and SIGTERM arrive as readable data on a signalfd, in the loop.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigset_t previous;
  pthread_sigmask(SIG_BLOCK, &stop_signals, &previous);
  const int signals = ::signalfd(-1, &stop_signals, SFD_NONBLOCK | SFD_CLOEXEC);
  epoll_event signal_event{};
  signal_event.events = EPOLLIN;
  signal_event.data.fd = signals;
  if (signals < 0 || ::epoll_ctl(s.epoll, EPOLL_CTL_ADD, signals, &signal_event) != 0) {
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    return io_error("signalfd", errno);
  }

  std::array<epoll_event, 256> events{};
  bool stopping = false;
  while (!stopping) {
    const int timeout = s.next_timeout();
    const int n = ::epoll_wait(s.epoll, events.data(), static_cast<int>(events.size()), timeout);
    if (n < 0 && errno != EINTR) {
      pthread_sigmask(SIG_SETMASK, &previous, nullptr);
      ::close(signals);
      return io_error("epoll_wait", errno);
    }
    for (int i = 0; i < n; ++i) {
      const int fd = events[static_cast<std::size_t>(i)].data.fd;
      const std::uint32_t what = events[static_cast<std::size_t>(i)].events;
      if (fd == s.listener) {
        s.accept_all();
      } else if (fd == signals || fd == s.wake) {
        // Consume the signal: left pending, it would kill the process once the mask is
        // restored.
        signalfd_siginfo info{};
        while (::read(signals, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
        }
        stopping = true;
      } else if (const auto found = s.peers.find(fd); found != s.peers.end()) {
        Peer& peer = *found->second;
        if ((what & EPOLLOUT) != 0U && !s.flush(peer)) {
          continue;
        }
        if ((what & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0U) {
          s.on_readable(peer);
        }
      }
    }
    s.expire(Clock::now());
  }
  ::close(signals);
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  // A clean stop: every connection gets close_notify, best effort, then its socket closes.
  for (auto& [fd, peer] : s.peers) {
    if (peer->established && !peer->draining) {
      (void)peer->connection.close();
      const ByteView out = peer->connection.pending_output();
      (void)::send(fd, out.data(), out.size(), MSG_NOSIGNAL);
    }
    ::close(fd);
  }
  s.peers.clear();
  return {};
}

}  // namespace keel::io
