#include "record/record_layer.hpp"

#include <algorithm>
#include <string>

#include "core/try.hpp"

namespace keel::record {
namespace {

// The two protections differ in what they add and where the content type is; these give the
// layer one shape for both.
std::size_t sealed_size(const Protection13& /*protection*/, std::size_t content) {
  return content + Protection13::kOverhead;
}
std::size_t sealed_size(const Protection12& protection, std::size_t content) {
  return content + protection.overhead();
}
std::size_t opened_size(const Protection13& /*protection*/, std::size_t fragment) {
  return fragment > crypto::kAeadTagSize ? fragment - crypto::kAeadTagSize : 0;
}
std::size_t opened_size(const Protection12& protection, std::size_t fragment) {
  return fragment > protection.overhead() ? fragment - protection.overhead() : 0;
}
Result<OpenedRecord> open_record(Protection13& protection, const ReceivedRecord& record,
                                 MutableByteView out) {
  return protection.open(record.header, record.fragment, out);
}
Result<OpenedRecord> open_record(Protection12& protection, const ReceivedRecord& record,
                                 MutableByteView out) {
  KEEL_TRY_ASSIGN(const MutableByteView content,
                  protection.open(record.header, record.fragment, out));
  return OpenedRecord{record.type, content};  // TLS 1.2 keeps the type outside
}

}  // namespace

void RecordLayer::set_read_protection(Protection13 protection) {
  read_.emplace(std::move(protection));
  deframer_.set_max_fragment(kMaxCiphertext13);
}

void RecordLayer::set_write_protection(Protection13 protection) {
  write_.emplace(std::move(protection));
}

void RecordLayer::set_read_protection(Protection12 protection) {
  read_.emplace(std::move(protection));
  deframer_.set_max_fragment(kMaxCiphertext12);
}

void RecordLayer::set_write_protection(Protection12 protection) {
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

Result<bool> RecordLayer::deliver_change_cipher_spec(ByteView content) const {
  if (content.size() != 1 || content[0] != 0x01) {
    return Error(Errc::unexpected_message, "change_cipher_spec that is not 0x01");
  }
  if (tls12_) {
    // RFC 5246 §7.1: it announces the peer's next records are under the new keys; after
    // that, keel (which does not renegotiate) never expects another.
    if (read_) {
      return Error(Errc::unexpected_message, "change_cipher_spec after the key change");
    }
    return true;
  }
  // RFC 8446 §5: "An implementation may receive an unencrypted record of type
  // change_cipher_spec consisting of the single byte value 0x01 at any time after the first
  // ClientHello message has been sent or received and before the peer's Finished message has
  // been received and MUST simply drop it without further processing."
  if (!ccs_allowed_) {
    return Error(Errc::unexpected_message, "change_cipher_spec outside the handshake");
  }
  return false;
}

Result<Inbound> RecordLayer::open(const ReceivedRecord& record, ByteBuffer& plaintext,
                                  MutableByteView direct) {
  return std::visit(
      [&](auto& protection) -> Result<Inbound> {
        const std::size_t inner = opened_size(protection, record.fragment.size());
        if (inner <= direct.size()) {
          KEEL_TRY_ASSIGN(const OpenedRecord opened,
                          open_record(protection, record, direct.first(inner)));
          return Inbound{opened.type, opened.content, InboundPlace::direct};
        }
        const std::size_t mark = plaintext.size();
        auto opened = open_record(protection, record, plaintext.grow(inner));
        if (!opened.ok()) {
          plaintext.truncate(mark);
          return std::move(opened).error();
        }
        plaintext.truncate(mark + opened->content.size());  // without type and padding
        return Inbound{opened->type, plaintext.view().subspan(mark), InboundPlace::plaintext};
      },
      *read_);
}

Result<void> RecordLayer::skip(const ReceivedRecord& record) {
  if (record.fragment.size() > skip_budget_) {
    return Error(Errc::bad_record_mac, "more rejected 0-RTT data than the server allows");
  }
  skip_budget_ -= record.fragment.size();
  return {};
}

Result<std::optional<Inbound>> RecordLayer::next(ByteView& input, ByteBuffer& plaintext,
                                                 MutableByteView direct) {
  while (true) {
    KEEL_TRY_ASSIGN(const auto record, next_record(input));
    if (!record) {
      return std::optional<Inbound>();
    }
    Inbound inbound{record->type, record->fragment, InboundPlace::as_received};

    if (record->type == ContentType::change_cipher_spec) {
      KEEL_TRY_ASSIGN(const bool deliver, deliver_change_cipher_spec(record->fragment));
      if (deliver) {
        return std::optional<Inbound>(inbound);
      }
      continue;
    }
    // TLS 1.3 only: a peer that fails while the handshake is under way may not have the keys
    // to protect its alert, so one in plaintext is still read (the connection ends anyway).
    const bool plaintext_alert_in_handshake =
        !tls12_ && record->type == ContentType::alert && ccs_allowed_;
    if (read_ && !plaintext_alert_in_handshake) {
      // RFC 8446 §5.2: every protected TLS 1.3 record travels as application_data.
      if (!tls12_ && record->type != ContentType::application_data) {
        return Error(
            Errc::unexpected_message,
            "unprotected " + std::string(to_string(record->type)) + " record after the key change");
      }
      if (skipping_early_data_) {
        auto opened = open(*record, plaintext, direct);
        if (!opened.ok()) {
          KEEL_TRY(skip(*record));
          continue;
        }
        skipping_early_data_ = false;
        inbound = opened.value();
      } else {
        KEEL_TRY_ASSIGN(inbound, open(*record, plaintext, direct));
      }
      if (inbound.type != ContentType::handshake && inbound.type != ContentType::alert &&
          inbound.type != ContentType::application_data) {
        return Error(Errc::unexpected_message,
                     "protected record of type " + std::string(to_string(inbound.type)));
      }
    } else if (record->type == ContentType::application_data) {
      if (!skipping_early_data_) {
        return Error(Errc::unexpected_message, "application data before the keys are set");
      }
      KEEL_TRY(skip(*record));
      continue;
    } else {
      skipping_early_data_ = false;  // the client's plaintext second ClientHello
    }

    if (inbound.content.empty()) {
      // RFC 8446 §5.1: "Implementations MUST NOT send zero-length fragments of Handshake
      // types"; §5.4 likewise for alerts (RFC 5246 §6.2.1 says the same). Empty application
      // data is legal, and bounded.
      if (inbound.type != ContentType::application_data) {
        return Error(Errc::unexpected_message,
                     "empty " + std::string(to_string(inbound.type)) + " record");
      }
      if (++empty_records_ > kMaxEmptyRecords) {
        return Error(Errc::limit_exceeded,
                     "more than " + std::to_string(kMaxEmptyRecords) + " empty records in a row");
      }
      continue;
    }
    empty_records_ = 0;
    return std::optional<Inbound>(inbound);
  }
}

Result<void> RecordLayer::write(ContentType type, ByteView content) {
  // Content is split into records of at most max_fragment_ bytes; empty content sends nothing
  // (§5.1: no empty handshake or alert records; an empty application record says nothing).
  while (!content.empty()) {
    const ByteView piece = content.first(std::min(content.size(), max_fragment_));
    if (write_) {
      const std::size_t at = output_.size();
      auto sealed = std::visit(
          [&](auto& protection) {
            return protection.seal(
                type, piece, output_.grow(kHeaderSize + sealed_size(protection, piece.size())));
          },
          *write_);
      if (!sealed.ok()) {
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
