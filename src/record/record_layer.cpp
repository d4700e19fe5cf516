#include "record/record_layer.hpp"

#include <algorithm>
#include <string>

#include "core/try.hpp"

namespace keel::record {

void RecordLayer::set_read_protection(Protection13 protection) {
  read_.emplace(std::move(protection));
  deframer_.set_max_fragment(kMaxCiphertext13);
}

void RecordLayer::set_write_protection(Protection13 protection) {
  write_.emplace(std::move(protection));
}

Result<std::optional<Inbound>> RecordLayer::next() {
  while (true) {
    KEEL_TRY_ASSIGN(const auto record, deframer_.next());
    if (!record) {
      return std::optional<Inbound>();
    }
    ContentType type = record->type;
    ByteView content = record->fragment;

    if (type == ContentType::change_cipher_spec) {
      // §5: "An implementation may receive an unencrypted record of type change_cipher_spec
      // consisting of the single byte value 0x01 at any time after the first ClientHello
      // message has been sent or received and before the peer's Finished message has been
      // received and MUST simply drop it without further processing."
      if (!ccs_allowed_) {
        return Error(Errc::unexpected_message, "change_cipher_spec outside the handshake");
      }
      if (content.size() != 1 || content[0] != 0x01) {
        return Error(Errc::unexpected_message, "change_cipher_spec that is not 0x01");
      }
      continue;
    }
    const bool plaintext_alert_in_handshake = type == ContentType::alert && ccs_allowed_;
    if (read_ && !plaintext_alert_in_handshake) {
      // §5.2: every protected record travels as application_data. (A peer that fails while
      // the handshake is under way may not have the keys to protect its alert: one in
      // plaintext is still read, then the connection ends anyway.)
      if (type != ContentType::application_data) {
        return Error(Errc::unexpected_message, "unprotected " + std::string(to_string(type)) +
                                                   " record after the key change");
      }
      KEEL_TRY_ASSIGN(const OpenedRecord opened, read_->open(record->header, record->fragment));
      type = opened.type;
      content = opened.content;
      if (type != ContentType::handshake && type != ContentType::alert &&
          type != ContentType::application_data) {
        return Error(Errc::unexpected_message,
                     "protected record of type " + std::string(to_string(type)));
      }
    } else if (type == ContentType::application_data) {
      return Error(Errc::unexpected_message, "application data before the keys are set");
    }

    if (content.empty()) {
      // §5.1: "Implementations MUST NOT send zero-length fragments of Handshake types";
      // §5.4 likewise for alerts. Empty application data is legal, and bounded.
      if (type != ContentType::application_data) {
        return Error(Errc::unexpected_message, "empty " + std::string(to_string(type)) + " record");
      }
      if (++empty_records_ > kMaxEmptyRecords) {
        return Error(Errc::limit_exceeded,
                     "more than " + std::to_string(kMaxEmptyRecords) + " empty records in a row");
      }
      continue;
    }
    empty_records_ = 0;
    return std::optional<Inbound>(Inbound{type, content});
  }
}

Result<void> RecordLayer::write(ContentType type, ByteView content) {
  // Content is split into records of at most max_fragment_ bytes; empty content sends nothing
  // (§5.1: no empty handshake or alert records; an empty application record says nothing).
  while (!content.empty()) {
    const std::size_t size = std::min(content.size(), max_fragment_);
    const std::size_t at = output_.size();
    if (write_) {
      output_.resize(at + kHeaderSize + size + Protection13::kOverhead);
      const MutableByteView record(output_.data() + at, output_.size() - at);
      std::copy_n(content.begin(), size, record.begin() + kHeaderSize);
      KEEL_TRY(write_->seal(type, record, size));
    } else {
      output_.resize(at + kHeaderSize + size);
      output_[at] = static_cast<std::uint8_t>(type);
      output_[at + 1] = static_cast<std::uint8_t>(plaintext_version_ >> 8U);
      output_[at + 2] = static_cast<std::uint8_t>(plaintext_version_);
      output_[at + 3] = static_cast<std::uint8_t>(size >> 8U);
      output_[at + 4] = static_cast<std::uint8_t>(size);
      std::copy_n(content.begin(), size,
                  output_.begin() + static_cast<std::ptrdiff_t>(at + kHeaderSize));
    }
    content = content.subspan(size);
  }
  return ok();
}

void RecordLayer::consume_output(std::size_t n) noexcept {
  output_sent_ = std::min(output_.size(), output_sent_ + n);
  if (output_sent_ == output_.size()) {
    output_.clear();
    output_sent_ = 0;
  }
}

}  // namespace keel::record
