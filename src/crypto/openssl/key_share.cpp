// Ephemeral key exchange on libcrypto: X25519 (RFC 7748) and ECDH on secp256r1/secp384r1.
#include <algorithm>
#include <array>
#include <string>

#include <openssl/core_names.h>
#include <openssl/param_build.h>

#include "core/secret.hpp"
#include "core/try.hpp"
#include "crypto/openssl/ossl.hpp"

namespace keel::crypto::ossl {
namespace {

constexpr std::size_t kX25519Size = 32;
/// Rejection sampling for a NIST private scalar fails with probability < 2^-32 per draw;
/// this many failures in a row means the Rng is broken.
constexpr int kMaxScalarDraws = 64;

struct Curve {
  const char* name;  // OpenSSL's group name
  int nid;
  std::size_t field_size;
};

Result<Curve> nist_curve(NamedGroup group) {
  switch (group) {
    case NamedGroup::secp256r1:
      return Curve{"prime256v1", NID_X9_62_prime256v1, 32};
    case NamedGroup::secp384r1:
      return Curve{"secp384r1", NID_secp384r1, 48};
    default:
      return Error(Errc::unsupported_algorithm, "no key exchange for group " + to_string(group));
  }
}

/// Whether libcrypto checks the peer's key before the derivation: a NIST point must be on its
/// curve; every 32 bytes are an X25519 public value (RFC 7748 §5), whose only bad outcome, an
/// all-zero secret, the caller checks (the check would cost a microsecond a handshake).
enum class PeerCheck : std::uint8_t { none, validate };

/// The shared secret of `own` and `peer`, `length` bytes (the field size for both families).
Result<Secret> derive(EVP_PKEY* own, EVP_PKEY* peer, std::size_t length, std::string_view what,
                      PeerCheck check) {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, own, nullptr));
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1 ||
      EVP_PKEY_derive_set_peer_ex(ctx.get(), peer, check == PeerCheck::validate ? 1 : 0) != 1) {
    return failure(Errc::invalid_key_share, std::string(what) + " peer key rejected");
  }
  Secret shared(length);
  std::size_t written = length;
  if (EVP_PKEY_derive(ctx.get(), shared.mutable_view().data(), &written) != 1 ||
      written != length) {
    return failure(Errc::invalid_key_share, std::string(what) + " derive");
  }
  return shared;
}

/// What a thread keeps for its X25519 exchanges: a context to import private keys with
/// (importing by name looks the algorithm up each time, 2 µs of a 30 µs key) and one public
/// key whose value each exchange replaces (a new key object costs another 2 µs). One per
/// thread, because libcrypto lets no two threads use or change these at once.
struct X25519Scratch {
  PkeyCtxPtr import;
  PkeyPtr peer;
};

Result<X25519Scratch*> x25519_scratch() {
  thread_local X25519Scratch scratch = [] {
    X25519Scratch made{PkeyCtxPtr(EVP_PKEY_CTX_new_from_name(nullptr, "X25519", nullptr)), {}};
    if (made.import && EVP_PKEY_fromdata_init(made.import.get()) != 1) {
      made.import.reset();
    }
    const std::array<std::uint8_t, kX25519Size> base_point{9};
    made.peer.reset(EVP_PKEY_new_raw_public_key_ex(nullptr, "X25519", nullptr, base_point.data(),
                                                   base_point.size()));
    return made;
  }();
  if (!scratch.import || !scratch.peer) {
    return failure(Errc::crypto_failure, "x25519 set-up");
  }
  return &scratch;
}

// ---------------------------------------------------------------------------------------------

class X25519Share final : public KeyShare {
 public:
  X25519Share(PkeyPtr key, std::array<std::uint8_t, kX25519Size> pub)
      : key_(std::move(key)), public_(pub) {}

  [[nodiscard]] NamedGroup group() const noexcept override { return NamedGroup::x25519; }
  [[nodiscard]] ByteView public_key() const noexcept override { return public_; }

  [[nodiscard]] Result<Secret> agree(ByteView peer_public) const override {
    if (peer_public.size() != kX25519Size) {
      return Error(Errc::invalid_key_share, "x25519 public value must be 32 bytes, got " +
                                                std::to_string(peer_public.size()));
    }
    KEEL_TRY_ASSIGN(X25519Scratch* const scratch, x25519_scratch());
    EVP_PKEY* const peer = scratch->peer.get();
    if (EVP_PKEY_set1_encoded_public_key(peer, peer_public.data(), peer_public.size()) != 1) {
      return failure(Errc::invalid_key_share, "x25519 public value");
    }
    KEEL_TRY_ASSIGN(Secret shared,
                    derive(key_.get(), peer, kX25519Size, "x25519", PeerCheck::none));
    // RFC 8446 §7.4.2: "For X25519 and X448, implementations MUST check whether the computed
    // Diffie-Hellman shared secret is the all-zero value and abort if so".
    const std::array<std::uint8_t, kX25519Size> zero{};
    if (constant_time_equal(shared.view(), zero)) {
      return Error(Errc::invalid_key_share, "x25519 shared secret is all zero");
    }
    return shared;
  }

  static Result<std::unique_ptr<KeyShare>> from_private(ByteView private_key) {
    if (private_key.size() != kX25519Size) {
      return Error(Errc::invalid_argument, "x25519 private key must be 32 bytes");
    }
    KEEL_TRY_ASSIGN(X25519Scratch* const scratch, x25519_scratch());
    // OSSL_PARAM takes a non-const pointer, so a copy (wiped on return) goes in; libcrypto
    // computes the public value from it.
    StackSecret<kX25519Size> scalar(kX25519Size);
    std::copy(private_key.begin(), private_key.end(), scalar.mutable_view().begin());
    std::array<OSSL_PARAM, 2> params{
        OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PRIV_KEY, scalar.mutable_view().data(),
                                          scalar.size()),
        OSSL_PARAM_construct_end()};
    EVP_PKEY* raw = nullptr;
    if (EVP_PKEY_fromdata(scratch->import.get(), &raw, EVP_PKEY_KEYPAIR, params.data()) != 1) {
      return failure(Errc::crypto_failure, "x25519 key");
    }
    PkeyPtr key(raw);
    std::array<std::uint8_t, kX25519Size> pub{};
    std::size_t length = pub.size();
    if (!key || EVP_PKEY_get_raw_public_key(key.get(), pub.data(), &length) != 1 ||
        length != pub.size()) {
      return failure(Errc::crypto_failure, "x25519 key");
    }
    return std::unique_ptr<KeyShare>(std::make_unique<X25519Share>(std::move(key), pub));
  }

 private:
  PkeyPtr key_;
  std::array<std::uint8_t, kX25519Size> public_;
};

// ---------------------------------------------------------------------------------------------

class EcShare final : public KeyShare {
 public:
  EcShare(NamedGroup group, Curve curve, PkeyPtr key, Bytes pub)
      : group_(group), curve_(curve), key_(std::move(key)), public_(std::move(pub)) {}

  [[nodiscard]] NamedGroup group() const noexcept override { return group_; }
  [[nodiscard]] ByteView public_key() const noexcept override { return public_; }

  [[nodiscard]] Result<Secret> agree(ByteView peer_public) const override {
    // RFC 8446 §4.2.8.2: only the uncompressed form (legacy_form = 4) is allowed.
    const std::size_t expected = 1 + 2 * curve_.field_size;
    if (peer_public.size() != expected || peer_public[0] != 0x04) {
      return Error(Errc::invalid_key_share, to_string(group_) +
                                                " public value must be an uncompressed point of " +
                                                std::to_string(expected) + " bytes");
    }
    auto peer = ec_public_key(curve_.name, peer_public);
    if (!peer.ok()) {
      return Error(Errc::invalid_key_share, std::string(curve_.name) + " point not on curve");
    }
    return derive(key_.get(), peer->get(), curve_.field_size, to_string(group_),
                  PeerCheck::validate);
  }

  static Result<std::unique_ptr<KeyShare>> from_private(NamedGroup group, ByteView scalar) {
    KEEL_TRY_ASSIGN(const Curve curve, nist_curve(group));
    EcGroupPtr ec_group(EC_GROUP_new_by_curve_name_ex(nullptr, nullptr, curve.nid));
    BnPtr d(BN_bin2bn(ptr(scalar), static_cast<int>(scalar.size()), nullptr));
    BnCtxPtr bn_ctx(BN_CTX_new());
    if (!ec_group || !d || !bn_ctx) {
      return failure(Errc::crypto_failure, "EC setup");
    }
    // The scalar must be in [1, n-1].
    if (BN_is_zero(d.get()) != 0 || BN_cmp(d.get(), EC_GROUP_get0_order(ec_group.get())) >= 0) {
      return Error(Errc::invalid_argument, to_string(group) + " private scalar out of range");
    }
    EcPointPtr q(EC_POINT_new(ec_group.get()));
    Bytes pub(1 + 2 * curve.field_size);
    if (!q || EC_POINT_mul(ec_group.get(), q.get(), d.get(), nullptr, nullptr, bn_ctx.get()) != 1 ||
        EC_POINT_point2oct(ec_group.get(), q.get(), POINT_CONVERSION_UNCOMPRESSED, pub.data(),
                           pub.size(), bn_ctx.get()) != pub.size()) {
      return failure(Errc::crypto_failure, "EC public key");
    }
    std::string name = curve.name;  // OSSL_PARAM wants a mutable buffer; libcrypto only reads it
    // OSSL_PKEY_PARAM_PRIV_KEY is a native-endian BIGNUM parameter; build it with the param
    // builder, which does that conversion.
    std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD_free>> builder(OSSL_PARAM_BLD_new());
    if (!builder ||
        OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, name.data(),
                                        0) != 1 ||
        OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_PRIV_KEY, d.get()) != 1 ||
        OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, pub.data(),
                                         pub.size()) != 1) {
      return failure(Errc::crypto_failure, "EC key parameters");
    }
    std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM_free>> params(
        OSSL_PARAM_BLD_to_param(builder.get()));
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
    EVP_PKEY* raw = nullptr;
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
        EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_KEYPAIR, params.get()) != 1) {
      return failure(Errc::crypto_failure, "EC key import");
    }
    return std::unique_ptr<KeyShare>(
        std::make_unique<EcShare>(group, curve, PkeyPtr(raw), std::move(pub)));
  }

 private:
  NamedGroup group_;
  Curve curve_;
  PkeyPtr key_;
  Bytes public_;
};

}  // namespace

Result<std::unique_ptr<KeyShare>> key_share_from_private(NamedGroup group, ByteView private_key) {
  if (group == NamedGroup::x25519) {
    return X25519Share::from_private(private_key);
  }
  return EcShare::from_private(group, private_key);
}

Result<std::unique_ptr<KeyShare>> generate_key_share(NamedGroup group, Rng& rng) {
  if (group == NamedGroup::x25519) {
    // RFC 7748 §6.1: the private key is 32 random bytes (clamping is part of X25519 itself).
    Secret scalar(kX25519Size);
    KEEL_TRY(rng.fill(scalar.mutable_view()));
    return X25519Share::from_private(scalar.view());
  }
  KEEL_TRY_ASSIGN(const Curve curve, nist_curve(group));
  // A uniformly random scalar in [1, n-1] by rejection sampling (FIPS 186-5 A.2.2). For
  // P-256 and P-384 the order is so close to 2^bits that a draw almost never fails.
  for (int attempt = 0; attempt < kMaxScalarDraws; ++attempt) {
    Secret scalar(curve.field_size);
    KEEL_TRY(rng.fill(scalar.mutable_view()));
    auto share = EcShare::from_private(group, scalar.view());
    if (share.ok() || share.error().code() != Errc::invalid_argument) {
      return share;
    }
  }
  return Error(Errc::crypto_failure, "random source keeps producing invalid EC scalars");
}

}  // namespace keel::crypto::ossl
