#include "msg/extensions.hpp"

#include "core/try.hpp"
#include "wire/reader.hpp"
#include "wire/writer.hpp"

namespace keel::msg {
namespace {

using wire::Width;

/// Encodes with `write`; a value too long for its length prefix is an error.
template <class Write>
Result<Bytes> build(Write write) {
  wire::Writer writer;
  write(writer);
  return std::move(writer).finish();
}

/// Runs `read` over `data` and requires it to consume everything.
template <class T, class Read>
Result<T> parse(ByteView data, Read read) {
  wire::Reader reader(data);
  KEEL_TRY_ASSIGN(T value, read(reader));
  KEEL_TRY(reader.expect_empty());
  return value;
}

template <class Code>
Result<std::vector<Code>> decode_u16_list(ByteView data, std::size_t min, std::size_t max) {
  return parse<std::vector<Code>>(data, [&](wire::Reader& reader) -> Result<std::vector<Code>> {
    KEEL_TRY_ASSIGN(wire::Reader list, reader.sub(Width::u16, min, max));
    if (list.remaining() % 2 != 0) {
      return Error(Errc::malformed, "list of 16-bit codepoints with an odd length");
    }
    std::vector<Code> out;
    while (!list.empty()) {
      KEEL_TRY_ASSIGN(const std::uint16_t value, list.u16());
      out.push_back(static_cast<Code>(value));
    }
    return out;
  });
}

template <class Code>
Result<Bytes> encode_u16_list(std::span<const Code> codes) {
  return build([&](wire::Writer& w) {
    auto list = w.prefixed(Width::u16);
    for (const Code code : codes) {
      w.u16(static_cast<std::uint16_t>(code));
    }
  });
}

Result<KeyShareEntry> read_share(wire::Reader& reader) {
  KeyShareEntry entry;
  KEEL_TRY_ASSIGN(const std::uint16_t group, reader.u16());
  entry.group = static_cast<NamedGroup>(group);
  KEEL_TRY_ASSIGN(const ByteView key, reader.prefixed(Width::u16, 1));
  entry.key_exchange.assign(key.begin(), key.end());
  return entry;
}

void write_share(wire::Writer& w, const KeyShareEntry& share) {
  w.u16(static_cast<std::uint16_t>(share.group));
  auto key = w.prefixed(Width::u16);
  w.bytes(share.key_exchange);
}

}  // namespace

Result<std::vector<std::uint16_t>> decode_version_list(ByteView data) {
  return parse<std::vector<std::uint16_t>>(
      data, [](wire::Reader& reader) -> Result<std::vector<std::uint16_t>> {
        KEEL_TRY_ASSIGN(wire::Reader list, reader.sub(Width::u8, 2, 254));
        if (list.remaining() % 2 != 0) {
          return Error(Errc::malformed, "supported_versions with an odd length");
        }
        std::vector<std::uint16_t> out;
        while (!list.empty()) {
          KEEL_TRY_ASSIGN(const std::uint16_t version, list.u16());
          out.push_back(version);
        }
        return out;
      });
}

Result<Bytes> encode_version_list(std::span<const std::uint16_t> versions) {
  return build([&](wire::Writer& w) {
    auto list = w.prefixed(Width::u8, 254);
    for (const std::uint16_t version : versions) {
      w.u16(version);
    }
  });
}

Result<std::uint16_t> decode_selected_version(ByteView data) {
  return parse<std::uint16_t>(data, [](wire::Reader& reader) { return reader.u16(); });
}

Result<Bytes> encode_selected_version(std::uint16_t version) {
  return build([&](wire::Writer& w) { w.u16(version); });
}

Result<std::vector<NamedGroup>> decode_named_groups(ByteView data) {
  return decode_u16_list<NamedGroup>(data, 2, 0xFFFF);
}

Result<Bytes> encode_named_groups(std::span<const NamedGroup> groups) {
  return encode_u16_list(groups);
}

Result<std::vector<SignatureScheme>> decode_signature_schemes(ByteView data) {
  return decode_u16_list<SignatureScheme>(data, 2, 0xFFFE);
}

Result<Bytes> encode_signature_schemes(std::span<const SignatureScheme> schemes) {
  return encode_u16_list(schemes);
}

Result<std::vector<KeyShareEntry>> decode_client_shares(ByteView data) {
  return parse<std::vector<KeyShareEntry>>(
      data, [](wire::Reader& reader) -> Result<std::vector<KeyShareEntry>> {
        KEEL_TRY_ASSIGN(wire::Reader list, reader.sub(Width::u16));
        std::vector<KeyShareEntry> out;
        while (!list.empty()) {
          KEEL_TRY_ASSIGN(KeyShareEntry entry, read_share(list));
          out.push_back(std::move(entry));
        }
        return out;
      });
}

Result<Bytes> encode_client_shares(std::span<const KeyShareEntry> shares) {
  return build([&](wire::Writer& w) {
    auto list = w.prefixed(Width::u16);
    for (const auto& share : shares) {
      write_share(w, share);
    }
  });
}

Result<KeyShareEntry> decode_server_share(ByteView data) {
  return parse<KeyShareEntry>(data, read_share);
}

Result<Bytes> encode_server_share(const KeyShareEntry& share) {
  return build([&](wire::Writer& w) { write_share(w, share); });
}

Result<NamedGroup> decode_selected_group(ByteView data) {
  return parse<NamedGroup>(data, [](wire::Reader& reader) -> Result<NamedGroup> {
    KEEL_TRY_ASSIGN(const std::uint16_t group, reader.u16());
    return static_cast<NamedGroup>(group);
  });
}

Result<Bytes> encode_selected_group(NamedGroup group) {
  return build([&](wire::Writer& w) { w.u16(static_cast<std::uint16_t>(group)); });
}

Result<std::optional<std::string>> decode_server_name(ByteView data) {
  return parse<std::optional<std::string>>(
      data, [](wire::Reader& reader) -> Result<std::optional<std::string>> {
        KEEL_TRY_ASSIGN(wire::Reader list, reader.sub(Width::u16, 1));
        std::optional<std::string> host;
        while (!list.empty()) {
          KEEL_TRY_ASSIGN(const std::uint8_t name_type, list.u8());
          KEEL_TRY_ASSIGN(const ByteView name, list.prefixed(Width::u16, 1));
          if (name_type != 0) {
            continue;  // not host_name: no other type is defined
          }
          // RFC 6066 §3: "The ServerNameList MUST NOT contain more than one name of the same
          // name_type."
          if (host) {
            return Error(Errc::illegal_parameter, "server_name lists two host names");
          }
          host = std::string(reinterpret_cast<const char*>(name.data()), name.size());
        }
        return host;
      });
}

Result<Bytes> encode_server_name(std::string_view host_name) {
  return build([&](wire::Writer& w) {
    auto list = w.prefixed(Width::u16);
    w.u8(0);  // host_name
    auto name = w.prefixed(Width::u16);
    w.bytes(ByteView(reinterpret_cast<const std::uint8_t*>(host_name.data()), host_name.size()));
  });
}

Result<std::vector<std::string>> decode_alpn(ByteView data) {
  return parse<std::vector<std::string>>(
      data, [](wire::Reader& reader) -> Result<std::vector<std::string>> {
        KEEL_TRY_ASSIGN(wire::Reader list, reader.sub(Width::u16, 2));
        std::vector<std::string> out;
        while (!list.empty()) {
          KEEL_TRY_ASSIGN(const ByteView name, list.prefixed(Width::u8, 1));
          out.emplace_back(reinterpret_cast<const char*>(name.data()), name.size());
        }
        return out;
      });
}

Result<Bytes> encode_alpn(std::span<const std::string> protocols) {
  return build([&](wire::Writer& w) {
    auto list = w.prefixed(Width::u16);
    for (const auto& protocol : protocols) {
      auto name = w.prefixed(Width::u8, 255);
      w.bytes(ByteView(reinterpret_cast<const std::uint8_t*>(protocol.data()), protocol.size()));
    }
  });
}

Result<std::vector<std::uint8_t>> decode_psk_modes(ByteView data) {
  return parse<std::vector<std::uint8_t>>(
      data, [](wire::Reader& reader) -> Result<std::vector<std::uint8_t>> {
        KEEL_TRY_ASSIGN(const ByteView modes, reader.prefixed(Width::u8, 1));
        return std::vector<std::uint8_t>(modes.begin(), modes.end());
      });
}

Result<Bytes> encode_psk_modes(std::span<const std::uint8_t> modes) {
  return build([&](wire::Writer& w) {
    auto list = w.prefixed(Width::u8, 255);
    w.bytes(ByteView(modes.data(), modes.size()));
  });
}

Result<Bytes> decode_cookie(ByteView data) {
  return parse<Bytes>(data, [](wire::Reader& reader) -> Result<Bytes> {
    KEEL_TRY_ASSIGN(const ByteView cookie, reader.prefixed(Width::u16, 1));
    return Bytes(cookie.begin(), cookie.end());
  });
}

Result<Bytes> encode_cookie(ByteView cookie) {
  return build([&](wire::Writer& w) {
    auto field = w.prefixed(Width::u16);
    w.bytes(cookie);
  });
}

Result<void> expect_empty_extension(ByteView data) {
  if (!data.empty()) {
    return Error(Errc::malformed, "extension data where none belongs");
  }
  return ok();
}

Result<std::uint32_t> decode_max_early_data(ByteView data) {
  return parse<std::uint32_t>(data, [](wire::Reader& reader) { return reader.u32(); });
}

Result<Bytes> encode_max_early_data(std::uint32_t size) {
  return build([&](wire::Writer& w) { w.u32(size); });
}

Result<std::uint16_t> decode_record_size_limit(ByteView data) {
  return parse<std::uint16_t>(data, [](wire::Reader& reader) -> Result<std::uint16_t> {
    KEEL_TRY_ASSIGN(const std::uint16_t limit, reader.u16());
    // RFC 8449 §4: "Endpoints MUST NOT send a "record_size_limit" extension with a value
    // smaller than 64. An endpoint MUST treat receipt of a smaller value as a fatal error and
    // generate an "illegal_parameter" alert."
    if (limit < 64) {
      return Error(Errc::illegal_parameter, "record_size_limit below 64");
    }
    return limit;
  });
}

Result<Bytes> encode_record_size_limit(std::uint16_t limit) {
  return build([&](wire::Writer& w) { w.u16(limit); });
}

Result<bool> decode_status_request(ByteView data) {
  return parse<bool>(data, [](wire::Reader& reader) -> Result<bool> {
    KEEL_TRY_ASSIGN(const std::uint8_t status_type, reader.u8());
    if (status_type != 1) {  // only ocsp(1) is defined; others are opaque to keel
      (void)reader.bytes(reader.remaining());
      return false;
    }
    KEEL_TRY(reader.prefixed(Width::u16));  // responder_id_list
    KEEL_TRY(reader.prefixed(Width::u16));  // request_extensions
    return true;
  });
}

Result<Bytes> encode_status_request() {
  return build([](wire::Writer& w) {
    w.u8(1);   // ocsp
    w.u16(0);  // responder_id_list: empty
    w.u16(0);  // request_extensions: empty
  });
}

Result<Bytes> decode_certificate_status(ByteView data) {
  return parse<Bytes>(data, [](wire::Reader& reader) -> Result<Bytes> {
    KEEL_TRY_ASSIGN(const std::uint8_t status_type, reader.u8());
    if (status_type != 1) {
      return Error(Errc::illegal_parameter, "CertificateStatus of an unknown type");
    }
    KEEL_TRY_ASSIGN(const ByteView response, reader.prefixed(Width::u24, 1));
    return Bytes(response.begin(), response.end());
  });
}

Result<Bytes> encode_certificate_status(ByteView ocsp_response) {
  return build([&](wire::Writer& w) {
    w.u8(1);
    auto response = w.prefixed(Width::u24);
    w.bytes(ocsp_response);
  });
}

Result<OfferedPsks> decode_offered_psks(ByteView data) {
  return parse<OfferedPsks>(data, [](wire::Reader& reader) -> Result<OfferedPsks> {
    OfferedPsks out;
    KEEL_TRY_ASSIGN(wire::Reader identities, reader.sub(Width::u16, 7));
    while (!identities.empty()) {
      PskIdentity identity;
      KEEL_TRY_ASSIGN(const ByteView id, identities.prefixed(Width::u16, 1));
      identity.identity.assign(id.begin(), id.end());
      KEEL_TRY_ASSIGN(identity.obfuscated_ticket_age, identities.u32());
      out.identities.push_back(std::move(identity));
    }
    KEEL_TRY_ASSIGN(wire::Reader binders, reader.sub(Width::u16, 33));
    while (!binders.empty()) {
      KEEL_TRY_ASSIGN(const ByteView binder, binders.prefixed(Width::u8, 32, 255));
      out.binders.emplace_back(binder.begin(), binder.end());
    }
    // §4.2.11: binders are "one for each of the PSKs offered in the same order".
    if (out.binders.size() != out.identities.size()) {
      return Error(Errc::illegal_parameter,
                   "pre_shared_key with " + std::to_string(out.identities.size()) +
                       " identities and " + std::to_string(out.binders.size()) + " binders");
    }
    return out;
  });
}

Result<Bytes> encode_offered_psks(const OfferedPsks& psks) {
  return build([&](wire::Writer& w) {
    {
      auto identities = w.prefixed(Width::u16);
      for (const auto& identity : psks.identities) {
        {
          auto id = w.prefixed(Width::u16);
          w.bytes(identity.identity);
        }
        w.u32(identity.obfuscated_ticket_age);
      }
    }
    auto binders = w.prefixed(Width::u16);
    for (const auto& binder : psks.binders) {
      auto entry = w.prefixed(Width::u8, 255);
      w.bytes(binder);
    }
  });
}

std::size_t binders_size(const OfferedPsks& psks) noexcept {
  std::size_t size = 2;
  for (const auto& binder : psks.binders) {
    size += 1 + binder.size();
  }
  return size;
}

Result<std::uint16_t> decode_selected_identity(ByteView data) {
  return parse<std::uint16_t>(data, [](wire::Reader& reader) { return reader.u16(); });
}

Result<Bytes> encode_selected_identity(std::uint16_t index) {
  return build([&](wire::Writer& w) { w.u16(index); });
}

}  // namespace keel::msg
