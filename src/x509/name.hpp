// X.501 Names and X.509 GeneralNames (RFC 5280 §4.1.2.4, §4.2.1.6).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <keel/bytes.hpp>
#include <keel/result.hpp>

#include "x509/der.hpp"

namespace keel::x509 {

/// One AttributeTypeAndValue of a relative distinguished name.
struct Attribute {
  ByteView type;  // OID contents
  std::uint8_t value_tag = 0;
  ByteView value;
};

/// A distinguished name. Kept as its DER encoding (what issuer/subject chaining compares) and
/// decoded into attributes for printing and for the subject's common names.
class Name {
 public:
  /// From a Name element (a SEQUENCE OF SET OF AttributeTypeAndValue).
  [[nodiscard]] static Result<Name> parse(const der::Element& element);

  [[nodiscard]] ByteView encoding() const noexcept { return encoding_; }
  [[nodiscard]] bool empty() const noexcept { return rdns_.empty(); }
  [[nodiscard]] const std::vector<std::vector<Attribute>>& rdns() const noexcept { return rdns_; }

  /// The commonName values, as UTF-8.
  [[nodiscard]] std::vector<std::string> common_names() const;
  /// "CN=example.com, O=Example, C=US": most specific first (RFC 4514 order); values as
  /// UTF-8, control bytes as \xNN.
  [[nodiscard]] std::string to_string() const;

  friend bool operator==(const Name& a, const Name& b) {
    return std::equal(a.encoding_.begin(), a.encoding_.end(), b.encoding_.begin(),
                      b.encoding_.end());
  }

 private:
  ByteView encoding_;
  std::vector<std::vector<Attribute>> rdns_;
};

/// A directory string's value as UTF-8 (UTF8String, PrintableString, IA5String,
/// VisibleString, TeletexString as Latin-1, BMPString, UniversalString).
[[nodiscard]] Result<std::string> string_value(std::uint8_t tag, ByteView value);

enum class GeneralNameKind : std::uint8_t {
  other_name = 0,
  rfc822_name = 1,
  dns_name = 2,
  x400_address = 3,
  directory_name = 4,
  edi_party_name = 5,
  uri = 6,
  ip_address = 7,
  registered_id = 8,
};

struct GeneralName {
  GeneralNameKind kind;
  /// The IA5String text for rfc822Name, dNSName and URI; the address octets for iPAddress;
  /// the Name's encoding for directoryName; the raw contents otherwise.
  ByteView value;
};

/// One GeneralName element (its context tag picks the kind). An iPAddress's length is left to
/// the caller: 4 or 16 octets in a name list, 8 or 32 (address and mask) in name constraints.
[[nodiscard]] Result<GeneralName> parse_general_name(const der::Element& element);

/// GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName, with 4- or 16-octet addresses.
[[nodiscard]] Result<std::vector<GeneralName>> parse_general_names(const der::Element& element);

}  // namespace keel::x509
