#include "msg/encrypted_extensions.hpp"

#include "core/try.hpp"
#include "msg/types.hpp"

namespace keel::msg {

Result<EncryptedExtensions> EncryptedExtensions::decode(ByteView body) {
  wire::Reader reader(body);
  EncryptedExtensions out;
  KEEL_TRY_ASSIGN(out.extensions, decode_extensions(reader));
  KEEL_TRY(reader.expect_empty());
  return out;
}

Result<Bytes> EncryptedExtensions::encode() const {
  wire::Writer w;
  w.u8(static_cast<std::uint8_t>(HandshakeType::encrypted_extensions));
  {
    auto message = w.prefixed(wire::Width::u24);
    encode_extensions(w, extensions);
  }
  return std::move(w).finish();
}

}  // namespace keel::msg
