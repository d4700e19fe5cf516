#include "tls_library.hpp"

namespace keel::bench {

ChainFiles chain_files(const std::string& name) {
  const std::string dir = std::string(KEEL_BENCH_DATA_DIR) + "/" + name;
  return {name, dir + "-chain.pem", dir + "-leaf.key", dir + "-root.pem"};
}

const char* to_string(Suite suite) noexcept {
  switch (suite) {
    case Suite::aes_128_gcm:
      return "AES-128-GCM";
    case Suite::aes_256_gcm:
      return "AES-256-GCM";
    case Suite::chacha20_poly1305:
      return "ChaCha20-Poly1305";
  }
  return "?";
}

}  // namespace keel::bench
