#include "x509/pem.hpp"

#include <array>
#include <string>

#include "core/try.hpp"

namespace keel::pem {
namespace {

constexpr std::string_view kBegin = "-----BEGIN ";
constexpr std::string_view kEnd = "-----END ";
constexpr std::string_view kDashes = "-----";
constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string_view trim(std::string_view line) {
  while (!line.empty() && is_space(line.back())) {
    line.remove_suffix(1);
  }
  while (!line.empty() && is_space(line.front())) {
    line.remove_prefix(1);
  }
  return line;
}

int sextet(char c) {
  const auto at = kAlphabet.find(c);
  return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

/// "LABEL" from "<prefix>LABEL-----", if the line has that form.
std::optional<std::string_view> boundary_label(std::string_view line, std::string_view prefix) {
  if (!line.starts_with(prefix) || !line.ends_with(kDashes) ||
      line.size() < prefix.size() + kDashes.size()) {
    return std::nullopt;
  }
  return line.substr(prefix.size(), line.size() - prefix.size() - kDashes.size());
}

Error at_line(std::size_t line, std::string what) {
  return Error(Errc::malformed, "PEM line " + std::to_string(line) + ": " + std::move(what));
}

}  // namespace

Result<Bytes> base64_decode(std::string_view text) {
  std::string digits;
  digits.reserve(text.size());
  for (const char c : text) {
    if (!is_space(c)) {
      digits.push_back(c);
    }
  }
  if (digits.size() % 4 != 0) {
    return Error(Errc::malformed, "base64 length is not a multiple of 4");
  }
  std::size_t padding = 0;
  while (padding < 2 && padding < digits.size() && digits[digits.size() - 1 - padding] == '=') {
    ++padding;
  }
  Bytes out;
  out.reserve(digits.size() / 4 * 3);
  std::uint32_t buffer = 0;
  for (std::size_t i = 0; i < digits.size() - padding; ++i) {
    const int value = sextet(digits[i]);
    if (value < 0) {
      return Error(Errc::malformed, std::string("not a base64 character: '") + digits[i] + "'");
    }
    buffer = (buffer << 6U) | static_cast<std::uint32_t>(value);
    if (i % 4 == 3) {
      out.push_back(static_cast<std::uint8_t>(buffer >> 16U));
      out.push_back(static_cast<std::uint8_t>(buffer >> 8U));
      out.push_back(static_cast<std::uint8_t>(buffer));
      buffer = 0;
    }
  }
  if (padding == 2) {
    if ((buffer & 0x0FU) != 0) {
      return Error(Errc::malformed, "base64 padding bits are not zero");
    }
    out.push_back(static_cast<std::uint8_t>(buffer >> 4U));
  } else if (padding == 1) {
    if ((buffer & 0x03U) != 0) {
      return Error(Errc::malformed, "base64 padding bits are not zero");
    }
    out.push_back(static_cast<std::uint8_t>(buffer >> 10U));
    out.push_back(static_cast<std::uint8_t>(buffer >> 2U));
  }
  return out;
}

Result<std::vector<Block>> parse(std::string_view text, const Limits& limits) {
  std::vector<Block> blocks;
  std::size_t line_number = 0;
  std::optional<Block> open;  // the block being read, if any
  std::string body;
  while (!text.empty()) {
    const auto newline = text.find('\n');
    const std::string_view raw = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    ++line_number;
    const std::string_view line = trim(raw);

    if (!open) {
      if (const auto label = boundary_label(line, kBegin)) {
        if (blocks.size() == limits.max_blocks) {
          return Error(Errc::limit_exceeded,
                       "more than " + std::to_string(limits.max_blocks) + " PEM blocks");
        }
        open = Block{std::string(*label), {}, line_number};
        body.clear();
      }
      continue;  // text outside blocks is explanatory and ignored (RFC 7468 §2)
    }
    if (const auto label = boundary_label(line, kEnd)) {
      if (*label != open->label) {
        return at_line(line_number, "END " + std::string(*label) + " does not match BEGIN " +
                                        open->label + " on line " +
                                        std::to_string(open->begin_line));
      }
      auto der = base64_decode(body);
      if (!der.ok()) {
        return at_line(open->begin_line, open->label + ": " + der.error().detail());
      }
      open->der = std::move(der).value();
      blocks.push_back(std::move(*open));
      open.reset();
      continue;
    }
    if (line.starts_with(kBegin)) {
      return at_line(line_number, "BEGIN inside the " + open->label + " block begun on line " +
                                      std::to_string(open->begin_line));
    }
    if (line.find(':') != std::string_view::npos) {
      return at_line(line_number, "PEM headers (such as encrypted PEM) are not supported");
    }
    for (const char c : line) {
      if (!is_space(c) && c != '=' && sextet(c) < 0) {
        return at_line(line_number, std::string("not a base64 character: '") + c + "'");
      }
    }
    body += line;
    if (body.size() / 4 * 3 > limits.max_block_bytes) {
      return at_line(line_number, open->label + " block larger than " +
                                      std::to_string(limits.max_block_bytes) + " bytes");
    }
  }
  if (open) {
    return at_line(open->begin_line, "BEGIN " + open->label + " without a matching END");
  }
  return blocks;
}

Result<std::vector<Block>> parse(std::string_view text, std::string_view label,
                                 const Limits& limits) {
  KEEL_TRY_ASSIGN(std::vector<Block> all, parse(text, limits));
  std::vector<Block> matching;
  for (auto& block : all) {
    if (block.label == label) {
      matching.push_back(std::move(block));
    }
  }
  return matching;
}

std::string encode(std::string_view label, ByteView der) {
  std::string out = std::string(kBegin) + std::string(label) + std::string(kDashes) + "\n";
  std::string line;
  for (std::size_t i = 0; i < der.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, der.size() - i);
    std::uint32_t chunk = std::uint32_t{der[i]} << 16U;
    if (n > 1) {
      chunk |= std::uint32_t{der[i + 1]} << 8U;
    }
    if (n > 2) {
      chunk |= der[i + 2];
    }
    for (std::size_t k = 0; k < 4; ++k) {
      line += k <= n ? kAlphabet[(chunk >> (18U - 6U * k)) & 0x3FU] : '=';
    }
    if (line.size() == 64) {
      out += line + "\n";
      line.clear();
    }
  }
  if (!line.empty()) {
    out += line + "\n";
  }
  out += std::string(kEnd) + std::string(label) + std::string(kDashes) + "\n";
  return out;
}

}  // namespace keel::pem
