// A TLS echo server: accepts connections on 127.0.0.1, one at a time, and sends back every
// byte it receives until the client closes.
//
//   echo_server PORT CHAIN.pem KEY.pem [--once]
//
// PORT 0 picks a free port; the port is printed ("listening on 127.0.0.1:PORT"). With --once
// the server exits after its first connection (exit 0 if it ended cleanly).
#include <array>
#include <charconv>
#include <cstring>
#include <exception>
#include <iostream>
#include <optional>
#include <string>

#include <keel/keel.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

/// Echoes one connection; true if it ended with close_notify.
bool serve(int fd, const std::shared_ptr<const keel::ServerConfig>& config) {
  auto stream = keel::Stream::server(fd, config);
  if (!stream.ok()) {
    std::cerr << "echo_server: handshake: " << stream.error().message() << "\n";
    return false;
  }
  (void)stream->set_timeout(std::chrono::seconds(30));
  std::array<std::uint8_t, 16384> buffer{};
  while (true) {
    auto n = stream->read(buffer);
    if (!n.ok()) {
      std::cerr << "echo_server: " << n.error().message() << "\n";
      return false;
    }
    if (*n == 0) {
      break;
    }
    if (auto sent = stream->write(keel::ByteView(buffer).first(*n)); !sent.ok()) {
      std::cerr << "echo_server: " << sent.error().message() << "\n";
      return false;
    }
  }
  return stream->close().ok();
}

std::optional<std::uint16_t> parse_port(const char* text) {
  std::uint16_t port = 0;
  const char* end = text + std::strlen(text);
  const auto [rest, error] = std::from_chars(text, end, port);
  if (error != std::errc() || rest != end) {
    return std::nullopt;
  }
  return port;
}

int run(int argc, char** argv) {
  if (argc < 4 || argc > 5) {
    std::cerr << "usage: echo_server PORT CHAIN.pem KEY.pem [--once]\n";
    return 2;
  }
  const bool once = argc == 5 && std::strcmp(argv[4], "--once") == 0;
  const auto port = parse_port(argv[1]);
  if (!port) {
    std::cerr << "echo_server: bad port " << argv[1] << "\n";
    return 2;
  }
  auto certified = keel::CertifiedKey::from_pem_files(argv[2], argv[3]);
  if (!certified.ok()) {
    std::cerr << "echo_server: " << certified.error().message() << "\n";
    return 1;
  }
  auto config = std::make_shared<keel::ServerConfig>();
  config->certificates.push_back(std::move(certified).value());

  const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int on = 1;
  (void)::setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(*port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(listener, 16) != 0 ||
      ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    std::cerr << "echo_server: cannot listen: " << std::strerror(errno) << "\n";
    return 1;
  }
  std::cout << "listening on 127.0.0.1:" << ntohs(address.sin_port) << std::endl;

  while (true) {
    const int fd = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      continue;
    }
    const bool clean = serve(fd, config);
    if (once) {
      return clean ? 0 : 1;
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {  // only allocation can throw here
    std::cerr << "echo_server: " << e.what() << "\n";
    return 1;
  }
}
