// Fuzzes key loading: the input as a SubjectPublicKeyInfo and as a private key (PEM or DER).
// Whatever keel accepts must be usable: a public key reports its type, a private key signs with
// a scheme its type allows and the signature verifies under its own public key.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "crypto/provider.hpp"

namespace {

using namespace keel::crypto;  // NOLINT(google-build-using-namespace): a fuzz target

SignatureAlgorithm any_algorithm_for(KeyType type) {
  switch (type) {
    case KeyType::rsa:
    case KeyType::rsa_pss:
      return {SignatureKind::rsa_pss, HashAlg::sha256};
    case KeyType::ec_p256:
      return {SignatureKind::ecdsa, HashAlg::sha256};
    case KeyType::ec_p384:
      return {SignatureKind::ecdsa, HashAlg::sha384};
    case KeyType::ed25519:
      return {SignatureKind::ed25519, HashAlg::sha512};
  }
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const keel::ByteView input(data, size);
  const Provider& provider = default_provider();

  if (auto pub = provider.parse_public_key(input); pub.ok()) {
    (void)(*pub)->verify(any_algorithm_for((*pub)->type()), input, input);
  }

  if (auto key = provider.load_private_key(input); key.ok()) {
    const SignatureAlgorithm alg = any_algorithm_for((*key)->type());
    auto sig = (*key)->sign(alg, input);
    auto spki = (*key)->public_key_spki();
    if (sig.ok() && spki.ok()) {
      auto pub = provider.parse_public_key(*spki);
      if (!pub.ok()) {
        std::fprintf(stderr, "own public key rejected: %s\n", pub.error().message().c_str());
        std::abort();
      }
      if (auto verified = (*pub)->verify(alg, input, *sig); !verified.ok()) {
        std::fprintf(stderr, "own signature rejected: %s\n", verified.error().message().c_str());
        std::abort();  // an accepted key must verify its own signature
      }
    }
  }
  return 0;
}
