#include <array>

#include <keel/codepoints.hpp>

#include "core/hex.hpp"

namespace keel {
namespace {

template <class Enum>
struct Row {
  Enum value;
  std::string_view name;
};

#define KEEL_CODEPOINT_ROW_CS(name, value) Row<CipherSuite>{CipherSuite::name, #name},
#define KEEL_CODEPOINT_ROW_NG(name, value) Row<NamedGroup>{NamedGroup::name, #name},
#define KEEL_CODEPOINT_ROW_SS(name, value) Row<SignatureScheme>{SignatureScheme::name, #name},

constexpr std::array kCipherSuites = {KEEL_CIPHER_SUITES(KEEL_CODEPOINT_ROW_CS)};
constexpr std::array kNamedGroups = {KEEL_NAMED_GROUPS(KEEL_CODEPOINT_ROW_NG)};
constexpr std::array kSignatureSchemes = {KEEL_SIGNATURE_SCHEMES(KEEL_CODEPOINT_ROW_SS)};

#undef KEEL_CODEPOINT_ROW_CS
#undef KEEL_CODEPOINT_ROW_NG
#undef KEEL_CODEPOINT_ROW_SS

template <class Enum, std::size_t N>
std::string name_of(const std::array<Row<Enum>, N>& table, Enum value) {
  for (const auto& row : table) {
    if (row.value == value) {
      return std::string(row.name);
    }
  }
  const auto raw = static_cast<std::uint16_t>(value);
  const std::array<std::uint8_t, 2> bytes = {static_cast<std::uint8_t>(raw >> 8U),
                                             static_cast<std::uint8_t>(raw & 0xFFU)};
  return "unknown(0x" + to_hex(bytes) + ")";
}

template <class Enum, std::size_t N>
std::optional<Enum> from_name(const std::array<Row<Enum>, N>& table, std::string_view name) {
  for (const auto& row : table) {
    if (row.name == name) {
      return row.value;
    }
  }
  return std::nullopt;
}

}  // namespace

std::string to_string(CipherSuite suite) {
  return name_of(kCipherSuites, suite);
}
std::string to_string(NamedGroup group) {
  return name_of(kNamedGroups, group);
}
std::string to_string(SignatureScheme scheme) {
  return name_of(kSignatureSchemes, scheme);
}

std::optional<CipherSuite> cipher_suite_from_name(std::string_view name) {
  return from_name(kCipherSuites, name);
}
std::optional<NamedGroup> named_group_from_name(std::string_view name) {
  return from_name(kNamedGroups, name);
}
std::optional<SignatureScheme> signature_scheme_from_name(std::string_view name) {
  return from_name(kSignatureSchemes, name);
}

}  // namespace keel
