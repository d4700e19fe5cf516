// keel verify --roots ROOTS.pem --chain CHAIN.pem --purpose serverAuth|clientAuth [--purpose ...]
//             [--time UNIX_SECONDS] [--hostname NAME | --ip ADDR] [--email ADDR ...]
//             [--max-depth N] [--crls CRLS.pem] [--kind server|client] [--ocsp RESPONSE.der ...]
//
// Exit 0: accepted, the path printed leaf to anchor. Exit 1: rejected, the reason printed.
// Exit 3: the case needs a feature keel deliberately does not implement (yet), named.
#include "verify.hpp"

#include <chrono>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/file.hpp"
#include "x509/crl.hpp"
#include "x509/hostname.hpp"
#include "x509/ocsp.hpp"
#include "x509/pem.hpp"
#include "x509/verify.hpp"

namespace keel::tool {
namespace {

constexpr int kAccepted = 0;
constexpr int kRejected = 1;
constexpr int kNotImplemented = 3;

struct VerifyArgs {
  std::string roots;
  std::string chain;
  std::vector<std::string> purposes;
  std::optional<std::int64_t> time;
  std::optional<std::string> hostname;
  std::optional<std::string> ip;
  std::vector<std::string> emails;
  std::optional<std::size_t> max_depth;
  std::optional<std::string> crls;
  std::vector<std::string> ocsp;
  std::string kind = "server";
};

Result<std::vector<x509::Certificate>> read_chain(const std::string& path) {
  auto text = read_file(path);
  if (!text.ok()) {
    return std::move(text).error();
  }
  auto blocks = pem::parse(*text, "CERTIFICATE");
  if (!blocks.ok()) {
    return std::move(blocks).error().prepend(path);
  }
  if (blocks->empty()) {
    return Error(Errc::malformed, path + ": no CERTIFICATE block");
  }
  std::vector<x509::Certificate> certs;
  for (const auto& block : *blocks) {
    auto cert = x509::Certificate::parse(block.der);
    if (!cert.ok()) {
      return std::move(cert).error().prepend(path + ": certificate at line " +
                                             std::to_string(block.begin_line));
    }
    certs.push_back(std::move(cert).value());
  }
  return certs;
}

Result<std::vector<x509::Crl>> read_crls(const std::string& path) {
  auto text = read_file(path);
  if (!text.ok()) {
    return std::move(text).error();
  }
  auto crls = x509::parse_pem_crls(*text, path);
  if (crls.ok() && crls->empty()) {
    return Error(Errc::malformed, path + ": no X509 CRL block");
  }
  return crls;
}

Result<x509::OcspResponse> read_ocsp(const std::string& path) {
  auto der = read_file(path);
  if (!der.ok()) {
    return std::move(der).error();
  }
  const ByteView bytes(reinterpret_cast<const std::uint8_t*>(der->data()), der->size());
  auto response = x509::OcspResponse::parse(bytes);
  if (!response.ok()) {
    return std::move(response).error().prepend(path);
  }
  return response;
}

/// Exit 1 with the reason, or exit 3 when the reason is a feature keel does not have.
int reject(const Error& error) {
  if (error.code() == Errc::not_supported) {
    std::cout << "not implemented: " << error.message() << "\n";
    return kNotImplemented;
  }
  std::cout << "rejected: " << error.message() << "\n";
  return kRejected;
}

int run_verify(const VerifyArgs& args) {
  auto store =
      args.roots.empty() ? x509::TrustStore::system() : x509::TrustStore::from_pem_file(args.roots);
  if (!store.ok()) {
    return reject(store.error());
  }
  auto chain = read_chain(args.chain);
  if (!chain.ok()) {
    return reject(chain.error());
  }

  x509::VerifyOptions options;
  options.time =
      args.time
          ? der::Seconds(std::chrono::seconds(*args.time))
          : std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  for (const auto& purpose : args.purposes) {
    options.purposes.push_back(purpose == "clientAuth" ? x509::Purpose::client_auth
                                                       : x509::Purpose::server_auth);
  }
  if (options.purposes.empty()) {
    options.purposes.push_back(args.kind == "client" ? x509::Purpose::client_auth
                                                     : x509::Purpose::server_auth);
  }
  if (args.hostname) {
    auto name = x509::normalize_dns_name(*args.hostname);
    if (!name.ok()) {
      return reject(std::move(name).error().prepend("--hostname"));
    }
    options.dns_name = *name;
  }
  if (args.ip) {
    options.ip_address = x509::parse_ip_address(*args.ip);
    if (!options.ip_address) {
      return reject(Error(Errc::illegal_parameter, "--ip: not an IP address: " + *args.ip));
    }
  }
  for (const auto& email : args.emails) {
    auto address = x509::parse_email_address(email);
    if (!address.ok()) {
      return reject(std::move(address).error().prepend("--email"));
    }
    options.email_addresses.push_back(std::move(address).value());
  }
  options.max_intermediates = args.max_depth;
  std::vector<x509::Crl> crls;
  if (args.crls) {
    auto read = read_crls(*args.crls);
    if (!read.ok()) {
      return reject(read.error());
    }
    crls = std::move(read).value();
    options.crls = crls;
  }
  std::vector<x509::OcspResponse> ocsp_responses;
  for (const auto& path : args.ocsp) {
    auto response = read_ocsp(path);
    if (!response.ok()) {
      return reject(response.error());
    }
    ocsp_responses.push_back(std::move(response).value());
  }
  options.ocsp_responses = ocsp_responses;

  const std::span<const x509::Certificate> intermediates(chain->data() + 1, chain->size() - 1);
  auto verified = x509::verify_chain(chain->front(), intermediates, *store, options,
                                     crypto::default_provider());
  if (!verified.ok()) {
    return reject(verified.error());
  }
  const auto& path = verified->path();
  std::cout << "accepted: a path of " << path.size() << " certificates\n";
  for (std::size_t i = 0; i < path.size(); ++i) {
    std::cout << "  " << i << ": " << path[i]->describe()
              << (i + 1 == path.size() ? "  [trust anchor]" : "") << "\n";
  }
  return kAccepted;
}

}  // namespace

void add_verify_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<VerifyArgs>();
  CLI::App* cmd = app.add_subcommand("verify",
                                     "Validate a certificate chain (X.509 path building "
                                     "and validation, as a TLS peer would)");
  cmd->add_option("--roots", args->roots, "Trust anchors, PEM (default: the system store)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--chain", args->chain,
                  "PEM: the peer certificate first, then untrusted intermediates in any order")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--purpose", args->purposes, "Required extended key usage (repeatable)")
      ->check(CLI::IsMember({"serverAuth", "clientAuth"}));
  cmd->add_option("--time", args->time, "Validation time in UNIX seconds (default: now)");
  auto* hostname = cmd->add_option("--hostname", args->hostname, "DNS name the peer must have");
  cmd->add_option("--ip", args->ip, "IP address the peer must have")->excludes(hostname);
  cmd->add_option("--email", args->emails, "E-mail address the peer must have (repeatable)");
  cmd->add_option("--max-depth", args->max_depth, "At most this many intermediates");
  cmd->add_option("--crls", args->crls, "CRLs to check revocation against, PEM")
      ->check(CLI::ExistingFile);
  cmd->add_option("--ocsp", args->ocsp,
                  "An OCSP response (DER) for a certificate of the chain (repeatable)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--kind", args->kind, "Whose certificate: a server's or a client's")
      ->check(CLI::IsMember({"server", "client"}));
  cmd->callback([args, &exit_code] { exit_code = run_verify(*args); });
}

}  // namespace keel::tool
