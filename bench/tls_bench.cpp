// keel against OpenSSL's libssl, in memory, in the same run (docs/performance.md): full TLS
// 1.3 and 1.2 handshakes and resumed ones per second with each side's CPU time, bulk
// throughput each way in both versions, heap per idle connection and per handshake, and next
// to each row its ceiling on this machine. Prints a
// table; --json FILE writes the same rows for machines. A failure in any measured handshake
// or transfer ends the run with an error instead of a figure.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <openssl/crypto.h>

#include "ceilings.hpp"
#include "heap_counter.hpp"
#include "measure.hpp"
#include "report.hpp"
#include "tls_library.hpp"

#include <sys/utsname.h>

namespace keel::bench {
namespace {

[[noreturn]] void measured_a_failure(const std::string& what) {
  std::fprintf(stderr, "tls_bench: %s failed; no figure is reported for a failing run\n",
               what.c_str());
  std::exit(1);
}

struct HandshakeFigures {
  double per_second = 0;
  double client_cpu = 0;  // seconds per handshake
  double server_cpu = 0;
};

/// One repetition: full handshakes for at least min_seconds.
HandshakeFigures handshake_run(TlsLibrary& library, double min_seconds) {
  SideTimes times;
  long handshakes = 0;
  const auto seconds = seconds_per_call(min_seconds, [&] {
    const bool ok = library.handshake(times) != nullptr;
    ++handshakes;
    return ok;
  });
  if (!seconds) {
    measured_a_failure(library.name() + " handshake");
  }
  const auto n = static_cast<double>(handshakes);
  return {1 / *seconds, times.client / n, times.server / n};
}

struct BulkFigures {
  double send = 0;  // bytes per second
  double receive = 0;
};

/// One repetition: batches of 16 application writes of 16 KiB from client to server, each
/// batch checked byte for byte, for at least min_seconds.
BulkFigures bulk_run(ConnectedPair& pair, const std::string& library, double min_seconds) {
  constexpr std::size_t kBatch = 16 * kWriteSize;
  Bytes data(kBatch);
  Bytes received(kBatch);
  Wire wire;
  wire.reserve(kBatch + kBatch / 8);
  double send_seconds = 0;
  double receive_seconds = 0;
  std::uint64_t batch = 0;
  while (send_seconds + receive_seconds < min_seconds) {
    for (std::size_t i = 0; i < data.size(); ++i) {
      data[i] = static_cast<std::uint8_t>((i * 131 + batch * 7) >> 3U);
    }
    ++batch;
    wire.clear();
    std::fill(received.begin(), received.end(), 0);
    bool ok = false;
    {
      const ScopedTimer timed(send_seconds);
      ok = pair.send(data, wire);
    }
    if (ok) {
      const ScopedTimer timed(receive_seconds);
      ok = pair.receive(wire, received);
    }
    if (!ok || received != data) {
      measured_a_failure(library + " bulk transfer");
    }
  }
  const auto bytes = static_cast<double>(batch * kBatch);
  return {bytes / send_seconds, bytes / receive_seconds};
}

struct MemoryFigures {
  double idle_client = 0;  // bytes per connection
  double idle_server = 0;
  double handshake_peak = 0;  // bytes, client and server together
};

MemoryFigures memory(TlsLibrary& library) {
  constexpr int kConnections = 100;
  SideTimes ignored;
  // Warm up: what a library allocates once per process is not a connection's cost.
  if (library.handshake(ignored) == nullptr) {
    measured_a_failure(library.name() + " handshake");
  }
  std::vector<double> peaks;
  for (int i = 0; i < 5; ++i) {
    const auto before = heap::in_use();
    heap::reset_peak();
    if (library.handshake(ignored) == nullptr) {
      measured_a_failure(library.name() + " handshake");
    }
    peaks.push_back(static_cast<double>(heap::peak() - before));
  }

  // Idle: connections that completed the handshake and carried one small request.
  const Bytes request(512, 0x61);
  Bytes received(request.size());
  Wire wire;
  std::vector<std::unique_ptr<ConnectedPair>> pairs;
  for (int i = 0; i < kConnections; ++i) {
    auto pair = library.handshake(ignored);
    wire.clear();
    if (pair == nullptr || !pair->send(request, wire) || !pair->receive(wire, received) ||
        received != request) {
      measured_a_failure(library.name() + " handshake");
    }
    pairs.push_back(std::move(pair));
  }
  wire = Wire();
  const auto established = heap::in_use();
  for (auto& pair : pairs) {
    pair->drop_client();
  }
  const auto servers_only = heap::in_use();
  for (auto& pair : pairs) {
    pair->drop_server();
  }
  const auto none = heap::in_use();
  return {static_cast<double>(established - servers_only) / kConnections,
          static_cast<double>(servers_only - none) / kConnections, median(peaks)};
}

std::string machine() {
  std::string model = "unknown CPU";
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);) {
    if (line.rfind("model name", 0) == 0) {
      model = line.substr(line.find(':') + 2);
      break;
    }
  }
  utsname system{};
  uname(&system);
  return model + ", " + std::to_string(std::thread::hardware_concurrency()) + " cores, Linux " +
         system.release;
}

/// Handshake rows: per second, and each side's CPU. The ceiling is the public-key operations
/// alone for full handshakes, the key exchange and key schedule for resumed TLS 1.3 ones, and
/// nothing for resumed TLS 1.2 ones (neither key exchange nor signature).
void handshake_rows(Report& report, const std::string& label, const std::string& chain_name,
                    const Workload& workload, const Settings& settings) {
  const ChainFiles chain = chain_files(chain_name);
  auto keel = make_keel(chain, workload);
  auto openssl = make_openssl(chain, workload);
  const bool bounded = !workload.resume || workload.protocol == Protocol::tls13;
  const std::optional<HandshakeCeiling> ceiling = !bounded          ? std::nullopt
                                                  : workload.resume ? HandshakeCeiling::resumed13()
                                                                    : HandshakeCeiling::full(chain);
  if (bounded && !ceiling) {
    measured_a_failure("the handshake ceiling");
  }
  std::vector<HandshakeFigures> keel_runs;
  std::vector<HandshakeFigures> openssl_runs;
  std::vector<double> client_ceiling;
  std::vector<double> server_ceiling;
  std::vector<double> total_ceiling;
  for (int i = 0; i < settings.repetitions; ++i) {  // alternated, so drift hits all alike
    keel_runs.push_back(handshake_run(*keel, settings.min_seconds));
    openssl_runs.push_back(handshake_run(*openssl, settings.min_seconds));
    if (!ceiling) {
      continue;
    }
    const auto cost = ceiling->measure(settings.min_seconds);
    if (!cost) {
      measured_a_failure("the handshake ceiling");
    }
    client_ceiling.push_back(cost->client);
    server_ceiling.push_back(cost->server);
    total_ceiling.push_back(1 / (cost->client + cost->server));
  }
  const auto pick = [](const std::vector<HandshakeFigures>& runs, double HandshakeFigures::*f) {
    std::vector<double> values;
    for (const auto& run : runs) {
      values.push_back(run.*f);
    }
    return median(values);
  };
  constexpr double kMicro = 1e6;
  const auto ceiling_of = [&](const std::vector<double>& values,
                              double scale) -> std::optional<double> {
    if (values.empty()) {
      return std::nullopt;
    }
    return scale * median(values);
  };
  report.add({label, "handshakes/s", Better::higher, pick(keel_runs, &HandshakeFigures::per_second),
              pick(openssl_runs, &HandshakeFigures::per_second), ceiling_of(total_ceiling, 1)});
  report.add({"  client CPU per handshake", "us", Better::lower,
              kMicro * pick(keel_runs, &HandshakeFigures::client_cpu),
              kMicro * pick(openssl_runs, &HandshakeFigures::client_cpu),
              ceiling_of(client_ceiling, kMicro)});
  report.add({"  server CPU per handshake", "us", Better::lower,
              kMicro * pick(keel_runs, &HandshakeFigures::server_cpu),
              kMicro * pick(openssl_runs, &HandshakeFigures::server_cpu),
              ceiling_of(server_ceiling, kMicro)});
}

void bulk_rows(Report& report, Protocol protocol, Suite suite, const Settings& settings) {
  const ChainFiles chain = chain_files("p256");
  const Workload workload{protocol, suite, false};
  auto keel = make_keel(chain, workload);
  auto openssl = make_openssl(chain, workload);
  const auto ceiling = AeadCeilingMeter::make(suite);
  SideTimes ignored;
  auto keel_pair = keel->handshake(ignored);
  auto openssl_pair = openssl->handshake(ignored);
  if (keel_pair == nullptr || openssl_pair == nullptr || !ceiling) {
    measured_a_failure("bulk set-up");
  }
  std::vector<double> send[3];  // keel, OpenSSL, ceiling
  std::vector<double> receive[3];
  for (int i = 0; i < settings.repetitions; ++i) {  // alternated, so drift hits all alike
    const BulkFigures k = bulk_run(*keel_pair, "keel", settings.min_seconds);
    const BulkFigures o = bulk_run(*openssl_pair, "OpenSSL", settings.min_seconds);
    const auto c = ceiling->measure(settings.min_seconds);
    if (!c) {
      measured_a_failure("the AEAD ceiling");
    }
    send[0].push_back(k.send);
    receive[0].push_back(k.receive);
    send[1].push_back(o.send);
    receive[1].push_back(o.receive);
    send[2].push_back(c->seal);
    receive[2].push_back(c->open);
  }
  constexpr double kMega = 1e6;
  const std::string name =
      std::string(protocol == Protocol::tls12 ? "TLS 1.2 " : "") + to_string(suite);
  report.add({"bulk send, " + name, "MB/s", Better::higher, median(send[0]) / kMega,
              median(send[1]) / kMega, median(send[2]) / kMega});
  report.add({"bulk receive, " + name, "MB/s", Better::higher, median(receive[0]) / kMega,
              median(receive[1]) / kMega, median(receive[2]) / kMega});
}

void memory_rows(Report& report) {
  const ChainFiles chain = chain_files("p256");
  auto keel = make_keel(chain, Workload{});
  auto openssl = make_openssl(chain, Workload{});
  const MemoryFigures k = memory(*keel);
  const MemoryFigures o = memory(*openssl);
  report.add({"heap per idle connection, client", "bytes", Better::lower, k.idle_client,
              o.idle_client, std::nullopt});
  report.add({"heap per idle connection, server", "bytes", Better::lower, k.idle_server,
              o.idle_server, std::nullopt});
  report.add({"peak heap in a handshake, both sides", "bytes", Better::lower, k.handshake_peak,
              o.handshake_peak, std::nullopt});
}

}  // namespace
}  // namespace keel::bench

int main(int argc, char** argv) {
  using namespace keel::bench;
  CLI::App app{
      "keel vs OpenSSL libssl: TLS 1.3 and 1.2 handshakes (full and resumed), bulk transfer and "
      "memory, in memory"};
  Settings settings;
  std::string json_path;
  std::vector<std::string> only;
  std::vector<std::string> chains = {"p256", "rsa2048"};
  app.add_option("--repetitions", settings.repetitions, "Runs per figure (the median is shown)")
      ->check(CLI::Range(1, 1000));
  app.add_option("--min-time", settings.min_seconds, "Seconds per run")
      ->check(CLI::Range(0.01, 600.0));
  app.add_option("--json", json_path, "Also write the rows to this file as JSON");
  app.add_option("--only", only, "Run only these groups of rows")
      ->check(CLI::IsMember({"handshake", "tls12", "resumption", "bulk", "memory"}));
  app.add_option("--chain", chains, "Handshake rows for these chains only (for profiling)")
      ->check(CLI::IsMember({"p256", "rsa2048"}));
  CLI11_PARSE(app, argc, argv);
  const auto wanted = [&](const std::string& group) {
    return only.empty() || std::find(only.begin(), only.end(), group) != only.end();
  };

  Report report(machine(), OpenSSL_version(OPENSSL_VERSION), settings);
  const auto chain_label = [](const std::string& chain) {
    return chain == "p256" ? std::string("ECDSA P-256 chain") : std::string("RSA-2048 chain");
  };
  if (wanted("handshake")) {
    for (const std::string& chain : chains) {
      handshake_rows(report, "full handshakes, X25519 + " + chain_label(chain), chain, Workload{},
                     settings);
    }
  }
  if (wanted("tls12")) {
    for (const std::string& chain : chains) {
      handshake_rows(report, "TLS 1.2 full handshakes, X25519 + " + chain_label(chain), chain,
                     Workload{Protocol::tls12, Suite::aes_128_gcm, false}, settings);
    }
  }
  if (wanted("resumption")) {
    handshake_rows(report, "resumed TLS 1.3 handshakes (PSK + X25519), one ticket each", "p256",
                   Workload{Protocol::tls13, Suite::aes_128_gcm, true}, settings);
    handshake_rows(report, "resumed TLS 1.2 handshakes (RFC 5077 ticket)", "p256",
                   Workload{Protocol::tls12, Suite::aes_128_gcm, true}, settings);
  }
  if (wanted("bulk")) {
    for (const Protocol protocol : {Protocol::tls13, Protocol::tls12}) {
      for (const Suite suite : {Suite::aes_128_gcm, Suite::aes_256_gcm, Suite::chacha20_poly1305}) {
        bulk_rows(report, protocol, suite, settings);
      }
    }
  }
  if (wanted("memory")) {
    memory_rows(report);
  }
  report.print(stdout);
  if (!json_path.empty() && !report.write_json(json_path)) {
    std::fprintf(stderr, "tls_bench: cannot write %s\n", json_path.c_str());
    return 1;
  }
  return 0;
}
