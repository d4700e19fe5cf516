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

Result<std::optional<ReceivedRecord>> RecordLayer::whole_record(ByteView& input) const {
  if (input.size() < kHeaderSize) {
    return std::optional<ReceivedRecord>();
  }
  const ByteView header = input.first(kHeaderSize);
  KEEL_TRY_ASSIGN(const std::size_t length,
                  Deframer::fragment_length(header, deframer_.max_fragment()));
  if (input.size() - kHeaderSize < length) {
    return std::optional<ReceivedRecord>();
  }
  const ReceivedRecord record{static_cast<ContentType>(header[0]), header,
                              input.subspan(kHeaderSize, length)};
  input = input.subspan(kHeaderSize + length);
  return std::optional<ReceivedRecord>(record);
}

Result<std::optional<ReceivedRecord>> RecordLayer::next_record(ByteView& input) {
  if (!deframer_.has_partial_record()) {
    KEEL_TRY_ASSIGN(auto record, whole_record(input));
    if (record) {
      return record;
    }
  }
  while (true) {
    const std::size_t taken = deframer_.feed(input);
    input = input.subspan(taken);
    KEEL_TRY_ASSIGN(auto record, deframer_.next());
    if (record || input.empty()) {
      return record;
    }
    if (taken == 0) {
      return Error(Errc::internal, "the deframer takes no more bytes");
    }
  }
}

Result<std::optional<Inbound>> RecordLayer::next(ByteView& input, ByteBuffer& plaintext,
                                                 MutableByteView direct) {
  while (true) {
    KEEL_TRY_ASSIGN(const auto record, next_record(input));
    if (!record) {
      return std::optional<Inbound>();
    }
    ContentType type = record->type;
    ByteView content = record->fragment;
    InboundPlace place = InboundPlace::as_received;

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
      const std::size_t inner = record->fragment.size() > crypto::kAeadTagSize
                                    ? record->fragment.size() - crypto::kAeadTagSize
                                    : 0;
      if (inner <= direct.size()) {
        KEEL_TRY_ASSIGN(const OpenedRecord opened,
                        read_->open(record->header, record->fragment, direct.first(inner)));
        type = opened.type;
        content = opened.content;
        place = InboundPlace::direct;
      } else {
        const std::size_t mark = plaintext.size();
        auto opened = read_->open(record->header, record->fragment, plaintext.grow(inner));
        if (!opened.ok()) {
          plaintext.truncate(mark);
          return std::move(opened).error();
        }
        type = opened->type;
        plaintext.truncate(mark + opened->content.size());  // without type and padding
        content = plaintext.view().subspan(mark);
        place = InboundPlace::plaintext;
      }
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
    return std::optional<Inbound>(Inbound{type, content, place});
  }
}

Result<void> RecordLayer::write(ContentType type, ByteView content) {
  // Content is split into records of at most max_fragment_ bytes; empty content sends nothing
  // (§5.1: no empty handshake or alert records; an empty application record says nothing).
  while (!content.empty()) {
    const ByteView piece = content.first(std::min(content.size(), max_fragment_));
    if (write_) {
      const std::size_t at = output_.size();
      const MutableByteView record =
          output_.grow(kHeaderSize + piece.size() + Protection13::kOverhead);
      if (auto sealed = write_->seal(type, piece, record); !sealed.ok()) {
        output_.truncate(at);
        return sealed;
      }
    } else {
      const MutableByteView record = output_.grow(kHeaderSize + piece.size());
      record[0] = static_cast<std::uint8_t>(type);
      record[1] = static_cast<std::uint8_t>(plaintext_version_ >> 8U);
      record[2] = static_cast<std::uint8_t>(plaintext_version_);
      record[3] = static_cast<std::uint8_t>(piece.size() >> 8U);
      record[4] = static_cast<std::uint8_t>(piece.size());
      std::copy(piece.begin(), piece.end(), record.begin() + kHeaderSize);
    }
    content = content.subspan(piece.size());
  }
  return ok();
}

void RecordLayer::consume_output(std::size_t n) noexcept {
  output_sent_ = std::min(output_.size(), output_sent_ + n);
  if (output_sent_ == output_.size()) {
    output_.release();  // an idle connection keeps no output buffer
    output_sent_ = 0;
  }
}

}  // namespace keel::record
