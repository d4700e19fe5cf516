// A strict DER reader (ITU-T X.690 §10, as RFC 5280 requires for certificates and CRLs).
//
// What "strict" means here, each with a reject test in tests/unit/der_test.cpp:
//   * definite lengths only, in the shortest form (no 0x80 indefinite length, no long form for
//     lengths below 128, no leading zero length octets, at most 4 length octets);
//   * single-octet tags only (high tag numbers never occur in X.509);
//   * a length may not run past its parent;
//   * INTEGERs are non-empty and minimally encoded;
//   * BOOLEANs are 0x00 or 0xFF;
//   * BIT STRINGs have 0..7 unused bits, which are zero, and none when empty;
//   * OBJECT IDENTIFIERs are non-empty with minimal sub-identifiers;
//   * UTCTime and GeneralizedTime are exactly the forms RFC 5280 §4.1.2.5 allows.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <keel/bytes.hpp>
#include <keel/result.hpp>

namespace keel::der {

/// Identifier octets keel uses: universal tags, and the context-specific forms.
namespace tag {
inline constexpr std::uint8_t kBoolean = 0x01;
inline constexpr std::uint8_t kInteger = 0x02;
inline constexpr std::uint8_t kBitString = 0x03;
inline constexpr std::uint8_t kOctetString = 0x04;
inline constexpr std::uint8_t kNull = 0x05;
inline constexpr std::uint8_t kOid = 0x06;
inline constexpr std::uint8_t kEnumerated = 0x0A;
inline constexpr std::uint8_t kUtf8String = 0x0C;
inline constexpr std::uint8_t kPrintableString = 0x13;
inline constexpr std::uint8_t kTeletexString = 0x14;
inline constexpr std::uint8_t kIa5String = 0x16;
inline constexpr std::uint8_t kUtcTime = 0x17;
inline constexpr std::uint8_t kGeneralizedTime = 0x18;
inline constexpr std::uint8_t kVisibleString = 0x1A;
inline constexpr std::uint8_t kUniversalString = 0x1C;
inline constexpr std::uint8_t kBmpString = 0x1E;
inline constexpr std::uint8_t kSequence = 0x30;
inline constexpr std::uint8_t kSet = 0x31;

/// [n] IMPLICIT of a primitive type.
[[nodiscard]] constexpr std::uint8_t context(unsigned n) noexcept {
  return static_cast<std::uint8_t>(0x80U | n);
}
/// [n] of a constructed type (and every EXPLICIT tag).
[[nodiscard]] constexpr std::uint8_t context_constructed(unsigned n) noexcept {
  return static_cast<std::uint8_t>(0xA0U | n);
}
}  // namespace tag

/// One TLV: its tag, its contents, and its whole encoding (kept for signatures and for
/// byte-exact comparison of names).
struct Element {
  std::uint8_t tag = 0;
  ByteView body;
  ByteView encoding;
};

/// Reads consecutive DER elements from a buffer it does not own.
class Reader {
 public:
  explicit Reader(ByteView data) noexcept : data_(data) {}
  /// Elements are views into the data: reading a temporary would leave them dangling.
  explicit Reader(Bytes&& temporary) = delete;

  /// The next element, whatever its tag.
  [[nodiscard]] Result<Element> next();
  /// The next element, which must have `tag` (malformed otherwise, naming both tags).
  [[nodiscard]] Result<Element> read(std::uint8_t tag);
  /// The next element if it has `tag`; nothing (and nothing consumed) otherwise.
  [[nodiscard]] Result<std::optional<Element>> read_optional(std::uint8_t tag);
  /// A Reader over the contents of the next element, which must have `tag` (a SEQUENCE by
  /// default).
  [[nodiscard]] Result<Reader> enter(std::uint8_t tag = tag::kSequence);

  /// Whether the next element has `tag` (false at the end).
  [[nodiscard]] bool peek(std::uint8_t tag) const noexcept;
  [[nodiscard]] bool empty() const noexcept { return pos_ == data_.size(); }
  /// Succeeds only if every element has been read (trailing_data otherwise).
  [[nodiscard]] Result<void> expect_empty() const;

 private:
  ByteView data_;
  std::size_t pos_ = 0;
};

/// Parses exactly one element spanning all of `data`.
[[nodiscard]] Result<Element> parse_single(ByteView data);
/// The Element would point into a temporary.
Result<Element> parse_single(Bytes&& temporary) = delete;

/// BOOLEAN: DER allows only 0x00 and 0xFF (X.690 §11.1).
[[nodiscard]] Result<bool> boolean(const Element& e);

/// INTEGER: the two's-complement contents, checked to be minimal (X.690 §8.3.2).
[[nodiscard]] Result<ByteView> integer(const Element& e);

/// INTEGER that must be non-negative and fit in 64 bits (versions, path lengths).
[[nodiscard]] Result<std::uint64_t> small_unsigned(const Element& e);

/// A BIT STRING's bits, with the count of unused trailing bits.
struct BitString {
  ByteView bytes;
  std::uint8_t unused_bits = 0;
  /// Bit `n`, numbered from the most significant bit of the first byte (as named bit lists
  /// like KeyUsage number them); false past the end.
  [[nodiscard]] bool bit(std::size_t n) const noexcept;
};
[[nodiscard]] Result<BitString> bit_string(const Element& e);

/// OBJECT IDENTIFIER: the contents, validated (X.690 §8.19).
[[nodiscard]] Result<ByteView> oid(const Element& e);
/// Dotted text of a validated OID's contents ("1.2.840.10045.4.3.2").
[[nodiscard]] std::string oid_to_string(ByteView oid_contents);

/// NULL: must be empty.
[[nodiscard]] Result<void> null(const Element& e);

/// A point in time in whole seconds, UTC.
using Seconds = std::chrono::sys_seconds;

/// UTCTime or GeneralizedTime as RFC 5280 §4.1.2.5 allows them: "YYMMDDHHMMSSZ" (years 1950
/// to 2049) or "YYYYMMDDHHMMSSZ", with a valid calendar date and time, no fractions and no
/// offsets.
[[nodiscard]] Result<Seconds> time(const Element& e);

/// "2024-01-01 00:00:00 UTC", for messages.
[[nodiscard]] std::string format_time(Seconds t);

/// A `malformed` error with `what` as its detail: the one way X.509 parsing reports broken
/// structure.
[[nodiscard]] Error malformed(std::string what);

/// The name of a tag for messages ("SEQUENCE", "[0]", "0x5f").
[[nodiscard]] std::string tag_name(std::uint8_t tag);

}  // namespace keel::der
