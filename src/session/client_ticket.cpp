#include "session/client_ticket.hpp"

#include "core/try.hpp"
#include "wire/reader.hpp"
#include "wire/writer.hpp"

namespace keel::session {

Result<Secret> ClientTicket::encode() const {
  KEEL_TRY_ASSIGN(const Secret state_bytes, state.encode());
  wire::Writer w;
  {
    auto p = w.prefixed(wire::Width::u16);
    w.bytes(ticket);
  }
  {
    auto p = w.prefixed(wire::Width::u8, kMaxSessionId);
    w.bytes(session_id);
  }
  w.bytes(state_bytes.view());
  return std::move(w).finish_secret();
}

Result<ClientTicket> ClientTicket::decode(ByteView data) {
  wire::Reader r(data);
  ClientTicket out;
  KEEL_TRY_ASSIGN(const ByteView ticket, r.prefixed(wire::Width::u16));
  out.ticket.assign(ticket.begin(), ticket.end());
  KEEL_TRY_ASSIGN(const ByteView id, r.prefixed(wire::Width::u8, 0, kMaxSessionId));
  out.session_id.assign(id.begin(), id.end());
  if (out.ticket.empty() && out.session_id.empty()) {
    return Error(Errc::malformed, "a session with neither a ticket nor a session id");
  }
  KEEL_TRY_ASSIGN(out.state, SessionState::decode(r.rest()));
  return out;
}

}  // namespace keel::session
