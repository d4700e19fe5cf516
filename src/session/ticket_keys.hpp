// The keys that seal a server's session tickets. A ticket is
//   key_name(16) | nonce(12) | AES-256-GCM(session state) | tag(16),  AAD = key_name,
// so only a server holding the key can read or forge one, and a change to any byte makes it
// unreadable: the server then runs a full handshake (RFC 8446 §4.6.1 leaves the ticket's
// format to the server; RFC 5077 §4 recommends this shape).
//
// Two kinds of ring. Rotating: random keys made by the ring itself, a new one sealing from
// every `rotation`, a replaced one still opening tickets for `grace` after. Fixed: keys a
// fleet of servers shares (set from a file), the first sealing and all opening, replaced as a
// whole when the fleet rotates them.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <keel/bytes.hpp>
#include <keel/result.hpp>

#include "core/clock.hpp"
#include "core/rng.hpp"
#include "core/secret.hpp"
#include "crypto/provider.hpp"

namespace keel::session {

struct TicketKey {
  static constexpr std::size_t kNameSize = 16;
  static constexpr std::size_t kKeySize = 32;  // AES-256-GCM

  std::array<std::uint8_t, kNameSize> name{};
  Secret key;
};

/// A key file: one key per line, "<name: 32 hex digits> <key: 64 hex digits>", the first
/// sealing; blank lines and lines starting with '#' are skipped. Errors name `origin` and
/// the line.
[[nodiscard]] Result<std::vector<TicketKey>> parse_ticket_keys(std::string_view text,
                                                               const std::string& origin);

class TicketKeyRing {
 public:
  static constexpr std::size_t kNonceSize = 12;
  static constexpr std::size_t kTagSize = 16;
  static constexpr std::size_t kOverhead = TicketKey::kNameSize + kNonceSize + kTagSize;
  /// Keys a rotating ring keeps at most (a grace far longer than the rotation keeps no more).
  static constexpr std::size_t kMaxKeys = 16;

  /// Random keys: a new one from every `rotation`; a replaced one opens tickets for `grace`.
  TicketKeyRing(std::chrono::seconds rotation, std::chrono::seconds grace)
      : rotation_(rotation), grace_(grace) {}
  /// Fixed keys: the first seals, all open (at least one; at most kMaxKeys).
  [[nodiscard]] static Result<std::unique_ptr<TicketKeyRing>> fixed(std::vector<TicketKey> keys);

  TicketKeyRing(const TicketKeyRing&) = delete;
  TicketKeyRing& operator=(const TicketKeyRing&) = delete;
  TicketKeyRing(TicketKeyRing&&) = delete;
  TicketKeyRing& operator=(TicketKeyRing&&) = delete;
  ~TicketKeyRing() = default;

  /// Replaces the keys of a fixed ring (a fleet's rotation); invalid_argument for a
  /// rotating one.
  [[nodiscard]] Result<void> replace(std::vector<TicketKey> keys);

  [[nodiscard]] Result<Bytes> seal(const crypto::Provider& provider, Rng& rng, TimePoint now,
                                   ByteView plaintext);
  /// The plaintext, or nothing for a ticket the ring cannot open: an unknown or expired key,
  /// a wrong size, a changed byte.
  [[nodiscard]] std::optional<Secret> open(const crypto::Provider& provider, TimePoint now,
                                           ByteView ticket) const;

  /// Keys held now (for tests and for operators' logs).
  [[nodiscard]] std::size_t size() const;

 private:
  struct Entry {
    TicketKey key;
    TimePoint created{};
    std::optional<TimePoint> retired;  // when a newer key replaced it (rotating rings)
    /// The key set up for AES-256-GCM once, not per ticket (a handshake seals two and opens
    /// one); used under the lock, since a context holds state between calls.
    mutable std::unique_ptr<crypto::Aead> aead;
    mutable const crypto::Provider* aead_provider = nullptr;

    [[nodiscard]] Result<crypto::Aead*> cipher(const crypto::Provider& provider) const;
  };

  TicketKeyRing() = default;
  /// A rotating ring's new key when the current one is `rotation_` old; drops keys past
  /// their grace. Under the lock.
  [[nodiscard]] Result<void> rotate(Rng& rng, TimePoint now);

  bool fixed_ = false;
  std::chrono::seconds rotation_{};
  std::chrono::seconds grace_{};
  mutable std::mutex mutex_;
  std::vector<Entry> keys_;  // the sealing key last
};

}  // namespace keel::session
