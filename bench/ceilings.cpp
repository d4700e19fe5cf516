#include "ceilings.hpp"

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "core/file.hpp"
#include "crypto/provider.hpp"
#include "x509/certificate.hpp"
#include "x509/pem.hpp"

namespace keel::bench {
namespace {

using crypto::HashAlg;
using crypto::SignatureAlgorithm;
using crypto::SignatureKind;

bool failed(const std::string& what, const Error& error) {
  std::fprintf(stderr, "ceiling: %s: %s\n", what.c_str(), error.message().c_str());
  return false;
}

/// The chain's certificates (leaf, intermediate, root) and the leaf's key.
struct LoadedChain {
  std::vector<x509::Certificate> certificates;
  std::unique_ptr<crypto::PrivateKey> key;
};

std::optional<LoadedChain> load(const ChainFiles& files, crypto::Provider& provider) {
  LoadedChain chain;
  for (const std::string& path : {files.chain_pem, files.root_pem}) {
    auto text = read_file(path);
    auto blocks = text.ok() ? pem::parse(*text) : std::move(text).error();
    if (!blocks.ok()) {
      failed(path, blocks.error());
      return std::nullopt;
    }
    for (const auto& block : *blocks) {
      auto certificate = x509::Certificate::parse(block.der);
      if (!certificate.ok()) {
        failed(path, certificate.error());
        return std::nullopt;
      }
      chain.certificates.push_back(std::move(certificate).value());
    }
  }
  auto key_text = read_file(files.key_pem);
  auto key = key_text.ok()
                 ? provider.load_private_key(ByteView(
                       reinterpret_cast<const std::uint8_t*>(key_text->data()), key_text->size()))
                 : std::move(key_text).error();
  if (!key.ok() || chain.certificates.size() != 3) {
    failed(files.key_pem,
           key.ok() ? Error(Errc::invalid_argument, "expected 3 certificates") : key.error());
    return std::nullopt;
  }
  chain.key = std::move(key).value();
  return chain;
}

std::optional<SignatureAlgorithm> certificate_signature(const x509::Certificate& certificate) {
  switch (certificate.signature_algorithm()) {
    case x509::SignatureAlgorithmId::ecdsa_sha256:
      return SignatureAlgorithm{SignatureKind::ecdsa, HashAlg::sha256};
    case x509::SignatureAlgorithmId::rsa_pkcs1_sha256:
      return SignatureAlgorithm{SignatureKind::rsa_pkcs1, HashAlg::sha256};
    default:
      return std::nullopt;
  }
}

/// A verification of `signed_cert`'s signature by `issuer`, as chain validation does it.
std::function<bool()> verify_certificate(const x509::Certificate& signed_cert,
                                         std::shared_ptr<crypto::PublicKey> issuer) {
  const auto alg = certificate_signature(signed_cert);
  return [alg, issuer = std::move(issuer), &signed_cert] {
    if (!alg) {
      std::fprintf(stderr, "ceiling: the bench chain uses an unexpected signature algorithm\n");
      return false;
    }
    const auto verified = issuer->verify(*alg, signed_cert.tbs(), signed_cert.signature());
    return verified.ok() || failed("certificate signature", verified.error());
  };
}

}  // namespace

std::optional<PublicKeyCost> public_key_cost(const ChainFiles& files, const Settings& settings) {
  crypto::Provider& provider = crypto::default_provider();
  auto chain = load(files, provider);
  if (!chain) {
    return std::nullopt;
  }
  std::vector<std::shared_ptr<crypto::PublicKey>> keys;
  for (const auto& certificate : chain->certificates) {
    auto key = provider.parse_public_key(certificate.spki());
    if (!key.ok()) {
      failed("public key", key.error());
      return std::nullopt;
    }
    keys.emplace_back(std::move(key).value());
  }

  // RFC 8446 §4.4.3: what a CertificateVerify signs — 64 spaces, the context string, a zero
  // byte and the transcript hash.
  Bytes content(64, 0x20);
  const std::string context = "TLS 1.3, server CertificateVerify";
  content.insert(content.end(), context.begin(), context.end());
  content.push_back(0);
  content.resize(content.size() + 32, 0xab);
  const SignatureAlgorithm cv_alg =
      chain->key->type() == crypto::KeyType::rsa
          ? SignatureAlgorithm{SignatureKind::rsa_pss, HashAlg::sha256}
          : SignatureAlgorithm{SignatureKind::ecdsa, HashAlg::sha256};
  auto cv_signature = chain->key->sign(cv_alg, content);
  auto peer = provider.generate_key_share(NamedGroup::x25519, provider.rng());
  if (!cv_signature.ok() || !peer.ok()) {
    failed("setup", cv_signature.ok() ? peer.error() : cv_signature.error());
    return std::nullopt;
  }
  const Bytes peer_public((*peer)->public_key().begin(), (*peer)->public_key().end());

  const std::function<bool()> keygen = [&] {
    auto share = provider.generate_key_share(NamedGroup::x25519, provider.rng());
    return share.ok() || failed("keygen", share.error());
  };
  const std::function<bool()> agree = [&] {
    auto secret = (*peer)->agree(peer_public);
    return secret.ok() || failed("agree", secret.error());
  };
  const std::function<bool()> sign = [&] {
    auto signature = chain->key->sign(cv_alg, content);
    return signature.ok() || failed("sign", signature.error());
  };
  const std::function<bool()> verify_cv = [&] {
    auto verified = keys[0]->verify(cv_alg, content, *cv_signature);
    return verified.ok() || failed("verify", verified.error());
  };

  PublicKeyCost cost;
  const std::vector<std::pair<double*, std::function<bool()>>> operations = {
      {&cost.server, keygen},
      {&cost.server, agree},
      {&cost.server, sign},
      {&cost.client, keygen},
      {&cost.client, agree},
      {&cost.client, verify_cv},
      {&cost.client, verify_certificate(chain->certificates[0], keys[1])},
      {&cost.client, verify_certificate(chain->certificates[1], keys[2])},
  };
  for (const auto& [side, operation] : operations) {
    const auto seconds = median_seconds_per_call(settings, operation);
    if (!seconds) {
      return std::nullopt;
    }
    *side += *seconds;
  }
  return cost;
}

std::optional<AeadCeiling> aead_ceiling(Suite suite, const Settings& settings) {
  crypto::Provider& provider = crypto::default_provider();
  const crypto::AeadAlg alg = suite == Suite::aes_128_gcm   ? crypto::AeadAlg::aes_128_gcm
                              : suite == Suite::aes_256_gcm ? crypto::AeadAlg::aes_256_gcm
                                                            : crypto::AeadAlg::chacha20_poly1305;
  const Bytes key(crypto::key_size(alg), 0x42);
  auto sealer = provider.aead(alg, key);
  auto opener = provider.aead(alg, key);
  if (!sealer.ok() || !opener.ok()) {
    failed("aead", sealer.ok() ? opener.error() : sealer.error());
    return std::nullopt;
  }
  // A record's shape: a 5-byte header as associated data, the payload sealed in place.
  const Bytes nonce(crypto::kAeadNonceSize, 0x07);
  const Bytes aad = {0x17, 0x03, 0x03, 0x40, 0x11};
  Bytes record(kWriteSize + 1, 0x5a);
  Bytes tag(crypto::kAeadTagSize);
  const std::function<bool()> seal = [&] {
    auto sealed = (*sealer)->seal(nonce, aad, record, tag);
    return sealed.ok() || failed("seal", sealed.error());
  };
  // open() decrypts in place, so its cost is that of sealing and opening the same record
  // minus that of sealing it.
  const std::function<bool()> round_trip = [&] {
    auto sealed = (*sealer)->seal(nonce, aad, record, tag);
    auto opened = sealed.ok() ? (*opener)->open(nonce, aad, record, tag) : sealed;
    return opened.ok() || failed("open", opened.error());
  };
  const auto seal_seconds = median_seconds_per_call(settings, seal);
  const auto round_trip_seconds = median_seconds_per_call(settings, round_trip);
  if (!seal_seconds || !round_trip_seconds || *round_trip_seconds <= *seal_seconds) {
    return std::nullopt;
  }
  return AeadCeiling{static_cast<double>(kWriteSize) / *seal_seconds,
                     static_cast<double>(kWriteSize) / (*round_trip_seconds - *seal_seconds)};
}

}  // namespace keel::bench
