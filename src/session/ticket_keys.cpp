#include "session/ticket_keys.hpp"

#include <algorithm>

#include "core/hex.hpp"
#include "core/try.hpp"

namespace keel::session {
namespace {

constexpr crypto::AeadAlg kTicketAead = crypto::AeadAlg::aes_256_gcm;

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

Result<TicketKey> parse_line(std::string_view line) {
  const auto space = line.find_first_of(" \t");
  if (space == std::string_view::npos) {
    return Error(Errc::malformed, "expected \"<name> <key>\"");
  }
  auto name = from_hex(line.substr(0, space));
  auto key = from_hex(trim(line.substr(space)));
  if (!name.ok() || name.value().size() != TicketKey::kNameSize) {
    return Error(Errc::malformed, "the name must be 32 hex digits");
  }
  if (!key.ok() || key.value().size() != TicketKey::kKeySize) {
    return Error(Errc::malformed, "the key must be 64 hex digits");
  }
  TicketKey out;
  std::ranges::copy(name.value(), out.name.begin());
  out.key = Secret::copy_of(key.value());
  secure_wipe(key.value());
  return out;
}

}  // namespace

Result<std::vector<TicketKey>> parse_ticket_keys(std::string_view text, const std::string& origin) {
  std::vector<TicketKey> keys;
  std::size_t number = 0;
  while (!text.empty()) {
    const auto end = text.find('\n');
    const std::string_view line = trim(text.substr(0, end));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    ++number;
    if (line.empty() || line.front() == '#') {
      continue;
    }
    auto key = parse_line(line);
    if (!key.ok()) {
      return std::move(key).error().prepend(origin + ":" + std::to_string(number));
    }
    keys.push_back(std::move(key).value());
  }
  if (keys.empty()) {
    return Error(Errc::invalid_argument, origin + ": no ticket key");
  }
  if (keys.size() > TicketKeyRing::kMaxKeys) {
    return Error(Errc::limit_exceeded, origin + ": more than 16 ticket keys");
  }
  return keys;
}

Result<std::unique_ptr<TicketKeyRing>> TicketKeyRing::fixed(std::vector<TicketKey> keys) {
  std::unique_ptr<TicketKeyRing> ring(new TicketKeyRing());
  ring->fixed_ = true;
  KEEL_TRY(ring->replace(std::move(keys)));
  return ring;
}

Result<void> TicketKeyRing::replace(std::vector<TicketKey> keys) {
  if (!fixed_) {
    return Error(Errc::invalid_argument, "a rotating ticket key ring makes its own keys");
  }
  if (keys.empty() || keys.size() > kMaxKeys) {
    return Error(Errc::invalid_argument, "between 1 and 16 ticket keys");
  }
  std::ranges::reverse(keys);  // the sealing key last
  std::vector<Entry> entries;
  entries.reserve(keys.size());
  for (auto& key : keys) {
    entries.push_back(Entry{std::move(key), {}, std::nullopt, nullptr, nullptr});
  }
  const std::scoped_lock lock(mutex_);
  keys_ = std::move(entries);
  return {};
}

Result<void> TicketKeyRing::rotate(Rng& rng, TimePoint now) {
  if (fixed_) {
    return {};
  }
  std::erase_if(
      keys_, [&](const Entry& entry) { return entry.retired && *entry.retired + grace_ <= now; });
  if (!keys_.empty() && now < keys_.back().created + rotation_) {
    return {};
  }
  Entry fresh{TicketKey{{}, Secret(TicketKey::kKeySize)}, now, std::nullopt, nullptr, nullptr};
  KEEL_TRY(rng.fill(fresh.key.name));
  KEEL_TRY(rng.fill(fresh.key.key.mutable_view()));
  if (!keys_.empty()) {
    keys_.back().retired = now;
  }
  keys_.push_back(std::move(fresh));
  if (keys_.size() > kMaxKeys) {
    keys_.erase(keys_.begin());
  }
  return {};
}

Result<Bytes> TicketKeyRing::seal(const crypto::Provider& provider, Rng& rng, TimePoint now,
                                  ByteView plaintext) {
  Bytes ticket(kOverhead + plaintext.size());
  const auto out = MutableByteView(ticket);
  const auto name = out.first(TicketKey::kNameSize);
  const auto nonce = out.subspan(TicketKey::kNameSize, kNonceSize);
  const auto body = out.subspan(TicketKey::kNameSize + kNonceSize, plaintext.size());
  const auto tag = out.last(kTagSize);
  const std::scoped_lock lock(mutex_);
  KEEL_TRY(rotate(rng, now));
  const Entry& current = keys_.back();
  std::ranges::copy(current.key.name, name.begin());
  KEEL_TRY_ASSIGN(crypto::Aead * aead, current.cipher(provider));
  // A random 96-bit nonce per ticket: keys rotate long before 2^32 tickets (NIST SP 800-38D
  // §8.3's bound for random nonces) in any schedule keel offers.
  KEEL_TRY(rng.fill(nonce));
  const ByteView part = plaintext;
  KEEL_TRY(aead->seal(nonce, name, std::span<const ByteView>(&part, 1), body, tag));
  return ticket;
}

std::optional<Secret> TicketKeyRing::open(const crypto::Provider& provider, TimePoint now,
                                          ByteView ticket) const {
  if (ticket.size() <= kOverhead) {
    return std::nullopt;
  }
  const auto name = ticket.first(TicketKey::kNameSize);
  const auto nonce = ticket.subspan(TicketKey::kNameSize, kNonceSize);
  const auto body = ticket.subspan(TicketKey::kNameSize + kNonceSize, ticket.size() - kOverhead);
  const auto tag = ticket.last(kTagSize);
  const std::scoped_lock lock(mutex_);
  const auto entry = std::ranges::find_if(keys_, [&](const Entry& e) {
    return std::ranges::equal(e.key.name, name) && !(e.retired && *e.retired + grace_ <= now);
  });
  if (entry == keys_.end()) {
    return std::nullopt;
  }
  auto aead = entry->cipher(provider);
  Secret plaintext(body.size());
  if (!aead.ok() || !aead.value()->open(nonce, name, body, plaintext.mutable_view(), tag).ok()) {
    return std::nullopt;
  }
  return plaintext;
}

Result<crypto::Aead*> TicketKeyRing::Entry::cipher(const crypto::Provider& provider) const {
  if (!aead || aead_provider != &provider) {
    KEEL_TRY_ASSIGN(aead, provider.aead(kTicketAead, key.key.view()));
    aead_provider = &provider;
  }
  return aead.get();
}

std::size_t TicketKeyRing::size() const {
  const std::scoped_lock lock(mutex_);
  return keys_.size();
}

}  // namespace keel::session
