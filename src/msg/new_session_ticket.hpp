// NewSessionTicket (RFC 8446 §4.6.1):
//   struct { uint32 ticket_lifetime; uint32 ticket_age_add; opaque ticket_nonce<0..255>;
//            opaque ticket<1..2^16-1>; Extension extensions<0..2^16-2>; } NewSessionTicket;
#pragma once

#include <cstdint>

#include <keel/bytes.hpp>
#include <keel/result.hpp>

#include "msg/extension.hpp"

namespace keel::msg {

struct NewSessionTicket {
  /// §4.6.1: "Servers MUST NOT use any value greater than 604800 seconds (7 days)."
  static constexpr std::uint32_t kMaxLifetime = 604800;

  std::uint32_t ticket_lifetime = 0;
  std::uint32_t ticket_age_add = 0;
  Bytes ticket_nonce;
  Bytes ticket;
  Extensions extensions;

  /// A lifetime over kMaxLifetime is illegal_parameter.
  [[nodiscard]] static Result<NewSessionTicket> decode(ByteView body);
  [[nodiscard]] Result<Bytes> encode() const;

  friend bool operator==(const NewSessionTicket&, const NewSessionTicket&) = default;
};

}  // namespace keel::msg
