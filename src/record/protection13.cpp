#include "record/protection13.hpp"

#include <algorithm>
#include <limits>
#include <string>

#include "core/try.hpp"

namespace keel::record {

Result<Protection13> Protection13::from_secret(const crypto::Provider& provider,
                                               const handshake::Suite13& suite,
                                               ByteView traffic_secret) {
  KEEL_TRY_ASSIGN(handshake::TrafficKeys keys,
                  handshake::traffic_keys(provider, suite, traffic_secret));
  KEEL_TRY_ASSIGN(auto aead, provider.aead(suite.aead, keys.key.view()));
  return Protection13(std::move(aead), std::move(keys.iv));
}

Result<std::array<std::uint8_t, crypto::kAeadNonceSize>> Protection13::nonce() const {
  // §5.3: "If a TLS implementation would need to wrap a sequence number, it MUST either rekey
  // (Section 4.6.3) or terminate the connection." keel stops before the last value.
  if (sequence_ == std::numeric_limits<std::uint64_t>::max()) {
    return Error(Errc::limit_exceeded, "record sequence number would wrap");
  }
  // The 64-bit sequence number, big-endian and left-padded to iv_length, xor the IV.
  std::array<std::uint8_t, crypto::kAeadNonceSize> nonce{};
  std::copy(iv_.view().begin(), iv_.view().end(), nonce.begin());
  for (std::size_t i = 0; i < 8; ++i) {
    nonce[crypto::kAeadNonceSize - 1 - i] ^= static_cast<std::uint8_t>(sequence_ >> (8 * i));
  }
  return nonce;
}

Result<void> Protection13::seal(ContentType type, ByteView content, MutableByteView record,
                                std::size_t padding) {
  const std::size_t inner = content.size() + 1 + padding;
  if (content.size() > kMaxPlaintext || inner + crypto::kAeadTagSize > kMaxCiphertext13 ||
      record.size() != kHeaderSize + inner + crypto::kAeadTagSize) {
    return Error(Errc::invalid_argument, "record layout does not fit its content");
  }
  const std::size_t length = inner + crypto::kAeadTagSize;
  record[0] = static_cast<std::uint8_t>(ContentType::application_data);
  record[1] = 0x03;
  record[2] = 0x03;
  record[3] = static_cast<std::uint8_t>(length >> 8U);
  record[4] = static_cast<std::uint8_t>(length);
  // The content type and the padding are written in place and sealed after the content,
  // which is read from wherever it is: one pass, no copy into the record first.
  const MutableByteView trailer = record.subspan(kHeaderSize + content.size(), 1 + padding);
  trailer[0] = static_cast<std::uint8_t>(type);
  std::fill(trailer.begin() + 1, trailer.end(), std::uint8_t{0});
  KEEL_TRY_ASSIGN(const auto nonce, this->nonce());
  ++sequence_;
  const std::array<ByteView, 2> parts = {content, trailer};
  return aead_->seal(nonce, record.first(kHeaderSize), parts, record.subspan(kHeaderSize, inner),
                     record.subspan(kHeaderSize + inner));
}

Result<void> Protection13::seal(ContentType type, MutableByteView record, std::size_t content_size,
                                std::size_t padding) {
  if (record.size() < kHeaderSize + content_size) {
    return Error(Errc::invalid_argument, "record layout does not fit its content");
  }
  return seal(type, record.subspan(kHeaderSize, content_size), record, padding);
}

Result<OpenedRecord> Protection13::open(ByteView header, ByteView fragment, MutableByteView out) {
  if (fragment.size() < crypto::kAeadTagSize + 1) {
    return Error(Errc::bad_record_mac, "protected record shorter than its tag");
  }
  const std::size_t inner = fragment.size() - crypto::kAeadTagSize;
  if (out.size() != inner) {
    return Error(Errc::invalid_argument, "opened record does not fit its buffer");
  }
  KEEL_TRY_ASSIGN(const auto nonce, this->nonce());
  // The sequence number moves on only for a record that opened: a server skipping 0-RTT data
  // it rejected tries each record with its next key (RFC 8446 §4.2.10).
  KEEL_TRY(aead_->open(nonce, header, fragment.first(inner), out, fragment.subspan(inner)));
  ++sequence_;
  // §5.4: the content type is the last non-zero octet; the zeros after it are padding.
  std::size_t end = inner;
  while (end > 0 && out[end - 1] == 0) {
    --end;
  }
  if (end == 0) {
    return Error(Errc::unexpected_message, "protected record without a content type");
  }
  const auto type = static_cast<ContentType>(out[end - 1]);
  const std::size_t content_size = end - 1;
  if (content_size > kMaxPlaintext) {
    return Error(Errc::record_overflow,
                 "protected record with " + std::to_string(content_size) + " bytes of content");
  }
  return OpenedRecord{type, out.first(content_size)};
}

Result<OpenedRecord> Protection13::open(ByteView header, MutableByteView fragment) {
  const std::size_t inner =
      fragment.size() < crypto::kAeadTagSize ? 0 : fragment.size() - crypto::kAeadTagSize;
  return open(header, fragment, fragment.first(inner));
}

}  // namespace keel::record
