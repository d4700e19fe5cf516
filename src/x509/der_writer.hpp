// Writing DER (X.690 §10): what keel needs to issue its own local certificates. Each function
// returns one complete TLV; constructed values take their already-encoded parts.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string_view>

#include <keel/bytes.hpp>

#include "x509/der.hpp"

namespace keel::der::write {

/// tag || definite minimal length || contents.
[[nodiscard]] Bytes tlv(std::uint8_t tag, ByteView contents);
/// A constructed value of `tag` whose contents are `parts`, in order.
[[nodiscard]] Bytes constructed(std::uint8_t tag, std::initializer_list<ByteView> parts);
[[nodiscard]] Bytes sequence(std::initializer_list<ByteView> parts);
/// A non-negative INTEGER from big-endian magnitude bytes (minimal: leading zeros dropped, a
/// 0x00 added when the top bit is set).
[[nodiscard]] Bytes unsigned_integer(ByteView magnitude);
[[nodiscard]] Bytes small_integer(std::uint64_t value);
[[nodiscard]] Bytes oid(ByteView contents);
[[nodiscard]] Bytes boolean(bool value);
[[nodiscard]] Bytes octet_string(ByteView contents);
/// A BIT STRING with no unused bits.
[[nodiscard]] Bytes bit_string(ByteView contents);
[[nodiscard]] Bytes utf8_string(std::string_view text);
/// RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050.
[[nodiscard]] Bytes time(Seconds at);

}  // namespace keel::der::write
