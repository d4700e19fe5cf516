// Matching a certificate's names against the name a client asked for (RFC 6125, RFC 9525).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <keel/bytes.hpp>
#include <keel/result.hpp>

namespace keel::x509 {

/// A reference DNS name as a client gives it: U-labels converted to A-labels (x509/idna.hpp),
/// lower-cased, one trailing dot removed, checked to be an LDH hostname of at most 253 octets
/// with labels of 1..63 octets.
[[nodiscard]] Result<std::string> normalize_dns_name(std::string_view name);

/// A reference e-mail address: the local part as given (compared exactly), the domain
/// normalized as a DNS name.
struct EmailAddress {
  std::string local;
  std::string domain;
};

/// "user@example.com". An internationalized local part (RFC 8398) is not_supported.
[[nodiscard]] Result<EmailAddress> parse_email_address(std::string_view text);

/// Whether an rfc822Name from a certificate is `reference` (RFC 5280 §7.5: local part
/// case-sensitive, domain case-insensitive).
[[nodiscard]] bool email_matches(std::string_view presented, const EmailAddress& reference);

/// An IPv4 (dotted quad) or IPv6 (RFC 4291 text) address as 4 or 16 octets, if it is one.
[[nodiscard]] std::optional<Bytes> parse_ip_address(std::string_view text);

/// The canonical text of a 4- or 16-octet address (RFC 5952 for IPv6).
[[nodiscard]] std::string ip_address_text(ByteView address);

/// Whether a dNSName from a certificate matches a normalized reference name. Comparison is
/// case-insensitive. A wildcard is allowed only as the whole left-most label ("*.example.com";
/// never "f*.example.com"), matches exactly one non-empty label, and only when at least two
/// labels follow it (never "*.com").
[[nodiscard]] bool dns_name_matches(std::string_view presented, std::string_view reference);

}  // namespace keel::x509
