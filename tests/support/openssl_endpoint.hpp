// One OpenSSL libssl connection fed and drained through memory BIOs, one thread: the peer of
// keel's in-memory tests against OpenSSL.
#pragma once

#include <array>
#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/ssl.h>

#include <keel/bytes.hpp>

namespace keel::test {

using SslCtxPtr = std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)>;
using SslPtr = std::unique_ptr<SSL, decltype(&SSL_free)>;

class OpenSslEndpoint {
 public:
  enum class Role : std::uint8_t { client, server };

  /// A connection of `ctx` (configured before: SSL_new copies its settings).
  OpenSslEndpoint(SSL_CTX* ctx, Role role) : ssl_(SSL_new(ctx), SSL_free) {
    in_ = BIO_new(BIO_s_mem());
    out_ = BIO_new(BIO_s_mem());
    SSL_set_bio(ssl_.get(), in_, out_);  // the SSL owns both
    if (role == Role::client) {
      SSL_set_connect_state(ssl_.get());
    } else {
      SSL_set_accept_state(ssl_.get());
    }
  }

  SSL* ssl() { return ssl_.get(); }

  /// Takes the peer's `bytes` and runs the handshake, or reads the application data that
  /// follows it (returned).
  std::string feed(ByteView bytes) {
    if (!bytes.empty()) {
      EXPECT_EQ(BIO_write(in_, bytes.data(), static_cast<int>(bytes.size())),
                static_cast<int>(bytes.size()));
    }
    if (SSL_is_init_finished(ssl_.get()) == 0) {
      (void)SSL_do_handshake(ssl_.get());
    }
    std::string read;
    if (SSL_is_init_finished(ssl_.get()) != 0) {
      std::array<char, 4096> buffer{};
      int n = 0;
      while ((n = SSL_read(ssl_.get(), buffer.data(), static_cast<int>(buffer.size()))) > 0) {
        read.append(buffer.data(), static_cast<std::size_t>(n));
      }
    }
    return read;
  }

  /// What this side has to send.
  Bytes take() {
    Bytes out(static_cast<std::size_t>(BIO_ctrl_pending(out_)));
    if (!out.empty()) {
      EXPECT_EQ(BIO_read(out_, out.data(), static_cast<int>(out.size())),
                static_cast<int>(out.size()));
    }
    return out;
  }

 private:
  SslPtr ssl_;
  BIO* in_ = nullptr;
  BIO* out_ = nullptr;
};

}  // namespace keel::test
