#include "record/record.hpp"

namespace keel::record {

std::string_view to_string(ContentType type) noexcept {
  switch (type) {
    case ContentType::invalid:
      return "invalid";
    case ContentType::change_cipher_spec:
      return "change_cipher_spec";
    case ContentType::alert:
      return "alert";
    case ContentType::handshake:
      return "handshake";
    case ContentType::application_data:
      return "application_data";
  }
  return "unknown";
}

}  // namespace keel::record
