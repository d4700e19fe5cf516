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

std::string suite_name(const ChainFiles& chain, const Workload& workload) {
  if (workload.protocol == Protocol::tls13) {
    switch (workload.suite) {
      case Suite::aes_128_gcm:
        return "TLS_AES_128_GCM_SHA256";
      case Suite::aes_256_gcm:
        return "TLS_AES_256_GCM_SHA384";
      case Suite::chacha20_poly1305:
        return "TLS_CHACHA20_POLY1305_SHA256";
    }
  }
  const std::string auth = chain.name == "p256" ? "ECDSA" : "RSA";
  switch (workload.suite) {
    case Suite::aes_128_gcm:
      return "TLS_ECDHE_" + auth + "_WITH_AES_128_GCM_SHA256";
    case Suite::aes_256_gcm:
      return "TLS_ECDHE_" + auth + "_WITH_AES_256_GCM_SHA384";
    case Suite::chacha20_poly1305:
      return "TLS_ECDHE_" + auth + "_WITH_CHACHA20_POLY1305_SHA256";
  }
  return "";
}

}  // namespace keel::bench
