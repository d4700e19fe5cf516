// Name constraints (RFC 5280 §4.2.1.10) applied to one certificate below the constraining CA.
#pragma once

#include <cstddef>

#include <keel/result.hpp>

#include "x509/certificate.hpp"
#include "x509/extensions.hpp"

namespace keel::x509 {

/// Checks every name of `cert` — subjectAltName entries, the subject DN, emailAddress
/// attributes, and DNS-like common names when there are no SANs — against `constraints`.
/// `ca` names the constraining certificate in the error; `is_leaf` says whether `cert` is the
/// end entity (only a leaf's common names are constrained as host names). Each comparison of
/// a name with a subtree spends one unit of `budget`; running out is path_work_limit, so a
/// certificate with thousands of names under thousands of constraints cannot stall the check.
[[nodiscard]] Result<void> check_name_constraints(const NameConstraints& constraints,
                                                  const Certificate& ca, const Certificate& cert,
                                                  bool is_leaf, std::size_t& budget);

}  // namespace keel::x509
