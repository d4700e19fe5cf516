#include <gtest/gtest.h>

#include "crypto/provider.hpp"
#include "support/test_util.hpp"

namespace keel::crypto {
namespace {

using test::as_bytes;
using test::hex;

Provider& provider() {
  return default_provider();
}

Bytes digest_of(HashAlg alg, std::string_view text) {
  auto d = provider().hash(alg, as_bytes(text));
  EXPECT_TRUE(d.ok());
  return test::to_bytes(d->view());
}

TEST(Hash, KnownAnswers) {
  // FIPS 180-2 appendix examples: "abc".
  EXPECT_EQ(digest_of(HashAlg::sha256, "abc"),
            hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
  EXPECT_EQ(digest_of(HashAlg::sha384, "abc"),
            hex("cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
                "8086072ba1e7cc2358baeca134c825a7"));
  EXPECT_EQ(digest_of(HashAlg::sha256, ""),
            hex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
  EXPECT_EQ(digest_of(HashAlg::sha512, "").size(), 64U);
}

TEST(Hash, Sha1ForIdentifiers) {
  // FIPS 180-2 appendix A.1: SHA-1("abc").
  auto d = provider().sha1_identifier(as_bytes("abc"));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(test::to_bytes(d->view()), hex("a9993e364706816aba3e25717850c26c9cd0d89d"));
}

TEST(Hash, IncrementalEqualsOneShot) {
  auto ctx = provider().hash(HashAlg::sha384);
  ASSERT_TRUE(ctx.ok());
  (*ctx)->update(as_bytes("a"));
  (*ctx)->update(as_bytes(""));
  (*ctx)->update(as_bytes("bc"));
  auto d = (*ctx)->finish();
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(test::to_bytes(d->view()), digest_of(HashAlg::sha384, "abc"));
}

TEST(Hash, CloneForksTheRunningState) {
  // The transcript hash: a copy taken mid-way finishes with what was fed so far, while the
  // original keeps running.
  auto running = provider().hash(HashAlg::sha256);
  ASSERT_TRUE(running.ok());
  (*running)->update(as_bytes("ab"));
  auto fork = (*running)->clone();
  ASSERT_TRUE(fork.ok());
  (*running)->update(as_bytes("c"));
  auto at_fork = (*fork)->finish();
  auto at_end = (*running)->finish();
  ASSERT_TRUE(at_fork.ok() && at_end.ok());
  EXPECT_EQ(test::to_bytes(at_fork->view()), digest_of(HashAlg::sha256, "ab"));
  EXPECT_EQ(test::to_bytes(at_end->view()), digest_of(HashAlg::sha256, "abc"));
}

TEST(Hmac, Rfc4231Case2) {
  auto mac =
      provider().hmac(HashAlg::sha256, as_bytes("Jefe"), as_bytes("what do ya want for nothing?"));
  ASSERT_TRUE(mac.ok());
  EXPECT_EQ(test::to_bytes(mac->view()),
            hex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
}

TEST(Hmac, EmptyKeyAndMessage) {
  auto mac = provider().hmac(HashAlg::sha256, ByteView{}, ByteView{});
  ASSERT_TRUE(mac.ok());
  EXPECT_EQ(test::to_bytes(mac->view()),
            hex("b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad"));
}

}  // namespace
}  // namespace keel::crypto
