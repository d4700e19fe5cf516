// Runs every x509-limbo testcase (tests/data/limbo/limbo.json) through x509::verify_chain and
// compares the outcome with the expected one.
//
// Only tests/data/limbo/differences.txt may excuse a mismatch: deliberate differences of
// policy, one line "<case id> <reason>" each, kept short (at most 10). A listed case that
// starts to match fails the test, so the list cannot go stale.
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "x509/crl.hpp"
#include "x509/hostname.hpp"
#include "x509/pem.hpp"
#include "x509/verify.hpp"

namespace keel::x509 {
namespace {

using nlohmann::json;

std::map<std::string, std::string> read_differences() {
  std::map<std::string, std::string> out;
  std::ifstream in(std::string(KEEL_TEST_DATA_DIR) + "/limbo/differences.txt");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') {
      continue;
    }
    const auto space = line.find(' ');  // "<id> <reason>"
    out[line.substr(0, space)] = space == std::string::npos ? "" : line.substr(space + 1);
  }
  return out;
}

Result<Certificate> certificate(const std::string& pem_text) {
  auto blocks = pem::parse(pem_text, "CERTIFICATE");
  if (!blocks.ok()) {
    return std::move(blocks).error();
  }
  if (blocks->size() != 1) {
    return Error(Errc::malformed, "expected one certificate");
  }
  return Certificate::parse((*blocks)[0].der);
}

der::Seconds parse_iso_time(const std::string& text) {
  std::tm tm{};
  std::istringstream in(text);
  in >> std::get_time(&tm, "%Y-%m-%dT%H:%M:%S");
  return der::Seconds(std::chrono::seconds(timegm(&tm)));
}

/// keel's verdict on one testcase: the verified chain, or the error.
Result<VerifiedChain> verify_case(const json& testcase, TrustStore& store,
                                  std::vector<Certificate>& intermediates, std::vector<Crl>& crls,
                                  std::optional<Certificate>& leaf_out) {
  for (const auto& pem_text : testcase["trusted_certs"]) {
    auto cert = certificate(pem_text);
    if (!cert.ok()) {
      return std::move(cert).error().prepend("trusted certificate");
    }
    store.add(std::move(cert).value());
  }
  for (const auto& pem_text : testcase["untrusted_intermediates"]) {
    auto cert = certificate(pem_text);
    if (cert.ok()) {
      intermediates.push_back(std::move(cert).value());
    }  // an unparseable stranger in the bag is just not a candidate
  }
  for (const auto& pem_text : testcase["crls"]) {
    auto parsed = parse_pem_crls(pem_text.get<std::string>(), "crls");
    if (!parsed.ok()) {
      return std::move(parsed).error();
    }
    crls.insert(crls.end(), parsed->begin(), parsed->end());
  }
  auto leaf = certificate(testcase["peer_certificate"]);
  if (!leaf.ok()) {
    return std::move(leaf).error().prepend("peer certificate");
  }
  leaf_out = std::move(leaf).value();
  VerifyOptions options;
  options.time =
      testcase["validation_time"].is_null()
          ? std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now())
          : parse_iso_time(testcase["validation_time"]);
  options.purposes = {testcase["validation_kind"] == "CLIENT" ? Purpose::client_auth
                                                              : Purpose::server_auth};
  if (!testcase["max_chain_depth"].is_null()) {
    options.max_intermediates = testcase["max_chain_depth"].get<std::size_t>();
  }
  const auto& name = testcase["expected_peer_name"];
  if (!name.is_null()) {
    const std::string value = name["value"];
    if (name["kind"] == "DNS") {
      auto normalized = normalize_dns_name(value);
      if (!normalized.ok()) {
        return std::move(normalized).error().prepend("peer name");
      }
      options.dns_name = *normalized;
    } else if (name["kind"] == "IP") {
      options.ip_address = parse_ip_address(value);
      if (!options.ip_address) {
        return Error(Errc::illegal_parameter, "peer name: not an IP address: " + value);
      }
    }
  }
  options.crls = crls;
  return verify_chain(*leaf_out, intermediates, store, options, crypto::default_provider());
}

/// keel's verdict on one testcase: an empty string for success, else the error message.
std::string run_case(const json& testcase) {
  TrustStore store;
  std::vector<Certificate> intermediates;
  std::vector<Crl> crls;
  std::optional<Certificate> leaf;
  auto verified = verify_case(testcase, store, intermediates, crls, leaf);
  return verified.ok() ? "" : verified.error().message();
}

const json& limbo() {
  static const json kDoc = [] {
    std::ifstream in(std::string(KEEL_TEST_DATA_DIR) + "/limbo/limbo.json");
    return in ? json::parse(in) : json::object();
  }();
  return kDoc;
}

/// The error keel gives for one case, which must fail.
Error failure_of(const std::string& id) {
  for (const auto& testcase : limbo()["testcases"]) {
    if (testcase["id"] == id) {
      TrustStore store;
      std::vector<Certificate> intermediates;
      std::vector<Crl> crls;
      std::optional<Certificate> leaf;
      auto verified = verify_case(testcase, store, intermediates, crls, leaf);
      EXPECT_FALSE(verified.ok()) << id;
      return verified.ok() ? Error(Errc::internal, "accepted") : verified.error();
    }
  }
  ADD_FAILURE() << "no limbo case " << id;
  return Error(Errc::internal, "missing");
}

// The reason matters as much as the verdict: each failure names the rule and the certificate.
TEST(Limbo, FailuresGivePreciseReasons) {
  const Error expired = failure_of("rfc5280::validity::expired-leaf");
  EXPECT_EQ(expired.code(), Errc::certificate_expired);
  EXPECT_NE(expired.message().find("expired at"), std::string::npos) << expired.message();
  EXPECT_EQ(failure_of("rfc5280::validity::not-yet-valid-1-second").code(),
            Errc::certificate_not_yet_valid);
  EXPECT_EQ(failure_of("rfc5280::chain-untrusted-root").code(), Errc::unknown_issuer);
  EXPECT_EQ(failure_of("webpki::san::mismatch-domain-san").code(), Errc::name_mismatch);
  EXPECT_EQ(failure_of("rfc5280::eku::ee-wrong-eku").code(), Errc::wrong_purpose);
  EXPECT_EQ(failure_of("pathlen::intermediate-violates-pathlen-0").code(), Errc::path_too_long);
  EXPECT_EQ(failure_of("rfc5280::nc::permitted-dns-mismatch").code(),
            Errc::name_constraints_violated);
  EXPECT_EQ(failure_of("rfc5280::unknown-critical-extension-ee").code(),
            Errc::unsupported_critical_extension);
  EXPECT_EQ(alert_for(failure_of("rfc5280::chain-untrusted-root")), Alert::unknown_ca);
  const Error revoked = failure_of("crl::revoked-certificate-with-crl");
  EXPECT_EQ(revoked.code(), Errc::certificate_revoked);
  EXPECT_NE(revoked.message().find("was revoked at"), std::string::npos) << revoked.message();
  EXPECT_EQ(failure_of("crl::crlnumber-missing").code(), Errc::revocation_unusable);
  EXPECT_EQ(failure_of("crl::issuer-missing-crlsign").code(), Errc::revocation_unusable);
}

TEST(Limbo, EveryCaseMatchesOrIsListed) {
  const json& cases = limbo();
  ASSERT_TRUE(cases.contains("testcases")) << "missing tests/data/limbo/limbo.json";
  const auto differences = read_differences();
  EXPECT_LE(differences.size(), 10U);

  int matched = 0;
  int excused = 0;
  for (const auto& testcase : cases["testcases"]) {
    const std::string id = testcase["id"];
    const bool expect_success = testcase["expected_result"] == "SUCCESS";
    const std::string verdict = run_case(testcase);
    const bool success = verdict.empty();
    const bool listed = differences.contains(id);
    if (success == expect_success) {
      ++matched;
      EXPECT_FALSE(listed) << id << " matches now: take it off differences.txt";
      continue;
    }
    if (listed) {
      ++excused;
      continue;
    }
    ADD_FAILURE() << id << ": expected " << testcase["expected_result"].get<std::string>()
                  << ", keel " << (success ? "accepted" : "rejected: " + verdict);
  }
  std::cout << "[ limbo ] " << matched << " of " << cases["testcases"].size() << " cases match; "
            << excused << " excused as deliberate differences (" << differences.size()
            << " listed)\n";
  EXPECT_GT(matched, 0);
}

}  // namespace
}  // namespace keel::x509
