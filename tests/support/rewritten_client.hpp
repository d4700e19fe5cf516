// A keel client whose ClientHello is changed before it is sent: for tests of what a server
// does with a hello keel's configuration would never produce. Uses the engine's seam
// (tls13::ClientSettings::rewrite_client_hello), which is not public API.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <utility>

#include <gtest/gtest.h>

#include <keel/connection.hpp>

#include "connection/engine.hpp"
#include "msg/hello.hpp"
#include "tls13/client.hpp"

namespace keel::test {

enum class Offer : std::uint8_t { tls13_and_tls12, tls12_only };

/// A started keel client for "server.test", offering keel's defaults and `offer`, whose
/// ClientHello passes through `rewrite` before it is sent.
inline Connection rewritten_client(std::function<void(msg::ClientHello&)> rewrite,
                                   Offer offer = Offer::tls13_and_tls12) {
  tls13::ClientSettings settings;
  settings.offer.tls12 = true;
  settings.offer.tls13 = offer == Offer::tls13_and_tls12;
  settings.offer.cipher_suites = default_cipher_suites();
  settings.offer.groups = default_groups();
  settings.offer.signature_schemes = default_signature_schemes();
  settings.offer.server_name = "server.test";
  settings.rewrite_client_hello = std::move(rewrite);
  auto engine = std::make_unique<connection::Engine>(crypto::default_provider(),
                                                     tls13::make_client_handshake(settings));
  EXPECT_TRUE(engine->start().ok());
  return Connection(std::move(engine));
}

}  // namespace keel::test
