// Uses only the installed public headers and library.
#include <cstdio>

#include <keel/keel.hpp>

int main() {
  const keel::Error error(keel::Errc::bad_record_mac, "record 3");
  if (keel::alert_for(error) != keel::Alert::bad_record_mac) {
    std::puts("wrong alert");
    return 1;
  }
  std::printf("keel %s on %s\n", keel::kVersion, keel::crypto_backend().c_str());
  return 0;
}
