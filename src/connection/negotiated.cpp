#include <keel/negotiated.hpp>

namespace keel {

std::string to_string(ProtocolVersion version) {
  switch (version) {
    case ProtocolVersion::tls13:
      return "TLSv1.3";
    case ProtocolVersion::tls12:
      return "TLSv1.2";
  }
  return "unknown";
}

}  // namespace keel
