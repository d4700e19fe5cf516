// Fuzzes the DER reader: walks every element of the input tree (to a bounded depth), runs each
// typed decoder on each element, and checks that every element's encoding is exactly its
// header (rebuilt from the tag and the body's length) followed by its body.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "x509/der.hpp"

namespace {

using keel::Bytes;
using keel::ByteView;

constexpr int kMaxDepth = 32;

Bytes header(std::uint8_t tag, std::size_t length) {
  Bytes out{tag};
  if (length < 0x80) {
    out.push_back(static_cast<std::uint8_t>(length));
    return out;
  }
  Bytes octets;
  for (std::size_t n = length; n != 0; n >>= 8U) {
    octets.insert(octets.begin(), static_cast<std::uint8_t>(n));
  }
  out.push_back(static_cast<std::uint8_t>(0x80U | octets.size()));
  out.insert(out.end(), octets.begin(), octets.end());
  return out;
}

void walk(ByteView data, int depth) {
  keel::der::Reader reader(data);
  while (!reader.empty()) {
    auto element = reader.next();
    if (!element.ok()) {
      return;
    }
    const Bytes expected_header = header(element->tag, element->body.size());
    const ByteView encoding = element->encoding;
    if (encoding.size() != expected_header.size() + element->body.size() ||
        !std::equal(expected_header.begin(), expected_header.end(), encoding.begin()) ||
        encoding.data() + expected_header.size() != element->body.data()) {
      std::abort();  // the reader accepted a non-minimal header, or mis-sliced an element
    }
    (void)keel::der::boolean(*element);
    (void)keel::der::small_unsigned(*element);
    (void)keel::der::bit_string(*element);
    if (auto oid = keel::der::oid(*element); oid.ok()) {
      (void)keel::der::oid_to_string(*oid);
    }
    (void)keel::der::time(*element);
    const bool constructed = (element->tag & 0x20U) != 0;
    if (constructed && depth < kMaxDepth) {
      walk(element->body, depth + 1);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  walk(ByteView(data, size), 0);
  return 0;
}
