#include "msg/types.hpp"

namespace keel::msg {

std::string to_string(HandshakeType type) {
  switch (type) {
    case HandshakeType::hello_request:
      return "HelloRequest";
    case HandshakeType::client_hello:
      return "ClientHello";
    case HandshakeType::server_hello:
      return "ServerHello";
    case HandshakeType::new_session_ticket:
      return "NewSessionTicket";
    case HandshakeType::end_of_early_data:
      return "EndOfEarlyData";
    case HandshakeType::encrypted_extensions:
      return "EncryptedExtensions";
    case HandshakeType::certificate:
      return "Certificate";
    case HandshakeType::server_key_exchange:
      return "ServerKeyExchange";
    case HandshakeType::certificate_request:
      return "CertificateRequest";
    case HandshakeType::server_hello_done:
      return "ServerHelloDone";
    case HandshakeType::client_key_exchange:
      return "ClientKeyExchange";
    case HandshakeType::certificate_verify:
      return "CertificateVerify";
    case HandshakeType::finished:
      return "Finished";
    case HandshakeType::certificate_status:
      return "CertificateStatus";
    case HandshakeType::key_update:
      return "KeyUpdate";
    case HandshakeType::message_hash:
      return "message_hash";
  }
  return "handshake type " + std::to_string(static_cast<unsigned>(type));
}

std::string to_string(ExtensionType type) {
  switch (type) {
    case ExtensionType::server_name:
      return "server_name";
    case ExtensionType::status_request:
      return "status_request";
    case ExtensionType::supported_groups:
      return "supported_groups";
    case ExtensionType::ec_point_formats:
      return "ec_point_formats";
    case ExtensionType::signature_algorithms:
      return "signature_algorithms";
    case ExtensionType::application_layer_protocol_negotiation:
      return "application_layer_protocol_negotiation";
    case ExtensionType::extended_master_secret:
      return "extended_master_secret";
    case ExtensionType::session_ticket:
      return "session_ticket";
    case ExtensionType::record_size_limit:
      return "record_size_limit";
    case ExtensionType::pre_shared_key:
      return "pre_shared_key";
    case ExtensionType::early_data:
      return "early_data";
    case ExtensionType::supported_versions:
      return "supported_versions";
    case ExtensionType::cookie:
      return "cookie";
    case ExtensionType::psk_key_exchange_modes:
      return "psk_key_exchange_modes";
    case ExtensionType::certificate_authorities:
      return "certificate_authorities";
    case ExtensionType::signature_algorithms_cert:
      return "signature_algorithms_cert";
    case ExtensionType::key_share:
      return "key_share";
    case ExtensionType::renegotiation_info:
      return "renegotiation_info";
  }
  return "extension " + std::to_string(static_cast<unsigned>(type));
}

}  // namespace keel::msg
