#include "x509/der.hpp"

#include <array>
#include <string>
#include <vector>

#include "core/hex.hpp"
#include "core/try.hpp"

namespace keel::der {
namespace {

constexpr std::size_t kMaxLengthOctets = 4;  // 4 GiB: more than any certificate
constexpr std::uint8_t kHighTagNumber = 0x1F;

/// Two decimal digits at `text[at]`, or -1.
int two_digits(ByteView text, std::size_t at) {
  const auto hi = text[at];
  const auto lo = text[at + 1];
  if (hi < '0' || hi > '9' || lo < '0' || lo > '9') {
    return -1;
  }
  return (hi - '0') * 10 + (lo - '0');
}

}  // namespace

Result<Element> Reader::next() {
  const std::size_t left = data_.size() - pos_;
  if (left < 2) {
    return Error(Errc::truncated, left == 0 ? "no DER element left" : "DER header cut short");
  }
  const std::uint8_t tag = data_[pos_];
  if ((tag & kHighTagNumber) == kHighTagNumber) {
    return malformed("high tag number form (tag " + tag_name(tag) + ")");
  }
  const std::uint8_t first = data_[pos_ + 1];
  std::size_t header = 2;
  std::size_t length = first;
  if (first == 0x80) {
    return malformed("indefinite length in " + tag_name(tag));
  }
  if (first > 0x80) {
    const std::size_t octets = first & 0x7FU;
    if (octets > kMaxLengthOctets) {
      return malformed("length of " + std::to_string(octets) + " octets in " + tag_name(tag));
    }
    if (left < 2 + octets) {
      return Error(Errc::truncated, "DER length cut short in " + tag_name(tag));
    }
    if (data_[pos_ + 2] == 0) {
      return malformed("length with a leading zero octet in " + tag_name(tag));
    }
    length = 0;
    for (std::size_t i = 0; i < octets; ++i) {
      length = (length << 8U) | data_[pos_ + 2 + i];
    }
    if (length < 0x80) {
      return malformed("long-form length " + std::to_string(length) + " in " + tag_name(tag));
    }
    header += octets;
  }
  if (left - header < length) {
    return Error(Errc::truncated, tag_name(tag) + " of " + std::to_string(length) +
                                      " bytes, only " + std::to_string(left - header) + " left");
  }
  Element element{tag, data_.subspan(pos_ + header, length), data_.subspan(pos_, header + length)};
  pos_ += header + length;
  return element;
}

Result<Element> Reader::read(std::uint8_t tag) {
  if (empty()) {
    return Error(Errc::truncated, "expected " + tag_name(tag) + ", found the end");
  }
  if (data_[pos_] != tag) {
    return malformed("expected " + tag_name(tag) + ", found " + tag_name(data_[pos_]));
  }
  return next();
}

Result<std::optional<Element>> Reader::read_optional(std::uint8_t tag) {
  if (!peek(tag)) {
    return std::optional<Element>();
  }
  KEEL_TRY_ASSIGN(Element element, next());
  return std::optional<Element>(element);
}

Result<Reader> Reader::enter(std::uint8_t tag) {
  KEEL_TRY_ASSIGN(const Element element, read(tag));
  return Reader(element.body);
}

bool Reader::peek(std::uint8_t tag) const noexcept {
  return !empty() && data_[pos_] == tag;
}

Result<void> Reader::expect_empty() const {
  if (!empty()) {
    return Error(Errc::trailing_data,
                 std::to_string(data_.size() - pos_) + " bytes after the last expected element");
  }
  return ok();
}

Result<Element> parse_single(ByteView data) {
  Reader reader(data);
  KEEL_TRY_ASSIGN(Element element, reader.next());
  KEEL_TRY(reader.expect_empty());
  return element;
}

Result<bool> boolean(const Element& e) {
  if (e.tag != tag::kBoolean) {
    return malformed("expected BOOLEAN, found " + tag_name(e.tag));
  }
  if (e.body.size() != 1 || (e.body[0] != 0x00 && e.body[0] != 0xFF)) {
    return malformed("BOOLEAN must be one octet, 00 or FF");
  }
  return e.body[0] == 0xFF;
}

Result<ByteView> integer(const Element& e) {
  if (e.body.empty()) {
    return malformed("empty INTEGER");
  }
  if (e.body.size() > 1) {
    const bool redundant_zero = e.body[0] == 0x00 && (e.body[1] & 0x80U) == 0;
    const bool redundant_ones = e.body[0] == 0xFF && (e.body[1] & 0x80U) != 0;
    if (redundant_zero || redundant_ones) {
      return malformed("INTEGER not minimally encoded");
    }
  }
  return e.body;
}

Result<std::uint64_t> small_unsigned(const Element& e) {
  if (e.tag != tag::kInteger) {
    return malformed("expected INTEGER, found " + tag_name(e.tag));
  }
  KEEL_TRY_ASSIGN(ByteView bytes, integer(e));
  if ((bytes[0] & 0x80U) != 0) {
    return malformed("negative INTEGER where a count is expected");
  }
  if (bytes[0] == 0x00) {
    bytes = bytes.subspan(1);
  }
  if (bytes.size() > 8) {
    return malformed("INTEGER too large");
  }
  std::uint64_t value = 0;
  for (const std::uint8_t b : bytes) {
    value = (value << 8U) | b;
  }
  return value;
}

bool BitString::bit(std::size_t n) const noexcept {
  const std::size_t byte = n / 8;
  if (byte >= bytes.size()) {
    return false;
  }
  return (bytes[byte] & (0x80U >> (n % 8))) != 0;
}

Result<BitString> bit_string(const Element& e) {
  if (e.tag != tag::kBitString) {
    return malformed("expected BIT STRING, found " + tag_name(e.tag));
  }
  if (e.body.empty()) {
    return malformed("BIT STRING without its unused-bits octet");
  }
  const std::uint8_t unused = e.body[0];
  if (unused > 7) {
    return malformed("BIT STRING with " + std::to_string(unused) + " unused bits");
  }
  const ByteView bits = e.body.subspan(1);
  if (bits.empty() && unused != 0) {
    return malformed("empty BIT STRING with unused bits");
  }
  // X.690 §11.2.1: the unused bits shall be zero.
  if (!bits.empty() && (bits.back() & ((1U << unused) - 1U)) != 0) {
    return malformed("BIT STRING unused bits are not zero");
  }
  return BitString{bits, unused};
}

Result<ByteView> oid(const Element& e) {
  if (e.tag != tag::kOid) {
    return malformed("expected OBJECT IDENTIFIER, found " + tag_name(e.tag));
  }
  if (e.body.empty()) {
    return malformed("empty OBJECT IDENTIFIER");
  }
  bool start_of_subidentifier = true;
  for (const std::uint8_t b : e.body) {
    if (start_of_subidentifier && b == 0x80) {
      return malformed("OBJECT IDENTIFIER sub-identifier with a leading 0x80");
    }
    start_of_subidentifier = (b & 0x80U) == 0;
  }
  if (!start_of_subidentifier) {
    return malformed("OBJECT IDENTIFIER ends inside a sub-identifier");
  }
  return e.body;
}

namespace {

/// Appends the decimal form of a base-128 big-endian number of any size.
void append_decimal(std::string& out, const std::vector<std::uint8_t>& base128_digits,
                    unsigned subtract) {
  // Little-endian limbs of 10^9.
  std::vector<std::uint32_t> limbs{0};
  for (const std::uint8_t digit : base128_digits) {
    std::uint64_t carry = digit;
    for (auto& limb : limbs) {
      const std::uint64_t v = std::uint64_t{limb} * 128U + carry;
      limb = static_cast<std::uint32_t>(v % 1000000000U);
      carry = v / 1000000000U;
    }
    if (carry != 0) {
      limbs.push_back(static_cast<std::uint32_t>(carry));
    }
  }
  // Subtract (the first arc's X*40) with borrow; the value is known to be >= subtract.
  std::uint32_t borrow = subtract;
  for (auto& limb : limbs) {
    if (limb >= borrow) {
      limb -= borrow;
      break;
    }
    limb = limb + 1000000000U - borrow;
    borrow = 1;
  }
  while (limbs.size() > 1 && limbs.back() == 0) {
    limbs.pop_back();
  }
  std::string digits = std::to_string(limbs.back());
  for (std::size_t i = limbs.size() - 1; i-- > 0;) {
    const std::string part = std::to_string(limbs[i]);
    digits += std::string(9 - part.size(), '0') + part;
  }
  out += digits;
}

}  // namespace

std::string oid_to_string(ByteView contents) {
  std::string out;
  std::vector<std::uint8_t> digits;
  bool first = true;
  for (const std::uint8_t b : contents) {
    digits.push_back(static_cast<std::uint8_t>(b & 0x7FU));
    if ((b & 0x80U) != 0) {
      continue;
    }
    if (first) {
      // X.690 §8.19.4: the first sub-identifier is X*40 + Y.
      std::uint64_t small = 0;
      for (const std::uint8_t d : digits) {
        small = (small << 7U) | d;
        if (small >= 80) {
          break;
        }
      }
      const unsigned x = small < 40 ? 0 : small < 80 ? 1 : 2;
      out += std::to_string(x) + ".";
      append_decimal(out, digits, x * 40);
      first = false;
    } else {
      out += ".";
      append_decimal(out, digits, 0);
    }
    digits.clear();
  }
  return out;
}

Result<void> null(const Element& e) {
  if (e.tag != tag::kNull || !e.body.empty()) {
    return malformed("expected an empty NULL");
  }
  return ok();
}

Result<Seconds> time(const Element& e) {
  const ByteView text = e.body;
  int year = 0;
  std::size_t at = 0;
  if (e.tag == tag::kUtcTime) {
    // RFC 5280 §4.1.2.5.1: YYMMDDHHMMSSZ; YY >= 50 is 19YY, YY < 50 is 20YY.
    if (text.size() != 13) {
      return malformed("UTCTime must be YYMMDDHHMMSSZ");
    }
    const int yy = two_digits(text, 0);
    if (yy < 0) {
      return malformed("UTCTime year is not digits");
    }
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
    at = 2;
  } else if (e.tag == tag::kGeneralizedTime) {
    // RFC 5280 §4.1.2.5.2: YYYYMMDDHHMMSSZ, no fractional seconds.
    if (text.size() != 15) {
      return malformed("GeneralizedTime must be YYYYMMDDHHMMSSZ");
    }
    const int hi = two_digits(text, 0);
    const int lo = two_digits(text, 2);
    if (hi < 0 || lo < 0) {
      return malformed("GeneralizedTime year is not digits");
    }
    year = hi * 100 + lo;
    at = 4;
  } else {
    return malformed("expected UTCTime or GeneralizedTime, found " + tag_name(e.tag));
  }
  std::array<int, 5> fields{};  // month, day, hour, minute, second
  for (auto& field : fields) {
    field = two_digits(text, at);
    if (field < 0) {
      return malformed("time field is not digits");
    }
    at += 2;
  }
  if (text[at] != 'Z') {
    return malformed("time must end in Z (UTC)");
  }
  using namespace std::chrono;  // NOLINT(google-build-using-namespace): calendar arithmetic
  const year_month_day date{std::chrono::year{year}, month{static_cast<unsigned>(fields[0])},
                            day{static_cast<unsigned>(fields[1])}};
  if (!date.ok() || fields[2] > 23 || fields[3] > 59 || fields[4] > 59) {
    return malformed("time is not a valid date and time");
  }
  return sys_days{date} + hours{fields[2]} + minutes{fields[3]} + seconds{fields[4]};
}

Error malformed(std::string what) {
  return Error(Errc::malformed, std::move(what));
}

std::string tag_name(std::uint8_t tag) {
  switch (tag) {
    case tag::kBoolean:
      return "BOOLEAN";
    case tag::kInteger:
      return "INTEGER";
    case tag::kBitString:
      return "BIT STRING";
    case tag::kOctetString:
      return "OCTET STRING";
    case tag::kNull:
      return "NULL";
    case tag::kOid:
      return "OBJECT IDENTIFIER";
    case tag::kUtf8String:
      return "UTF8String";
    case tag::kPrintableString:
      return "PrintableString";
    case tag::kIa5String:
      return "IA5String";
    case tag::kUtcTime:
      return "UTCTime";
    case tag::kGeneralizedTime:
      return "GeneralizedTime";
    case tag::kSequence:
      return "SEQUENCE";
    case tag::kSet:
      return "SET";
    default:
      break;
  }
  if ((tag & 0xC0U) == 0x80U) {
    return "[" + std::to_string(tag & 0x1FU) + "]";
  }
  const std::array<std::uint8_t, 1> raw{tag};
  return "tag 0x" + to_hex(raw);
}

namespace {

/// `value` in decimal, zero-padded to `width` digits.
std::string padded(long long value, std::size_t width) {
  std::string digits = std::to_string(value);
  return digits.size() >= width ? digits : std::string(width - digits.size(), '0') + digits;
}

}  // namespace

std::string format_time(Seconds t) {
  using namespace std::chrono;  // NOLINT(google-build-using-namespace): calendar arithmetic
  const auto day = floor<days>(t);
  const year_month_day date{day};
  const hh_mm_ss clock{t - day};
  return padded(static_cast<int>(date.year()), 4) + "-" +
         padded(static_cast<unsigned>(date.month()), 2) + "-" +
         padded(static_cast<unsigned>(date.day()), 2) + " " + padded(clock.hours().count(), 2) +
         ":" + padded(clock.minutes().count(), 2) + ":" + padded(clock.seconds().count(), 2) +
         " UTC";
}

}  // namespace keel::der
