#include "tls12/established.hpp"

#include <array>
#include <string>

#include "core/try.hpp"
#include "msg/finished.hpp"
#include "msg/types.hpp"
#include "record/protection12.hpp"
#include "record/record.hpp"
#include "tls13/channel.hpp"

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

Result<void> send_change_cipher_spec_and_finished(tls13::Channel& channel,
                                                  const handshake::Suite12& suite,
                                                  ByteView master_secret,
                                                  const handshake::KeyBlock12& keys,
                                                  handshake::FinishedSender sender) {
  const auto& provider = channel.provider();
  const bool client = sender == handshake::FinishedSender::client;
  KEEL_TRY(channel.send_change_cipher_spec());
  KEEL_TRY_ASSIGN(auto protection,
                  record::Protection12::make(provider, suite.aead,
                                             (client ? keys.client_key : keys.server_key).view(),
                                             (client ? keys.client_iv : keys.server_iv).view()));
  channel.records().set_write_protection(std::move(protection));
  KEEL_TRY_ASSIGN(auto handshake_hash, channel.transcript().hash());
  KEEL_TRY_ASSIGN(auto verify_data,
                  handshake::finished_verify_data12(provider, suite, master_secret, sender,
                                                    handshake_hash.view()));
  const ByteView data = verify_data.view();
  KEEL_TRY_ASSIGN(auto finished, msg::Finished{Bytes(data.begin(), data.end())}.encode());
  return channel.send_handshake(finished);
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
