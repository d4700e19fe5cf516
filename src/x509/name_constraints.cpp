#include "x509/name_constraints.hpp"

#include <algorithm>
#include <string>
#include <string_view>

#include "core/try.hpp"
#include "x509/hostname.hpp"
#include "x509/oids.hpp"

namespace keel::x509 {
namespace {

std::string_view text(ByteView bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool ends_with_ignoring_case(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         std::equal(suffix.begin(), suffix.end(),
                    s.end() - static_cast<std::ptrdiff_t>(suffix.size()),
                    [](char a, char b) { return lower(a) == lower(b); });
}

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && ends_with_ignoring_case(a, b);
}

/// RFC 5280 §4.2.1.10: "host.example.com" is within "example.com" (any number of labels
/// added on the left) and within itself; a constraint with a leading '.' only matches names
/// below it. An empty constraint matches every name.
bool dns_within(std::string_view name, std::string_view constraint) {
  if (constraint.empty()) {
    return true;
  }
  if (constraint.starts_with('.')) {
    return name.size() > constraint.size() && ends_with_ignoring_case(name, constraint);
  }
  if (equal_ignoring_case(name, constraint)) {
    return true;
  }
  return name.size() > constraint.size() && ends_with_ignoring_case(name, constraint) &&
         name[name.size() - constraint.size() - 1] == '.';
}

bool ip_within(ByteView address, ByteView constraint) {
  if (constraint.size() != address.size() * 2) {
    return false;  // IPv4 constraints never match IPv6 addresses and vice versa
  }
  for (std::size_t i = 0; i < address.size(); ++i) {
    const auto mask = constraint[address.size() + i];
    if ((address[i] & mask) != (constraint[i] & mask)) {
      return false;
    }
  }
  return true;
}

/// rfc822Name constraints: "user@host" a mailbox; "host" every mailbox at host; ".host" every
/// mailbox at a host below.
bool email_within(std::string_view mailbox, std::string_view constraint) {
  const auto at = mailbox.rfind('@');
  if (at == std::string_view::npos) {
    return false;
  }
  if (constraint.find('@') != std::string_view::npos) {
    // The local part is case-sensitive, the domain not.
    return mailbox.substr(0, at) == constraint.substr(0, constraint.find('@')) &&
           equal_ignoring_case(mailbox.substr(at + 1), constraint.substr(constraint.find('@') + 1));
  }
  const std::string_view host = mailbox.substr(at + 1);
  if (constraint.starts_with('.')) {
    return host.size() > constraint.size() && ends_with_ignoring_case(host, constraint);
  }
  return equal_ignoring_case(host, constraint);
}

/// A directoryName is within a constraint whose RDNs are a prefix of its own.
bool directory_within(const Name& name, const Name& constraint) {
  const auto& rdns = name.rdns();
  const auto& prefix = constraint.rdns();
  if (prefix.size() > rdns.size()) {
    return false;
  }
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (rdns[i].size() != prefix[i].size()) {
      return false;
    }
    for (std::size_t k = 0; k < prefix[i].size(); ++k) {
      const auto& a = rdns[i][k];
      const auto& b = prefix[i][k];
      if (!std::equal(a.type.begin(), a.type.end(), b.type.begin(), b.type.end()) ||
          !std::equal(a.value.begin(), a.value.end(), b.value.begin(), b.value.end())) {
        return false;
      }
    }
  }
  return true;
}

Result<Name> name_from_encoding(ByteView encoding) {
  KEEL_TRY_ASSIGN(const der::Element element, der::parse_single(encoding));
  return Name::parse(element);
}

/// Whether `name` (of `kind`) is within `subtree` (of the same kind).
Result<bool> within(GeneralNameKind kind, ByteView name, const GeneralName& subtree) {
  switch (kind) {
    case GeneralNameKind::dns_name:
      return dns_within(text(name), text(subtree.value));
    case GeneralNameKind::ip_address:
      return ip_within(name, subtree.value);
    case GeneralNameKind::rfc822_name:
      return email_within(text(name), text(subtree.value));
    case GeneralNameKind::directory_name: {
      KEEL_TRY_ASSIGN(const Name subject, name_from_encoding(name));
      KEEL_TRY_ASSIGN(const Name base, name_from_encoding(subtree.value));
      return directory_within(subject, base);
    }
    default:
      // otherName, x400Address, ediPartyName, URI, registeredID: keel cannot evaluate these
      // constraints, so a name of such a kind under one is refused rather than let through.
      return Error(Errc::name_constraints_violated,
                   "a name constraint of a kind keel does not evaluate applies to the certificate");
  }
}

/// Checks one name against the constraints of its kind: no excluded subtree may contain it,
/// and if there are permitted subtrees of its kind, one must.
Result<void> check_name(const NameConstraints& constraints, GeneralNameKind kind, ByteView name,
                        const std::string& shown, const Certificate& ca, std::size_t& budget) {
  const std::size_t cost = constraints.permitted.size() + constraints.excluded.size();
  if (cost > budget) {
    return Error(Errc::path_work_limit,
                 "name constraints of " + ca.describe() + " need more comparisons than allowed");
  }
  budget -= cost;
  for (const auto& subtree : constraints.excluded) {
    if (subtree.base.kind != kind) {
      continue;
    }
    KEEL_TRY_ASSIGN(bool inside, within(kind, name, subtree.base));
    // A wildcard "*.X" stands for names it might match (RFC 9525): it is excluded if any of
    // them is, i.e. if the excluded name is exactly one label below X.
    const std::string_view presented = text(name);
    if (!inside && kind == GeneralNameKind::dns_name && presented.starts_with("*.")) {
      const std::string_view excluded = text(subtree.base.value);
      const std::string_view base = presented.substr(1);  // ".X"
      const auto dot = excluded.find('.');
      inside = dot != std::string_view::npos && dot > 0 &&
               equal_ignoring_case(excluded.substr(dot), base);
    }
    if (inside) {
      return Error(Errc::name_constraints_violated,
                   shown + " is excluded by the name constraints of " + ca.describe());
    }
  }
  bool any_permitted_of_kind = false;
  for (const auto& subtree : constraints.permitted) {
    if (subtree.base.kind != kind) {
      continue;
    }
    any_permitted_of_kind = true;
    KEEL_TRY_ASSIGN(const bool inside, within(kind, name, subtree.base));
    if (inside) {
      return ok();
    }
  }
  if (any_permitted_of_kind) {
    return Error(Errc::name_constraints_violated,
                 shown + " is outside the names permitted by " + ca.describe());
  }
  return ok();
}

/// Under name constraints, names must be well-formed, or a malformed one could slip past a
/// comparison (RFC 5280 §4.2.1.6 syntax: LDH host names, "local@domain" mailboxes).
bool well_formed(GeneralNameKind kind, std::string_view name) {
  if (kind == GeneralNameKind::dns_name) {
    const std::string_view host = name.starts_with("*.") ? name.substr(2) : name;
    return normalize_dns_name(host).ok() && !host.ends_with('.');
  }
  if (kind == GeneralNameKind::rfc822_name) {
    const auto at = name.find('@');
    return at != std::string_view::npos && at > 0 &&
           name.find('@', at + 1) == std::string_view::npos &&
           normalize_dns_name(name.substr(at + 1)).ok();
  }
  return true;
}

}  // namespace

Result<void> check_name_constraints(const NameConstraints& constraints, const Certificate& ca,
                                    const Certificate& cert, bool is_leaf, std::size_t& budget) {
  const auto& sans = cert.extensions().subject_alt_names;
  if (sans) {
    for (const auto& name : *sans) {
      std::string shown = "subjectAltName";
      if (name.kind == GeneralNameKind::dns_name || name.kind == GeneralNameKind::rfc822_name) {
        shown += " " + std::string(text(name.value));
      }
      if (!well_formed(name.kind, text(name.value))) {
        return Error(Errc::name_constraints_violated,
                     "malformed " + shown + " under the name constraints of " + ca.describe());
      }
      KEEL_TRY(check_name(constraints, name.kind, name.value, shown, ca, budget));
    }
  }
  if (!cert.subject().empty()) {
    KEEL_TRY(check_name(constraints, GeneralNameKind::directory_name, cert.subject().encoding(),
                        "subject " + cert.subject().to_string(), ca, budget));
  }
  for (const auto& rdn : cert.subject().rdns()) {
    for (const auto& attribute : rdn) {
      if (oid::is(attribute.type, oid::kEmailAddress)) {
        KEEL_TRY(check_name(constraints, GeneralNameKind::rfc822_name, attribute.value,
                            "subject emailAddress", ca, budget));
      }
    }
  }
  if (!sans && is_leaf) {
    // Without SANs, a leaf's common name that looks like a host name is constrained as one, so a
    // constrained CA cannot slip a name past its constraints through the CN.
    for (const auto& cn : cert.subject().common_names()) {
      if (normalize_dns_name(cn).ok()) {
        const ByteView bytes(reinterpret_cast<const std::uint8_t*>(cn.data()), cn.size());
        KEEL_TRY(check_name(constraints, GeneralNameKind::dns_name, bytes, "common name " + cn, ca,
                            budget));
      }
    }
  }
  return ok();
}

}  // namespace keel::x509
