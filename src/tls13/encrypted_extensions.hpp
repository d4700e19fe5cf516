// EncryptedExtensions (RFC 8446 §4.3.1): what the server builds, what the client accepts.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <keel/bytes.hpp>
#include <keel/codepoints.hpp>
#include <keel/result.hpp>

#include "msg/encrypted_extensions.hpp"
#include "msg/hello.hpp"

namespace keel::tls13 {

/// RFC 7301 §3.2: the server's most preferred protocol that the client offered; nothing if
/// either side has no list; no_application_protocol if both have one and share nothing.
[[nodiscard]] Result<std::optional<std::string>> select_alpn(
    std::span<const std::string> offered, std::span<const std::string> preference);

/// What the server answers in EncryptedExtensions.
struct ServerExtensions {
  /// §4.2.7: the server's groups, for the client's later connections (sent only if set).
  std::vector<NamedGroup> supported_groups;
  std::optional<std::string> alpn;
  /// RFC 6066 §3: an empty server_name tells the client its name was used.
  bool server_name_used = false;
  std::optional<std::uint16_t> record_size_limit;
  bool early_data_accepted = false;
};

[[nodiscard]] Result<msg::EncryptedExtensions> build_encrypted_extensions(
    const ServerExtensions& extensions);

/// Checks the server's EncryptedExtensions against the ClientHello sent: only server_name
/// (empty), supported_groups, ALPN (one protocol that was offered), record_size_limit and
/// early_data (empty), each in answer to the client's own (unsupported_extension for one the
/// client did not send, illegal_parameter for one that does not belong here, §4.2).
[[nodiscard]] Result<ServerExtensions> check_encrypted_extensions(
    const msg::ClientHello& sent, const msg::EncryptedExtensions& received);

}  // namespace keel::tls13
