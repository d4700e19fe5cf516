// A minimal HTTPS GET: connects, verifies the server, sends one request and prints the response.
//
//   https_get HOST [PORT] [PATH] [CAFILE]
//
// PORT defaults to 443 and PATH to "/"; the server is verified against the system's roots, or
// against CAFILE if given.
#include <array>
#include <cstdio>
#include <iostream>
#include <string>

#include <keel/keel.hpp>

int main(int argc, char** argv) {
  if (argc < 2 || argc > 5) {
    std::cerr << "usage: https_get HOST [PORT] [PATH] [CAFILE]\n";
    return 2;
  }
  const std::string host = argv[1];
  const auto port = static_cast<std::uint16_t>(argc > 2 ? std::stoi(argv[2]) : 443);
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

  auto stream = keel::Stream::connect(host, port, config);
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
    if (*n == 0)
      break;  // the server closed cleanly
    std::fwrite(buffer.data(), 1, *n, stdout);
  }
  (void)stream->close();
  return 0;
}
