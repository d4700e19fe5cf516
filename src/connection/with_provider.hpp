// Connection::client() and Connection::server() with a provider other than the default, and a
// clock other than the system's: for keel's own fuzzers (a transparent provider lets them past
// the crypto; a fixed clock keeps recorded tickets fresh). Not part of the public API.
#pragma once

#include <memory>
#include <string_view>

#include <keel/config.hpp>
#include <keel/connection.hpp>

#include "core/clock.hpp"
#include "crypto/provider.hpp"

namespace keel::connection {

[[nodiscard]] Result<Connection> client_with(crypto::Provider& provider,
                                             const std::shared_ptr<const ClientConfig>& config,
                                             std::string_view server_name,
                                             const Clock* clock = nullptr);
[[nodiscard]] Result<Connection> server_with(crypto::Provider& provider,
                                             const std::shared_ptr<const ServerConfig>& config,
                                             const Clock* clock = nullptr);

}  // namespace keel::connection
