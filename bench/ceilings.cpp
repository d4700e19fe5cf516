#include "ceilings.hpp"

#include <array>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/file.hpp"
#include "crypto/kdf.hpp"
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

/// An operation of a handshake and how often each side runs it.
struct Operation {
  int client_count;
  int server_count;
  std::function<bool()> run;
};

struct HandshakeCeiling::State {
  // What the operations refer to; the state does not move once made.
  LoadedChain chain;
  std::vector<std::shared_ptr<crypto::PublicKey>> keys;
  Bytes content;  // what a CertificateVerify signs
  SignatureAlgorithm cv_alg{};
  Bytes cv_signature;
  std::unique_ptr<crypto::KeyShare> peer;
  Bytes peer_public;
  std::unique_ptr<crypto::Aead> ticket_aead;
  std::unique_ptr<crypto::HashContext> transcript;
  std::vector<Operation> operations;

  /// An X25519 key share to agree with, and each side's key generation and derivation.
  bool add_key_exchange(crypto::Provider& provider);
};

HandshakeCeiling::HandshakeCeiling(std::unique_ptr<State> state) : state_(std::move(state)) {}
HandshakeCeiling::HandshakeCeiling(HandshakeCeiling&&) noexcept = default;
HandshakeCeiling::~HandshakeCeiling() = default;

bool HandshakeCeiling::State::add_key_exchange(crypto::Provider& provider) {
  auto made = provider.generate_key_share(NamedGroup::x25519, provider.rng());
  if (!made.ok()) {
    return failed("setup", made.error());
  }
  peer = std::move(made).value();
  peer_public.assign(peer->public_key().begin(), peer->public_key().end());
  const State* s = this;
  operations.push_back({1, 1, [&provider] {
                          auto share =
                              provider.generate_key_share(NamedGroup::x25519, provider.rng());
                          return share.ok() || failed("keygen", share.error());
                        }});
  operations.push_back({1, 1, [s] {
                          auto secret = s->peer->agree(s->peer_public);
                          return secret.ok() || failed("agree", secret.error());
                        }});
  return true;
}

std::optional<HandshakeCeiling> HandshakeCeiling::full(const ChainFiles& files) {
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
  if (!cv_signature.ok()) {
    failed("setup", cv_signature.error());
    return std::nullopt;
  }
  state->cv_signature = std::move(cv_signature).value();
  if (!state->add_key_exchange(provider)) {
    return std::nullopt;
  }
  const State* s = state.get();
  state->operations.push_back({0, 1, [s] {
                                 auto signature = s->chain.key->sign(s->cv_alg, s->content);
                                 return signature.ok() || failed("sign", signature.error());
                               }});
  state->operations.push_back({1, 0, [s] {
                                 auto verified =
                                     s->keys[0]->verify(s->cv_alg, s->content, s->cv_signature);
                                 return verified.ok() || failed("verify", verified.error());
                               }});
  state->operations.push_back({1, 0, verify_certificate(s->chain.certificates[0], s->keys[1])});
  state->operations.push_back({1, 0, verify_certificate(s->chain.certificates[1], s->keys[2])});
  return HandshakeCeiling(std::move(state));
}

std::optional<HandshakeCeiling> HandshakeCeiling::resumed13() {
  crypto::Provider& provider = crypto::default_provider();
  auto state = std::make_unique<State>();
  if (!state->add_key_exchange(provider)) {
    return std::nullopt;
  }
  constexpr std::size_t kTicketKeySize = 32;
  auto ticket_aead = provider.aead(crypto::AeadAlg::aes_256_gcm, Bytes(kTicketKeySize, 0x11));
  auto transcript = provider.hash(HashAlg::sha256);
  if (!ticket_aead.ok() || !transcript.ok()) {
    failed("setup", ticket_aead.ok() ? transcript.error() : ticket_aead.error());
    return std::nullopt;
  }
  state->ticket_aead = std::move(ticket_aead).value();
  state->transcript = std::move(transcript).value();
  state->transcript->update(Bytes(600, 0x16));  // a ClientHello and a server flight
  const Bytes secret(32, 0x5e);
  const Bytes hash(32, 0xa7);
  const State* s = state.get();
  // A record of `size` bytes sealed with `aead`, as the record layer does it.
  const auto seal = [](crypto::Aead& aead, std::size_t size) {
    const Bytes nonce(crypto::kAeadNonceSize, 0x07);
    const Bytes header = {0x17, 0x03, 0x03, 0x00, 0x80};
    const Bytes plaintext(size, 0x42);
    Bytes out(size);
    Bytes tag(crypto::kAeadTagSize);
    const std::array<ByteView, 1> parts{plaintext};
    const auto sealed = aead.seal(nonce, header, parts, out, tag);
    return sealed.ok() || failed("seal", sealed.error());
  };
  state->operations.push_back({22, 22, [&provider, secret, hash] {
                                 auto derived = crypto::derive_secret(provider, HashAlg::sha256,
                                                                      secret, "c hs traffic", hash);
                                 return derived.ok() || failed("HKDF", derived.error());
                               }});
  state->operations.push_back({6, 6, [&provider, secret, hash] {
                                 auto mac = provider.hmac(HashAlg::sha256, secret, hash);
                                 return mac.ok() || failed("HMAC", mac.error());
                               }});
  state->operations.push_back(
      {4, 4, [&provider, secret, seal] {
         auto aead = provider.aead(crypto::AeadAlg::aes_128_gcm, ByteView(secret).first(16));
         return aead.ok() ? seal(**aead, 100) : failed("AEAD key", aead.error());
       }});
  state->operations.push_back(
      {1, 3, [s, seal] { return seal(*s->ticket_aead, 200); }});  // NST; ticket opened, sealed
  state->operations.push_back({5, 5, [s] {
                                 auto snapshot = s->transcript->clone();
                                 auto digest = snapshot.ok() ? (*snapshot)->finish()
                                                             : std::move(snapshot).error();
                                 return digest.ok() || failed("transcript", digest.error());
                               }});
  return HandshakeCeiling(std::move(state));
}

std::optional<HandshakeCost> HandshakeCeiling::measure(double min_seconds) const {
  HandshakeCost cost;
  // Each operation runs for a quarter of the run time.
  for (const Operation& operation : state_->operations) {
    const auto seconds = seconds_per_call(min_seconds / 4, operation.run);
    if (!seconds) {
      return std::nullopt;
    }
    cost.client += operation.client_count * *seconds;
    cost.server += operation.server_count * *seconds;
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
