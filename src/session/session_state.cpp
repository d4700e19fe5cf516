#include "session/session_state.hpp"

#include "core/try.hpp"
#include "wire/reader.hpp"
#include "wire/writer.hpp"

namespace keel::session {

using wire::Width;

// The layout (keel's own, versioned by its first byte):
//   u8 format(1) | u16 version | u16 suite | u64 created | u32 lifetime | u32 age_add |
//   u32 max_early_data | secret<1..48> | server_name<0..255> | alpn<0..255> |
//   u8 flags (bit 0: peer verified; bit 1: server_name present; bit 2: alpn present) |
//   peer_certificates<0..2^24-1> of certificate<1..2^24-1>
namespace {
constexpr std::uint8_t kFormat = 1;
constexpr std::uint8_t kPeerVerified = 1U;
constexpr std::uint8_t kHasServerName = 2U;
constexpr std::uint8_t kHasAlpn = 4U;

ByteView text_bytes(const std::string& text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}
}  // namespace

Result<Secret> SessionState::encode() const {
  if (secret.empty() || secret.size() > kMaxSecret) {
    return Error(Errc::invalid_argument, "session secret size");
  }
  if (peer_certificates.size() > kMaxPeerCertificates) {
    return Error(Errc::limit_exceeded, "more than 4 peer certificates in a session");
  }
  wire::Writer w;
  w.u8(kFormat);
  w.u16(static_cast<std::uint16_t>(version));
  w.u16(static_cast<std::uint16_t>(suite));
  w.u32(static_cast<std::uint32_t>(created >> 32U));
  w.u32(static_cast<std::uint32_t>(created));
  w.u32(lifetime);
  w.u32(age_add);
  w.u32(max_early_data);
  {
    auto p = w.prefixed(Width::u8, kMaxSecret);
    w.bytes(secret.view());
  }
  {
    auto p = w.prefixed(Width::u8, 255);
    if (server_name) {
      w.bytes(text_bytes(*server_name));
    }
  }
  {
    auto p = w.prefixed(Width::u8);
    if (alpn) {
      w.bytes(text_bytes(*alpn));
    }
  }
  w.u8(static_cast<std::uint8_t>((peer_verified ? kPeerVerified : 0U) |
                                 (server_name ? kHasServerName : 0U) | (alpn ? kHasAlpn : 0U)));
  {
    auto list = w.prefixed(Width::u24);
    for (const auto& certificate : peer_certificates) {
      auto p = w.prefixed(Width::u24);
      w.bytes(certificate);
    }
  }
  return std::move(w).finish_secret();
}

Result<SessionState> SessionState::decode(ByteView data) {
  wire::Reader r(data);
  KEEL_TRY_ASSIGN(const std::uint8_t format, r.u8());
  if (format != kFormat) {
    return Error(Errc::malformed, "session format " + std::to_string(format));
  }
  SessionState out;
  KEEL_TRY_ASSIGN(const std::uint16_t version, r.u16());
  if (version != static_cast<std::uint16_t>(ProtocolVersion::tls12) &&
      version != static_cast<std::uint16_t>(ProtocolVersion::tls13)) {
    return Error(Errc::malformed, "session version");
  }
  out.version = static_cast<ProtocolVersion>(version);
  KEEL_TRY_ASSIGN(const std::uint16_t suite, r.u16());
  out.suite = static_cast<CipherSuite>(suite);
  KEEL_TRY_ASSIGN(const std::uint32_t created_high, r.u32());
  KEEL_TRY_ASSIGN(const std::uint32_t created_low, r.u32());
  out.created = (std::uint64_t{created_high} << 32U) | created_low;
  KEEL_TRY_ASSIGN(out.lifetime, r.u32());
  KEEL_TRY_ASSIGN(out.age_add, r.u32());
  KEEL_TRY_ASSIGN(out.max_early_data, r.u32());
  KEEL_TRY_ASSIGN(const ByteView secret, r.prefixed(Width::u8, 1, kMaxSecret));
  out.secret = Secret::copy_of(secret);
  KEEL_TRY_ASSIGN(const ByteView server_name, r.prefixed(Width::u8));
  KEEL_TRY_ASSIGN(const ByteView alpn, r.prefixed(Width::u8));
  KEEL_TRY_ASSIGN(const std::uint8_t flags, r.u8());
  if ((flags & ~(kPeerVerified | kHasServerName | kHasAlpn)) != 0U ||
      ((flags & kHasServerName) == 0U && !server_name.empty()) ||
      ((flags & kHasAlpn) == 0U && !alpn.empty())) {
    return Error(Errc::malformed, "session flags");
  }
  out.peer_verified = (flags & kPeerVerified) != 0U;
  if ((flags & kHasServerName) != 0U) {
    out.server_name = std::string(server_name.begin(), server_name.end());
  }
  if ((flags & kHasAlpn) != 0U) {
    out.alpn = std::string(alpn.begin(), alpn.end());
  }
  KEEL_TRY_ASSIGN(auto list, r.sub(Width::u24));
  while (!list.empty()) {
    if (out.peer_certificates.size() == kMaxPeerCertificates) {
      return Error(Errc::limit_exceeded, "more than 4 peer certificates in a session");
    }
    KEEL_TRY_ASSIGN(const ByteView certificate, list.prefixed(Width::u24, 1));
    out.peer_certificates.emplace_back(certificate.begin(), certificate.end());
  }
  KEEL_TRY(r.expect_empty());
  return out;
}

SessionState SessionState::clone() const {
  SessionState out;
  out.version = version;
  out.suite = suite;
  out.secret = secret.clone();
  out.created = created;
  out.lifetime = lifetime;
  out.age_add = age_add;
  out.max_early_data = max_early_data;
  out.server_name = server_name;
  out.alpn = alpn;
  out.peer_certificates = peer_certificates;
  out.peer_verified = peer_verified;
  return out;
}

}  // namespace keel::session
