// Internationalized domain names: a U-label to its A-label (RFC 5890 §2.3.2.1), by Punycode
// (RFC 3492), so that names are compared as A-labels (RFC 9525 §6.3).
//
// keel converts what it is given; it does not apply the UTS #46 mapping (case folding, NFC)
// nor the IDNA2008 code point tables, so a U-label must already be in its lower-case NFC form
// — which the A-label in the certificate was made from.
#pragma once

#include <string>
#include <string_view>

#include <keel/result.hpp>

namespace keel::x509 {

/// "bücher" → "xn--bcher-kva". The label must be valid UTF-8 (no overlong forms, no
/// surrogates) and contain at least one non-ASCII code point; ASCII letters are lower-cased.
[[nodiscard]] Result<std::string> to_a_label(std::string_view u_label);

}  // namespace keel::x509
