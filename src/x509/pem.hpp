// PEM, the textual encoding of RFC 7468: any number of
//   -----BEGIN LABEL-----
//   base64 lines
//   -----END LABEL-----
// blocks, with any text around them (explanatory text is common and ignored). Inside a block
// only base64 and whitespace may appear; anything else is an error that names its line.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <keel/bytes.hpp>
#include <keel/result.hpp>

namespace keel::pem {

struct Block {
  std::string label;       // "CERTIFICATE", "X509 CRL", "PRIVATE KEY", ...
  Bytes der;               // the decoded contents
  std::size_t begin_line;  // 1-based line of the BEGIN boundary, for messages
};

/// Bounds on what one parse may produce (docs/design.md, rule 7).
struct Limits {
  std::size_t max_blocks = 10000;           // a full system trust store is ~150
  std::size_t max_block_bytes = 1U << 20U;  // 1 MiB decoded per block
};

/// Every block in `text`, in order. Fails on a block without its END line, an END whose label
/// differs from its BEGIN, RFC 1421 headers (encrypted PEM), a character that is not base64,
/// bad padding, or a limit exceeded.
[[nodiscard]] Result<std::vector<Block>> parse(std::string_view text, const Limits& limits = {});

/// Only the blocks with `label` (others are skipped, not errors).
[[nodiscard]] Result<std::vector<Block>> parse(std::string_view text, std::string_view label,
                                               const Limits& limits = {});

/// Strict base64 (RFC 4648 §4): whitespace is ignored; the length must be a multiple of four;
/// '=' only as final padding; the unused bits of the last character must be zero.
[[nodiscard]] Result<Bytes> base64_decode(std::string_view text);

/// The PEM text of one block, with 64-character lines.
[[nodiscard]] std::string encode(std::string_view label, ByteView der);

}  // namespace keel::pem
