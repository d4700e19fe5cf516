#include "connection/engine.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "core/try.hpp"

namespace keel::connection {
namespace {

// §6: AlertLevel.
constexpr std::uint8_t kWarning = 1;
constexpr std::uint8_t kFatal = 2;

/// Errors that are not the peer's to hear about: it sent the alert, or it is gone.
bool sends_alert(Errc code) {
  return code != Errc::alert_received && code != Errc::stream_truncated &&
         code != Errc::connection_closed;
}

}  // namespace

Engine::Engine(crypto::Provider& provider, std::unique_ptr<tls13::Handshake> handshake,
               std::size_t max_handshake_message)
    : channel_(provider, max_handshake_message), handshake_(std::move(handshake)) {}

Result<void> Engine::start() {
  auto started = handshake_->start(channel_);
  if (started.ok()) {
    started = channel_.flush();
  }
  if (!started.ok()) {
    return fail(std::move(started).error());
  }
  return {};
}

Error Engine::fail(Error error) {
  if (!error_) {
    if (sends_alert(error.code()) && !close_sent_) {
      const std::array<std::uint8_t, 2> alert = {kFatal,
                                                 static_cast<std::uint8_t>(alert_for(error))};
      // Best effort: the connection is over whether or not the alert can be queued.
      (void)channel_.records().write(record::ContentType::alert, alert);
      close_sent_ = true;
    }
    error_ = error;
  }
  return error;
}

Result<void> Engine::feed(ByteView bytes) {
  if (error_) {
    return *error_;
  }
  auto processed = process(bytes, {});
  if (!processed.ok()) {
    return fail(std::move(processed).error());
  }
  return {};
}

Result<std::size_t> Engine::feed_and_read(ByteView bytes, MutableByteView out) {
  if (error_) {
    return *error_;
  }
  // What was buffered before comes first; then records are opened straight into `out`.
  KEEL_TRY_ASSIGN(std::size_t written, read(out));
  auto processed = process(bytes, out.subspan(written));
  if (!processed.ok()) {
    return fail(std::move(processed).error());
  }
  return written + *processed;
}

Result<std::size_t> Engine::process(ByteView bytes, MutableByteView direct) {
  if (channel_.records().reads_protected() && bytes.size() > direct.size()) {
    // Room for all the plaintext these bytes can hold (never more than the ciphertext), so
    // that opening them does not move what is already buffered.
    received_.reserve_more(bytes.size());
  }
  std::size_t written = 0;  // into `direct`
  // §6.1: "Any data received after a closure alert has been received MUST be ignored."
  while (!peer_closed_) {
    // Application data goes into `direct` while nothing older waits in received_ (the order
    // of the stream is kept), else into received_ for read(); other content is handled where
    // it was opened and then dropped.
    const MutableByteView room = readable() == 0 ? direct.subspan(written) : MutableByteView();
    const std::size_t mark = received_.size();
    KEEL_TRY_ASSIGN(const auto inbound, channel_.records().next(bytes, received_, room));
    if (!inbound) {
      break;
    }
    if (inbound->type == record::ContentType::application_data) {
      if (established_) {
        established_->note_application_data();
      } else if (auto accepted = handshake_->accept_early_data(inbound->content.size());
                 !accepted.ok()) {
        // Data the handshake does not allow (before the peer's Finished, or 0-RTT refused) is
        // never readable, wherever it was opened: the record layer put it in place before its
        // type was known.
        received_.truncate(mark);
        if (inbound->place == record::InboundPlace::direct) {
          std::fill_n(room.begin(), inbound->content.size(), std::uint8_t{0});
        }
        return std::move(accepted).error();
      } else {
        early_data_received_ += inbound->content.size();
      }
      if (inbound->place == record::InboundPlace::direct) {
        written += inbound->content.size();
      } else if (inbound->place == record::InboundPlace::as_received) {
        received_.append(inbound->content);
      }
      continue;
    }
    auto dispatched = dispatch(inbound->type, inbound->content);
    received_.truncate(mark);
    KEEL_TRY(std::move(dispatched));
  }
  channel_.records().release_if_idle();
  if (readable() == 0) {
    received_.release();  // it held only handshake or alert records
    read_offset_ = 0;
  }
  return written;
}

Result<void> Engine::dispatch(record::ContentType type, ByteView content) {
  switch (type) {
    case record::ContentType::handshake:
      return on_handshake(content);
    case record::ContentType::alert:
      return on_alert(content);
    case record::ContentType::change_cipher_spec:  // delivered only in TLS 1.2
      if (established_) {
        return Error(Errc::unexpected_message, "change_cipher_spec after the handshake");
      }
      KEEL_TRY(handshake_->handle_change_cipher_spec(channel_));
      return channel_.flush();
    default:
      return Error(Errc::unexpected_message, "record of type " + std::string(to_string(type)));
  }
}

Result<void> Engine::on_handshake(ByteView content) {
  KEEL_TRY(channel_.joiner().add(content));
  while (true) {
    KEEL_TRY_ASSIGN(const auto message, channel_.joiner().next());
    if (!message) {
      channel_.joiner().release_if_idle();
      return {};
    }
    if (established_) {
      KEEL_TRY(established_->handle(channel_, *message));
      continue;
    }
    KEEL_TRY(handshake_->handle(channel_, *message));
    KEEL_TRY(channel_.flush());
    if (auto established = handshake_->take_established()) {
      established_ = std::move(established);
      // What was written before: all of it, or what did not go as 0-RTT data the server
      // accepted (rejected 0-RTT data is sent again; the client's handshake refused that if
      // the server chose another ALPN protocol).
      const ByteView held =
          ByteView(early_write_).subspan(negotiated().early_data_accepted ? early_data_sent_ : 0);
      if (!held.empty()) {
        KEEL_TRY(channel_.records().write(record::ContentType::application_data, held));
      }
      early_write_ = Bytes();
      if (close_requested_) {
        KEEL_TRY(send_close_notify());
      }
    }
  }
}

Result<void> Engine::on_alert(ByteView content) {
  // §6: struct { AlertLevel level; AlertDescription description; } Alert;
  if (content.size() != 2) {
    return Error(Errc::malformed,
                 "alert record of " + std::to_string(content.size()) + " bytes (an alert is 2)");
  }
  const auto description = static_cast<Alert>(content[1]);
  if (description == Alert::close_notify) {
    // A peer that closes before the handshake completes has ended it: there will never be a
    // connection to read from (and waiting for one would hang the caller).
    if (!established_) {
      return Error(Errc::alert_received, "the peer sent close_notify during the handshake");
    }
    peer_closed_ = true;
    return {};
  }
  // §6.1: user_canceled is followed by close_notify; it is not an error by itself.
  if (description == Alert::user_canceled) {
    if (++user_canceled_ > kMaxUserCanceled) {
      return Error(Errc::unexpected_message,
                   "more than " + std::to_string(kMaxUserCanceled) + " user_canceled alerts");
    }
    return {};
  }
  // §6.2: every other alert ends the connection, whatever level it claims.
  return Error(Errc::alert_received, "the peer sent " + std::string(to_string(description)) +
                                         (content[0] == kWarning ? " (as a warning)" : "") +
                                         " (alert " + std::to_string(content[1]) + ")");
}

Result<void> Engine::feed_end_of_stream() {
  if (error_) {
    return *error_;
  }
  if (peer_closed_) {
    return {};
  }
  return fail(Error(Errc::stream_truncated, channel_.records().has_partial_record()
                                                ? "in the middle of a record"
                                                : "between records, without close_notify"));
}

Result<std::size_t> Engine::read(MutableByteView out) {
  const std::size_t n = std::min(out.size(), readable());
  std::copy_n(received_.view().begin() + static_cast<std::ptrdiff_t>(read_offset_), n, out.begin());
  read_offset_ += n;
  if (read_offset_ == received_.size()) {
    // Idle connections keep no buffer (docs/design.md, performance).
    received_.release();
    read_offset_ = 0;
  }
  if (n == 0 && error_) {
    return *error_;
  }
  return n;
}

Result<void> Engine::write(ByteView data) {
  if (error_) {
    return *error_;
  }
  if (close_sent_ || close_requested_) {
    return Error(Errc::connection_closed, "write after close()");
  }
  if (!established_) {
    if (early_write_.size() + data.size() > kMaxEarlyWrite) {
      return Error(Errc::limit_exceeded, "more than 1 MiB written before the handshake completed");
    }
    // 0-RTT (RFC 8446 §4.2.10): a client resuming a session that allows it sends what it
    // may at once — only while all written before went too, so that the stream keeps its
    // order.
    const std::size_t room =
        early_data_sent_ == early_write_.size() ? handshake_->early_data_room() : 0;
    const std::size_t early = std::min(room, data.size());
    if (early > 0) {
      auto sent =
          channel_.records().write(record::ContentType::application_data, data.first(early));
      if (!sent.ok()) {
        return fail(std::move(sent).error());
      }
      handshake_->early_data_sent(early);
      early_data_sent_ += early;
    }
    early_write_.insert(early_write_.end(), data.begin(), data.end());
    return {};
  }
  auto written = channel_.records().write(record::ContentType::application_data, data);
  if (!written.ok()) {
    return fail(std::move(written).error());
  }
  return {};
}

Result<void> Engine::send_close_notify() {
  static constexpr std::array<std::uint8_t, 2> kCloseNotify = {kWarning, 0};
  close_sent_ = true;
  if (established_) {
    established_->stop_writing();
  }
  return channel_.records().write(record::ContentType::alert, kCloseNotify);
}

Result<void> Engine::close() {
  if (error_) {
    return *error_;
  }
  if (close_sent_ || close_requested_) {
    return {};
  }
  if (!established_ && !early_write_.empty()) {
    close_requested_ = true;  // sent once the queued data is
    return {};
  }
  auto sent = send_close_notify();
  if (!sent.ok()) {
    return fail(std::move(sent).error());
  }
  return {};
}

Result<void> Engine::update_keys(bool request_peer) {
  if (error_) {
    return *error_;
  }
  if (!established_) {
    return Error(Errc::invalid_argument, "KeyUpdate before the handshake completed");
  }
  if (close_sent_) {
    return Error(Errc::connection_closed, "KeyUpdate after close()");
  }
  if (negotiated().version == ProtocolVersion::tls12) {
    return Error(Errc::invalid_argument, "TLS 1.2 has no key update (the connection is TLS 1.2)");
  }
  auto updated = established_->update_keys(channel_, request_peer);
  if (!updated.ok()) {
    return fail(std::move(updated).error());
  }
  return {};
}

Result<void> Engine::export_keying_material(std::string_view label, ByteView context,
                                            MutableByteView out) const {
  if (!established_) {
    return Error(Errc::invalid_argument, "exporter before the handshake completed");
  }
  return established_->export_keying_material(channel_.provider(), label, context, out);
}

}  // namespace keel::connection
