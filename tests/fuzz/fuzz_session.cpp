// Fuzzes what resumption reads from outside: a session's bytes (inside a ticket the server
// opened, or a client's saved session), a ticket key file, and tickets given to a server's key
// ring. Oracles: a session that decodes encodes to the very same bytes; a ring opens nothing
// it did not seal.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "crypto/provider.hpp"
#include "session/client_ticket.hpp"
#include "session/session_state.hpp"
#include "session/ticket_keys.hpp"

namespace {

using keel::ByteView;

template <class Decoded>
void canonical(ByteView data) {
  auto decoded = Decoded::decode(data);
  if (!decoded.ok()) {
    return;
  }
  auto encoded = decoded->encode();
  if (!encoded.ok() || !std::ranges::equal(encoded->view(), data)) {
    std::abort();  // keel's session encoding has one form: what decodes encodes back the same
  }
}

keel::session::TicketKeyRing& ring() {
  static auto* fixed = [] {
    std::vector<keel::session::TicketKey> keys(1);
    keys[0].key = keel::Secret::copy_of(keel::Bytes(keel::session::TicketKey::kKeySize, 7));
    return keel::session::TicketKeyRing::fixed(std::move(keys)).value().release();
  }();
  return *fixed;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const ByteView body(data + 1, size - 1);
  switch (data[0] % 4) {
    case 0:
      canonical<keel::session::SessionState>(body);
      break;
    case 1:
      canonical<keel::session::ClientTicket>(body);
      break;
    case 2:
      (void)keel::session::parse_ticket_keys(
          std::string_view(reinterpret_cast<const char*>(body.data()), body.size()), "fuzz");
      break;
    default: {
      const auto& provider = keel::crypto::default_provider();
      const keel::TimePoint now{std::chrono::seconds(1'800'000'000)};
      if (ring().open(provider, now, body)) {
        std::abort();  // forging a ticket means breaking AES-GCM
      }
      break;
    }
  }
  return 0;
}
