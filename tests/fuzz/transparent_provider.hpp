// A crypto provider that lets a fuzzer past the crypto, for fuzz_engine only: deterministic
// randomness, key exchange whose shared secret is all zeros, HMAC (and so every HKDF and PRF
// output: keys, Finished, binders) all zeros, records "sealed" in the clear with an all-zero
// tag, and handshake signatures that always verify. A recorded handshake then replays byte for
// byte, and a mutated one still reaches the message it changed, in every state. Certificate
// chains are still verified with real signatures (the verifier keeps the default provider), and
// every parser is the real one. Never anywhere but a fuzzer.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>

#include "crypto/provider.hpp"

namespace keel::fuzz {

/// The same bytes after every reset(): a counter.
class CountingRng final : public Rng {
 public:
  Result<void> fill(MutableByteView out) override {
    for (auto& b : out) {
      b = static_cast<std::uint8_t>(counter_++ * 167U + 13U);
    }
    return {};
  }
  void reset() { counter_ = 0; }

 private:
  std::uint32_t counter_ = 0;
};

class ClearAead final : public crypto::Aead {
 public:
  explicit ClearAead(crypto::AeadAlg alg) : alg_(alg) {}
  [[nodiscard]] crypto::AeadAlg alg() const noexcept override { return alg_; }

  Result<void> seal(ByteView /*nonce*/, ByteView /*aad*/, std::span<const ByteView> parts,
                    MutableByteView out, MutableByteView tag) override {
    std::size_t at = 0;
    for (const ByteView part : parts) {
      if (part.data() != out.data() + at) {
        std::copy(part.begin(), part.end(), out.begin() + static_cast<std::ptrdiff_t>(at));
      }
      at += part.size();
    }
    std::fill(tag.begin(), tag.end(), std::uint8_t{0});
    return {};
  }

  Result<void> open(ByteView /*nonce*/, ByteView /*aad*/, ByteView in, MutableByteView out,
                    ByteView tag) override {
    // A tag that is not all zeros fails, so the bad-tag paths stay reachable.
    if (std::any_of(tag.begin(), tag.end(), [](std::uint8_t b) { return b != 0; })) {
      return Error(Errc::bad_record_mac);
    }
    if (in.data() != out.data()) {
      std::copy(in.begin(), in.end(), out.begin());
    }
    return {};
  }

 private:
  crypto::AeadAlg alg_;
};

class ZeroKeyShare final : public crypto::KeyShare {
 public:
  explicit ZeroKeyShare(NamedGroup group) : group_(group), public_(public_size(group), 0x42) {
    if (group != NamedGroup::x25519) {
      public_[0] = 0x04;  // an uncompressed point's form, as a peer checks it
    }
  }
  [[nodiscard]] NamedGroup group() const noexcept override { return group_; }
  [[nodiscard]] ByteView public_key() const noexcept override { return public_; }
  [[nodiscard]] Result<Secret> agree(ByteView peer_public) const override {
    if (peer_public.size() != public_.size()) {
      return Error(Errc::invalid_key_share, "wrong length");
    }
    return Secret(group_ == NamedGroup::secp384r1 ? 48 : 32);
  }

 private:
  static std::size_t public_size(NamedGroup group) {
    return group == NamedGroup::x25519 ? 32 : group == NamedGroup::secp256r1 ? 65 : 97;
  }
  NamedGroup group_;
  Bytes public_;
};

/// A real public key (its SPKI parsed for real) whose verify() always succeeds.
class TrustingPublicKey final : public crypto::PublicKey {
 public:
  explicit TrustingPublicKey(std::unique_ptr<crypto::PublicKey> real) : real_(std::move(real)) {}
  [[nodiscard]] crypto::KeyType type() const noexcept override { return real_->type(); }
  [[nodiscard]] std::size_t bits() const noexcept override { return real_->bits(); }
  [[nodiscard]] Result<void> verify(crypto::SignatureAlgorithm /*alg*/, ByteView /*message*/,
                                    ByteView /*signature*/) const override {
    return {};
  }
  [[nodiscard]] Result<Bytes> ec_point() const override { return real_->ec_point(); }

 private:
  std::unique_ptr<crypto::PublicKey> real_;
};

class TransparentProvider final : public crypto::Provider {
 public:
  /// Back to the first random byte: call before each input, so that runs repeat.
  void reset() { rng_.reset(); }

  [[nodiscard]] std::string name() const override { return "transparent (fuzzing only)"; }
  [[nodiscard]] Rng& rng() noexcept override { return rng_; }
  [[nodiscard]] Result<std::unique_ptr<crypto::HashContext>> hash(
      crypto::HashAlg alg) const override {
    return real().hash(alg);
  }
  [[nodiscard]] Result<crypto::Digest> hmac(crypto::HashAlg alg, ByteView /*key*/,
                                            ByteView /*data*/) const override {
    return crypto::Digest(crypto::digest_size(alg));
  }
  [[nodiscard]] Result<crypto::Digest> sha1_identifier(ByteView data) const override {
    return real().sha1_identifier(data);
  }
  [[nodiscard]] Result<std::unique_ptr<crypto::Aead>> aead(crypto::AeadAlg alg,
                                                           ByteView /*key*/) const override {
    return std::unique_ptr<crypto::Aead>(std::make_unique<ClearAead>(alg));
  }
  [[nodiscard]] Result<std::unique_ptr<crypto::KeyShare>> generate_key_share(
      NamedGroup group, Rng& /*rng*/) const override {
    return key_share(group);
  }
  [[nodiscard]] Result<std::unique_ptr<crypto::KeyShare>> key_share_from_private(
      NamedGroup group, ByteView /*private_key*/) const override {
    return key_share(group);
  }
  [[nodiscard]] Result<std::unique_ptr<crypto::PublicKey>> parse_public_key(
      ByteView spki, const crypto::KeyPolicy& policy) const override {
    auto parsed = real().parse_public_key(spki, policy);
    if (!parsed.ok()) {
      return std::move(parsed).error();
    }
    return std::unique_ptr<crypto::PublicKey>(
        std::make_unique<TrustingPublicKey>(std::move(parsed).value()));
  }
  [[nodiscard]] Result<std::unique_ptr<crypto::PrivateKey>> load_private_key(
      ByteView pem_or_der, const crypto::KeyPolicy& policy) const override {
    return real().load_private_key(pem_or_der, policy);
  }
  [[nodiscard]] Result<std::unique_ptr<crypto::PrivateKey>> generate_private_key(
      crypto::KeyType type) const override {
    return real().generate_private_key(type);
  }

 private:
  static crypto::Provider& real() { return crypto::default_provider(); }
  static Result<std::unique_ptr<crypto::KeyShare>> key_share(NamedGroup group) {
    if (group != NamedGroup::x25519 && group != NamedGroup::secp256r1 &&
        group != NamedGroup::secp384r1) {
      return Error(Errc::unsupported_algorithm, "group");
    }
    return std::unique_ptr<crypto::KeyShare>(std::make_unique<ZeroKeyShare>(group));
  }

  CountingRng rng_;
};

}  // namespace keel::fuzz
