// Chain validation, keel against OpenSSL in the same run: parse a 3-certificate chain (leaf,
// intermediate; the root is the trust anchor) from DER and validate it for serverAuth and the
// host name, for an ECDSA P-256 chain and an RSA-2048 one (bench/data/, made by make.sh with
// the openssl command line). Also: loading the system trust store. Prints keel/OpenSSL ratios.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "core/file.hpp"
#include "x509/pem.hpp"
#include "x509/trust_store.hpp"
#include "x509/verify.hpp"

namespace {

using keel::Bytes;

struct Chain {
  std::vector<Bytes> ders;  // leaf, intermediate
  Bytes root;
};

/// The DER blocks of a PEM file in bench/data (the files are checked in; a missing one is a
/// broken checkout, reported and fatal).
std::vector<Bytes> load_pem(const std::string& file) {
  const std::string path = std::string(KEEL_BENCH_DATA_DIR) + "/" + file;
  auto text = keel::read_file(path);
  auto blocks = text.ok() ? keel::pem::parse(*text) : std::move(text).error();
  if (!blocks.ok()) {
    std::fprintf(stderr, "%s: %s\n", path.c_str(), blocks.error().message().c_str());
    std::exit(1);
  }
  std::vector<Bytes> ders;
  for (auto& block : *blocks) {
    ders.push_back(std::move(block.der));
  }
  return ders;
}

Chain load_chain(const std::string& name) {
  return Chain{load_pem(name + "-chain.pem"), load_pem(name + "-root.pem").at(0)};
}

void keel_verify(benchmark::State& state, const std::string& name) {
  const Chain chain = load_chain(name);
  keel::x509::TrustStore store;
  store.add(*keel::x509::Certificate::parse(chain.root));
  keel::x509::VerifyOptions options;
  options.time =
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  options.purposes = {keel::x509::Purpose::server_auth};
  options.dns_name = "bench.example.com";
  const auto& provider = keel::crypto::default_provider();
  for (auto _ : state) {
    auto leaf = keel::x509::Certificate::parse(chain.ders[0]);
    std::vector<keel::x509::Certificate> intermediates;
    intermediates.push_back(*keel::x509::Certificate::parse(chain.ders[1]));
    auto verified = keel::x509::verify_chain(*leaf, intermediates, store, options, provider);
    if (!verified.ok()) {
      state.SkipWithError(verified.error().message().c_str());
      return;
    }
    benchmark::DoNotOptimize(verified);
  }
}

X509* parse_x509(const Bytes& der) {
  const unsigned char* p = der.data();
  return d2i_X509(nullptr, &p, static_cast<long>(der.size()));
}

void openssl_verify(benchmark::State& state, const std::string& name) {
  const Chain chain = load_chain(name);
  X509_STORE* store = X509_STORE_new();
  X509* root = parse_x509(chain.root);
  X509_STORE_add_cert(store, root);
  for (auto _ : state) {
    X509* leaf = parse_x509(chain.ders[0]);
    STACK_OF(X509)* untrusted = sk_X509_new_null();
    sk_X509_push(untrusted, parse_x509(chain.ders[1]));
    X509_STORE_CTX* ctx = X509_STORE_CTX_new();
    X509_STORE_CTX_init(ctx, store, leaf, untrusted);
    X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx);
    X509_VERIFY_PARAM_set_purpose(param, X509_PURPOSE_SSL_SERVER);
    X509_VERIFY_PARAM_set1_host(param, "bench.example.com", 0);
    if (X509_verify_cert(ctx) != 1) {
      state.SkipWithError("OpenSSL rejected the chain");
    }
    X509_STORE_CTX_free(ctx);
    sk_X509_pop_free(untrusted, X509_free);
    X509_free(leaf);
  }
  X509_free(root);
  X509_STORE_free(store);
}

void keel_load_system_store(benchmark::State& state) {
  for (auto _ : state) {
    auto store = keel::x509::TrustStore::system();
    if (!store.ok()) {
      state.SkipWithError(store.error().message().c_str());
      return;
    }
    benchmark::DoNotOptimize(store);
  }
}

void openssl_load_system_store(benchmark::State& state) {
  for (auto _ : state) {
    X509_STORE* store = X509_STORE_new();
    if (X509_STORE_load_file(store, keel::x509::kSystemTrustBundle) != 1) {
      state.SkipWithError("OpenSSL could not load the system store");
    }
    X509_STORE_free(store);
  }
}

/// Collects each benchmark's time per iteration, to print keel/OpenSSL ratios at the end.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& run : runs) {
      if (!run.error_occurred && run.iterations > 0) {
        seconds_[run.benchmark_name()] = run.GetAdjustedRealTime();
      }
    }
  }
  void print_ratios() const {
    for (const std::string pair :
         {"verify_chain/p256", "verify_chain/rsa2048", "load_system_store"}) {
      const auto keel = seconds_.find("keel/" + pair);
      const auto openssl = seconds_.find("openssl/" + pair);
      if (keel != seconds_.end() && openssl != seconds_.end()) {
        std::printf("ratio %-28s keel is %.2fx as fast as OpenSSL\n", pair.c_str(),
                    openssl->second / keel->second);
      }
    }
  }

 private:
  std::map<std::string, double> seconds_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::RegisterBenchmark("keel/verify_chain/p256", keel_verify, std::string("p256"));
  benchmark::RegisterBenchmark("openssl/verify_chain/p256", openssl_verify, std::string("p256"));
  benchmark::RegisterBenchmark("keel/verify_chain/rsa2048", keel_verify, std::string("rsa2048"));
  benchmark::RegisterBenchmark("openssl/verify_chain/rsa2048", openssl_verify,
                               std::string("rsa2048"));
  benchmark::RegisterBenchmark("keel/load_system_store", keel_load_system_store);
  benchmark::RegisterBenchmark("openssl/load_system_store", openssl_load_system_store);
  benchmark::Initialize(&argc, argv);
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.print_ratios();
  benchmark::Shutdown();
  return 0;
}
