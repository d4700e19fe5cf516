// Project Wycheproof vectors (tests/data/wycheproof/) against keel's crypto provider.
//
// Every case of an applicable test group runs; a group is skipped only when its parameters are
// ones TLS and keel never use (an AEAD nonce other than 96 bits, RSA-PSS with a salt length
// other than the hash length, SHA-1 or SHA-224), and skipped groups are counted and printed.
// Each test fails if its file is missing or runs zero cases.
//
// How results are judged:
//   valid      — keel must accept and produce exactly the expected output.
//   invalid    — keel must reject.
//   acceptable — written per primitive below: where TLS forbids the input (an all-zero X25519
//                secret, a compressed point in a key share) keel must reject; otherwise keel
//                may reject, and if it accepts its output must be the expected one.
#include <algorithm>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/hex.hpp"
#include "crypto/provider.hpp"

namespace keel::crypto {
namespace {

using nlohmann::json;

Provider& provider() {
  return default_provider();
}

struct Tally {
  int valid = 0;
  int invalid = 0;
  int acceptable = 0;
  int skipped = 0;  // cases in skipped (non-applicable) groups
  [[nodiscard]] int run() const { return valid + invalid + acceptable; }
  void count(const std::string& result) {
    if (result == "valid") {
      ++valid;
    } else if (result == "invalid") {
      ++invalid;
    } else {
      ++acceptable;
    }
  }
};

json load(const std::string& name) {
  const std::string path = std::string(KEEL_TEST_DATA_DIR) + "/wycheproof/" + name;
  std::ifstream in(path);
  if (!in) {
    ADD_FAILURE() << "missing vector file " << path;
    return json::object();
  }
  return json::parse(in);
}

/// Totals over every file, printed when the program ends.
struct Totals {
  int files = 0;
  int run = 0;
  int skipped = 0;
};
Totals& totals() {
  static Totals t;
  return t;
}

class PrintTotals : public testing::Environment {
 public:
  void TearDown() override {
    std::cout << "[ wycheproof ] total: " << totals().run << " cases run from " << totals().files
              << " files, " << totals().skipped << " skipped as not applicable\n";
  }
};
const auto* const kPrintTotals = testing::AddGlobalTestEnvironment(new PrintTotals);

void report(const std::string& name, const Tally& tally) {
  ++totals().files;
  totals().run += tally.run();
  totals().skipped += tally.skipped;
  std::cout << "[ wycheproof ] " << std::left << std::setw(46) << name << std::right << std::setw(5)
            << tally.run() << " cases run (" << tally.valid << " valid, " << tally.invalid
            << " invalid, " << tally.acceptable << " acceptable), " << tally.skipped
            << " skipped\n";
  testing::Test::RecordProperty(name, tally.run());
  EXPECT_GT(tally.run(), 0) << name << " ran no cases";
}

Bytes bytes(const json& value) {
  auto parsed = from_hex(value.get<std::string>());
  if (!parsed.ok()) {
    ADD_FAILURE() << "bad hex in vector: " << parsed.error().message();
    return {};
  }
  return std::move(parsed).value();
}

bool has_flag(const json& test, const std::string& flag) {
  const auto& flags = test["flags"];
  return std::any_of(flags.begin(), flags.end(),
                     [&](const json& f) { return f.get<std::string>() == flag; });
}

std::string where(const std::string& file, const json& test) {
  return file + " tcId " + std::to_string(test["tcId"].get<int>()) + " (" +
         test["comment"].get<std::string>() + ")";
}

std::optional<HashAlg> hash_named(const std::string& name) {
  if (name == "SHA-256") {
    return HashAlg::sha256;
  }
  if (name == "SHA-384") {
    return HashAlg::sha384;
  }
  if (name == "SHA-512") {
    return HashAlg::sha512;
  }
  return std::nullopt;
}

/// Checks an outcome against the vector's result. `forbidden_by_tls`: for acceptable cases,
/// keel must reject. `matches`: the output equals the expected one (when `accepted`).
void judge(const std::string& at, const std::string& result, bool accepted, bool matches,
           bool forbidden_by_tls = false) {
  if (result == "valid") {
    EXPECT_TRUE(accepted) << at << ": valid case rejected";
    EXPECT_TRUE(!accepted || matches) << at << ": wrong output";
  } else if (result == "invalid") {
    EXPECT_FALSE(accepted && matches) << at << ": invalid case accepted";
  } else if (forbidden_by_tls) {
    EXPECT_FALSE(accepted) << at << ": acceptable case that TLS forbids was accepted";
  } else {
    EXPECT_TRUE(!accepted || matches) << at << ": accepted with the wrong output";
  }
}

// ---------------------------------------------------------------------------------------------
// AEAD

void run_aead(const std::string& file, bool aes) {
  const json doc = load(file);
  Tally tally;
  for (const auto& group : doc["testGroups"]) {
    const int key_bits = group["keySize"].get<int>();
    const bool applicable = group["ivSize"].get<int>() == 96 &&
                            group["tagSize"].get<int>() == 128 &&
                            (!aes || key_bits == 128 || key_bits == 256);
    if (!applicable) {
      tally.skipped += static_cast<int>(group["tests"].size());
      continue;
    }
    const AeadAlg alg = !aes              ? AeadAlg::chacha20_poly1305
                        : key_bits == 128 ? AeadAlg::aes_128_gcm
                                          : AeadAlg::aes_256_gcm;
    for (const auto& test : group["tests"]) {
      const std::string at = where(file, test);
      const std::string result = test["result"];
      tally.count(result);
      const Bytes key = bytes(test["key"]);
      const Bytes iv = bytes(test["iv"]);
      const Bytes aad = bytes(test["aad"]);
      const Bytes msg = bytes(test["msg"]);
      const Bytes ct = bytes(test["ct"]);
      const Bytes tag = bytes(test["tag"]);
      auto aead = provider().aead(alg, key);
      if (!aead.ok()) {
        judge(at, result, false, false);
        continue;
      }
      // Open in place (the direction that can be attacked).
      Bytes buffer = ct;
      const bool opened = (*aead)->open(iv, aad, buffer, tag).ok();
      judge(at, result, opened, buffer == msg);
      if (result == "valid") {
        // Seal in place must give the same ciphertext and tag.
        Bytes sealed = msg;
        Bytes sealed_tag(kAeadTagSize);
        ASSERT_TRUE((*aead)->seal(iv, aad, sealed, sealed_tag).ok()) << at;
        EXPECT_EQ(sealed, ct) << at;
        EXPECT_EQ(sealed_tag, tag) << at;
      }
    }
  }
  report(file, tally);
}

TEST(Wycheproof, AesGcm) {
  run_aead("aes_gcm_test.json", /*aes=*/true);
}
TEST(Wycheproof, ChaCha20Poly1305) {
  run_aead("chacha20_poly1305_test.json", /*aes=*/false);
}

// ---------------------------------------------------------------------------------------------
// HMAC and HKDF

void run_hmac(const std::string& file, HashAlg alg) {
  const json doc = load(file);
  Tally tally;
  for (const auto& group : doc["testGroups"]) {
    const auto tag_bytes = static_cast<std::size_t>(group["tagSize"].get<int>() / 8);
    for (const auto& test : group["tests"]) {
      const std::string result = test["result"];
      tally.count(result);
      const Bytes expected = bytes(test["tag"]);
      auto mac = provider().hmac(alg, bytes(test["key"]), bytes(test["msg"]));
      // Truncated-tag groups compare the leading bytes, as a truncated HMAC is defined.
      const bool matches = mac.ok() && expected.size() == tag_bytes &&
                           constant_time_equal(mac->view().first(tag_bytes), expected);
      judge(where(file, test), result, mac.ok(), matches);
    }
  }
  report(file, tally);
}

TEST(Wycheproof, HmacSha256) {
  run_hmac("hmac_sha256_test.json", HashAlg::sha256);
}
TEST(Wycheproof, HmacSha384) {
  run_hmac("hmac_sha384_test.json", HashAlg::sha384);
}
TEST(Wycheproof, HmacSha512) {
  run_hmac("hmac_sha512_test.json", HashAlg::sha512);
}

void run_hkdf(const std::string& file, HashAlg alg) {
  const json doc = load(file);
  Tally tally;
  for (const auto& group : doc["testGroups"]) {
    for (const auto& test : group["tests"]) {
      const std::string result = test["result"];
      tally.count(result);
      auto prk = provider().hkdf_extract(alg, bytes(test["salt"]), bytes(test["ikm"]));
      ASSERT_TRUE(prk.ok()) << where(file, test);
      Bytes okm(test["size"].get<std::size_t>());
      const bool expanded = provider().hkdf_expand(alg, prk->view(), bytes(test["info"]), okm).ok();
      judge(where(file, test), result, expanded, okm == bytes(test["okm"]));
    }
  }
  report(file, tally);
}

TEST(Wycheproof, HkdfSha256) {
  run_hkdf("hkdf_sha256_test.json", HashAlg::sha256);
}
TEST(Wycheproof, HkdfSha384) {
  run_hkdf("hkdf_sha384_test.json", HashAlg::sha384);
}
TEST(Wycheproof, HkdfSha512) {
  run_hkdf("hkdf_sha512_test.json", HashAlg::sha512);
}

// ---------------------------------------------------------------------------------------------
// Key exchange

TEST(Wycheproof, X25519) {
  const std::string file = "x25519_test.json";
  const json doc = load(file);
  Tally tally;
  for (const auto& group : doc["testGroups"]) {
    for (const auto& test : group["tests"]) {
      const std::string result = test["result"];
      tally.count(result);
      auto share = provider().key_share_from_private(NamedGroup::x25519, bytes(test["private"]));
      ASSERT_TRUE(share.ok()) << where(file, test);
      auto shared = (*share)->agree(bytes(test["public"]));
      const bool matches =
          shared.ok() && constant_time_equal(shared->view(), bytes(test["shared"]));
      // RFC 8446 §7.4.2 forbids an all-zero shared secret; every other acceptable case (twist
      // points, non-canonical encodings) is a value RFC 7748 says to accept.
      const bool zero = has_flag(test, "ZeroSharedSecret");
      judge(where(file, test), result, shared.ok(), matches, zero);
      if (result == "acceptable" && !zero) {
        EXPECT_TRUE(shared.ok()) << where(file, test) << ": RFC 7748 input rejected";
      }
    }
  }
  report(file, tally);
}

NamedGroup group_named(const std::string& curve) {
  return curve == "secp256r1" ? NamedGroup::secp256r1 : NamedGroup::secp384r1;
}

KeyType key_type_for(NamedGroup group) {
  return group == NamedGroup::secp256r1 ? KeyType::ec_p256 : KeyType::ec_p384;
}

/// ecdh_*_ecpoint_test: the peer's public value as the raw point a TLS key share carries.
void run_ecdh_ecpoint(const std::string& file) {
  const json doc = load(file);
  Tally tally;
  for (const auto& group : doc["testGroups"]) {
    const NamedGroup named = group_named(group["curve"]);
    for (const auto& test : group["tests"]) {
      const std::string result = test["result"];
      tally.count(result);
      auto share = provider().key_share_from_private(named, bytes(test["private"]));
      ASSERT_TRUE(share.ok()) << where(file, test) << ": " << share.error().message();
      auto shared = (*share)->agree(bytes(test["public"]));
      const bool matches =
          shared.ok() && constant_time_equal(shared->view(), bytes(test["shared"]));
      // RFC 8446 §4.2.8.2 allows only uncompressed points: the acceptable (compressed) cases
      // must be rejected.
      judge(where(file, test), result, shared.ok(), matches, has_flag(test, "CompressedPoint"));
    }
  }
  report(file, tally);
}

TEST(Wycheproof, EcdhP256Point) {
  run_ecdh_ecpoint("ecdh_secp256r1_ecpoint_test.json");
}
TEST(Wycheproof, EcdhP384Point) {
  run_ecdh_ecpoint("ecdh_secp384r1_ecpoint_test.json");
}

/// ecdh_*_test: the peer's key as a SubjectPublicKeyInfo, as a certificate would carry it. keel
/// parses it, requires the expected named curve, and agrees on its point.
void run_ecdh_spki(const std::string& file) {
  const json doc = load(file);
  Tally tally;
  for (const auto& group : doc["testGroups"]) {
    const NamedGroup named = group_named(group["curve"]);
    for (const auto& test : group["tests"]) {
      const std::string result = test["result"];
      tally.count(result);
      auto share = provider().key_share_from_private(named, bytes(test["private"]));
      ASSERT_TRUE(share.ok()) << where(file, test);
      bool accepted = false;
      bool matches = false;
      auto key = provider().parse_public_key(bytes(test["public"]));
      if (key.ok() && (*key)->type() == key_type_for(named)) {
        auto point = (*key)->ec_point();
        if (point.ok()) {
          auto shared = (*share)->agree(*point);
          accepted = shared.ok();
          matches = accepted && constant_time_equal(shared->view(), bytes(test["shared"]));
        }
      }
      judge(where(file, test), result, accepted, matches);
    }
  }
  report(file, tally);
}

TEST(Wycheproof, EcdhP256Spki) {
  run_ecdh_spki("ecdh_secp256r1_test.json");
}
TEST(Wycheproof, EcdhP384Spki) {
  run_ecdh_spki("ecdh_secp384r1_test.json");
}

// ---------------------------------------------------------------------------------------------
// Signature verification

/// Runs a verify file. `alg_for` gives the algorithm for a group, or nullopt to skip it.
template <class AlgFor>
void run_verify(const std::string& file, AlgFor alg_for) {
  const json doc = load(file);
  Tally tally;
  for (const auto& group : doc["testGroups"]) {
    const std::optional<SignatureAlgorithm> alg = alg_for(group);
    if (!alg) {
      tally.skipped += static_cast<int>(group["tests"].size());
      continue;
    }
    auto key = provider().parse_public_key(bytes(group["publicKeyDer"]));
    for (const auto& test : group["tests"]) {
      const std::string result = test["result"];
      tally.count(result);
      if (!key.ok()) {
        judge(where(file, test), result, false, false);
        continue;
      }
      const bool verified = (*key)->verify(*alg, bytes(test["msg"]), bytes(test["sig"])).ok();
      judge(where(file, test), result, verified, true);
    }
  }
  report(file, tally);
}

std::optional<SignatureAlgorithm> with_hash(SignatureKind kind, const json& group) {
  const auto hash = hash_named(group["sha"]);
  if (!hash) {
    return std::nullopt;
  }
  return SignatureAlgorithm{kind, *hash};
}

TEST(Wycheproof, Ecdsa) {
  for (const char* file : {"ecdsa_secp256r1_sha256_test.json", "ecdsa_secp384r1_sha256_test.json",
                           "ecdsa_secp384r1_sha384_test.json"}) {
    run_verify(file, [](const json& g) { return with_hash(SignatureKind::ecdsa, g); });
  }
}

TEST(Wycheproof, Ed25519) {
  run_verify("ed25519_test.json", [](const json&) {
    return std::optional(SignatureAlgorithm{SignatureKind::ed25519, HashAlg::sha512});
  });
}

TEST(Wycheproof, RsaPkcs1Verify) {
  for (const char* file :
       {"rsa_signature_2048_sha256_test.json", "rsa_signature_2048_sha384_test.json",
        "rsa_signature_2048_sha512_test.json", "rsa_signature_3072_sha256_test.json",
        "rsa_signature_3072_sha384_test.json", "rsa_signature_3072_sha512_test.json",
        "rsa_signature_4096_sha256_test.json", "rsa_signature_4096_sha384_test.json",
        "rsa_signature_4096_sha512_test.json"}) {
    run_verify(file, [](const json& g) { return with_hash(SignatureKind::rsa_pkcs1, g); });
  }
}

/// keel's RSA-PSS is the TLS profile: MGF1 with the message hash, salt length = hash length.
std::optional<SignatureAlgorithm> tls_pss(const json& group) {
  const auto hash = hash_named(group["sha"]);
  if (!hash || group["mgf"] != "MGF1" || group["mgfSha"] != group["sha"] ||
      group["sLen"].get<std::size_t>() != digest_size(*hash)) {
    return std::nullopt;
  }
  return SignatureAlgorithm{SignatureKind::rsa_pss, *hash};
}

TEST(Wycheproof, RsaPssVerify) {
  for (const char* file :
       {"rsa_pss_2048_sha256_mgf1_32_test.json", "rsa_pss_2048_sha384_mgf1_48_test.json",
        "rsa_pss_3072_sha256_mgf1_32_test.json", "rsa_pss_4096_sha256_mgf1_32_test.json",
        "rsa_pss_4096_sha384_mgf1_48_test.json", "rsa_pss_4096_sha512_mgf1_64_test.json",
        "rsa_pss_misc_test.json", "rsa_pss_2048_sha256_mgf1_32_params_test.json"}) {
    run_verify(file, tls_pss);
  }
}

TEST(Wycheproof, RsaPssKeyWithParametersIsRsaPssType) {
  const json doc = load("rsa_pss_2048_sha256_mgf1_32_params_test.json");
  ASSERT_FALSE(doc["testGroups"].empty());
  auto key = provider().parse_public_key(bytes(doc["testGroups"][0]["publicKeyDer"]));
  ASSERT_TRUE(key.ok()) << key.error().message();
  EXPECT_EQ((*key)->type(), KeyType::rsa_pss);
  // An id-RSASSA-PSS key must not make PKCS#1 v1.5 signatures.
  EXPECT_FALSE(
      (*key)->verify({SignatureKind::rsa_pkcs1, HashAlg::sha256}, Bytes{1}, Bytes(256)).ok());
}

// ---------------------------------------------------------------------------------------------
// Signing (RSA PKCS#1 v1.5 is deterministic, so the exact bytes can be checked)

TEST(Wycheproof, RsaPkcs1Sign) {
  for (const char* file : {"rsa_pkcs1_2048_sig_gen_test.json", "rsa_pkcs1_3072_sig_gen_test.json",
                           "rsa_pkcs1_4096_sig_gen_test.json"}) {
    const json doc = load(file);
    Tally tally;
    for (const auto& group : doc["testGroups"]) {
      const auto alg = with_hash(SignatureKind::rsa_pkcs1, group);
      if (!alg) {
        tally.skipped += static_cast<int>(group["tests"].size());
        continue;
      }
      // Load the key both ways: PKCS#8 DER and PKCS#1 PEM ("RSA PRIVATE KEY").
      const Bytes pkcs8 = bytes(group["privateKeyPkcs8"]);
      const std::string pem = group["privateKeyPem"];
      auto from_der = provider().load_private_key(pkcs8);
      auto from_pem = provider().load_private_key(
          ByteView(reinterpret_cast<const std::uint8_t*>(pem.data()), pem.size()));
      auto public_key = provider().parse_public_key(bytes(group["keyDer"]));
      for (const auto& test : group["tests"]) {
        const std::string result = test["result"];
        tally.count(result);
        const std::string at = where(file, test);
        if (!from_der.ok() || !from_pem.ok()) {
          judge(at, result, false, false);
          continue;
        }
        auto sig_der = (*from_der)->sign(*alg, bytes(test["msg"]));
        auto sig_pem = (*from_pem)->sign(*alg, bytes(test["msg"]));
        const Bytes expected = bytes(test["sig"]);
        judge(at, result, sig_der.ok(), sig_der.ok() && *sig_der == expected);
        judge(at, result, sig_pem.ok(), sig_pem.ok() && *sig_pem == expected);
        if (sig_der.ok() && public_key.ok()) {
          EXPECT_TRUE((*public_key)->verify(*alg, bytes(test["msg"]), *sig_der).ok()) << at;
        }
      }
    }
    report(file, tally);
  }
}

}  // namespace
}  // namespace keel::crypto
