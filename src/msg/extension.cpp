#include "msg/extension.hpp"

#include <algorithm>

#include "core/try.hpp"

namespace keel::msg {

Result<Extensions> decode_extensions(wire::Reader& reader, std::size_t min) {
  KEEL_TRY_ASSIGN(wire::Reader block, reader.sub(wire::Width::u16, min));
  Extensions out;
  while (!block.empty()) {
    Extension extension;
    KEEL_TRY_ASSIGN(extension.type, block.u16());
    KEEL_TRY_ASSIGN(const ByteView data, block.prefixed(wire::Width::u16));
    extension.data.assign(data.begin(), data.end());
    const bool seen = std::any_of(out.begin(), out.end(),
                                  [&](const Extension& e) { return e.type == extension.type; });
    if (seen) {
      return Error(Errc::duplicate_extension,
                   to_string(static_cast<ExtensionType>(extension.type)));
    }
    out.push_back(std::move(extension));
  }
  return out;
}

void encode_extensions(wire::Writer& writer, const Extensions& extensions) {
  auto block = writer.prefixed(wire::Width::u16);
  for (const auto& extension : extensions) {
    writer.u16(extension.type);
    auto data = writer.prefixed(wire::Width::u16);
    writer.bytes(extension.data);
  }
}

const Bytes* find(const Extensions& extensions, ExtensionType type) noexcept {
  for (const auto& extension : extensions) {
    if (extension.is(type)) {
      return &extension.data;
    }
  }
  return nullptr;
}

}  // namespace keel::msg
