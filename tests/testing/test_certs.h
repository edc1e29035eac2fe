// X.509 certificates made by tests with OpenSSL: a test CA, leaves it
// issues (good, expired, wrong name, many SANs) and self-signed ones. Keys
// are P-256 so making a certificate takes well under a millisecond.
//
// Thread safety: a TestCa may issue from one thread at a time.
//
// Example:
//   TestCa ca = TestCa::Create("Lureguard Test CA");
//   TestCert leaf = ca.Issue({.cn = "shop.test", .dns_sans = {"shop.test"}});
//   // leaf.cert_pem, leaf.key_pem, leaf.der; ca.cert_pem() for a CA file

#ifndef LUREGUARD_TESTS_TESTING_TEST_CERTS_H_
#define LUREGUARD_TESTS_TESTING_TEST_CERTS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace lureguard::testing {

// What a test certificate should say.
struct TestCertSpec {
  std::string cn;
  std::vector<std::string> dns_sans;
  std::string organization;
  // Validity; defaults to a year around now.
  absl::Time not_before = absl::Now() - absl::Hours(24);
  absl::Time not_after = absl::Now() + absl::Hours(24 * 365);
  long serial = 2;
};

// A certificate and its private key.
struct TestCert {
  std::string cert_pem;
  std::string key_pem;
  std::string der;
};

// A self-signed root that issues test leaves.
class TestCa {
 public:
  // Aborts the test binary when OpenSSL fails (no test can go on).
  static TestCa Create(const std::string& cn,
                       const std::string& organization = "Lureguard Tests");

  TestCa(TestCa&&) noexcept;
  ~TestCa();

  const std::string& cert_pem() const { return root_.cert_pem; }
  // A leaf for `spec`, signed by this CA.
  TestCert Issue(const TestCertSpec& spec) const;

 private:
  struct Keys;
  TestCa(std::unique_ptr<Keys> keys, TestCert root);
  std::unique_ptr<Keys> keys_;
  TestCert root_;
};

// A certificate signed by its own key (subject = issuer).
TestCert MakeSelfSignedCert(const TestCertSpec& spec);

}  // namespace lureguard::testing

#endif  // LUREGUARD_TESTS_TESTING_TEST_CERTS_H_
