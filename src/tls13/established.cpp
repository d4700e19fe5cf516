#include "tls13/established.hpp"

#include "core/try.hpp"
#include "msg/key_update.hpp"
#include "msg/types.hpp"

namespace keel::tls13 {

Result<ApplicationSecrets> derive_application_secrets(const handshake::MasterSecret& master,
                                                      ByteView server_finished_hash,
                                                      const Channel& channel) {
  ApplicationSecrets secrets;
  KEEL_TRY_ASSIGN(secrets.client, master.client_traffic_secret(server_finished_hash));
  KEEL_TRY_ASSIGN(secrets.server, master.server_traffic_secret(server_finished_hash));
  KEEL_TRY_ASSIGN(secrets.exporter, master.exporter_master_secret(server_finished_hash));
  channel.log_secret("CLIENT_TRAFFIC_SECRET_0", secrets.client.view());
  channel.log_secret("SERVER_TRAFFIC_SECRET_0", secrets.server.view());
  channel.log_secret("EXPORTER_SECRET", secrets.exporter.view());
  return secrets;
}

Result<void> Established::handle(Channel& channel, const handshake::HandshakeMessage& message) {
  switch (message.type) {
    case msg::HandshakeType::key_update: {
      KEEL_TRY_ASSIGN(auto update, msg::KeyUpdate::decode(message.body));
      if (++key_updates_in_a_row_ > kMaxKeyUpdatesInARow) {
        return Error(Errc::limit_exceeded, "more than 32 KeyUpdates in a row");
      }
      // §4.6.3: the receiver updates its receiving keys, and if asked, answers with a
      // KeyUpdate of its own "prior to sending its next Application Data record".
      KEEL_TRY_ASSIGN(auto next, handshake::next_traffic_secret(channel.provider(), suite_.hash,
                                                                read_secret().view()));
      read_secret() = std::move(next);
      KEEL_TRY(channel.set_read_secret(suite_, read_secret().view()));
      if (update.update_requested && writing_) {
        KEEL_TRY(update_keys(channel, false));
      }
      return {};
    }
    case msg::HandshakeType::new_session_ticket: {
      if (side_ != Side::client) {
        return Error(Errc::unexpected_message, "NewSessionTicket sent to a server");
      }
      KEEL_TRY_ASSIGN(auto ticket, msg::NewSessionTicket::decode(message.body));
      ++tickets_;
      if (on_ticket_) {
        KEEL_TRY_ASSIGN(auto psk,
                        handshake::resumption_psk(channel.provider(), suite_.hash,
                                                  secrets_.resumption.view(), ticket.ticket_nonce));
        on_ticket_(ticket, std::move(psk));
      }
      return {};
    }
    default:
      return Error(Errc::unexpected_message, "handshake message " +
                                                 std::string(msg::to_string(message.type)) +
                                                 " after the handshake");
  }
}

Result<void> Established::update_keys(Channel& channel, bool request_peer) {
  KEEL_TRY_ASSIGN(auto message, msg::KeyUpdate{.update_requested = request_peer}.encode());
  KEEL_TRY(channel.send_post_handshake(message));
  KEEL_TRY_ASSIGN(auto next, handshake::next_traffic_secret(channel.provider(), suite_.hash,
                                                            write_secret().view()));
  write_secret() = std::move(next);
  return channel.set_write_secret(suite_, write_secret().view());
}

Result<void> Established::export_keying_material(const crypto::Provider& provider,
                                                 std::string_view label, ByteView context,
                                                 MutableByteView out) const {
  return handshake::export_keying_material(provider, suite_.hash, secrets_.exporter.view(), label,
                                           context, out);
}

}  // namespace keel::tls13
