// What `keel client` and `keel server` share: the TLS flags, their parsing and the key log.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include <keel/config.hpp>
#include <keel/negotiated.hpp>
#include <keel/result.hpp>

namespace keel::tool {

struct TlsFlags {
  std::string alpn;     // comma-separated
  std::string groups;   // IANA names, comma-separated
  std::string ciphers;  // IANA names, comma-separated
  bool tls12_only = false;
  bool tls13_only = false;
  std::string keylog;  // file, or SSLKEYLOGFILE
};

/// Adds --alpn, --groups, --ciphers, --tls1.2, --tls1.3 and --keylog to `command`.
void add_tls_flags(CLI::App& command, TlsFlags& flags);

/// "a,b,c" → {"a", "b", "c"}; empty items are errors.
[[nodiscard]] Result<std::vector<std::string>> split_list(const std::string& list,
                                                          const std::string& flag);
[[nodiscard]] Result<std::vector<NamedGroup>> parse_groups(const std::string& list);
[[nodiscard]] Result<std::vector<CipherSuite>> parse_ciphers(const std::string& list);

/// The version flags: --tls1.2 or --tls1.3 alone, both by default.
void apply_versions(const TlsFlags& flags, ProtocolVersion& min_version,
                    ProtocolVersion& max_version);

/// A key log callback appending NSS key log lines to --keylog FILE, or to $SSLKEYLOGFILE;
/// nothing if neither is set.
[[nodiscard]] Result<KeyLogCallback> key_log(const TlsFlags& flags);

/// Applies the flags to the lists of a config.
[[nodiscard]] Result<void> apply(const TlsFlags& flags, std::vector<std::string>& alpn,
                                 std::vector<NamedGroup>& groups, std::vector<CipherSuite>& ciphers,
                                 KeyLogCallback& log);

/// One line per peer certificate: "  0 CN=..., O=... (serial ...)".
[[nodiscard]] std::string describe_chain(const std::vector<Bytes>& chain);

}  // namespace keel::tool
