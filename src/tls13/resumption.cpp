#include "tls13/resumption.hpp"

#include <algorithm>
#include <chrono>

#include "core/secret.hpp"
#include "core/try.hpp"
#include "msg/extensions.hpp"
#include "msg/new_session_ticket.hpp"
#include "msg/types.hpp"

namespace keel::tls13 {
namespace {

/// The ClientHello's bytes a binder covers: all but the binders list (§4.2.11.2), whose size
/// in the encoding is known from the offer.
Result<ByteView> truncated(ByteView client_hello, const msg::OfferedPsks& psks) {
  const std::size_t binders = msg::binders_size(psks);
  if (binders >= client_hello.size()) {
    return Error(Errc::malformed, "pre_shared_key binders longer than the ClientHello");
  }
  return client_hello.first(client_hello.size() - binders);
}

Result<crypto::Digest> binder(const crypto::Provider& provider, crypto::HashAlg hash,
                              const handshake::EarlySecret& early, ByteView truncated_hello,
                              const handshake::Transcript& transcript) {
  KEEL_TRY_ASSIGN(const Secret key, early.binder_key(false));
  KEEL_TRY_ASSIGN(const crypto::Digest covered,
                  transcript.hash_with(provider, hash, truncated_hello));
  return handshake::finished_verify_data(provider, hash, key.view(), covered.view());
}

}  // namespace

std::uint64_t unix_seconds(TimePoint time) noexcept {
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
  return seconds < 0 ? 0 : static_cast<std::uint64_t>(seconds);
}

bool may_offer(const session::ClientTicket& ticket, const ClientOffer& offer, std::uint64_t now) {
  const auto& state = ticket.state;
  if (state.version != ProtocolVersion::tls13 || !offer.tls13 ||
      state.server_name != offer.server_name || !state.valid_at(now)) {
    return false;
  }
  const auto suite = handshake::tls13_suite(state.suite);
  return suite && std::ranges::any_of(offer.cipher_suites, [&](CipherSuite offered) {
           const auto other = handshake::tls13_suite(offered);
           return other && other->hash == suite->hash;
         });
}

Result<handshake::EarlySecret> offer_psk(const crypto::Provider& provider, msg::ClientHello& hello,
                                         const session::ClientTicket& ticket, std::uint64_t now_ms,
                                         const handshake::Transcript& transcript) {
  const auto suite = handshake::tls13_suite(ticket.state.suite);
  if (!suite) {
    return Error(Errc::internal, "a session of a suite keel does not speak");
  }
  // §4.2.11.1: the age in milliseconds, plus age_add, modulo 2^32. The session kept the
  // second it was received in, so the age is the least it can be: the client's view must not
  // exceed the server's, which starts earlier (GnuTLS refuses 0-RTT otherwise).
  const std::uint64_t issued_ms = (ticket.state.created + 1) * 1000U;
  const std::uint64_t age_ms = now_ms > issued_ms ? now_ms - issued_ms : 0;
  msg::OfferedPsks psks;
  psks.identities.push_back(
      {ticket.ticket, static_cast<std::uint32_t>(age_ms + ticket.state.age_add)});
  psks.binders.emplace_back(crypto::digest_size(suite->hash), 0);
  KEEL_TRY_ASSIGN(Bytes data, msg::encode_offered_psks(psks));
  hello.extensions.push_back(
      {static_cast<std::uint16_t>(msg::ExtensionType::pre_shared_key), std::move(data)});

  KEEL_TRY_ASSIGN(const Bytes whole, hello.encode());
  KEEL_TRY_ASSIGN(const ByteView cut, truncated(whole, psks));
  KEEL_TRY_ASSIGN(auto early, handshake::EarlySecret::with_psk(provider, suite->hash,
                                                               ticket.state.secret.view()));
  KEEL_TRY_ASSIGN(const crypto::Digest value,
                  binder(provider, suite->hash, early, cut, transcript));
  const ByteView bytes = value.view();
  psks.binders.front().assign(bytes.begin(), bytes.end());
  KEEL_TRY_ASSIGN(hello.extensions.back().data, msg::encode_offered_psks(psks));
  return early;
}

Result<std::optional<Resumed>> accept_psk(const crypto::Provider& provider,
                                          const TicketOpener& open, TimePoint now,
                                          const ClientHelloChoice& choice, ByteView client_hello,
                                          const handshake::Transcript& transcript) {
  // §4.2.9: keel resumes only with (EC)DHE, so a client that allows only psk_ke gets a full
  // handshake.
  if (!choice.psks ||
      std::ranges::find(choice.psk_modes, msg::kPskDheKe) == choice.psk_modes.end()) {
    return std::optional<Resumed>();
  }
  const auto& psks = *choice.psks;
  const std::uint64_t now_seconds = unix_seconds(now);
  for (std::size_t i = 0; i < psks.identities.size(); ++i) {
    auto opened = open(psks.identities[i].identity);
    if (!opened) {
      continue;  // not a ticket of ours, or changed: a full handshake (or the next identity)
    }
    auto state = session::SessionState::decode(opened->view());
    if (!state.ok()) {
      continue;
    }
    const auto suite = handshake::tls13_suite(state.value().suite);
    // §4.2.11: the PSK must suit the cipher suite chosen; §4.6.1: the same SNI; the lifetime
    // the ticket promised.
    if (state.value().version != ProtocolVersion::tls13 || !suite ||
        suite->hash != choice.suite.hash || state.value().server_name != choice.server_name ||
        !state.value().valid_at(now_seconds)) {
      continue;
    }
    KEEL_TRY_ASSIGN(auto early, handshake::EarlySecret::with_psk(provider, suite->hash,
                                                                 state.value().secret.view()));
    KEEL_TRY_ASSIGN(const ByteView cut, truncated(client_hello, psks));
    KEEL_TRY_ASSIGN(const crypto::Digest expected,
                    binder(provider, suite->hash, early, cut, transcript));
    // §4.2.11: "If this value does not validate, the server MUST abort the handshake."
    if (!constant_time_equal(expected.view(), psks.binders[i])) {
      return Error(Errc::bad_signature, "the PSK binder does not verify");
    }
    return std::optional<Resumed>(
        Resumed{std::move(state).value(), static_cast<std::uint16_t>(i), std::move(early)});
  }
  return std::optional<Resumed>();
}

Result<void> send_tickets(Channel& channel, Rng& rng, TimePoint now, const TicketPolicy& policy,
                          const handshake::Suite13& suite, ByteView resumption_master_secret,
                          const session::SessionState& session) {
  if (policy.keys == nullptr) {
    return {};
  }
  for (std::size_t i = 0; i < policy.count; ++i) {
    msg::NewSessionTicket ticket;
    ticket.ticket_lifetime = std::min(policy.lifetime, msg::NewSessionTicket::kMaxLifetime);
    ticket.ticket_nonce = {static_cast<std::uint8_t>(i)};
    std::array<std::uint8_t, 4> age_add{};
    KEEL_TRY(rng.fill(age_add));
    ticket.ticket_age_add = (std::uint32_t{age_add[0]} << 24U) |
                            (std::uint32_t{age_add[1]} << 16U) | (std::uint32_t{age_add[2]} << 8U) |
                            age_add[3];
    session::SessionState state = session.clone();
    KEEL_TRY_ASSIGN(state.secret,
                    handshake::resumption_psk(channel.provider(), suite.hash,
                                              resumption_master_secret, ticket.ticket_nonce));
    state.created = unix_seconds(now);
    state.lifetime = ticket.ticket_lifetime;
    state.age_add = ticket.ticket_age_add;
    state.max_early_data = policy.max_early_data;
    if (policy.max_early_data > 0) {
      KEEL_TRY_ASSIGN(Bytes data, msg::encode_max_early_data(policy.max_early_data));
      ticket.extensions.push_back(
          {static_cast<std::uint16_t>(msg::ExtensionType::early_data), std::move(data)});
    }
    KEEL_TRY_ASSIGN(const Secret plaintext, state.encode());
    if (plaintext.size() + session::TicketKeyRing::kOverhead > 0xffff) {
      return {};  // a client chain too large to carry: no ticket, the next handshake is full
    }
    KEEL_TRY_ASSIGN(ticket.ticket,
                    policy.keys->seal(channel.provider(), rng, now, plaintext.view()));
    KEEL_TRY_ASSIGN(const Bytes encoded, ticket.encode());
    KEEL_TRY(channel.send_post_handshake(encoded));
  }
  return {};
}

}  // namespace keel::tls13
