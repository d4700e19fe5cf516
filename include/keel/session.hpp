// Session resumption: what a client keeps to resume a session, where it keeps them, and the
// keys a server seals its tickets with.
//
//   Client: a ClientConfig holds a SessionCache (one by default), and every connection made
//   from the config stores the tickets its server sends and offers one on the next connection
//   to the same name. Each ticket is offered once (RFC 8446 §C.4: a reused ticket would let
//   an observer link the connections).
//
//   Server: a ServerConfig issues tickets sealed by its TicketKeys: random keys rotated every
//   hour by default, or keys shared by a fleet of servers read from a file, so that any of
//   them resumes any other's sessions. A TLS 1.2 client that takes no tickets is given a
//   session id instead, kept in the config's ServerSessionCache.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include <keel/bytes.hpp>
#include <keel/codepoints.hpp>
#include <keel/negotiated.hpp>
#include <keel/result.hpp>

namespace keel {

namespace session {
struct ClientTicket;
class ReplayGuard;
class SessionIdCache;
class TicketKeyRing;
}  // namespace session

/// A session a client can resume: the server's ticket and the secret that goes with it.
/// Whoever holds it can resume the session as this client — store it like a private key.
class ClientSession {
 public:
  /// keel's own format: PEM with the label "KEEL SESSION" (what `keel client --sess-out`
  /// writes and --sess-in reads).
  [[nodiscard]] static Result<ClientSession> from_pem(std::string_view pem);
  [[nodiscard]] std::string to_pem() const;

  [[nodiscard]] ProtocolVersion version() const noexcept;
  [[nodiscard]] CipherSuite cipher_suite() const noexcept;
  /// The name the session was made with: it is offered only to the same name.
  [[nodiscard]] const std::optional<std::string>& server_name() const noexcept;
  /// The 0-RTT data the server would take on this session (TLS 1.3; 0: none).
  [[nodiscard]] std::uint32_t max_early_data() const noexcept;
  /// Until when the server said it would resume the session.
  [[nodiscard]] std::chrono::system_clock::time_point expires() const noexcept;

  /// For keel's handshakes.
  [[nodiscard]] const session::ClientTicket& ticket() const noexcept { return *ticket_; }
  [[nodiscard]] const std::shared_ptr<const session::ClientTicket>& shared_ticket() const noexcept {
    return ticket_;
  }
  explicit ClientSession(std::shared_ptr<const session::ClientTicket> ticket)
      : ticket_(std::move(ticket)) {}

 private:
  std::shared_ptr<const session::ClientTicket> ticket_;
};

/// A client's sessions by server name, newest first, safe to share between threads and
/// connections. Bounded: the oldest session goes when `capacity` is reached.
class SessionCache {
 public:
  static constexpr std::size_t kDefaultCapacity = 256;
  explicit SessionCache(std::size_t capacity = kDefaultCapacity) : capacity_(capacity) {}

  void store(const std::string& name, ClientSession session);
  /// The newest session for `name` still valid at `now`, removed from the cache (a ticket is
  /// offered once); expired ones for the name are dropped on the way.
  [[nodiscard]] std::optional<ClientSession> take(
      const std::string& name,
      std::chrono::system_clock::time_point now = std::chrono::system_clock::now());
  /// The newest session for `name` without removing it (e.g. to save it to a file).
  [[nodiscard]] std::optional<ClientSession> peek(const std::string& name) const;
  [[nodiscard]] std::size_t size() const;

 private:
  struct Entry {
    std::string name;
    ClientSession session;
  };
  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::deque<Entry> entries_;  // newest first
};

/// What a server remembers of sessions: TLS 1.2 sessions by session id (RFC 5246 §7.4.1.2),
/// for clients that take no tickets (bounded: the oldest goes first), and the ClientHellos
/// whose 0-RTT data it accepted over the last 10 seconds, to refuse replays (RFC 8446 §8).
/// Copies share the same cache.
class ServerSessionCache {
 public:
  static constexpr std::size_t kDefaultCapacity = 4096;
  explicit ServerSessionCache(std::size_t capacity = kDefaultCapacity);

  /// TLS 1.2 sessions held.
  [[nodiscard]] std::size_t size() const;
  [[nodiscard]] const std::shared_ptr<session::SessionIdCache>& cache() const noexcept {
    return cache_;
  }
  [[nodiscard]] const std::shared_ptr<session::ReplayGuard>& replay_guard() const noexcept {
    return replay_guard_;
  }

 private:
  std::shared_ptr<session::SessionIdCache> cache_;
  std::shared_ptr<session::ReplayGuard> replay_guard_;
};

/// The keys a server seals its session tickets with (AES-256-GCM).
class TicketKeys {
 public:
  /// Random keys the server makes itself: a new one seals tickets from every `rotation`, and
  /// one it replaced still opens tickets for `grace` (at least the ticket lifetime, so that
  /// no ticket is cut short). A restart forgets them: every session is then resumed only by
  /// a full handshake.
  [[nodiscard]] static TicketKeys rotating(std::chrono::seconds rotation = std::chrono::hours(1),
                                           std::chrono::seconds grace = std::chrono::hours(2));
  /// Keys a fleet of servers shares, one per line — "<name: 32 hex digits> <key: 64 hex
  /// digits>" — the first sealing new tickets, all of them opening; blank lines and lines
  /// starting with '#' are skipped. Errors name the file and the line.
  [[nodiscard]] static Result<TicketKeys> from_file(const std::string& path);
  [[nodiscard]] static Result<TicketKeys> from_text(std::string_view text,
                                                    const std::string& origin = "ticket keys");
  /// The fleet's rotation: replaces the keys of a ring made from a file or text, for every
  /// connection of every config that shares it (invalid_argument for a rotating ring).
  [[nodiscard]] Result<void> replace_from_text(std::string_view text,
                                               const std::string& origin = "ticket keys");

  [[nodiscard]] const std::shared_ptr<session::TicketKeyRing>& ring() const noexcept {
    return ring_;
  }

 private:
  explicit TicketKeys(std::shared_ptr<session::TicketKeyRing> ring) : ring_(std::move(ring)) {}
  std::shared_ptr<session::TicketKeyRing> ring_;
};

}  // namespace keel
