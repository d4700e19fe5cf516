#include "tls13/credential.hpp"

#include <algorithm>
#include <string>

#include "core/try.hpp"
#include "msg/certificate.hpp"
#include "x509/hostname.hpp"

namespace keel::tls13 {

Result<Credential> Credential::make(std::vector<Bytes> chain,
                                    std::shared_ptr<const crypto::PrivateKey> key) {
  if (chain.empty()) {
    return Error(Errc::invalid_argument, "certificate chain is empty");
  }
  if (key == nullptr) {
    return Error(Errc::invalid_argument, "no private key");
  }
  KEEL_TRY_ASSIGN(auto leaf, x509::Certificate::parse(chain.front()));
  KEEL_TRY_ASSIGN(auto spki, key->public_key_spki());
  if (!std::ranges::equal(spki, leaf.spki())) {
    return Error(Errc::invalid_argument,
                 "the private key does not belong to the certificate " + leaf.describe());
  }
  msg::CertificateMessage message;
  for (const auto& der : chain) {
    message.certificate_list.push_back({der, {}});
  }
  KEEL_TRY_ASSIGN(auto encoded, message.encode());  // limit_exceeded for a chain over 2^24 bytes
  return Credential(std::move(chain), std::move(leaf), std::move(key), std::move(encoded));
}

bool Credential::covers(std::string_view server_name) const {
  const auto& names = leaf_.extensions().subject_alt_names;
  if (!names) {
    return false;
  }
  return std::ranges::any_of(*names, [&](const x509::GeneralName& name) {
    if (name.kind != x509::GeneralNameKind::dns_name) {
      return false;
    }
    const std::string presented(name.value.begin(), name.value.end());
    return x509::dns_name_matches(presented, server_name);
  });
}

}  // namespace keel::tls13
