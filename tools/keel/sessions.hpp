// The application sides `keel server` (and `keel demo`) give their connections.
#pragma once

#include <array>
#include <cctype>
#include <string>
#include <vector>

#include <keel/keel.hpp>

#include "core/try.hpp"
#include "io/tls_server.hpp"
#include "x509/certificate.hpp"

namespace keel::tool {

/// The largest HTTP request head accepted (a bound on what one connection buffers).
inline constexpr std::size_t kMaxRequestHead = std::size_t{16} * 1024;

inline std::string subject_of(const std::vector<Bytes>& chain) {
  if (chain.empty()) {
    return "(none)";
  }
  auto certificate = x509::Certificate::parse(chain.front());
  return certificate.ok() ? certificate->describe() : "(unparsable)";
}

/// HTTP/1.1: every request on the connection (keep-alive included) gets 200 and a page naming
/// what the handshake negotiated.
class HttpSession final : public io::Session {
 public:
  Result<void> on_data(Connection& connection) override {
    std::array<std::uint8_t, 16384> buffer{};
    while (connection.readable() > 0) {
      KEEL_TRY_ASSIGN(const std::size_t n, connection.read(buffer));
      request_.append(reinterpret_cast<const char*>(buffer.data()), n);
    }
    while (true) {
      const auto end = request_.find("\r\n\r\n");
      if (end == std::string::npos) {
        break;
      }
      const std::string head = request_.substr(0, end);
      request_.erase(0, end + 4);
      KEEL_TRY(answer(connection, head));
      if (connection.close_sent()) {
        return {};
      }
    }
    if (request_.size() > kMaxRequestHead) {
      const std::string reply =
          "HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\nConnection: "
          "close\r\n\r\n";
      KEEL_TRY(connection.write(as_bytes(reply)));
      return connection.close();
    }
    return {};
  }

 private:
  static ByteView as_bytes(const std::string& text) {
    return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
  }

  static Result<void> answer(Connection& connection, const std::string& head) {
    const Negotiated& n = connection.negotiated();
    std::string body =
        "<!doctype html><title>keel</title><h1>keel " + std::string(kVersion) + "</h1>\n<pre>\n";
    body += "version     " + to_string(n.version) + "\n";
    body += "cipher      " + to_string(n.cipher_suite) + "\n";
    body += "group       " + to_string(n.group) + "\n";
    body += "alpn        " + n.alpn.value_or("(none)") + "\n";
    body += "sni         " + n.server_name.value_or("(none)") + "\n";
    body += "resumed     " + std::string(n.resumed ? "yes" : "no") + "\n";
    body += "early data  " +
            (n.early_data_accepted
                 ? "accepted, " + std::to_string(connection.early_data_received()) + " bytes"
                 : std::string("none")) +
            "\n";
    body += "client cert " + subject_of(n.peer_certificates) + "\n</pre>\n";
    std::string lower = head;
    for (char& c : lower) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    const bool close = lower.find("\r\nconnection: close") != std::string::npos ||
                       lower.rfind("http/1.0", lower.find("\r\n")) != std::string::npos;
    std::string reply =
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
        "Content-Length: " +
        std::to_string(body.size()) + "\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n" +
        body;
    KEEL_TRY(connection.write(as_bytes(reply)));
    if (close) {
      return connection.close();
    }
    return {};
  }

  std::string request_;
};

/// Sends back every byte.
class EchoSession final : public io::Session {
 public:
  Result<void> on_data(Connection& connection) override {
    std::array<std::uint8_t, 16384> buffer{};
    while (connection.readable() > 0) {
      KEEL_TRY_ASSIGN(const std::size_t n, connection.read(buffer));
      KEEL_TRY(connection.write(ByteView(buffer).first(n)));
    }
    return {};
  }
};

}  // namespace keel::tool
