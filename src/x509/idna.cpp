#include "x509/idna.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

namespace keel::x509 {
namespace {

// RFC 3492 §5: Punycode's parameters.
constexpr std::uint32_t kBase = 36;
constexpr std::uint32_t kTmin = 1;
constexpr std::uint32_t kTmax = 26;
constexpr std::uint32_t kSkew = 38;
constexpr std::uint32_t kDamp = 700;
constexpr std::uint32_t kInitialBias = 72;
constexpr std::uint32_t kInitialN = 128;
constexpr std::size_t kMaxLabel = 63;

Error bad_label(std::string_view label, const char* why) {
  return Error(Errc::illegal_parameter, "host name label \"" + std::string(label) + "\": " + why);
}

/// Strict UTF-8 (RFC 3629): shortest forms only, no surrogates, at most U+10FFFF.
Result<std::vector<std::uint32_t>> decode_utf8(std::string_view text) {
  std::vector<std::uint32_t> out;
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<std::uint8_t>(text[i]);
    std::size_t length = 0;
    std::uint32_t cp = 0;
    std::uint32_t min = 0;
    if (lead < 0x80) {
      length = 1, cp = lead;
    } else if ((lead & 0xE0U) == 0xC0) {
      length = 2, cp = lead & 0x1FU, min = 0x80;
    } else if ((lead & 0xF0U) == 0xE0) {
      length = 3, cp = lead & 0x0FU, min = 0x800;
    } else if ((lead & 0xF8U) == 0xF0) {
      length = 4, cp = lead & 0x07U, min = 0x10000;
    } else {
      return bad_label(text, "not UTF-8");
    }
    if (i + length > text.size()) {
      return bad_label(text, "not UTF-8");
    }
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<std::uint8_t>(text[i + k]);
      if ((next & 0xC0U) != 0x80) {
        return bad_label(text, "not UTF-8");
      }
      cp = (cp << 6U) | (next & 0x3FU);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return bad_label(text, "not UTF-8");
    }
    out.push_back(cp);
    i += length;
  }
  return out;
}

char digit(std::uint32_t d) {
  return static_cast<char>(d < 26 ? 'a' + d : '0' + (d - 26));
}

/// RFC 3492 §6.1.
std::uint32_t adapt(std::uint32_t delta, std::uint32_t points, bool first) {
  delta = first ? delta / kDamp : delta / 2;
  delta += delta / points;
  std::uint32_t k = 0;
  while (delta > ((kBase - kTmin) * kTmax) / 2) {
    delta /= kBase - kTmin;
    k += kBase;
  }
  return k + (((kBase - kTmin + 1) * delta) / (delta + kSkew));
}

}  // namespace

Result<std::string> to_a_label(std::string_view u_label) {
  auto decoded = decode_utf8(u_label);
  if (!decoded.ok()) {
    return std::move(decoded).error();
  }
  const std::vector<std::uint32_t>& input = *decoded;
  std::string out;
  for (const std::uint32_t c : input) {
    if (c < 0x80) {
      out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c));
    }
  }
  const auto basic = static_cast<std::uint32_t>(out.size());
  if (basic == input.size()) {
    return bad_label(u_label, "has no non-ASCII character to encode");
  }
  if (basic > 0) {
    out.push_back('-');
  }
  // RFC 3492 §6.3, the encoding procedure. Labels are short (checked below), so the counters
  // cannot overflow before the length check stops the loop; the guard keeps that explicit.
  std::uint32_t n = kInitialN;
  std::uint32_t delta = 0;
  std::uint32_t bias = kInitialBias;
  auto handled = basic;
  const auto total = static_cast<std::uint32_t>(input.size());
  while (handled < total) {
    std::uint32_t m = std::numeric_limits<std::uint32_t>::max();
    for (const std::uint32_t c : input) {
      if (c >= n) {
        m = std::min(m, c);
      }
    }
    if ((m - n) > (std::numeric_limits<std::uint32_t>::max() - delta) / (handled + 1)) {
      return bad_label(u_label, "too long to encode");
    }
    delta += (m - n) * (handled + 1);
    n = m;
    for (const std::uint32_t c : input) {
      if (c < n) {
        ++delta;
      }
      if (c == n) {
        std::uint32_t q = delta;
        for (std::uint32_t k = kBase;; k += kBase) {
          const std::uint32_t t = k <= bias ? kTmin : k >= bias + kTmax ? kTmax : k - bias;
          if (q < t) {
            break;
          }
          out.push_back(digit(t + (q - t) % (kBase - t)));
          q = (q - t) / (kBase - t);
        }
        out.push_back(digit(q));
        bias = adapt(delta, handled + 1, handled == basic);
        delta = 0;
        ++handled;
      }
    }
    ++delta;
    ++n;
    if (out.size() > kMaxLabel) {
      return bad_label(u_label, "A-label longer than 63");
    }
  }
  out.insert(0, "xn--");
  if (out.size() > kMaxLabel) {
    return bad_label(u_label, "A-label longer than 63");
  }
  return out;
}

}  // namespace keel::x509
