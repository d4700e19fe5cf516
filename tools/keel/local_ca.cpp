#include "local_ca.hpp"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/file.hpp"
#include "core/try.hpp"
#include "crypto/provider.hpp"
#include "x509/certificate.hpp"
#include "x509/hostname.hpp"
#include "x509/issue.hpp"
#include "x509/pem.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace keel::tool {
namespace {

namespace fs = std::filesystem;

Result<std::string> data_directory() {
  // NOLINTBEGIN(concurrency-mt-unsafe): read once, at startup
  const char* xdg = std::getenv("XDG_DATA_HOME");
  const char* home = std::getenv("HOME");
  // NOLINTEND(concurrency-mt-unsafe)
  if (xdg != nullptr && *xdg == '/') {
    return std::string(xdg) + "/keel";
  }
  if (home != nullptr && *home == '/') {
    return std::string(home) + "/.local/share/keel";
  }
  return Error(Errc::io_error,
               "neither XDG_DATA_HOME nor HOME is set: nowhere to keep the local CA");
}

/// Writes `text` to `path` atomically (a temporary file renamed over it) with `mode`.
Result<void> write_file(const std::string& path, std::string_view text, mode_t mode) {
  const std::string temporary = path + ".tmp";
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-vararg): open(2) takes the mode as a vararg
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) {
    return Error(Errc::io_error, "cannot write " + temporary);
  }
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  const bool closed = ::close(fd) == 0;
  if (!written || !closed || ::rename(temporary.c_str(), path.c_str()) != 0) {
    return Error(Errc::io_error, "cannot write " + path);
  }
  return {};
}

Result<Bytes> random_serial(crypto::Provider& provider) {
  Bytes serial(16);
  KEEL_TRY(provider.rng().fill(serial));
  serial[0] = static_cast<std::uint8_t>((serial[0] & 0x7FU) | 0x01U);  // positive, 16 octets
  return serial;
}

der::Seconds now() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

Result<std::string> key_pem(const crypto::PrivateKey& key) {
  KEEL_TRY_ASSIGN(const Secret der, key.pkcs8());
  return pem::encode("PRIVATE KEY", der.view());
}

Result<void> make_ca(crypto::Provider& provider, const LocalCa& files) {
  KEEL_TRY_ASSIGN(auto key, provider.generate_private_key(crypto::KeyType::ec_p256));
  KEEL_TRY_ASSIGN(const Bytes spki, key->public_key_spki());
  x509::CertificateProfile profile;
  profile.common_name = "keel local CA";
  profile.ca = true;
  profile.not_before = now() - std::chrono::hours(1);
  profile.not_after = now() + std::chrono::days(3650);
  KEEL_TRY_ASSIGN(profile.serial, random_serial(provider));
  KEEL_TRY_ASSIGN(const Bytes der, x509::issue_certificate(profile, spki, *key, nullptr, provider));
  KEEL_TRY_ASSIGN(const std::string pem_key, key_pem(*key));
  KEEL_TRY(write_file(files.directory + "/ca.key", pem_key, 0600));
  return write_file(files.ca_certificate, pem::encode("CERTIFICATE", der), 0644);
}

Result<void> make_leaf(crypto::Provider& provider, const LocalCa& files) {
  KEEL_TRY_ASSIGN(const std::string ca_key_text, read_file(files.directory + "/ca.key"));
  KEEL_TRY_ASSIGN(const std::string ca_text, read_file(files.ca_certificate));
  KEEL_TRY_ASSIGN(auto ca_blocks, pem::parse(ca_text, "CERTIFICATE"));
  if (ca_blocks.size() != 1) {
    return Error(Errc::malformed, files.ca_certificate + ": not one certificate");
  }
  KEEL_TRY_ASSIGN(const auto ca, x509::Certificate::parse(ca_blocks.front().der));
  const ByteView ca_key_bytes(reinterpret_cast<const std::uint8_t*>(ca_key_text.data()),
                              ca_key_text.size());
  KEEL_TRY_ASSIGN(auto ca_key, provider.load_private_key(ca_key_bytes));

  KEEL_TRY_ASSIGN(auto key, provider.generate_private_key(crypto::KeyType::ec_p256));
  KEEL_TRY_ASSIGN(const Bytes spki, key->public_key_spki());
  x509::CertificateProfile profile;
  profile.common_name = "localhost";
  profile.dns_names = {"localhost"};
  profile.ip_addresses = {*x509::parse_ip_address("127.0.0.1"), *x509::parse_ip_address("::1")};
  profile.not_before = now() - std::chrono::hours(1);
  profile.not_after = std::min(now() + std::chrono::days(365), ca.not_after());
  KEEL_TRY_ASSIGN(profile.serial, random_serial(provider));
  KEEL_TRY_ASSIGN(const Bytes der, x509::issue_certificate(profile, spki, *ca_key, &ca, provider));
  KEEL_TRY_ASSIGN(const std::string pem_key, key_pem(*key));
  KEEL_TRY(write_file(files.key, pem_key, 0600));
  return write_file(files.certificate, pem::encode("CERTIFICATE", der), 0644);
}

/// Whether the leaf at `path` is still good for a day.
bool leaf_fresh(const std::string& path) {
  auto text = read_file(path);
  if (!text.ok()) {
    return false;
  }
  auto blocks = pem::parse(*text, "CERTIFICATE");
  if (!blocks.ok() || blocks->empty()) {
    return false;
  }
  auto leaf = x509::Certificate::parse(blocks->front().der);
  return leaf.ok() && leaf->not_after() > now() + std::chrono::days(1);
}

}  // namespace

Result<LocalCa> ensure_local_ca() {
  KEEL_TRY_ASSIGN(const std::string directory, data_directory());
  LocalCa files{directory, directory + "/ca.pem", directory + "/localhost.pem",
                directory + "/localhost.key"};
  std::error_code error;
  fs::create_directories(directory, error);
  if (error) {
    return Error(Errc::io_error, "cannot create " + directory + ": " + error.message());
  }
  fs::permissions(directory, fs::perms::owner_all, fs::perm_options::replace, error);
  auto& provider = crypto::default_provider();
  if (!fs::exists(files.ca_certificate) || !fs::exists(directory + "/ca.key")) {
    KEEL_TRY(make_ca(provider, files));
    fs::remove(files.certificate, error);
  }
  if (!fs::exists(files.key) || !leaf_fresh(files.certificate)) {
    KEEL_TRY(make_leaf(provider, files));
  }
  return files;
}

}  // namespace keel::tool
