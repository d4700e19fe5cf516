#include "msg/new_session_ticket.hpp"

#include "core/try.hpp"
#include "msg/types.hpp"

namespace keel::msg {

using wire::Width;

Result<NewSessionTicket> NewSessionTicket::decode(ByteView body) {
  wire::Reader reader(body);
  NewSessionTicket out;
  KEEL_TRY_ASSIGN(out.ticket_lifetime, reader.u32());
  if (out.ticket_lifetime > kMaxLifetime) {
    return Error(Errc::illegal_parameter, "ticket lifetime over 7 days");
  }
  KEEL_TRY_ASSIGN(out.ticket_age_add, reader.u32());
  KEEL_TRY_ASSIGN(const ByteView nonce, reader.prefixed(Width::u8));
  out.ticket_nonce.assign(nonce.begin(), nonce.end());
  KEEL_TRY_ASSIGN(const ByteView ticket, reader.prefixed(Width::u16, 1));
  out.ticket.assign(ticket.begin(), ticket.end());
  KEEL_TRY_ASSIGN(out.extensions, decode_extensions(reader));
  KEEL_TRY(reader.expect_empty());
  return out;
}

Result<Bytes> NewSessionTicket::encode() const {
  wire::Writer w;
  w.u8(static_cast<std::uint8_t>(HandshakeType::new_session_ticket));
  {
    auto message = w.prefixed(Width::u24);
    w.u32(ticket_lifetime);
    w.u32(ticket_age_add);
    {
      auto nonce = w.prefixed(Width::u8);
      w.bytes(ticket_nonce);
    }
    {
      auto field = w.prefixed(Width::u16);
      w.bytes(ticket);
    }
    encode_extensions(w, extensions);
  }
  return std::move(w).finish();
}

}  // namespace keel::msg
