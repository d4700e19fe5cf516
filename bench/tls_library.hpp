// What the TLS benchmark measures, behind one interface per library: keel (keel_library.cpp)
// and OpenSSL's libssl (openssl_library.cpp) are driven by the same loops with the same
// certificates, suite and group, a client and a server in one process and one thread, their
// records moved through memory.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <keel/bytes.hpp>

namespace keel::bench {

/// A certificate chain made by bench/data/make.sh: leaf ← intermediate ← root, for `host`.
struct ChainFiles {
  std::string name;       // "p256", "rsa2048"
  std::string chain_pem;  // leaf and intermediate
  std::string key_pem;    // the leaf's key
  std::string root_pem;   // the trust anchor
  std::string host = "bench.example.com";
};

[[nodiscard]] ChainFiles chain_files(const std::string& name);

enum class Suite : std::uint8_t { aes_128_gcm, aes_256_gcm, chacha20_poly1305 };

[[nodiscard]] const char* to_string(Suite suite) noexcept;

enum class Protocol : std::uint8_t { tls13, tls12 };

/// What each handshake does. Full handshakes issue no session ticket on either side (tickets
/// would add a sealing and a message per handshake to the work). Resumed ones resume the
/// session of the handshake before, whose server sent one ticket (TLS 1.3) or renewed the
/// ticket (TLS 1.2), which the client takes before the next handshake: one ticket per
/// handshake, used once, on both sides.
struct Workload {
  Protocol protocol = Protocol::tls13;
  Suite suite = Suite::aes_128_gcm;
  bool resume = false;
};

/// The IANA name of the suite a workload runs with a chain: TLS 1.2 suites follow the chain's
/// key (ECDHE_ECDSA for "p256", ECDHE_RSA for "rsa2048").
[[nodiscard]] std::string suite_name(const ChainFiles& chain, const Workload& workload);

/// Seconds spent inside each side's calls. The benchmark runs on one thread and never waits,
/// so this is each side's CPU time (read from the cheap monotonic clock: the thread CPU clock
/// costs over a microsecond per read on this virtual machine).
struct SideTimes {
  double client = 0;
  double server = 0;
};

/// Adds the time from its construction to its destruction to `seconds`.
class ScopedTimer {
 public:
  explicit ScopedTimer(double& seconds) : seconds_(seconds) {}
  ScopedTimer(const ScopedTimer&) = delete;
  ScopedTimer& operator=(const ScopedTimer&) = delete;
  ~ScopedTimer() {
    seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  double& seconds_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

/// Bytes moved between two endpoints: what one side sent and the other has not taken yet.
using Wire = std::vector<std::uint8_t>;

/// A client and a server with a completed handshake.
class ConnectedPair {
 public:
  virtual ~ConnectedPair() = default;
  /// The client writes `data` as application writes of at most 16 KiB each and appends the
  /// records it produced to `wire`. False if the library reported an error.
  [[nodiscard]] virtual bool send(ByteView data, Wire& wire) = 0;
  /// The server takes `wire` and reads exactly out.size() bytes of application data into
  /// `out`. False on an error or if fewer bytes arrived.
  [[nodiscard]] virtual bool receive(const Wire& wire, MutableByteView out) = 0;
  /// Destroys one side (to measure each side's memory separately).
  virtual void drop_client() = 0;
  virtual void drop_server() = 0;
};

class TlsLibrary {
 public:
  virtual ~TlsLibrary() = default;
  [[nodiscard]] virtual std::string name() const = 0;
  /// A new client and a new server and a handshake between them, full (the client verifies
  /// the server's chain for the host name) or resumed, as the workload says; the records go
  /// back and forth until both sides are quiet (a TLS 1.3 ticket included). Adds each side's
  /// time to `times`. Null if the handshake failed or did not resume (the reason is printed
  /// on stderr).
  [[nodiscard]] virtual std::unique_ptr<ConnectedPair> handshake(SideTimes& times) = 0;
};

[[nodiscard]] std::unique_ptr<TlsLibrary> make_keel(const ChainFiles& chain,
                                                    const Workload& workload);
[[nodiscard]] std::unique_ptr<TlsLibrary> make_openssl(const ChainFiles& chain,
                                                       const Workload& workload);

/// Moves records between two sides until both are quiet: `deliver(from_client)` moves what
/// one side has to the other and says whether anything moved. At most `kMaxFlights`.
template <class Deliver>
bool exchange_until_quiet(Deliver deliver) {
  constexpr int kMaxFlights = 8;
  bool from_client = true;
  int quiet = 0;
  for (int flight = 0; flight < kMaxFlights && quiet < 2; ++flight, from_client = !from_client) {
    const auto moved = deliver(from_client);
    if (!moved) {
      return false;
    }
    quiet = *moved ? 0 : quiet + 1;
  }
  return quiet == 2;
}

/// The largest application write the benchmark makes (one full TLS record).
inline constexpr std::size_t kWriteSize = 16384;

}  // namespace keel::bench
