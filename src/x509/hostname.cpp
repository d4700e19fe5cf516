#include "x509/hostname.hpp"

#include <algorithm>
#include <array>

#include "x509/idna.hpp"

#include <arpa/inet.h>

namespace keel::x509 {
namespace {

constexpr std::size_t kMaxName = 253;
constexpr std::size_t kMaxLabel = 63;

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return lower(x) == lower(y); });
}

}  // namespace

Result<std::string> normalize_dns_name(std::string_view name) {
  // U-labels become A-labels first (RFC 9525 §6.3: names are compared as A-labels).
  std::string converted;
  if (std::any_of(name.begin(), name.end(),
                  [](char c) { return static_cast<unsigned char>(c) >= 0x80; })) {
    std::size_t start = 0;
    while (start <= name.size()) {
      const std::size_t dot = std::min(name.find('.', start), name.size());
      const std::string_view label = name.substr(start, dot - start);
      if (std::any_of(label.begin(), label.end(),
                      [](char c) { return static_cast<unsigned char>(c) >= 0x80; })) {
        auto a_label = to_a_label(label);
        if (!a_label.ok()) {
          return std::move(a_label).error();
        }
        converted += *a_label;
      } else {
        converted += label;
      }
      if (dot < name.size()) {
        converted.push_back('.');
      }
      start = dot + 1;
    }
    name = converted;
  }
  if (name.ends_with('.')) {
    name.remove_suffix(1);
  }
  if (name.empty() || name.size() > kMaxName) {
    return Error(Errc::illegal_parameter, "host name must be 1 to 253 characters");
  }
  std::string out;
  std::size_t label = 0;
  for (const char c : name) {
    if (c == '.') {
      if (label == 0) {
        return Error(Errc::illegal_parameter, "host name has an empty label: " + std::string(name));
      }
      label = 0;
    } else {
      const char l = lower(c);
      const bool ldh = (l >= 'a' && l <= 'z') || (l >= '0' && l <= '9') || l == '-';
      if (!ldh) {
        return Error(
            Errc::illegal_parameter,
            "host name has a character outside letters, digits and '-': " + std::string(name));
      }
      if (++label > kMaxLabel) {
        return Error(Errc::illegal_parameter,
                     "host name label longer than 63: " + std::string(name));
      }
    }
    out.push_back(lower(c));
  }
  if (label == 0) {
    return Error(Errc::illegal_parameter, "host name has an empty label: " + std::string(name));
  }
  return out;
}

Result<EmailAddress> parse_email_address(std::string_view text) {
  const auto at = text.rfind('@');
  if (at == std::string_view::npos || at == 0) {
    return Error(Errc::illegal_parameter, "not an e-mail address: " + std::string(text));
  }
  const std::string_view local = text.substr(0, at);
  if (std::any_of(local.begin(), local.end(),
                  [](char c) { return static_cast<unsigned char>(c) >= 0x80; })) {
    // RFC 8398: such addresses are SmtpUTF8Mailbox otherNames, which keel does not match.
    return Error(Errc::not_supported,
                 "internationalized e-mail local part (RFC 8398): " + std::string(text));
  }
  if (std::any_of(local.begin(), local.end(), [](char c) { return c <= ' ' || c == 0x7F; })) {
    return Error(Errc::illegal_parameter, "not an e-mail address: " + std::string(text));
  }
  auto domain = normalize_dns_name(text.substr(at + 1));
  if (!domain.ok()) {
    return std::move(domain).error().prepend("e-mail address " + std::string(text));
  }
  return EmailAddress{std::string(local), std::move(domain).value()};
}

bool email_matches(std::string_view presented, const EmailAddress& reference) {
  const auto at = presented.rfind('@');
  if (at == std::string_view::npos) {
    return false;  // a bare domain is a constraint form, never a mailbox
  }
  // RFC 5280 §7.5: the local part exactly, the host part without regard to case.
  return presented.substr(0, at) == reference.local &&
         equal_ignoring_case(presented.substr(at + 1), reference.domain);
}

std::optional<Bytes> parse_ip_address(std::string_view text) {
  const std::string copy(text);  // inet_pton needs a terminated string
  std::array<std::uint8_t, 16> buffer{};
  if (inet_pton(AF_INET, copy.c_str(), buffer.data()) == 1) {
    return Bytes(buffer.begin(), buffer.begin() + 4);
  }
  if (inet_pton(AF_INET6, copy.c_str(), buffer.data()) == 1) {
    return Bytes(buffer.begin(), buffer.end());
  }
  return std::nullopt;
}

std::string ip_address_text(ByteView address) {
  std::array<char, INET6_ADDRSTRLEN> buffer{};
  const int family = address.size() == 4 ? AF_INET : AF_INET6;
  if ((address.size() != 4 && address.size() != 16) ||
      inet_ntop(family, address.data(), buffer.data(), buffer.size()) == nullptr) {
    return {};
  }
  return buffer.data();
}

bool dns_name_matches(std::string_view presented, std::string_view reference) {
  if (presented.ends_with('.')) {
    presented.remove_suffix(1);
  }
  if (presented.empty() || reference.empty()) {
    return false;
  }
  if (!presented.starts_with("*.")) {
    // A '*' anywhere else (a partial wildcard like "f*.example.com") never matches.
    return presented.find('*') == std::string_view::npos &&
           equal_ignoring_case(presented, reference);
  }
  const std::string_view suffix = presented.substr(1);  // ".example.com"
  // RFC 9525 §6.3: the wildcard stands for exactly one label, and at least two labels must
  // follow it, so "*.com" matches nothing.
  if (suffix.find('*') != std::string_view::npos ||
      std::count(suffix.begin(), suffix.end(), '.') < 2) {
    return false;
  }
  const auto first_dot = reference.find('.');
  if (first_dot == 0 || first_dot == std::string_view::npos) {
    return false;
  }
  return equal_ignoring_case(reference.substr(first_dot), suffix);
}

}  // namespace keel::x509
