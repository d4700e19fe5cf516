#include "msg/key_update.hpp"

#include "msg/types.hpp"
#include "wire/writer.hpp"

namespace keel::msg {

Result<KeyUpdate> KeyUpdate::decode(ByteView body) {
  if (body.size() != 1) {
    return Error(Errc::malformed, "KeyUpdate body is not one byte");
  }
  if (body[0] > 1) {
    return Error(Errc::illegal_parameter, "KeyUpdate request_update " + std::to_string(body[0]));
  }
  return KeyUpdate{body[0] == 1};
}

Result<Bytes> KeyUpdate::encode() const {
  wire::Writer w;
  w.u8(static_cast<std::uint8_t>(HandshakeType::key_update));
  {
    auto message = w.prefixed(wire::Width::u24);
    w.u8(update_requested ? 1 : 0);
  }
  return std::move(w).finish();
}

Result<EndOfEarlyData> EndOfEarlyData::decode(ByteView body) {
  if (!body.empty()) {
    return Error(Errc::malformed, "EndOfEarlyData with a body");
  }
  return EndOfEarlyData{};
}

Result<Bytes> EndOfEarlyData::encode() {
  wire::Writer w;
  w.u8(static_cast<std::uint8_t>(HandshakeType::end_of_early_data));
  w.u24(0);
  return std::move(w).finish();
}

}  // namespace keel::msg
