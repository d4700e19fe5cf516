#include "tls13/encrypted_extensions.hpp"

#include <algorithm>
#include <array>

#include "core/try.hpp"
#include "msg/extensions.hpp"
#include "msg/types.hpp"

namespace keel::tls13 {
namespace {

using msg::ExtensionType;

msg::Extension extension(ExtensionType type, Bytes data) {
  return msg::Extension{static_cast<std::uint16_t>(type), std::move(data)};
}

}  // namespace

Result<std::optional<std::string>> select_alpn(std::span<const std::string> offered,
                                               std::span<const std::string> preference) {
  if (offered.empty() || preference.empty()) {
    return std::optional<std::string>();
  }
  for (const auto& protocol : preference) {
    if (std::find(offered.begin(), offered.end(), protocol) != offered.end()) {
      return std::optional<std::string>(protocol);
    }
  }
  return Error(Errc::no_application_protocol, "the client offers none of the server's protocols");
}

Result<msg::EncryptedExtensions> build_encrypted_extensions(const ServerExtensions& extensions) {
  // The order of RFC 8448's server: supported_groups, record_size_limit, server_name.
  msg::EncryptedExtensions out;
  if (!extensions.supported_groups.empty()) {
    KEEL_TRY_ASSIGN(Bytes data, msg::encode_named_groups(extensions.supported_groups));
    out.extensions.push_back(extension(ExtensionType::supported_groups, std::move(data)));
  }
  if (extensions.record_size_limit) {
    KEEL_TRY_ASSIGN(Bytes data, msg::encode_record_size_limit(*extensions.record_size_limit));
    out.extensions.push_back(extension(ExtensionType::record_size_limit, std::move(data)));
  }
  if (extensions.server_name_used) {
    out.extensions.push_back(extension(ExtensionType::server_name, {}));
  }
  if (extensions.alpn) {
    const std::array<std::string, 1> protocols = {*extensions.alpn};
    KEEL_TRY_ASSIGN(Bytes data, msg::encode_alpn(protocols));
    out.extensions.push_back(
        extension(ExtensionType::application_layer_protocol_negotiation, std::move(data)));
  }
  if (extensions.early_data_accepted) {
    out.extensions.push_back(extension(ExtensionType::early_data, {}));
  }
  return out;
}

Result<ServerExtensions> check_encrypted_extensions(const msg::ClientHello& sent,
                                                    const msg::EncryptedExtensions& received) {
  ServerExtensions out;
  for (const auto& ext : received.extensions) {
    const auto type = static_cast<ExtensionType>(ext.type);
    const Bytes* request = msg::find(sent.extensions, type);
    if (request == nullptr) {
      return Error(Errc::unsupported_extension,
                   msg::to_string(type) + " in EncryptedExtensions was not offered");
    }
    if (type == ExtensionType::server_name) {
      KEEL_TRY(msg::expect_empty_extension(ext.data));
      out.server_name_used = true;
    } else if (type == ExtensionType::supported_groups) {
      // §4.2.7: the server's preference, for the client's next connections; keel only checks
      // that it decodes.
      KEEL_TRY_ASSIGN(out.supported_groups, msg::decode_named_groups(ext.data));
    } else if (type == ExtensionType::application_layer_protocol_negotiation) {
      KEEL_TRY_ASSIGN(const auto selected, msg::decode_alpn(ext.data));
      KEEL_TRY_ASSIGN(const auto offered, msg::decode_alpn(*request));
      // RFC 7301 §3.1: the reply "MUST contain exactly one "ProtocolName"", one the client
      // offered.
      if (selected.size() != 1 ||
          std::find(offered.begin(), offered.end(), selected[0]) == offered.end()) {
        return Error(Errc::illegal_parameter, "the server selected a protocol not offered");
      }
      out.alpn = selected[0];
    } else if (type == ExtensionType::record_size_limit) {
      KEEL_TRY_ASSIGN(out.record_size_limit, msg::decode_record_size_limit(ext.data));
    } else if (type == ExtensionType::early_data) {
      KEEL_TRY(msg::expect_empty_extension(ext.data));
      out.early_data_accepted = true;
    } else {
      return Error(Errc::illegal_parameter,
                   msg::to_string(type) + " does not belong in EncryptedExtensions");
    }
  }
  return out;
}

}  // namespace keel::tls13
