#include "handshake/negotiation.hpp"

#include <algorithm>
#include <array>
#include <string>

namespace keel::handshake {
namespace {

template <class T>
bool contains(std::span<const T> values, T value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

constexpr std::array kTls13Schemes = {
    SignatureScheme::ecdsa_secp256r1_sha256,
    SignatureScheme::ecdsa_secp384r1_sha384,
    SignatureScheme::ed25519,
    SignatureScheme::rsa_pss_rsae_sha256,
    SignatureScheme::rsa_pss_rsae_sha384,
    SignatureScheme::rsa_pss_rsae_sha512,
    SignatureScheme::rsa_pss_pss_sha256,
    SignatureScheme::rsa_pss_pss_sha384,
    SignatureScheme::rsa_pss_pss_sha512,
};

constexpr std::array kPkcs1Schemes = {
    SignatureScheme::rsa_pkcs1_sha256,
    SignatureScheme::rsa_pkcs1_sha384,
    SignatureScheme::rsa_pkcs1_sha512,
};

// TLS 1.3's, then PKCS#1 v1.5.
constexpr auto kTls12Schemes = [] {
  std::array<SignatureScheme, kTls13Schemes.size() + kPkcs1Schemes.size()> out{};
  std::copy(kPkcs1Schemes.begin(), kPkcs1Schemes.end(),
            std::copy(kTls13Schemes.begin(), kTls13Schemes.end(), out.begin()));
  return out;
}();

}  // namespace

Result<CipherSuite> choose_suite(std::span<const CipherSuite> offered,
                                 std::span<const CipherSuite> preference) {
  for (const CipherSuite suite : preference) {
    if (contains(offered, suite)) {
      return suite;
    }
  }
  return Error(Errc::handshake_failure, "no cipher suite in common");
}

Result<GroupChoice> choose_group(std::span<const NamedGroup> supported,
                                 std::span<const msg::KeyShareEntry> shares,
                                 std::span<const NamedGroup> preference) {
  for (std::size_t i = 0; i < shares.size(); ++i) {
    if (!contains(supported, shares[i].group)) {
      return Error(Errc::illegal_parameter,
                   "key share for " + to_string(shares[i].group) + ", not in supported_groups");
    }
    for (std::size_t j = 0; j < i; ++j) {
      // §4.2.8: "Clients MUST NOT offer multiple KeyShareEntry values for the same group."
      if (shares[j].group == shares[i].group) {
        return Error(Errc::illegal_parameter, "two key shares for " + to_string(shares[i].group));
      }
    }
  }
  for (const NamedGroup group : preference) {
    for (std::size_t i = 0; i < shares.size(); ++i) {
      if (shares[i].group == group) {
        return GroupChoice{group, i};
      }
    }
  }
  for (const NamedGroup group : preference) {
    if (contains(supported, group)) {
      return GroupChoice{group, std::nullopt};
    }
  }
  return Error(Errc::handshake_failure, "no key exchange group in common");
}

std::span<const SignatureScheme> tls13_signature_schemes() noexcept {
  return kTls13Schemes;
}

std::span<const SignatureScheme> tls12_signature_schemes() noexcept {
  return kTls12Schemes;
}

std::optional<SchemeInfo> scheme_info(SignatureScheme scheme) {
  using crypto::HashAlg;
  using crypto::KeyType;
  using crypto::SignatureKind;
  switch (scheme) {
    case SignatureScheme::ecdsa_secp256r1_sha256:
      return SchemeInfo{{SignatureKind::ecdsa, HashAlg::sha256}, {KeyType::ec_p256}};
    case SignatureScheme::ecdsa_secp384r1_sha384:
      return SchemeInfo{{SignatureKind::ecdsa, HashAlg::sha384}, {KeyType::ec_p384}};
    case SignatureScheme::ed25519:
      return SchemeInfo{{SignatureKind::ed25519, HashAlg::sha512}, {KeyType::ed25519}};
    // rsae: the key is an rsaEncryption key (§4.2.3); pss: an RSASSA-PSS key.
    case SignatureScheme::rsa_pss_rsae_sha256:
      return SchemeInfo{{SignatureKind::rsa_pss, HashAlg::sha256}, {KeyType::rsa}};
    case SignatureScheme::rsa_pss_rsae_sha384:
      return SchemeInfo{{SignatureKind::rsa_pss, HashAlg::sha384}, {KeyType::rsa}};
    case SignatureScheme::rsa_pss_rsae_sha512:
      return SchemeInfo{{SignatureKind::rsa_pss, HashAlg::sha512}, {KeyType::rsa}};
    case SignatureScheme::rsa_pss_pss_sha256:
      return SchemeInfo{{SignatureKind::rsa_pss, HashAlg::sha256}, {KeyType::rsa_pss}};
    case SignatureScheme::rsa_pss_pss_sha384:
      return SchemeInfo{{SignatureKind::rsa_pss, HashAlg::sha384}, {KeyType::rsa_pss}};
    case SignatureScheme::rsa_pss_pss_sha512:
      return SchemeInfo{{SignatureKind::rsa_pss, HashAlg::sha512}, {KeyType::rsa_pss}};
    // TLS 1.2 only (RFC 5246 §7.4.1.4.1; RFC 8446 §4.2.3 keeps them for certificates).
    case SignatureScheme::rsa_pkcs1_sha256:
      return SchemeInfo{{SignatureKind::rsa_pkcs1, HashAlg::sha256}, {KeyType::rsa}};
    case SignatureScheme::rsa_pkcs1_sha384:
      return SchemeInfo{{SignatureKind::rsa_pkcs1, HashAlg::sha384}, {KeyType::rsa}};
    case SignatureScheme::rsa_pkcs1_sha512:
      return SchemeInfo{{SignatureKind::rsa_pkcs1, HashAlg::sha512}, {KeyType::rsa}};
    default:
      return std::nullopt;
  }
}

Result<SignatureScheme> choose_signature_scheme(std::span<const SignatureScheme> offered,
                                                crypto::KeyType key_type,
                                                std::span<const SignatureScheme> preference) {
  for (const SignatureScheme scheme : preference) {
    const auto info = scheme_info(scheme);
    if (info && contains(offered, scheme) &&
        std::find(info->key_types.begin(), info->key_types.end(), key_type) !=
            info->key_types.end()) {
      return scheme;
    }
  }
  return Error(Errc::handshake_failure, "the peer accepts no signature scheme for a " +
                                            std::string(crypto::to_string(key_type)) + " key");
}

bool key_fits_suite12(crypto::KeyType key, Auth12 auth) noexcept {
  using crypto::KeyType;
  if (auth == Auth12::ecdsa) {
    return key == KeyType::ec_p256 || key == KeyType::ec_p384 || key == KeyType::ed25519;
  }
  return key == KeyType::rsa || key == KeyType::rsa_pss;
}

bool scheme_fits_key12(const SchemeInfo& info, crypto::KeyType key) noexcept {
  if (info.algorithm.kind == crypto::SignatureKind::ecdsa) {
    return key == crypto::KeyType::ec_p256 || key == crypto::KeyType::ec_p384;
  }
  return std::find(info.key_types.begin(), info.key_types.end(), key) != info.key_types.end();
}

bool has_downgrade_sentinel(const msg::Random& server_random) noexcept {
  const auto tail = std::span(server_random).last<8>();
  return std::equal(tail.begin(), tail.end(), kDowngradeTls12.begin()) ||
         std::equal(tail.begin(), tail.end(), kDowngradeTls11.begin());
}

}  // namespace keel::handshake
