// Fuzzes wire::Reader and wire::Writer together. The input is parsed as a TLS-style
// extension block — u16-prefixed list of {u16 type, u16-prefixed body}, each body a sequence of
// u8-prefixed vectors — and whatever parses is written back with wire::Writer. The oracle: the
// re-encoding equals exactly the bytes the Reader consumed, and no read goes out of bounds
// (ASan).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "wire/reader.hpp"
#include "wire/writer.hpp"

namespace {

using keel::ByteView;
using keel::wire::Reader;
using keel::wire::Width;
using keel::wire::Writer;

struct Extension {
  std::uint16_t type;
  std::vector<ByteView> items;
};

bool parse(Reader& reader, std::vector<Extension>& out) {
  auto list = reader.sub(Width::u16, 0, 0xFFFF);
  if (!list.ok()) {
    return false;
  }
  while (!list->empty()) {
    auto type = list->u16();
    auto body = type.ok() ? list->sub(Width::u16) : type.error();
    if (!body.ok()) {
      return false;
    }
    Extension ext{*type, {}};
    while (!body->empty()) {
      auto item = body->prefixed(Width::u8, 0, 255);
      if (!item.ok()) {
        return false;
      }
      ext.items.push_back(*item);
    }
    if (!body->expect_empty().ok()) {
      std::abort();  // the loop above ran until empty
    }
    out.push_back(ext);
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteView input(data, size);
  Reader reader(input);
  std::vector<Extension> extensions;
  if (!parse(reader, extensions)) {
    return 0;
  }
  const std::size_t consumed = input.size() - reader.remaining();

  Writer writer;
  {
    auto list = writer.prefixed(Width::u16);
    for (const auto& ext : extensions) {
      writer.u16(ext.type);
      auto body = writer.prefixed(Width::u16);
      for (const auto item : ext.items) {
        auto vec = writer.prefixed(Width::u8);
        writer.bytes(item);
      }
    }
  }
  auto encoded = std::move(writer).finish();
  if (!encoded.ok() || encoded->size() != consumed ||
      !std::equal(encoded->begin(), encoded->end(), input.begin())) {
    std::abort();  // a parsed structure must re-encode to the same bytes
  }
  return 0;
}
