// The public session types (keel/session.hpp).
#include <algorithm>

#include <keel/session.hpp>

#include "core/file.hpp"
#include "core/try.hpp"
#include "session/client_ticket.hpp"
#include "session/replay_guard.hpp"
#include "session/session_id_cache.hpp"
#include "session/ticket_keys.hpp"
#include "x509/pem.hpp"

namespace keel {

namespace {
constexpr std::string_view kPemLabel = "KEEL SESSION";
}  // namespace

Result<ClientSession> ClientSession::from_pem(std::string_view pem) {
  KEEL_TRY_ASSIGN(auto blocks, pem::parse(pem, kPemLabel));
  if (blocks.size() != 1) {
    return Error(Errc::malformed,
                 "expected one KEEL SESSION block, found " + std::to_string(blocks.size()));
  }
  auto ticket = session::ClientTicket::decode(blocks.front().der);
  secure_wipe(blocks.front().der);
  if (!ticket.ok()) {
    return std::move(ticket).error().prepend("KEEL SESSION");
  }
  return ClientSession(std::make_shared<const session::ClientTicket>(std::move(ticket).value()));
}

std::string ClientSession::to_pem() const {
  auto bytes = ticket_->encode();
  if (!bytes.ok()) {
    return {};
  }
  return pem::encode(kPemLabel, bytes.value().view());
}

ProtocolVersion ClientSession::version() const noexcept {
  return ticket_->state.version;
}
CipherSuite ClientSession::cipher_suite() const noexcept {
  return ticket_->state.suite;
}
std::uint32_t ClientSession::max_early_data() const noexcept {
  return ticket_->state.max_early_data;
}
const std::optional<std::string>& ClientSession::server_name() const noexcept {
  return ticket_->state.server_name;
}
std::chrono::system_clock::time_point ClientSession::expires() const noexcept {
  const auto& state = ticket_->state;
  return std::chrono::system_clock::time_point(
      std::chrono::seconds(state.created + state.lifetime));
}

void SessionCache::store(const std::string& name, ClientSession session) {
  const std::scoped_lock lock(mutex_);
  if (capacity_ == 0) {
    return;
  }
  entries_.push_front(Entry{name, std::move(session)});
  while (entries_.size() > capacity_) {
    entries_.pop_back();
  }
}

std::optional<ClientSession> SessionCache::take(const std::string& name,
                                                std::chrono::system_clock::time_point now) {
  const auto seconds = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count());
  const std::scoped_lock lock(mutex_);
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (it->name != name) {
      ++it;
      continue;
    }
    if (!it->session.ticket().state.valid_at(seconds)) {
      it = entries_.erase(it);
      continue;
    }
    ClientSession found = std::move(it->session);
    entries_.erase(it);
    return found;
  }
  return std::nullopt;
}

std::optional<ClientSession> SessionCache::peek(const std::string& name) const {
  const std::scoped_lock lock(mutex_);
  const auto it = std::ranges::find_if(entries_, [&](const Entry& e) { return e.name == name; });
  if (it == entries_.end()) {
    return std::nullopt;
  }
  return it->session;
}

std::size_t SessionCache::size() const {
  const std::scoped_lock lock(mutex_);
  return entries_.size();
}

ServerSessionCache::ServerSessionCache(std::size_t capacity)
    : cache_(std::make_shared<session::SessionIdCache>(capacity)),
      replay_guard_(std::make_shared<session::ReplayGuard>()) {}

std::size_t ServerSessionCache::size() const {
  return cache_->size();
}

TicketKeys TicketKeys::rotating(std::chrono::seconds rotation, std::chrono::seconds grace) {
  return TicketKeys(std::make_shared<session::TicketKeyRing>(rotation, grace));
}

Result<TicketKeys> TicketKeys::from_file(const std::string& path) {
  KEEL_TRY_ASSIGN(const std::string text, read_file(path));
  return from_text(text, path);
}

Result<TicketKeys> TicketKeys::from_text(std::string_view text, const std::string& origin) {
  KEEL_TRY_ASSIGN(auto keys, session::parse_ticket_keys(text, origin));
  KEEL_TRY_ASSIGN(auto ring, session::TicketKeyRing::fixed(std::move(keys)));
  return TicketKeys(std::shared_ptr<session::TicketKeyRing>(std::move(ring)));
}

Result<void> TicketKeys::replace_from_text(std::string_view text, const std::string& origin) {
  KEEL_TRY_ASSIGN(auto keys, session::parse_ticket_keys(text, origin));
  return ring_->replace(std::move(keys));
}

}  // namespace keel
