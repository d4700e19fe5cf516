// What a client keeps of a ticket: the ticket as the server sent it and the session it
// resumes (the PSK of RFC 8446 §4.6.1, or a TLS 1.2 master secret).
#pragma once

#include <keel/bytes.hpp>
#include <keel/result.hpp>

#include "core/secret.hpp"
#include "session/session_state.hpp"

namespace keel::session {

struct ClientTicket {
  static constexpr std::size_t kMaxSessionId = 32;

  SessionState state;  // `created`: when the ticket arrived
  /// The server's ticket (<1..2^16-1>), or empty for a TLS 1.2 session resumed by its id.
  Bytes ticket;
  /// TLS 1.2 (RFC 5246 §7.4.1.2): the session id to resume by (<0..32>; empty with a ticket).
  Bytes session_id;

  /// ticket<0..2^16-1> | session_id<0..32> | the state's bytes; a ticket or an id is
  /// required (malformed otherwise).
  [[nodiscard]] Result<Secret> encode() const;
  [[nodiscard]] static Result<ClientTicket> decode(ByteView data);
};

}  // namespace keel::session
