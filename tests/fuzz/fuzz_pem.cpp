// Fuzzes the PEM parser: whatever it accepts must survive encode() and parse() unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "x509/pem.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto blocks = keel::pem::parse(text);
  if (!blocks.ok()) {
    return 0;
  }
  for (const auto& block : *blocks) {
    auto again = keel::pem::parse(keel::pem::encode(block.label, block.der));
    if (!again.ok() || again->size() != 1 || (*again)[0].label != block.label ||
        (*again)[0].der != block.der) {
      std::abort();
    }
  }
  return 0;
}
