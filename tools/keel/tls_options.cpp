#include "tls_options.hpp"

#include <cstdlib>
#include <fstream>
#include <mutex>

#include "core/try.hpp"
#include "x509/certificate.hpp"

namespace keel::tool {

void add_tls_flags(CLI::App& command, TlsFlags& flags) {
  command.add_option("--alpn", flags.alpn, "Application protocols, e.g. h2,http/1.1");
  command.add_option("--groups", flags.groups, "Key exchange groups, e.g. x25519,secp256r1");
  command.add_option("--ciphers", flags.ciphers,
                     "Cipher suites, e.g. TLS_AES_128_GCM_SHA256,TLS_CHACHA20_POLY1305_SHA256");
  auto* tls12 = command.add_flag("--tls1.2", flags.tls12_only, "Speak TLS 1.2 only");
  command.add_flag("--tls1.3", flags.tls13_only, "Speak TLS 1.3 only")->excludes(tls12);
  command.add_option("--keylog", flags.keylog,
                     "Append NSS key log lines (for Wireshark) to FILE; default $SSLKEYLOGFILE");
}

Result<std::vector<std::string>> split_list(const std::string& list, const std::string& flag) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t comma = std::min(list.find(',', start), list.size());
    std::string item = list.substr(start, comma - start);
    if (item.empty()) {
      std::string detail = flag;
      detail += ": empty item in \"" + list + "\"";
      return Error(Errc::invalid_argument, detail);
    }
    items.push_back(std::move(item));
    start = comma + 1;
  }
  return items;
}

Result<std::vector<NamedGroup>> parse_groups(const std::string& list) {
  KEEL_TRY_ASSIGN(auto names, split_list(list, "--groups"));
  std::vector<NamedGroup> groups;
  for (const auto& name : names) {
    const auto group = named_group_from_name(name);
    const auto supported = default_groups();
    if (!group || std::find(supported.begin(), supported.end(), *group) == supported.end()) {
      return Error(Errc::invalid_argument, "--groups: unknown or unsupported group \"" + name +
                                               "\" (keel speaks x25519, secp256r1, secp384r1)");
    }
    groups.push_back(*group);
  }
  return groups;
}

Result<std::vector<CipherSuite>> parse_ciphers(const std::string& list) {
  KEEL_TRY_ASSIGN(auto names, split_list(list, "--ciphers"));
  std::vector<CipherSuite> suites;
  for (const auto& name : names) {
    const auto suite = cipher_suite_from_name(name);
    const auto supported = default_cipher_suites();
    if (!suite || std::find(supported.begin(), supported.end(), *suite) == supported.end()) {
      std::string detail = "--ciphers: unknown or unsupported suite \"" + name + "\" (keel speaks ";
      for (std::size_t i = 0; i < supported.size(); ++i) {
        detail += i == 0 ? "" : ", ";
        detail += to_string(supported[i]);
      }
      detail += ")";
      return Error(Errc::invalid_argument, detail);
    }
    suites.push_back(*suite);
  }
  return suites;
}

void apply_versions(const TlsFlags& flags, ProtocolVersion& min_version,
                    ProtocolVersion& max_version) {
  if (flags.tls12_only) {
    min_version = max_version = ProtocolVersion::tls12;
  } else if (flags.tls13_only) {
    min_version = max_version = ProtocolVersion::tls13;
  }
}

Result<KeyLogCallback> key_log(const TlsFlags& flags) {
  std::string path = flags.keylog;
  if (path.empty()) {
    const char* env = std::getenv("SSLKEYLOGFILE");  // NOLINT(concurrency-mt-unsafe): at startup
    if (env != nullptr) {
      path = env;
    }
  }
  if (path.empty()) {
    return KeyLogCallback{};
  }
  auto file = std::make_shared<std::ofstream>(path, std::ios::app);
  if (!*file) {
    return Error(Errc::io_error, "cannot open the key log file " + path);
  }
  auto mutex = std::make_shared<std::mutex>();
  return KeyLogCallback([file, mutex](std::string_view line) {
    const std::scoped_lock lock(*mutex);
    *file << line << '\n' << std::flush;
  });
}

Result<void> apply(const TlsFlags& flags, std::vector<std::string>& alpn,
                   std::vector<NamedGroup>& groups, std::vector<CipherSuite>& ciphers,
                   KeyLogCallback& log) {
  if (!flags.alpn.empty()) {
    KEEL_TRY_ASSIGN(alpn, split_list(flags.alpn, "--alpn"));
  }
  if (!flags.groups.empty()) {
    KEEL_TRY_ASSIGN(groups, parse_groups(flags.groups));
  }
  if (!flags.ciphers.empty()) {
    KEEL_TRY_ASSIGN(ciphers, parse_ciphers(flags.ciphers));
  }
  KEEL_TRY_ASSIGN(log, key_log(flags));
  return {};
}

std::string describe_chain(const std::vector<Bytes>& chain) {
  std::string out;
  for (std::size_t i = 0; i < chain.size(); ++i) {
    auto certificate = x509::Certificate::parse(chain[i]);
    out += "  " + std::to_string(i) + " " +
           (certificate.ok() ? certificate->describe()
                             : "(unparsable: " + certificate.error().message() + ")") +
           "\n";
  }
  return out;
}

}  // namespace keel::tool
