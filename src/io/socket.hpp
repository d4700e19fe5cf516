// The few socket operations keel's adapters and tools share.
#pragma once

#include <cstdint>
#include <string>

#include <keel/result.hpp>

namespace keel::io {

/// A connected TCP socket to host:port: every address the name resolves to, in order, until one
/// answers, with TCP_NODELAY set. Errors name the host, the port and the reason.
[[nodiscard]] Result<int> connect_tcp(const std::string& host, std::uint16_t port);

/// io_error with errno's text ("timed out" for EAGAIN: a socket timeout expired).
[[nodiscard]] Error io_error(const std::string& what, int error_number);

}  // namespace keel::io
