#include "tls13/channel.hpp"

#include <array>

#include "core/try.hpp"
#include "record/protection13.hpp"

namespace keel::tls13 {

Result<void> Channel::send_handshake(ByteView message) {
  KEEL_TRY(transcript_.add(message));
  flight_.insert(flight_.end(), message.begin(), message.end());
  return {};
}

Result<void> Channel::flush() {
  if (flight_.empty()) {
    return {};
  }
  KEEL_TRY(records_.write(record::ContentType::handshake, flight_));
  flight_ = Bytes();
  return {};
}

Result<void> Channel::send_post_handshake(ByteView message) {
  KEEL_TRY(flush());
  return records_.write(record::ContentType::handshake, message);
}

Result<void> Channel::send_change_cipher_spec() {
  static constexpr std::array<std::uint8_t, 1> kChangeCipherSpec = {0x01};
  KEEL_TRY(flush());
  return records_.write(record::ContentType::change_cipher_spec, kChangeCipherSpec);
}

Result<void> Channel::set_read_secret(const handshake::Suite13& suite, ByteView traffic_secret) {
  // §5.1: "Handshake messages MUST NOT span key changes. Implementations MUST verify that all
  // messages immediately preceding a key change align with a record boundary; if not, then
  // they MUST terminate the connection with an "unexpected_message" alert."
  if (joiner_.has_partial_message()) {
    return Error(Errc::unexpected_message, "a handshake message straddles a key change");
  }
  KEEL_TRY_ASSIGN(auto protection,
                  record::Protection13::from_secret(*provider_, suite, traffic_secret));
  records_.set_read_protection(std::move(protection));
  return {};
}

Result<void> Channel::set_write_secret(const handshake::Suite13& suite, ByteView traffic_secret) {
  KEEL_TRY(flush());  // what was sent under the old keys goes out under them
  KEEL_TRY_ASSIGN(auto protection,
                  record::Protection13::from_secret(*provider_, suite, traffic_secret));
  records_.set_write_protection(std::move(protection));
  return {};
}

Result<void> Channel::clear_write_secret() {
  KEEL_TRY(flush());
  records_.clear_write_protection();
  return {};
}

void Channel::log_secret(std::string_view label, ByteView secret) const {
  if (key_log_) {
    key_log_(label, client_random_, secret);
  }
}

}  // namespace keel::tls13
