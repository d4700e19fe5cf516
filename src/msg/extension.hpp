// Extension blocks (RFC 8446 §4.2): kept as (type, data) in the order received, so unknown
// extensions survive decoding and policy — not the parser — decides about them.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include <keel/bytes.hpp>
#include <keel/result.hpp>

#include "msg/types.hpp"
#include "wire/reader.hpp"
#include "wire/writer.hpp"

namespace keel::msg {

struct Extension {
  std::uint16_t type = 0;  // an ExtensionType, or any other codepoint
  Bytes data;

  [[nodiscard]] bool is(ExtensionType t) const noexcept {
    return type == static_cast<std::uint16_t>(t);
  }
  friend bool operator==(const Extension&, const Extension&) = default;
};

using Extensions = std::vector<Extension>;

/// Reads `Extension extensions<min..2^16-1>`. §4.2: "There MUST NOT be more than one
/// extension of the same type in a given extension block" (duplicate_extension otherwise).
[[nodiscard]] Result<Extensions> decode_extensions(wire::Reader& reader, std::size_t min = 0);

/// Writes the block with its 2-byte length.
void encode_extensions(wire::Writer& writer, const Extensions& extensions);

/// The data of the extension of type `type`, if present.
[[nodiscard]] const Bytes* find(const Extensions& extensions, ExtensionType type) noexcept;

}  // namespace keel::msg
