// The blocking Stream over real loopback sockets, keel on both ends.
#include <thread>

#include <gtest/gtest.h>

#include <keel/stream.hpp>

#include "support/tls_pair.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace keel::test {
namespace {

/// A listening socket on 127.0.0.1 with a free port.
struct Listener {
  int fd = -1;
  std::uint16_t port = 0;

  Listener() {
    fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    EXPECT_EQ(::listen(fd, 4), 0);
    EXPECT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length), 0);
    port = ntohs(address.sin_port);
  }
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;
  ~Listener() { ::close(fd); }
};

/// Serves one connection: echoes until the client closes, then closes; returns the error
/// message, if any, through `failure`.
std::thread echo_once(const Listener& listener, std::string& failure) {
  auto config = std::make_shared<const ServerConfig>(test_server_config());
  return std::thread([fd = listener.fd, config, &failure] {
    const int connection = ::accept(fd, nullptr, nullptr);
    auto stream = Stream::server(connection, config);
    if (!stream.ok()) {
      failure = stream.error().message();
      return;
    }
    std::array<std::uint8_t, 4096> buffer{};
    while (true) {
      auto n = stream->read(buffer);
      if (!n.ok()) {
        failure = n.error().message();
        return;
      }
      if (*n == 0)
        break;
      if (auto sent = stream->write(ByteView(buffer).first(*n)); !sent.ok()) {
        failure = sent.error().message();
        return;
      }
    }
    if (auto closed = stream->close(); !closed.ok())
      failure = closed.error().message();
  });
}

Bytes read_until_end(Stream& stream) {
  Bytes all;
  std::array<std::uint8_t, 1000> buffer{};
  while (true) {
    auto n = stream.read(buffer);
    EXPECT_TRUE(n.ok()) << n.error().message();
    if (!n.ok() || *n == 0)
      return all;
    all.insert(all.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(*n));
  }
}

TEST(Stream, ConnectsByAddressAndName) {
  for (const std::string host : {"127.0.0.1", "localhost"}) {
    Listener listener;
    std::string failure;
    std::thread server = echo_once(listener, failure);
    auto config = std::make_shared<const ClientConfig>(test_client_config());
    auto stream = Stream::connect(host, listener.port, config);
    ASSERT_TRUE(stream.ok()) << host << ": " << stream.error().message();
    ASSERT_TRUE(stream->set_timeout(std::chrono::seconds(20)).ok());
    EXPECT_EQ(stream->negotiated().version, ProtocolVersion::tls13);
    const Bytes message(50000, 'x');
    ASSERT_TRUE(stream->write(message).ok());
    Bytes echoed;
    while (echoed.size() < message.size()) {
      std::array<std::uint8_t, 4096> buffer{};
      auto n = stream->read(buffer);
      ASSERT_TRUE(n.ok() && *n > 0);
      echoed.insert(echoed.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(*n));
    }
    EXPECT_EQ(echoed, message);
    ASSERT_TRUE(stream->close().ok());
    EXPECT_TRUE(read_until_end(*stream).empty());  // the server's close_notify: a clean 0
    server.join();
    EXPECT_EQ(failure, "");
  }
}

TEST(Stream, VerifiesTheNameGiven) {
  Listener listener;
  std::string failure;
  std::thread server = echo_once(listener, failure);
  auto config = std::make_shared<const ClientConfig>(test_client_config());
  auto stream = Stream::connect("127.0.0.1", listener.port, config, "other.test");
  ASSERT_FALSE(stream.ok());
  EXPECT_EQ(stream.error().code(), Errc::name_mismatch);
  server.join();
  EXPECT_NE(failure.find("bad_certificate"), std::string::npos) << failure;
}

TEST(Stream, ReportsAClosedPort) {
  std::uint16_t port = 0;
  {
    const Listener listener;  // bound, then closed: nothing listens there now
    port = listener.port;
  }
  auto stream = Stream::connect("127.0.0.1", port, std::make_shared<const ClientConfig>());
  ASSERT_FALSE(stream.ok());
  EXPECT_EQ(stream.error().code(), Errc::io_error);
  EXPECT_NE(stream.error().message().find("cannot connect to 127.0.0.1:"), std::string::npos);
}

TEST(Stream, ReportsATruncatedStream) {
  Listener listener;
  std::thread server([fd = listener.fd] {
    const int connection = ::accept(fd, nullptr, nullptr);
    auto config = std::make_shared<const ServerConfig>(test_server_config());
    auto stream = Stream::server(connection, config);
    if (stream.ok())
      (void)stream->write(Bytes{'b', 'y', 'e'});
    // Destroyed without close(): the socket closes with no close_notify.
  });
  auto stream = Stream::connect("127.0.0.1", listener.port,
                                std::make_shared<const ClientConfig>(test_client_config()));
  ASSERT_TRUE(stream.ok()) << stream.error().message();
  std::array<std::uint8_t, 10> buffer{};
  auto first = stream->read(buffer);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(*first, 3U);
  auto second = stream->read(buffer);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code(), Errc::stream_truncated);
  server.join();
}

}  // namespace
}  // namespace keel::test
