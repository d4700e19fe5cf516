#include "msg/finished.hpp"

#include <string>

#include "msg/types.hpp"
#include "wire/writer.hpp"

namespace keel::msg {

Result<Finished> Finished::decode(ByteView body, std::size_t hash_size) {
  if (body.size() != hash_size) {
    return Error(Errc::malformed, "Finished of " + std::to_string(body.size()) +
                                      " bytes, expected " + std::to_string(hash_size));
  }
  return Finished{Bytes(body.begin(), body.end())};
}

Result<Bytes> Finished::encode() const {
  wire::Writer w;
  w.u8(static_cast<std::uint8_t>(HandshakeType::finished));
  {
    auto message = w.prefixed(wire::Width::u24);
    w.bytes(verify_data);
  }
  return std::move(w).finish();
}

}  // namespace keel::msg
