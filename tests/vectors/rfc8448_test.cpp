// RFC 8448's traces, replayed piece by piece: the transcript hash and every secret, key, IV
// and Finished of the key schedule must equal the RFC's bytes (tests/support/rfc8448.hpp reads
// them from the RFC's text).
#include "support/rfc8448.hpp"

#include <gtest/gtest.h>

#include "crypto/provider.hpp"
#include "handshake/certificate_verify.hpp"
#include "handshake/key_schedule.hpp"
#include "handshake/transcript.hpp"
#include "msg/certificate.hpp"
#include "msg/certificate_request.hpp"
#include "msg/certificate_verify.hpp"
#include "msg/extensions.hpp"
#include "msg/hello.hpp"
#include "record/protection13.hpp"
#include "record/record_layer.hpp"
#include "support/test_util.hpp"
#include "x509/certificate.hpp"

namespace keel::handshake {
namespace {

using test::rfc8448::step;

const crypto::Provider& provider() {
  return crypto::default_provider();
}

Bytes bytes_of(const Secret& secret) {
  return test::to_bytes(secret.view());
}

Bytes bytes_of(const crypto::Digest& digest) {
  return test::to_bytes(digest.view());
}

TEST(Rfc8448Reader, ReadsTheTraces) {
  const auto& steps = test::rfc8448::all();
  EXPECT_GT(steps.size(), 150U);
  const auto& hello = step("3", "client", "construct a ClientHello");
  EXPECT_EQ(hello["ClientHello"].size(), 196U);
  // A value interrupted by a page break is read whole (the octet count is checked).
  EXPECT_EQ(step("3", "server", "construct a NewSessionTicket")["NewSessionTicket"].size(), 205U);
}

/// The X25519 shared secret of §3 from the RFC's private and public keys.
Bytes section3_shared_secret() {
  auto client = provider().key_share_from_private(
      NamedGroup::x25519, step("3", "client", "create an ephemeral x25519")["private key"]);
  EXPECT_TRUE(client.ok());
  auto shared = (*client)->agree(step("3", "server", "create an ephemeral x25519")["public key"]);
  EXPECT_TRUE(shared.ok());
  return bytes_of(*shared);
}

// §3, Simple 1-RTT Handshake: from the early secret to the resumption PSK.
TEST(Rfc8448, Section3KeySchedule) {
  const auto suite = tls13_suite(CipherSuite::TLS_AES_128_GCM_SHA256);
  ASSERT_TRUE(suite);
  const crypto::HashAlg sha256 = suite->hash;

  auto early = EarlySecret::without_psk(provider(), sha256);
  ASSERT_TRUE(early.ok());
  EXPECT_EQ(test::to_bytes(early->secret()),
            step("3", "server", "extract secret \"early\"")["secret"]);

  // The client does not know the hash when it sends ClientHello: its transcript keeps it.
  Transcript transcript;
  ASSERT_TRUE(transcript.add(step("3", "client", "construct a ClientHello")["ClientHello"]).ok());
  ASSERT_TRUE(transcript.add(step("3", "server", "construct a ServerHello")["ServerHello"]).ok());
  EXPECT_FALSE(transcript.hash().ok());
  ASSERT_TRUE(transcript.select(provider(), sha256).ok());
  auto hello_hash = transcript.hash();
  ASSERT_TRUE(hello_hash.ok());
  const auto& c_hs_step = step("3", "server", "derive secret \"tls13 c hs traffic\"");
  EXPECT_EQ(bytes_of(*hello_hash), c_hs_step["hash"]);

  const Bytes shared = section3_shared_secret();
  EXPECT_EQ(shared, step("3", "server", "extract secret \"handshake\"")["IKM"]);
  auto handshake = std::move(*early).advance(shared);
  ASSERT_TRUE(handshake.ok());
  EXPECT_EQ(test::to_bytes(handshake->secret()),
            step("3", "server", "extract secret \"handshake\"")["secret"]);

  auto c_hs = handshake->client_traffic_secret(hello_hash->view());
  auto s_hs = handshake->server_traffic_secret(hello_hash->view());
  ASSERT_TRUE(c_hs.ok() && s_hs.ok());
  EXPECT_EQ(bytes_of(*c_hs), c_hs_step["expanded"]);
  EXPECT_EQ(bytes_of(*s_hs),
            step("3", "server", "derive secret \"tls13 s hs traffic\"")["expanded"]);

  const auto& server_hs_keys = step("3", "server", "derive write traffic keys for handshake");
  auto keys = traffic_keys(provider(), *suite, s_hs->view());
  ASSERT_TRUE(keys.ok());
  EXPECT_EQ(bytes_of(keys->key), server_hs_keys["key expanded"]);
  EXPECT_EQ(bytes_of(keys->iv), server_hs_keys["iv expanded"]);
  const auto& server_read_keys = step("3", "server", "derive read traffic keys for handshake");
  keys = traffic_keys(provider(), *suite, c_hs->view());
  ASSERT_TRUE(keys.ok());
  EXPECT_EQ(bytes_of(keys->key), server_read_keys["key expanded"]);
  EXPECT_EQ(bytes_of(keys->iv), server_read_keys["iv expanded"]);

  // The server's flight, then its Finished over ClientHello...CertificateVerify.
  for (const char* what : {"construct an EncryptedExtensions", "construct a Certificate",
                           "construct a CertificateVerify"}) {
    const auto& s = step("3", "server", what);
    ASSERT_FALSE(s.values.empty());
    ASSERT_TRUE(transcript.add(s.values[0].bytes).ok()) << what;
  }
  auto before_finished = transcript.hash();
  ASSERT_TRUE(before_finished.ok());
  const auto& server_finished = step("3", "server", "calculate finished");
  auto verify_data =
      finished_verify_data(provider(), sha256, s_hs->view(), before_finished->view());
  ASSERT_TRUE(verify_data.ok());
  EXPECT_EQ(bytes_of(*verify_data), server_finished["finished"]);
  // The client checks the server's Finished: the RFC's value passes, any other fails with
  // decrypt_error.
  EXPECT_TRUE(verify_finished(provider(), sha256, s_hs->view(), before_finished->view(),
                              server_finished["finished"])
                  .ok());
  Bytes wrong = server_finished["finished"];
  wrong.back() ^= 1;
  auto refused = verify_finished(provider(), sha256, s_hs->view(), before_finished->view(), wrong);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(alert_for(refused.error()), Alert::decrypt_error);
  EXPECT_FALSE(verify_finished(provider(), sha256, s_hs->view(), before_finished->view(),
                               ByteView(wrong).first(31))
                   .ok());
  ASSERT_TRUE(transcript.add(step("3", "server", "construct a Finished")["Finished"]).ok());

  auto server_finished_hash = transcript.hash();
  ASSERT_TRUE(server_finished_hash.ok());
  const auto& c_ap_step = step("3", "server", "derive secret \"tls13 c ap traffic\"");
  EXPECT_EQ(bytes_of(*server_finished_hash), c_ap_step["hash"]);

  auto master = std::move(*handshake).advance();
  ASSERT_TRUE(master.ok());
  EXPECT_EQ(test::to_bytes(master->secret()),
            step("3", "server", "extract secret \"master\"")["secret"]);
  auto c_ap = master->client_traffic_secret(server_finished_hash->view());
  auto s_ap = master->server_traffic_secret(server_finished_hash->view());
  auto exporter = master->exporter_master_secret(server_finished_hash->view());
  ASSERT_TRUE(c_ap.ok() && s_ap.ok() && exporter.ok());
  EXPECT_EQ(bytes_of(*c_ap), c_ap_step["expanded"]);
  EXPECT_EQ(bytes_of(*s_ap),
            step("3", "server", "derive secret \"tls13 s ap traffic\"")["expanded"]);
  EXPECT_EQ(bytes_of(*exporter),
            step("3", "server", "derive secret \"tls13 exp master\"")["expanded"]);

  const auto& server_ap_keys = step("3", "server", "derive write traffic keys for application");
  keys = traffic_keys(provider(), *suite, s_ap->view());
  ASSERT_TRUE(keys.ok());
  EXPECT_EQ(bytes_of(keys->key), server_ap_keys["key expanded"]);
  EXPECT_EQ(bytes_of(keys->iv), server_ap_keys["iv expanded"]);
  const auto& client_ap_keys = step("3", "client", "derive write traffic keys for application");
  keys = traffic_keys(provider(), *suite, c_ap->view());
  ASSERT_TRUE(keys.ok());
  EXPECT_EQ(bytes_of(keys->key), client_ap_keys["key expanded"]);
  EXPECT_EQ(bytes_of(keys->iv), client_ap_keys["iv expanded"]);

  // The client's Finished, over ClientHello...server Finished.
  verify_data =
      finished_verify_data(provider(), sha256, c_hs->view(), server_finished_hash->view());
  ASSERT_TRUE(verify_data.ok());
  EXPECT_EQ(bytes_of(*verify_data), step("3", "client", "calculate finished", 2)["finished"]);
  ASSERT_TRUE(transcript.add(step("3", "client", "construct a Finished")["Finished"]).ok());

  auto client_finished_hash = transcript.hash();
  ASSERT_TRUE(client_finished_hash.ok());
  const auto& res_step = step("3", "client", "derive secret \"tls13 res master\"");
  EXPECT_EQ(bytes_of(*client_finished_hash), res_step["hash"]);
  auto resumption = master->resumption_master_secret(client_finished_hash->view());
  ASSERT_TRUE(resumption.ok());
  EXPECT_EQ(bytes_of(*resumption), res_step["expanded"]);

  const auto& psk_step = step("3", "server", "generate resumption secret");
  auto psk = resumption_psk(provider(), sha256, resumption->view(), psk_step["hash"]);
  ASSERT_TRUE(psk.ok());
  EXPECT_EQ(bytes_of(*psk), psk_step["expanded"]);
}

// §4, Resumed 0-RTT Handshake: the early secret from the PSK, the binder key, and the early
// traffic secrets.
TEST(Rfc8448, Section4EarlySecrets) {
  const crypto::HashAlg sha256 = crypto::HashAlg::sha256;
  const Bytes psk = step("3", "server", "generate resumption secret")["expanded"];
  auto early = EarlySecret::with_psk(provider(), sha256, psk);
  ASSERT_TRUE(early.ok());
  EXPECT_EQ(test::to_bytes(early->secret()),
            step("4", "client", "extract secret \"early\"")["secret"]);

  // The binder key: "res binder" over the empty hash (§4.2.11.2), then the binder's
  // finished key — the RFC shows it as the PRK of "calculate PSK binder".
  auto binder_key = early->binder_key(/*external=*/false);
  ASSERT_TRUE(binder_key.ok());
  const auto& binder_step = step("4", "client", "calculate PSK binder");
  EXPECT_EQ(bytes_of(*binder_key), binder_step["PRK"]);
  // The binder: a Finished over the ClientHello up to its binders (§4.2.11.2).
  auto prefix_hash = provider().hash(sha256, binder_step["ClientHello prefix"]);
  ASSERT_TRUE(prefix_hash.ok());
  EXPECT_EQ(bytes_of(*prefix_hash), binder_step["binder hash"]);
  auto binder = finished_verify_data(provider(), sha256, binder_key->view(), prefix_hash->view());
  ASSERT_TRUE(binder.ok());
  EXPECT_EQ(bytes_of(*binder), binder_step["finished"]);

  const auto& c_e_step = step("4", "client", "derive secret \"tls13 c e traffic\"");
  auto c_e = early->client_early_traffic_secret(c_e_step["hash"]);
  ASSERT_TRUE(c_e.ok());
  EXPECT_EQ(bytes_of(*c_e), c_e_step["expanded"]);
  const auto& e_exp_step = step("4", "client", "derive secret \"tls13 e exp master\"");
  auto e_exp = early->early_exporter_master_secret(e_exp_step["hash"]);
  ASSERT_TRUE(e_exp.ok());
  EXPECT_EQ(bytes_of(*e_exp), e_exp_step["expanded"]);
}

// §5, HelloRetryRequest: ClientHello1 is replaced by its message_hash in the transcript. The
// RFC shows the HelloRetryRequest as the server's first "ServerHello".
TEST(Rfc8448, Section5TranscriptAfterHelloRetryRequest) {
  Transcript transcript;
  ASSERT_TRUE(
      transcript.add(step("5", "client", "construct a ClientHello", 1)["ClientHello"]).ok());
  ASSERT_TRUE(transcript.select(provider(), crypto::HashAlg::sha256).ok());
  ASSERT_TRUE(transcript.replace_with_message_hash().ok());
  ASSERT_TRUE(
      transcript.add(step("5", "server", "construct a ServerHello", 1)["ServerHello"]).ok());
  ASSERT_TRUE(
      transcript.add(step("5", "client", "construct a ClientHello", 2)["ClientHello"]).ok());
  ASSERT_TRUE(
      transcript.add(step("5", "server", "construct a ServerHello", 2)["ServerHello"]).ok());
  auto hash = transcript.hash();
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(bytes_of(*hash), step("5", "server", "derive secret \"tls13 c hs traffic\"")["hash"]);
}

/// Seals the step's payload as record number `sequence` under `secret` and checks it against the
/// RFC's complete record; then opens the RFC's record and checks the payload comes back.
void check_record(const Bytes& secret, std::uint64_t sequence, const test::rfc8448::Step& sent,
                  record::ContentType type) {
  const auto suite = *tls13_suite(CipherSuite::TLS_AES_128_GCM_SHA256);
  const Bytes payload = sent["payload"];
  const Bytes expected = sent["complete record"];
  auto sealer = record::Protection13::from_secret(provider(), suite, secret);
  ASSERT_TRUE(sealer.ok());
  sealer->set_sequence(sequence);
  Bytes out(record::kHeaderSize + payload.size() + record::Protection13::kOverhead);
  std::copy(payload.begin(), payload.end(), out.begin() + record::kHeaderSize);
  ASSERT_TRUE(sealer->seal(type, out, payload.size()).ok());
  EXPECT_EQ(out, expected) << sent.what;

  auto opener = record::Protection13::from_secret(provider(), suite, secret);
  ASSERT_TRUE(opener.ok());
  opener->set_sequence(sequence);
  Bytes received = expected;
  auto opened = opener->open(ByteView(received).first(record::kHeaderSize),
                             MutableByteView(received).subspan(record::kHeaderSize));
  ASSERT_TRUE(opened.ok()) << opened.error().message();
  EXPECT_EQ(opened->type, type);
  EXPECT_EQ(test::to_bytes(opened->content), payload);
}

// §3: every protected record, sealed and opened with the RFC's traffic secrets.
TEST(Rfc8448, Section3ProtectedRecords) {
  using record::ContentType;
  const Bytes s_hs = step("3", "server", "derive secret \"tls13 s hs traffic\"")["expanded"];
  const Bytes c_hs = step("3", "server", "derive secret \"tls13 c hs traffic\"")["expanded"];
  const Bytes s_ap = step("3", "server", "derive secret \"tls13 s ap traffic\"")["expanded"];
  const Bytes c_ap = step("3", "server", "derive secret \"tls13 c ap traffic\"")["expanded"];
  // The server's encrypted flight (EncryptedExtensions...Finished) is its 2nd handshake record.
  check_record(s_hs, 0, step("3", "server", "send handshake record", 2), ContentType::handshake);
  check_record(c_hs, 0, step("3", "client", "send handshake record", 2), ContentType::handshake);
  check_record(s_ap, 0, step("3", "server", "send handshake record", 3), ContentType::handshake);
  check_record(c_ap, 0, step("3", "client", "send application_data"),
               ContentType::application_data);
  check_record(s_ap, 1, step("3", "server", "send application_data"),
               ContentType::application_data);
  check_record(c_ap, 1, step("3", "client", "send alert"), ContentType::alert);
  check_record(s_ap, 2, step("3", "server", "send alert"), ContentType::alert);
}

// §3 through the record layer: the client's first record (legacy version 0x0301), the
// server's plaintext ServerHello, and its protected flight, each the RFC's exact bytes.
TEST(Rfc8448, Section3RecordLayerOutput) {
  using record::ContentType;
  record::RecordLayer client;
  client.set_plaintext_version(0x0301);
  const auto& hello = step("3", "client", "send handshake record");
  ASSERT_TRUE(client.write(ContentType::handshake, hello["payload"]).ok());
  EXPECT_EQ(test::to_bytes(client.pending_output()), hello["complete record"]);

  record::RecordLayer server;
  const auto& server_hello = step("3", "server", "send handshake record", 1);
  ASSERT_TRUE(server.write(ContentType::handshake, server_hello["payload"]).ok());
  EXPECT_EQ(test::to_bytes(server.pending_output()), server_hello["complete record"]);
  server.consume_output(server.pending_output().size());

  const auto suite = *tls13_suite(CipherSuite::TLS_AES_128_GCM_SHA256);
  auto protection = record::Protection13::from_secret(
      provider(), suite, step("3", "server", "derive secret \"tls13 s hs traffic\"")["expanded"]);
  ASSERT_TRUE(protection.ok());
  server.set_write_protection(std::move(protection).value());
  const auto& flight = step("3", "server", "send handshake record", 2);
  ASSERT_TRUE(server.write(ContentType::handshake, flight["payload"]).ok());
  EXPECT_EQ(test::to_bytes(server.pending_output()), flight["complete record"]);
}

/// Checks the `signer`'s CertificateVerify of a section: its signature over the transcript
/// of `messages` (each the value of a step) under the key of `certificate_step`'s certificate,
/// with the schemes `offered_by`'s ClientHello or CertificateRequest listed.
void check_certificate_verify(const std::string& section, Signer signer,
                              const std::vector<Bytes>& messages, const Bytes& certificate_message,
                              const Bytes& verify_message, const Bytes& offered_extension) {
  Transcript transcript;
  ASSERT_TRUE(transcript.select(provider(), crypto::HashAlg::sha256).ok());
  for (const auto& message : messages) {
    ASSERT_TRUE(transcript.add(message).ok());
  }
  auto hash = transcript.hash();
  ASSERT_TRUE(hash.ok());

  auto certificate = msg::CertificateMessage::decode(ByteView(certificate_message).subspan(4));
  ASSERT_TRUE(certificate.ok());
  auto cert = x509::Certificate::parse(certificate->certificate_list.at(0).cert_data);
  ASSERT_TRUE(cert.ok()) << cert.error().message();
  // The RFC's keys are RSA-1024, which keel refuses by default: lowered for the replay only.
  crypto::KeyPolicy rfc_keys;
  rfc_keys.min_rsa_bits = 1024;
  auto key = provider().parse_public_key(cert->spki(), rfc_keys);
  ASSERT_TRUE(key.ok()) << key.error().message();

  auto verify = msg::CertificateVerify::decode(ByteView(verify_message).subspan(4));
  ASSERT_TRUE(verify.ok());
  auto offered = msg::decode_signature_schemes(offered_extension);
  ASSERT_TRUE(offered.ok());
  EXPECT_TRUE(verify_handshake_signature(**key, verify->algorithm, *offered, signer, hash->view(),
                                         verify->signature)
                  .ok())
      << "§" << section;

  // A flipped bit, a scheme that was not offered, the other side's context: all refused.
  Bytes tampered = verify->signature;
  tampered[10] ^= 1;
  auto bad = verify_handshake_signature(**key, verify->algorithm, *offered, signer, hash->view(),
                                        tampered);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(alert_for(bad.error()), Alert::decrypt_error);
  const std::vector<SignatureScheme> other = {SignatureScheme::ecdsa_secp256r1_sha256};
  EXPECT_EQ(verify_handshake_signature(**key, verify->algorithm, other, signer, hash->view(),
                                       verify->signature)
                .error()
                .code(),
            Errc::illegal_parameter);
  const Signer wrong = signer == Signer::server ? Signer::client : Signer::server;
  EXPECT_FALSE(verify_handshake_signature(**key, verify->algorithm, *offered, wrong, hash->view(),
                                          verify->signature)
                   .ok());
}

// §3: the server's CertificateVerify, §6: the client's, checked over keel's transcript.
TEST(Rfc8448, CertificateVerifySignatures) {
  const Bytes hello = step("3", "client", "construct a ClientHello")["ClientHello"];
  auto client_hello = msg::ClientHello::decode(ByteView(hello).subspan(4));
  ASSERT_TRUE(client_hello.ok());
  const Bytes certificate = step("3", "server", "construct a Certificate")["Certificate"];
  check_certificate_verify(
      "3", Signer::server,
      {hello, step("3", "server", "construct a ServerHello")["ServerHello"],
       step("3", "server", "construct an EncryptedExtensions")["EncryptedExtensions"], certificate},
      certificate, step("3", "server", "construct a CertificateVerify")["CertificateVerify"],
      *msg::find(client_hello->extensions, msg::ExtensionType::signature_algorithms));

  const Bytes request = step("6", "server", "construct a CertificateRequest")["CertificateRequest"];
  auto certificate_request = msg::CertificateRequest::decode(ByteView(request).subspan(4));
  ASSERT_TRUE(certificate_request.ok());
  const Bytes client_certificate =
      step("6", "client", "construct a Certificate handshake")["Certificate"];
  check_certificate_verify(
      "6", Signer::client,
      {step("6", "client", "construct a ClientHello")["ClientHello"],
       step("6", "server", "construct a ServerHello")["ServerHello"],
       step("6", "server", "construct an EncryptedExtensions")["EncryptedExtensions"], request,
       step("6", "server", "construct a Certificate handshake")["Certificate"],
       step("6", "server", "construct a CertificateVerify")["CertificateVerify"],
       step("6", "server", "construct a Finished")["Finished"], client_certificate},
      client_certificate, step("6", "client", "construct a CertificateVerify")["CertificateVerify"],
      *msg::find(certificate_request->extensions, msg::ExtensionType::signature_algorithms));
}

TEST(Transcript, BoundsWhatItKeepsBeforeTheHashIsKnown) {
  Transcript transcript;
  ASSERT_TRUE(transcript.add(Bytes(Transcript::kMaxBuffered, 0)).ok());
  auto over = transcript.add(Bytes{1});
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code(), Errc::limit_exceeded);
  ASSERT_TRUE(transcript.select(provider(), crypto::HashAlg::sha256).ok());
  EXPECT_FALSE(transcript.select(provider(), crypto::HashAlg::sha256).ok());
  EXPECT_TRUE(transcript.add(Bytes{1}).ok());  // hashed from now on, nothing kept
}

}  // namespace
}  // namespace keel::handshake
