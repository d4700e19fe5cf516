// The handshake transcript (RFC 8446 §4.4.1): one running hash over the handshake messages as
// sent, forked by context copy whenever a Finished, a CertificateVerify or a secret needs its
// current value.
//
// A client sends its ClientHello before it knows the hash (the server's suite decides it), so
// until select() the transcript keeps the messages themselves, up to kMaxBuffered bytes.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>

#include <keel/bytes.hpp>
#include <keel/result.hpp>

#include "crypto/provider.hpp"

namespace keel::handshake {

class Transcript {
 public:
  /// What may be kept before the hash is chosen: a ClientHello (2^16 bytes at most with its
  /// header, in keel's limits) and, after a HelloRetryRequest, that and a second one.
  static constexpr std::size_t kMaxBuffered = std::size_t{3} * ((1U << 16U) + 4);

  Transcript() = default;
  /// A transcript whose hash is known from the start (a server).
  [[nodiscard]] static Result<Transcript> with_hash(const crypto::Provider& provider,
                                                    crypto::HashAlg hash);

  /// Chooses the hash and hashes what was kept. Once only.
  [[nodiscard]] Result<void> select(const crypto::Provider& provider, crypto::HashAlg hash);
  [[nodiscard]] bool selected() const noexcept { return context_ != nullptr; }

  /// Adds a whole handshake message, header included.
  [[nodiscard]] Result<void> add(ByteView message);

  /// Transcript-Hash of everything added so far.
  [[nodiscard]] Result<crypto::Digest> hash() const;

  /// Transcript-Hash of everything added so far and then `partial`, with `hash` (which must be
  /// the selected one, if one is): a PSK binder's hash over a ClientHello cut before its
  /// binders (RFC 8446 §4.2.11.2), before the ClientHello is added.
  [[nodiscard]] Result<crypto::Digest> hash_with(const crypto::Provider& provider,
                                                 crypto::HashAlg hash, ByteView partial) const;

  /// §4.4.1: after a HelloRetryRequest, ClientHello1 is replaced by
  ///   message_hash(254) || 00 00 || Hash.length || Hash(ClientHello1).
  /// Call after select() and before adding the HelloRetryRequest.
  [[nodiscard]] Result<void> replace_with_message_hash();

 private:
  const crypto::Provider* provider_ = nullptr;
  std::unique_ptr<crypto::HashContext> context_;
  Bytes buffered_;  // before select()
};

}  // namespace keel::handshake
