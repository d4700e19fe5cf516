// A minimal HTTPS GET: connects, verifies the server, sends one request and prints the response.
//
//   https_get HOST [PORT] [PATH] [CAFILE]
//
// PORT defaults to 443 and PATH to "/"; the server is verified against the system's roots, or
// against CAFILE if given.
#include <array>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <exception>
#include <iostream>
#include <optional>
#include <string>

#include <keel/keel.hpp>

namespace {

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
  if (argc < 2 || argc > 5) {
    std::cerr << "usage: https_get HOST [PORT] [PATH] [CAFILE]\n";
    return 2;
  }
  const std::string host = argv[1];
  const auto port = argc > 2 ? parse_port(argv[2]) : std::optional<std::uint16_t>(443);
  if (!port) {
    std::cerr << "https_get: bad port " << argv[2] << "\n";
    return 2;
  }
  const std::string path = argc > 3 ? argv[3] : "/";

  auto config = std::make_shared<keel::ClientConfig>();
  config->alpn = {"http/1.1"};
  if (argc > 4) {
    auto anchors = keel::TrustAnchors::from_pem_file(argv[4]);
    if (!anchors.ok()) {
      std::cerr << "https_get: " << anchors.error().message() << "\n";
      return 1;
    }
    config->trust_anchors = std::move(anchors).value();
  }

  auto stream = keel::Stream::connect(host, *port, config);
  if (!stream.ok()) {
    std::cerr << "https_get: " << stream.error().message() << "\n";
    return 1;
  }
  const std::string request = "GET " + path + " HTTP/1.1\r\nHost: " + host +
                              "\r\nConnection: close\r\nUser-Agent: keel-example\r\n\r\n";
  if (auto sent = stream->write(
          keel::ByteView(reinterpret_cast<const std::uint8_t*>(request.data()), request.size()));
      !sent.ok()) {
    std::cerr << "https_get: " << sent.error().message() << "\n";
    return 1;
  }
  std::array<std::uint8_t, 16384> buffer{};
  while (true) {
    auto n = stream->read(buffer);
    if (!n.ok()) {
      std::cerr << "https_get: " << n.error().message() << "\n";
      return 1;
    }
    if (*n == 0) {
      break;  // the server closed cleanly
    }
    if (std::fwrite(buffer.data(), 1, *n, stdout) != *n) {
      std::cerr << "https_get: cannot write the response\n";
      return 1;
    }
  }
  (void)stream->close();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {  // only allocation can throw here
    std::cerr << "https_get: " << e.what() << "\n";
    return 1;
  }
}
