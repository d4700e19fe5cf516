#include "record/protection12.hpp"

#include <algorithm>
#include <limits>
#include <string>

#include "core/try.hpp"

namespace keel::record {
namespace {

constexpr std::size_t kAadSize = 13;  // seq_num (8) + type (1) + version (2) + length (2)

void put_u64(std::uint64_t value, MutableByteView out) {
  for (std::size_t i = 0; i < 8; ++i) {
    out[7 - i] = static_cast<std::uint8_t>(value >> (8 * i));
  }
}

std::array<std::uint8_t, kAadSize> additional_data(std::uint64_t sequence, std::uint8_t type,
                                                   std::uint8_t version_major,
                                                   std::uint8_t version_minor, std::size_t length) {
  std::array<std::uint8_t, kAadSize> aad{};
  put_u64(sequence, aad);
  aad[8] = type;
  aad[9] = version_major;
  aad[10] = version_minor;
  aad[11] = static_cast<std::uint8_t>(length >> 8U);
  aad[12] = static_cast<std::uint8_t>(length);
  return aad;
}

}  // namespace

Result<Protection12> Protection12::make(const crypto::Provider& provider, crypto::AeadAlg alg,
                                        ByteView key, ByteView fixed_iv) {
  if (key.size() != crypto::key_size(alg) || fixed_iv.size() != fixed_iv_size(alg)) {
    return Error(Errc::internal, "TLS 1.2 record key or IV of the wrong size");
  }
  KEEL_TRY_ASSIGN(auto aead, provider.aead(alg, key));
  return Protection12(std::move(aead), alg, Secret::copy_of(fixed_iv));
}

Result<std::uint64_t> Protection12::next_sequence() {
  // RFC 5246 §6.1: "Sequence numbers are of type uint64 and may not exceed 2^64-1"; a
  // connection that would wrap must renegotiate, which keel refuses: it stops instead.
  if (sequence_ == std::numeric_limits<std::uint64_t>::max()) {
    return Error(Errc::limit_exceeded, "record sequence number would wrap");
  }
  return sequence_++;
}

std::array<std::uint8_t, crypto::kAeadNonceSize> Protection12::nonce(std::uint64_t sequence,
                                                                     ByteView explicit_part) const {
  std::array<std::uint8_t, crypto::kAeadNonceSize> nonce{};
  const ByteView fixed = fixed_iv_.view();
  std::copy(fixed.begin(), fixed.end(), nonce.begin());
  if (alg_ == crypto::AeadAlg::chacha20_poly1305) {
    // RFC 7905 §2: the padded sequence number xor the client/server_write_IV.
    for (std::size_t i = 0; i < 8; ++i) {
      nonce[crypto::kAeadNonceSize - 1 - i] ^= static_cast<std::uint8_t>(sequence >> (8 * i));
    }
  } else {
    // RFC 5288 §3: salt (4) || nonce_explicit (8).
    std::copy(explicit_part.begin(), explicit_part.end(), nonce.begin() + fixed.size());
  }
  return nonce;
}

Result<void> Protection12::seal(ContentType type, ByteView content, MutableByteView record) {
  const std::size_t length = content.size() + overhead();
  if (content.size() > kMaxPlaintext || record.size() != kHeaderSize + length) {
    return Error(Errc::invalid_argument, "record layout does not fit its content");
  }
  KEEL_TRY_ASSIGN(const std::uint64_t sequence, next_sequence());
  record[0] = static_cast<std::uint8_t>(type);
  record[1] = 0x03;
  record[2] = 0x03;
  record[3] = static_cast<std::uint8_t>(length >> 8U);
  record[4] = static_cast<std::uint8_t>(length);
  const MutableByteView explicit_part = record.subspan(kHeaderSize, explicit_nonce_size());
  put_u64(sequence, explicit_part);
  const auto aad = additional_data(sequence, record[0], 0x03, 0x03, content.size());
  const std::size_t body = kHeaderSize + explicit_part.size();
  const std::array<ByteView, 1> parts = {content};
  return aead_->seal(nonce(sequence, explicit_part), aad, parts,
                     record.subspan(body, content.size()), record.subspan(body + content.size()));
}

Result<MutableByteView> Protection12::open(ByteView header, ByteView fragment,
                                           MutableByteView out) {
  if (header.size() != kHeaderSize || fragment.size() < overhead()) {
    return Error(Errc::bad_record_mac, "protected record shorter than its nonce and tag");
  }
  const std::size_t content_size = fragment.size() - overhead();
  if (out.size() != content_size) {
    return Error(Errc::invalid_argument, "opened record does not fit its buffer");
  }
  if (content_size > kMaxPlaintext) {
    return Error(Errc::record_overflow,
                 "protected record with " + std::to_string(content_size) + " bytes of content");
  }
  KEEL_TRY_ASSIGN(const std::uint64_t sequence, next_sequence());
  const ByteView explicit_part = fragment.first(explicit_nonce_size());
  const auto aad = additional_data(sequence, header[0], header[1], header[2], content_size);
  KEEL_TRY(aead_->open(nonce(sequence, explicit_part), aad,
                       fragment.subspan(explicit_part.size(), content_size), out,
                       fragment.subspan(explicit_part.size() + content_size)));
  return out;
}

}  // namespace keel::record
