// What a client keeps of a ticket: the ticket as the server sent it and the session it
// resumes (the PSK of RFC 8446 §4.6.1, or a TLS 1.2 master secret).
#pragma once

#include <keel/bytes.hpp>
#include <keel/result.hpp>

#include "core/secret.hpp"
#include "session/session_state.hpp"

namespace keel::session {

struct ClientTicket {
  SessionState state;  // `created`: when the ticket arrived
  Bytes ticket;        // <1..2^16-1>

  /// ticket<1..2^16-1> | the state's bytes.
  [[nodiscard]] Result<Secret> encode() const;
  [[nodiscard]] static Result<ClientTicket> decode(ByteView data);
};

}  // namespace keel::session
