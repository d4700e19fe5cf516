// Fuzzes the TLS 1.3 engine from the network side: arbitrary bytes fed, in arbitrary chunks, to
// a server (as if from a client) or to a client that has sent its ClientHello (as if from a
// server) — in some runs a client resuming a session with 0-RTT data already sent. Nothing may
// crash, hang or leak; after a failure the connection stays failed and sends nothing more.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include <keel/config.hpp>
#include <keel/connection.hpp>
#include <keel/session.hpp>

namespace {

std::string read_text(const std::string& name) {
  std::ifstream in(std::string(KEEL_FUZZ_DATA_DIR) + "/" + name);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

const std::shared_ptr<const keel::ServerConfig>& server_config() {
  static const auto config = [] {
    auto certified = keel::CertifiedKey::from_pem(read_text("server-ecdsa-p256.pem"),
                                                  read_text("server-ecdsa-p256.key"));
    if (!certified.ok())
      std::abort();
    auto made = std::make_shared<keel::ServerConfig>();
    made->certificates.push_back(std::move(certified).value());
    return std::shared_ptr<const keel::ServerConfig>(made);
  }();
  return config;
}

const std::shared_ptr<const keel::ClientConfig>& client_config() {
  static const auto config = [] {
    auto made = std::make_shared<keel::ClientConfig>();
    auto anchors = keel::TrustAnchors::from_pem(read_text("root.pem"));
    if (!anchors.ok())
      std::abort();
    made->trust_anchors = std::move(anchors).value();
    return std::shared_ptr<const keel::ClientConfig>(made);
  }();
  return config;
}

/// A session from a keel server that takes 0-RTT data, made once in memory.
const keel::ClientSession& early_data_session() {
  static const keel::ClientSession session = [] {
    auto server_made = std::make_shared<keel::ServerConfig>(*server_config());
    server_made->max_early_data = 16384;
    auto client_made = std::make_shared<keel::ClientConfig>(*client_config());
    client_made->session_cache = std::make_shared<keel::SessionCache>();  // its own
    auto client = keel::Connection::client(std::shared_ptr<const keel::ClientConfig>(client_made),
                                           "server.test");
    auto server = keel::Connection::server(std::shared_ptr<const keel::ServerConfig>(server_made));
    if (!client.ok() || !server.ok())
      std::abort();
    for (int round = 0; round < 16; ++round) {
      for (auto [from, to] : {std::pair{&client.value(), &server.value()},
                              std::pair{&server.value(), &client.value()}}) {
        const keel::Bytes out(from->pending_output().begin(), from->pending_output().end());
        from->consume_output(out.size());
        if (!out.empty() && !to->feed(out).ok())
          std::abort();
      }
    }
    auto saved = client_made->session_cache->peek("server.test");
    if (!saved || saved->max_early_data() == 0)
      std::abort();
    return *saved;
  }();
  return session;
}

/// A client that resumes early_data_session() and has sent 0-RTT data with its ClientHello
/// (while the session lasts: two hours).
keel::Result<keel::Connection> early_data_client() {
  auto config = std::make_shared<keel::ClientConfig>(*client_config());
  config->session_cache = std::make_shared<keel::SessionCache>();
  config->session_cache->store("server.test", early_data_session());
  config->early_data = true;
  auto made =
      keel::Connection::client(std::shared_ptr<const keel::ClientConfig>(config), "server.test");
  if (made.ok() && !made.value().write(keel::Bytes{'G', 'E', 'T'}).ok())
    std::abort();
  return made;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0)
    return 0;
  const bool as_client = (data[0] & 1U) != 0;
  const bool early_data = as_client && (data[0] & 2U) != 0;
  const std::size_t chunk = 1 + (data[0] >> 2U);  // 1..64 bytes per feed
  auto made = early_data  ? early_data_client()
              : as_client ? keel::Connection::client(client_config(), "server.test")
                          : keel::Connection::server(server_config());
  if (!made.ok())
    std::abort();
  keel::Connection connection = std::move(made).value();
  connection.consume_output(connection.pending_output().size());

  keel::ByteView input(data + 1, size - 1);
  keel::Bytes out(64);  // every other feed reads through feed_and_read() into a small buffer
  bool direct = false;
  while (!input.empty()) {
    const std::size_t n = std::min(chunk, input.size());
    direct = !direct;
    const bool fed = direct ? connection.feed_and_read(input.first(n), out).ok()
                            : connection.feed(input.first(n)).ok();
    input = input.subspan(n);
    if (!fed) {
      // Failed for good: the same error again, and nothing more to send (its one alert is
      // already queued).
      const std::size_t queued = connection.pending_output().size();
      if (connection.feed(input).ok() || !connection.error())
        std::abort();
      if (connection.write(keel::Bytes{1}).ok())
        std::abort();
      if (connection.pending_output().size() != queued)
        std::abort();
      return 0;
    }
    connection.consume_output(connection.pending_output().size());
  }
  (void)connection.feed_end_of_stream();
  return 0;
}
