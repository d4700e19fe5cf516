#include "tls12/established.hpp"

#include <array>
#include <string>

#include "core/try.hpp"
#include "msg/types.hpp"
#include "record/record.hpp"

namespace keel::tls12 {

Result<FinishedVerified12> verify_finished12(const crypto::Provider& provider,
                                             const handshake::Suite12& suite,
                                             ByteView master_secret,
                                             handshake::FinishedSender sender,
                                             ByteView handshake_hash, ByteView received) {
  KEEL_TRY_ASSIGN(
      const Secret expected,
      handshake::finished_verify_data12(provider, suite, master_secret, sender, handshake_hash));
  if (!constant_time_equal(expected.view(), received)) {
    return Error(Errc::bad_signature, "the peer's Finished does not match the handshake");
  }
  return FinishedVerified12{};
}

Result<void> Established::handle(tls13::Channel& channel,
                                 const handshake::HandshakeMessage& message) {
  const bool renegotiation =
      (side_ == Side::client && message.type == msg::HandshakeType::hello_request) ||
      (side_ == Side::server && message.type == msg::HandshakeType::client_hello);
  if (!renegotiation) {
    return Error(Errc::unexpected_message, "handshake message " + msg::to_string(message.type) +
                                               " after the TLS 1.2 handshake");
  }
  if (++refusals_in_a_row_ > kMaxRefusals) {
    return Error(Errc::limit_exceeded,
                 "more than " + std::to_string(kMaxRefusals) + " renegotiation attempts in a row");
  }
  if (!writing_) {
    return {};
  }
  constexpr std::uint8_t kWarning = 1;
  const std::array<std::uint8_t, 2> alert = {kWarning,
                                             static_cast<std::uint8_t>(Alert::no_renegotiation)};
  return channel.records().write(record::ContentType::alert, alert);
}

Result<void> Established::update_keys(tls13::Channel& /*channel*/, bool /*request_peer*/) {
  return Error(Errc::invalid_argument, "TLS 1.2 has no key update (the connection is TLS 1.2)");
}

Result<void> Established::export_keying_material(const crypto::Provider& provider,
                                                 std::string_view label, ByteView context,
                                                 MutableByteView out) const {
  return handshake::export_keying_material12(provider, suite_, master_secret_.view(),
                                             client_random_, server_random_, label, context, out);
}

}  // namespace keel::tls12
