// Fuzzes every handshake message decoder and the typed extension decoders. Oracle: whatever
// decodes must encode, and decoding that encoding must give back the same message.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

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
  auto again = Message::decode(ByteView(*encoded).subspan(4));
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
