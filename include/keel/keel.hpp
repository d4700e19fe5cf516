// keel: TLS 1.3 and TLS 1.2 for C++20. Include this for the whole public API.
#pragma once

#include <string>

#include <keel/alert.hpp>
#include <keel/bytes.hpp>
#include <keel/codepoints.hpp>
#include <keel/config.hpp>
#include <keel/connection.hpp>
#include <keel/error.hpp>
#include <keel/negotiated.hpp>
#include <keel/result.hpp>
#include <keel/session.hpp>
#include <keel/stream.hpp>
#include <keel/version.hpp>

namespace keel {

/// The crypto backend keel runs on, with its version: "OpenSSL 3.0.19 27 Jan 2026".
[[nodiscard]] std::string crypto_backend();

}  // namespace keel
