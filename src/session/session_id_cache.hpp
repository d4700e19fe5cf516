// A TLS 1.2 server's sessions by session id (RFC 5246 §7.4.1.2), for clients that do not take
// tickets: bounded, the oldest going first; thread-safe.
#pragma once

#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>

#include <keel/bytes.hpp>

#include "session/session_state.hpp"

namespace keel::session {

class SessionIdCache {
 public:
  explicit SessionIdCache(std::size_t capacity) : capacity_(capacity) {}

  void store(ByteView id, const SessionState& state);
  /// A copy of the session under `id`, if it is held.
  [[nodiscard]] std::optional<SessionState> find(ByteView id) const;
  [[nodiscard]] std::size_t size() const;

 private:
  struct Entry {
    Bytes id;
    SessionState state;
  };
  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::deque<Entry> entries_;  // oldest first
};

}  // namespace keel::session
