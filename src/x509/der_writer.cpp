#include "x509/der_writer.hpp"

#include <chrono>
#include <cstdio>

namespace keel::der::write {

Bytes tlv(std::uint8_t tag, ByteView contents) {
  Bytes out;
  out.reserve(contents.size() + 6);
  out.push_back(tag);
  const std::size_t length = contents.size();
  if (length < 0x80) {
    out.push_back(static_cast<std::uint8_t>(length));
  } else {
    unsigned octets = 0;
    for (std::size_t rest = length; rest != 0; rest >>= 8U) {
      ++octets;
    }
    out.push_back(static_cast<std::uint8_t>(0x80U | octets));
    for (unsigned i = octets; i-- > 0;) {
      out.push_back(static_cast<std::uint8_t>(length >> (8U * i)));
    }
  }
  out.insert(out.end(), contents.begin(), contents.end());
  return out;
}

Bytes constructed(std::uint8_t tag, std::initializer_list<ByteView> parts) {
  Bytes contents;
  for (const ByteView part : parts) {
    contents.insert(contents.end(), part.begin(), part.end());
  }
  return tlv(tag, contents);
}

Bytes sequence(std::initializer_list<ByteView> parts) {
  return constructed(tag::kSequence, parts);
}

Bytes unsigned_integer(ByteView magnitude) {
  std::size_t first = 0;
  while (first + 1 < magnitude.size() && magnitude[first] == 0) {
    ++first;
  }
  Bytes contents;
  if (magnitude.empty() || (magnitude[first] & 0x80U) != 0) {
    contents.push_back(0);
  }
  contents.insert(contents.end(), magnitude.begin() + static_cast<std::ptrdiff_t>(first),
                  magnitude.end());
  return tlv(tag::kInteger, contents);
}

Bytes small_integer(std::uint64_t value) {
  Bytes magnitude(8);
  for (std::size_t i = 0; i < 8; ++i) {
    magnitude[7 - i] = static_cast<std::uint8_t>(value >> (8 * i));
  }
  return unsigned_integer(magnitude);
}

Bytes oid(ByteView contents) {
  return tlv(tag::kOid, contents);
}

Bytes boolean(bool value) {
  const std::uint8_t contents = value ? 0xFF : 0x00;  // X.690 §11.1: DER TRUE is all ones
  return tlv(tag::kBoolean, ByteView(&contents, 1));
}

Bytes octet_string(ByteView contents) {
  return tlv(tag::kOctetString, contents);
}

Bytes bit_string(ByteView contents) {
  Bytes body{0};  // no unused bits
  body.insert(body.end(), contents.begin(), contents.end());
  return tlv(tag::kBitString, body);
}

Bytes utf8_string(std::string_view text) {
  return tlv(tag::kUtf8String,
             ByteView(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

Bytes time(Seconds at) {
  const auto day = std::chrono::floor<std::chrono::days>(at);
  const std::chrono::year_month_day date(day);
  const std::chrono::hh_mm_ss clock(at - day);
  const int year = static_cast<int>(date.year());
  std::array<char, 20> text{};
  const bool utc = year < 2050;
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-vararg): a fixed format into a sized buffer
  const int n = std::snprintf(
      text.data(), text.size(), utc ? "%02d%02u%02u%02d%02d%02dZ" : "%04d%02u%02u%02d%02d%02dZ",
      utc ? year % 100 : year, static_cast<unsigned>(date.month()),
      static_cast<unsigned>(date.day()), static_cast<int>(clock.hours().count()),
      static_cast<int>(clock.minutes().count()), static_cast<int>(clock.seconds().count()));
  return tlv(
      utc ? tag::kUtcTime : tag::kGeneralizedTime,
      ByteView(reinterpret_cast<const std::uint8_t*>(text.data()), static_cast<std::size_t>(n)));
}

}  // namespace keel::der::write
