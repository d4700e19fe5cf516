#include "msg/hello.hpp"

#include <algorithm>

#include "core/try.hpp"
#include "msg/types.hpp"
#include "wire/reader.hpp"
#include "wire/writer.hpp"

namespace keel::msg {
namespace {

using wire::Width;

Result<Random> read_random(wire::Reader& reader) {
  KEEL_TRY_ASSIGN(const ByteView bytes, reader.bytes(32));
  Random random{};
  std::copy(bytes.begin(), bytes.end(), random.begin());
  return random;
}

}  // namespace

Result<ClientHello> ClientHello::decode(ByteView body) {
  wire::Reader reader(body);
  ClientHello hello;
  KEEL_TRY_ASSIGN(hello.legacy_version, reader.u16());
  KEEL_TRY_ASSIGN(hello.random, read_random(reader));
  KEEL_TRY_ASSIGN(const ByteView session_id, reader.prefixed(Width::u8, 0, 32));
  hello.legacy_session_id.assign(session_id.begin(), session_id.end());
  KEEL_TRY_ASSIGN(wire::Reader suites, reader.sub(Width::u16, 2, 0xFFFE));
  if (suites.remaining() % 2 != 0) {
    return Error(Errc::malformed, "cipher_suites with an odd length");
  }
  while (!suites.empty()) {
    KEEL_TRY_ASSIGN(const std::uint16_t suite, suites.u16());
    hello.cipher_suites.push_back(static_cast<CipherSuite>(suite));
  }
  KEEL_TRY_ASSIGN(const ByteView compression, reader.prefixed(Width::u8, 1));
  hello.legacy_compression_methods.assign(compression.begin(), compression.end());
  if (!reader.empty()) {
    KEEL_TRY_ASSIGN(hello.extensions, decode_extensions(reader));
  }
  KEEL_TRY(reader.expect_empty());
  const auto psk =
      std::find_if(hello.extensions.begin(), hello.extensions.end(),
                   [](const Extension& e) { return e.is(ExtensionType::pre_shared_key); });
  if (psk != hello.extensions.end() && psk + 1 != hello.extensions.end()) {
    return Error(Errc::illegal_parameter, "pre_shared_key is not the last extension");
  }
  return hello;
}

Result<Bytes> ClientHello::encode() const {
  wire::Writer w;
  w.u8(static_cast<std::uint8_t>(HandshakeType::client_hello));
  {
    auto message = w.prefixed(Width::u24);
    w.u16(legacy_version);
    w.bytes(random);
    {
      auto session_id = w.prefixed(Width::u8, 32);
      w.bytes(legacy_session_id);
    }
    {
      auto suites = w.prefixed(Width::u16, 0xFFFE);
      for (const CipherSuite suite : cipher_suites) {
        w.u16(static_cast<std::uint16_t>(suite));
      }
    }
    {
      auto compression = w.prefixed(Width::u8);
      w.bytes(legacy_compression_methods);
    }
    encode_extensions(w, extensions);
  }
  return std::move(w).finish();
}

Result<ServerHello> ServerHello::decode(ByteView body) {
  wire::Reader reader(body);
  ServerHello hello;
  KEEL_TRY_ASSIGN(hello.legacy_version, reader.u16());
  KEEL_TRY_ASSIGN(hello.random, read_random(reader));
  KEEL_TRY_ASSIGN(const ByteView session_id, reader.prefixed(Width::u8, 0, 32));
  hello.legacy_session_id_echo.assign(session_id.begin(), session_id.end());
  KEEL_TRY_ASSIGN(const std::uint16_t suite, reader.u16());
  hello.cipher_suite = static_cast<CipherSuite>(suite);
  KEEL_TRY_ASSIGN(hello.legacy_compression_method, reader.u8());
  if (!reader.empty()) {
    KEEL_TRY_ASSIGN(hello.extensions, decode_extensions(reader));
  }
  KEEL_TRY(reader.expect_empty());
  return hello;
}

Result<Bytes> ServerHello::encode() const {
  wire::Writer w;
  w.u8(static_cast<std::uint8_t>(HandshakeType::server_hello));
  {
    auto message = w.prefixed(Width::u24);
    w.u16(legacy_version);
    w.bytes(random);
    {
      auto session_id = w.prefixed(Width::u8, 32);
      w.bytes(legacy_session_id_echo);
    }
    w.u16(static_cast<std::uint16_t>(cipher_suite));
    w.u8(legacy_compression_method);
    encode_extensions(w, extensions);
  }
  return std::move(w).finish();
}

}  // namespace keel::msg
