// Fuzzes every handshake message decoder and the typed extension decoders. Oracle: whatever
// decodes must encode back to exactly the bytes it came from (the decoders are strict: nothing
// is dropped, and a message has one encoding, but for a hello's absent extensions block), and
// decoding that encoding must give back the same message.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <type_traits>

#include "msg/certificate.hpp"
#include "msg/certificate_request.hpp"
#include "msg/certificate_verify.hpp"
#include "msg/encrypted_extensions.hpp"
#include "msg/extensions.hpp"
#include "msg/hello.hpp"
#include "msg/key_update.hpp"
#include "msg/new_session_ticket.hpp"
#include "msg/tls12_messages.hpp"

namespace {

using keel::ByteView;

/// Whether `reencoded` is `body` — or, for a hello with no extensions block at all (RFC 5246
/// §7.4.1.2 and §7.4.1.3 allow a TLS 1.2 peer to leave it out), `body` and an empty one: the
/// one difference between two encodings keel accepts.
template <class Message>
bool same_encoding(ByteView reencoded, ByteView body) {
  if (std::equal(reencoded.begin(), reencoded.end(), body.begin(), body.end())) {
    return true;
  }
  if constexpr (std::is_same_v<Message, keel::msg::ClientHello> ||
                std::is_same_v<Message, keel::msg::ServerHello>) {
    return reencoded.size() == body.size() + 2 &&
           std::equal(body.begin(), body.end(), reencoded.begin()) && reencoded[body.size()] == 0 &&
           reencoded[body.size() + 1] == 0;
  }
  return false;
}

template <class Message>
void round_trip(ByteView body) {
  auto decoded = Message::decode(body);
  if (!decoded.ok()) {
    return;
  }
  auto encoded = decoded->encode();
  if (!encoded.ok()) {
    std::abort();  // a decoded message always fits its own encoding
  }
  const ByteView reencoded = ByteView(*encoded).subspan(4);  // after the message header
  if (!same_encoding<Message>(reencoded, body)) {
    std::abort();
  }
  auto again = Message::decode(reencoded);
  if (!again.ok() || !(*again == *decoded)) {
    std::abort();
  }
}

void extensions(ByteView data) {
  (void)keel::msg::decode_version_list(data);
  (void)keel::msg::decode_named_groups(data);
  (void)keel::msg::decode_signature_schemes(data);
  (void)keel::msg::decode_client_shares(data);
  (void)keel::msg::decode_server_share(data);
  (void)keel::msg::decode_server_name(data);
  (void)keel::msg::decode_alpn(data);
  (void)keel::msg::decode_psk_modes(data);
  (void)keel::msg::decode_cookie(data);
  (void)keel::msg::decode_status_request(data);
  (void)keel::msg::decode_certificate_status(data);
  auto psks = keel::msg::decode_offered_psks(data);
  if (psks.ok()) {
    auto encoded = keel::msg::encode_offered_psks(*psks);
    if (!encoded.ok() || !(*keel::msg::decode_offered_psks(*encoded) == *psks)) {
      std::abort();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const ByteView body(data + 1, size - 1);
  switch (data[0] % 14) {  // the first byte picks the decoder
    case 0:
      round_trip<keel::msg::ClientHello>(body);
      break;
    case 1:
      round_trip<keel::msg::ServerHello>(body);
      break;
    case 2:
      round_trip<keel::msg::EncryptedExtensions>(body);
      break;
    case 3:
      round_trip<keel::msg::CertificateMessage>(body);
      break;
    case 4:
      round_trip<keel::msg::CertificateRequest>(body);
      break;
    case 5:
      round_trip<keel::msg::CertificateVerify>(body);
      break;
    case 6:
      round_trip<keel::msg::NewSessionTicket>(body);
      break;
    case 7:
      round_trip<keel::msg::KeyUpdate>(body);
      break;
    case 9:
      round_trip<keel::msg::ServerKeyExchange12>(body);
      break;
    case 10:
      round_trip<keel::msg::ClientKeyExchange12>(body);
      break;
    case 11:
      round_trip<keel::msg::Certificate12>(body);
      break;
    case 12:
      round_trip<keel::msg::CertificateRequest12>(body);
      break;
    case 13:
      round_trip<keel::msg::NewSessionTicket12>(body);
      break;
    default:
      extensions(body);
      break;
  }
  return 0;
}
