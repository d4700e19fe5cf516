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

struct PublicKeyCeiling::State {
  LoadedChain chain;
  std::vector<std::shared_ptr<crypto::PublicKey>> keys;
  Bytes content;  // what a CertificateVerify signs
  SignatureAlgorithm cv_alg{};
  Bytes cv_signature;
  std::unique_ptr<crypto::KeyShare> peer;
  Bytes peer_public;
  std::vector<std::pair<bool, std::function<bool()>>> operations;  // (server side?, operation)
};

PublicKeyCeiling::PublicKeyCeiling(std::unique_ptr<State> state) : state_(std::move(state)) {}
PublicKeyCeiling::PublicKeyCeiling(PublicKeyCeiling&&) noexcept = default;
PublicKeyCeiling::~PublicKeyCeiling() = default;

std::optional<PublicKeyCeiling> PublicKeyCeiling::make(const ChainFiles& files) {
  crypto::Provider& provider = crypto::default_provider();
  auto chain = load(files, provider);
  if (!chain) {
    return std::nullopt;
  }
  auto state = std::make_unique<State>();
  state->chain = std::move(*chain);
  for (const auto& certificate : state->chain.certificates) {
    auto key = provider.parse_public_key(certificate.spki());
    if (!key.ok()) {
      failed("public key", key.error());
      return std::nullopt;
    }
    state->keys.emplace_back(std::move(key).value());
  }
  // RFC 8446 §4.4.3: what a CertificateVerify signs — 64 spaces, the context string, a zero
  // byte and the transcript hash.
  state->content.assign(64, 0x20);
  const std::string context = "TLS 1.3, server CertificateVerify";
  state->content.insert(state->content.end(), context.begin(), context.end());
  state->content.push_back(0);
  state->content.resize(state->content.size() + 32, 0xab);
  const crypto::PrivateKey& key = *state->chain.key;
  state->cv_alg = key.type() == crypto::KeyType::rsa
                      ? SignatureAlgorithm{SignatureKind::rsa_pss, HashAlg::sha256}
                      : SignatureAlgorithm{SignatureKind::ecdsa, HashAlg::sha256};
  auto cv_signature = key.sign(state->cv_alg, state->content);
  auto peer = provider.generate_key_share(NamedGroup::x25519, provider.rng());
  if (!cv_signature.ok() || !peer.ok()) {
    failed("setup", cv_signature.ok() ? peer.error() : cv_signature.error());
    return std::nullopt;
  }
  state->cv_signature = std::move(cv_signature).value();
  state->peer = std::move(peer).value();
  state->peer_public.assign(state->peer->public_key().begin(), state->peer->public_key().end());

  State* s = state.get();  // the operations refer to the state, which does not move
  const std::function<bool()> keygen = [&provider] {
    auto share = provider.generate_key_share(NamedGroup::x25519, provider.rng());
    return share.ok() || failed("keygen", share.error());
  };
  const std::function<bool()> agree = [s] {
    auto secret = s->peer->agree(s->peer_public);
    return secret.ok() || failed("agree", secret.error());
  };
  const std::function<bool()> sign = [s] {
    auto signature = s->chain.key->sign(s->cv_alg, s->content);
    return signature.ok() || failed("sign", signature.error());
  };
  const std::function<bool()> verify_cv = [s] {
    auto verified = s->keys[0]->verify(s->cv_alg, s->content, s->cv_signature);
    return verified.ok() || failed("verify", verified.error());
  };
  state->operations = {
      {true, keygen},
      {true, agree},
      {true, sign},
      {false, keygen},
      {false, agree},
      {false, verify_cv},
      {false, verify_certificate(s->chain.certificates[0], s->keys[1])},
      {false, verify_certificate(s->chain.certificates[1], s->keys[2])},
  };
  return PublicKeyCeiling(std::move(state));
}

std::optional<PublicKeyCost> PublicKeyCeiling::measure(double min_seconds) const {
  PublicKeyCost cost;
  // Each operation runs for a quarter of the run time (two runs' worth for the eight).
  for (const auto& [server, operation] : state_->operations) {
    const auto seconds = seconds_per_call(min_seconds / 4, operation);
    if (!seconds) {
      return std::nullopt;
    }
    (server ? cost.server : cost.client) += *seconds;
  }
  return cost;
}

struct AeadCeilingMeter::State {
  std::unique_ptr<crypto::Aead> sealer;
  std::unique_ptr<crypto::Aead> opener;
  Bytes nonce = Bytes(crypto::kAeadNonceSize, 0x07);
  Bytes aad = {0x17, 0x03, 0x03, 0x40, 0x11};  // a record's header: the associated data
  Bytes record = Bytes(kWriteSize + 1, 0x5a);  // a full record's content and type, in place
  Bytes tag = Bytes(crypto::kAeadTagSize);
};

AeadCeilingMeter::AeadCeilingMeter(std::unique_ptr<State> state) : state_(std::move(state)) {}
AeadCeilingMeter::AeadCeilingMeter(AeadCeilingMeter&&) noexcept = default;
AeadCeilingMeter::~AeadCeilingMeter() = default;

std::optional<AeadCeilingMeter> AeadCeilingMeter::make(Suite suite) {
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
  auto state = std::make_unique<State>();
  state->sealer = std::move(sealer).value();
  state->opener = std::move(opener).value();
  return AeadCeilingMeter(std::move(state));
}

std::optional<AeadCeiling> AeadCeilingMeter::measure(double min_seconds) const {
  State& s = *state_;
  const std::function<bool()> seal = [&s] {
    auto sealed = s.sealer->seal(s.nonce, s.aad, s.record, s.tag);
    return sealed.ok() || failed("seal", sealed.error());
  };
  // open() decrypts in place, so its cost is that of sealing and opening the same record
  // minus that of sealing it.
  const std::function<bool()> round_trip = [&s] {
    auto sealed = s.sealer->seal(s.nonce, s.aad, s.record, s.tag);
    auto opened = sealed.ok() ? s.opener->open(s.nonce, s.aad, s.record, s.tag) : sealed;
    return opened.ok() || failed("open", opened.error());
  };
  const auto seal_seconds = seconds_per_call(min_seconds / 2, seal);
  const auto round_trip_seconds = seconds_per_call(min_seconds / 2, round_trip);
  if (!seal_seconds || !round_trip_seconds || *round_trip_seconds <= *seal_seconds) {
    return std::nullopt;
  }
  return AeadCeiling{static_cast<double>(kWriteSize) / *seal_seconds,
                     static_cast<double>(kWriteSize) / (*round_trip_seconds - *seal_seconds)};
}

}  // namespace keel::bench
