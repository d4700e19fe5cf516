// TLS 1.3 resumption (RFC 8446 §2.2, §4.2.11, §4.6.1): the client's PSK offer with its binder,
// the server's choice among the offered tickets, and the server's NewSessionTickets.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>

#include <keel/bytes.hpp>
#include <keel/result.hpp>

#include "core/clock.hpp"
#include "core/rng.hpp"
#include "handshake/key_schedule.hpp"
#include "handshake/transcript.hpp"
#include "msg/hello.hpp"
#include "session/client_ticket.hpp"
#include "session/session_state.hpp"
#include "session/ticket_keys.hpp"
#include "tls13/channel.hpp"
#include "tls13/client_hello.hpp"
#include "tls13/client_hello_check.hpp"

namespace keel::tls13 {

/// Seconds since 1970 (tickets count in whole seconds).
[[nodiscard]] std::uint64_t unix_seconds(TimePoint time) noexcept;

/// Whether a client may offer `ticket` with this hello's suites and server name (§4.6.1: the
/// same SNI, a suite with the ticket's hash, within its lifetime at `now`).
[[nodiscard]] bool may_offer(const session::ClientTicket& ticket, const ClientOffer& offer,
                             std::uint64_t now);

/// Appends pre_shared_key (which must be last, §4.2.11) offering `ticket`, with the ticket age
/// obfuscated (§4.2.11.1) and its binder over `transcript` and the ClientHello up to the
/// binders (§4.2.11.2). Returns the early secret the handshake goes on with if the server
/// accepts.
[[nodiscard]] Result<handshake::EarlySecret> offer_psk(const crypto::Provider& provider,
                                                       msg::ClientHello& hello,
                                                       const session::ClientTicket& ticket,
                                                       std::uint64_t now_ms,
                                                       const handshake::Transcript& transcript);

/// A ticket the server resumes: its session, its index among the offered identities, and the
/// early secret from its PSK (the binder verified).
struct Resumed {
  session::SessionState state;
  std::uint16_t index = 0;
  handshake::EarlySecret early;
};

/// Opens a ticket into its session's encoding: nothing for one that is not the server's.
using TicketOpener = std::function<std::optional<Secret>(ByteView ticket)>;

/// The server's choice (§4.2.11): the first offered identity that is a ticket `open` opens
/// and that may be resumed here — TLS 1.3, the chosen suite's hash, the same server_name,
/// within its lifetime at `now` — if the client allows psk_dhe_ke. Nothing when none
/// qualifies (a full handshake follows). The binder of the chosen one must verify over
/// `transcript` and `client_hello` (the whole message, not yet added): decrypt_error
/// otherwise.
[[nodiscard]] Result<std::optional<Resumed>> accept_psk(const crypto::Provider& provider,
                                                        const TicketOpener& open, TimePoint now,
                                                        const ClientHelloChoice& choice,
                                                        ByteView client_hello,
                                                        const handshake::Transcript& transcript);

/// What the server's tickets carry besides their PSK.
struct TicketPolicy {
  session::TicketKeyRing* keys = nullptr;
  std::size_t count = 0;
  std::uint32_t lifetime = 0;        // seconds, at most 7 days
  std::uint32_t max_early_data = 0;  // announced in an early_data extension if not 0
};

/// §4.6.1: `policy.count` NewSessionTickets after the handshake, each with its own nonce and
/// age_add, sealing `session` (its secret replaced by the ticket's PSK) under the current key.
[[nodiscard]] Result<void> send_tickets(Channel& channel, Rng& rng, TimePoint now,
                                        const TicketPolicy& policy, const handshake::Suite13& suite,
                                        ByteView resumption_master_secret,
                                        const session::SessionState& session);

}  // namespace keel::tls13
