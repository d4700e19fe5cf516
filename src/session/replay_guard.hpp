// 0-RTT anti-replay (RFC 8446 §8): a server accepts early data only from a ClientHello it has
// not seen before within a freshness window — its ticket age must be within kWindow of what
// the server expects (§8.3), and its PSK binder, unique to that ClientHello, must not be in
// the record of the ClientHellos accepted over the last kWindow (§8.2). A replay inside the
// window is in the record; one outside it fails the age check. Bounded: when the record is
// full, early data is refused (the handshake goes on in 1-RTT), never let through.
//
// One guard per server process (a ServerConfig and its copies): a fleet does not share it, so
// a ClientHello replayed to another server of the fleet within the window may have its early
// data accepted there once more — the limit §8 states for any per-server record.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_set>

#include <keel/bytes.hpp>

#include "core/clock.hpp"

namespace keel::session {

class ReplayGuard {
 public:
  static constexpr std::chrono::seconds kWindow{10};
  static constexpr std::size_t kDefaultCapacity = 65536;

  explicit ReplayGuard(std::size_t capacity = kDefaultCapacity) : capacity_(capacity) {}

  /// Whether a ClientHello with this binder may have its early data accepted at `now`: the
  /// first time within the window, and while the record has room. Records it if so.
  [[nodiscard]] bool admit(ByteView binder, TimePoint now);

  [[nodiscard]] std::size_t size() const;

 private:
  struct Seen {
    std::string binder;
    TimePoint at;
  };
  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::deque<Seen> by_time_;  // oldest first
  std::unordered_set<std::string> binders_;
};

}  // namespace keel::session
