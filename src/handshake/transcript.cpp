#include "handshake/transcript.hpp"

#include <array>

#include "core/try.hpp"

namespace keel::handshake {
namespace {

constexpr std::uint8_t kMessageHash = 254;  // §4: HandshakeType message_hash

}  // namespace

Result<Transcript> Transcript::with_hash(const crypto::Provider& provider, crypto::HashAlg hash) {
  Transcript transcript;
  KEEL_TRY(transcript.select(provider, hash));
  return transcript;
}

Result<void> Transcript::select(const crypto::Provider& provider, crypto::HashAlg hash) {
  if (context_) {
    return Error(Errc::internal, "transcript hash selected twice");
  }
  KEEL_TRY_ASSIGN(context_, provider.hash(hash));
  provider_ = &provider;
  context_->update(buffered_);
  buffered_.clear();
  buffered_.shrink_to_fit();
  return ok();
}

Result<void> Transcript::add(ByteView message) {
  if (context_) {
    context_->update(message);
    return ok();
  }
  if (buffered_.size() + message.size() > kMaxBuffered) {
    return Error(Errc::limit_exceeded, "handshake messages before the hash is known exceed " +
                                           std::to_string(kMaxBuffered) + " bytes");
  }
  buffered_.insert(buffered_.end(), message.begin(), message.end());
  return ok();
}

Result<crypto::Digest> Transcript::hash() const {
  if (!context_) {
    return Error(Errc::internal, "transcript hash asked before the hash was selected");
  }
  KEEL_TRY_ASSIGN(auto fork, context_->clone());
  return fork->finish();
}

Result<crypto::Digest> Transcript::hash_with(const crypto::Provider& provider, crypto::HashAlg hash,
                                             ByteView partial) const {
  std::unique_ptr<crypto::HashContext> fork;
  if (context_) {
    if (context_->alg() != hash) {
      return Error(Errc::internal, "transcript hashed with another hash than its own");
    }
    KEEL_TRY_ASSIGN(fork, context_->clone());
  } else {
    KEEL_TRY_ASSIGN(fork, provider.hash(hash));
    fork->update(buffered_);
  }
  fork->update(partial);
  return fork->finish();
}

Result<void> Transcript::replace_with_message_hash() {
  KEEL_TRY_ASSIGN(const crypto::Digest first_hello, hash());
  KEEL_TRY_ASSIGN(context_, provider_->hash(context_->alg()));
  const std::array<std::uint8_t, 4> header = {kMessageHash, 0, 0,
                                              static_cast<std::uint8_t>(first_hello.size())};
  context_->update(header);
  context_->update(first_hello.view());
  return ok();
}

}  // namespace keel::handshake
