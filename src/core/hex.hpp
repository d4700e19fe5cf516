// Hexadecimal text <-> bytes, for tests, key logs and diagnostics.
#pragma once

#include <string>
#include <string_view>

#include <keel/bytes.hpp>
#include <keel/result.hpp>

namespace keel {

/// Lower-case hex, two digits a byte, no separators.
[[nodiscard]] std::string to_hex(ByteView bytes);

/// Parses hex digits (either case). An odd number of digits or any other character is an
/// error that names its position.
[[nodiscard]] Result<Bytes> from_hex(std::string_view text);

}  // namespace keel
