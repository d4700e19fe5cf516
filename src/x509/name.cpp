#include "x509/name.hpp"

#include <array>

#include "core/hex.hpp"
#include "core/try.hpp"
#include "x509/oids.hpp"

namespace keel::x509 {
namespace {

void append_utf8(std::string& out, std::uint32_t code_point) {
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out.push_back(static_cast<char>(0xC0U | (code_point >> 6U)));
    out.push_back(static_cast<char>(0x80U | (code_point & 0x3FU)));
  } else if (code_point < 0x10000) {
    out.push_back(static_cast<char>(0xE0U | (code_point >> 12U)));
    out.push_back(static_cast<char>(0x80U | ((code_point >> 6U) & 0x3FU)));
    out.push_back(static_cast<char>(0x80U | (code_point & 0x3FU)));
  } else {
    out.push_back(static_cast<char>(0xF0U | (code_point >> 18U)));
    out.push_back(static_cast<char>(0x80U | ((code_point >> 12U) & 0x3FU)));
    out.push_back(static_cast<char>(0x80U | ((code_point >> 6U) & 0x3FU)));
    out.push_back(static_cast<char>(0x80U | (code_point & 0x3FU)));
  }
}

/// Decodes big-endian code units of `width` bytes (2: BMPString, 4: UniversalString).
Result<std::string> wide_string(ByteView value, std::size_t width) {
  if (value.size() % width != 0) {
    return Error(Errc::malformed, "string length is not a multiple of its character size");
  }
  std::string out;
  for (std::size_t i = 0; i < value.size(); i += width) {
    std::uint32_t code_point = 0;
    for (std::size_t k = 0; k < width; ++k) {
      code_point = (code_point << 8U) | value[i + k];
    }
    if (code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) {
      return Error(Errc::malformed, "string holds an invalid character");
    }
    append_utf8(out, code_point);
  }
  return out;
}

std::string_view short_name(ByteView type) {
  if (oid::is(type, oid::kCommonName)) {
    return "CN";
  }
  if (oid::is(type, oid::kCountry)) {
    return "C";
  }
  if (oid::is(type, oid::kLocality)) {
    return "L";
  }
  if (oid::is(type, oid::kState)) {
    return "ST";
  }
  if (oid::is(type, oid::kOrganization)) {
    return "O";
  }
  if (oid::is(type, oid::kOrganizationalUnit)) {
    return "OU";
  }
  if (oid::is(type, oid::kEmailAddress)) {
    return "emailAddress";
  }
  return {};
}

/// Text safe to print: control bytes as \xNN.
std::string printable(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<std::uint8_t>(c);
    if (byte < 0x20 || byte == 0x7F) {
      const std::array<std::uint8_t, 1> raw{byte};
      out += "\\x" + to_hex(raw);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

Result<std::string> string_value(std::uint8_t tag, ByteView value) {
  switch (tag) {
    case der::tag::kUtf8String:
    case der::tag::kPrintableString:
    case der::tag::kIa5String:
    case der::tag::kVisibleString:
      return std::string(value.begin(), value.end());
    case der::tag::kTeletexString: {
      std::string out;  // treated as Latin-1, as most software does
      for (const std::uint8_t b : value) {
        append_utf8(out, b);
      }
      return out;
    }
    case der::tag::kBmpString:
      return wide_string(value, 2);
    case der::tag::kUniversalString:
      return wide_string(value, 4);
    default:
      return Error(Errc::malformed, "not a string type: " + der::tag_name(tag));
  }
}

Result<Name> Name::parse(const der::Element& element) {
  if (element.tag != der::tag::kSequence) {
    return Error(Errc::malformed, "Name must be a SEQUENCE, found " + der::tag_name(element.tag));
  }
  Name name;
  name.encoding_ = element.encoding;
  der::Reader rdns(element.body);
  while (!rdns.empty()) {
    KEEL_TRY_ASSIGN(der::Reader rdn, rdns.enter(der::tag::kSet));
    std::vector<Attribute> attributes;
    while (!rdn.empty()) {
      KEEL_TRY_ASSIGN(der::Reader atv, rdn.enter());
      KEEL_TRY_ASSIGN(const der::Element type, atv.read(der::tag::kOid));
      KEEL_TRY_ASSIGN(const ByteView type_oid, der::oid(type));
      KEEL_TRY_ASSIGN(const der::Element value, atv.next());
      KEEL_TRY(atv.expect_empty());
      attributes.push_back(Attribute{type_oid, value.tag, value.body});
    }
    // RFC 5280 §4.1.2.4: RelativeDistinguishedName ::= SET SIZE (1..MAX).
    if (attributes.empty()) {
      return Error(Errc::malformed, "empty RelativeDistinguishedName");
    }
    name.rdns_.push_back(std::move(attributes));
  }
  return name;
}

std::vector<std::string> Name::common_names() const {
  std::vector<std::string> out;
  for (const auto& rdn : rdns_) {
    for (const auto& attribute : rdn) {
      if (oid::is(attribute.type, oid::kCommonName)) {
        auto text = string_value(attribute.value_tag, attribute.value);
        if (text.ok()) {
          out.push_back(std::move(text).value());
        }
      }
    }
  }
  return out;
}

std::string Name::to_string() const {
  std::string out;
  // Most specific first, as people read names (RFC 4514 §2.1).
  for (std::size_t i = rdns_.size(); i-- > 0;) {
    for (const auto& attribute : rdns_[i]) {
      if (!out.empty()) {
        out += ", ";
      }
      const std::string_view label = short_name(attribute.type);
      out += label.empty() ? der::oid_to_string(attribute.type) : std::string(label);
      out += "=";
      auto text = string_value(attribute.value_tag, attribute.value);
      out += text.ok() ? printable(*text) : "#" + to_hex(attribute.value);
    }
  }
  return out;
}

Result<GeneralName> parse_general_name(const der::Element& element) {
  const bool context_specific = (element.tag & 0xC0U) == 0x80U;
  const unsigned number = element.tag & 0x1FU;
  if (!context_specific || number > 8) {
    return Error(Errc::malformed, "not a GeneralName: " + der::tag_name(element.tag));
  }
  const auto kind = static_cast<GeneralNameKind>(number);
  const bool constructed = (element.tag & 0x20U) != 0;
  // otherName, x400Address, directoryName and ediPartyName are constructed; the rest primitive.
  const bool must_be_constructed =
      kind == GeneralNameKind::other_name || kind == GeneralNameKind::x400_address ||
      kind == GeneralNameKind::directory_name || kind == GeneralNameKind::edi_party_name;
  if (constructed != must_be_constructed) {
    return Error(Errc::malformed, "GeneralName " + der::tag_name(element.tag) +
                                      " has the wrong (primitive/constructed) form");
  }
  if (kind == GeneralNameKind::directory_name) {
    // [4] EXPLICIT Name: validate the Name inside and keep its encoding.
    KEEL_TRY_ASSIGN(const der::Element inner, der::parse_single(element.body));
    KEEL_TRY_ASSIGN(const Name name, Name::parse(inner));
    return GeneralName{kind, name.encoding()};
  }
  return GeneralName{kind, element.body};
}

Result<std::vector<GeneralName>> parse_general_names(const der::Element& element) {
  if (element.tag != der::tag::kSequence) {
    return Error(Errc::malformed, "GeneralNames must be a SEQUENCE");
  }
  der::Reader reader(element.body);
  std::vector<GeneralName> names;
  while (!reader.empty()) {
    KEEL_TRY_ASSIGN(const der::Element name_element, reader.next());
    KEEL_TRY_ASSIGN(GeneralName name, parse_general_name(name_element));
    // An address in a name list is IPv4 or IPv6 (RFC 5280 §4.2.1.6); name constraints carry
    // address and mask, and are checked where they are parsed.
    if (name.kind == GeneralNameKind::ip_address && name.value.size() != 4 &&
        name.value.size() != 16) {
      return Error(Errc::malformed, "iPAddress of " + std::to_string(name.value.size()) +
                                        " octets (4 or 16 expected)");
    }
    names.push_back(name);
  }
  if (names.empty()) {
    return Error(Errc::malformed, "empty GeneralNames");
  }
  return names;
}

}  // namespace keel::x509
