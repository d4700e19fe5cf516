// The embedded default of `keel server` (and `keel demo`): a local CA and a certificate for
// localhost, 127.0.0.1 and ::1, made once under $XDG_DATA_HOME/keel (~/.local/share/keel), real
// enough that `openssl verify` and `curl --cacert` accept them.
#pragma once

#include <string>

#include <keel/result.hpp>

namespace keel::tool {

struct LocalCa {
  std::string directory;
  std::string ca_certificate;  // ca.pem: the root to trust
  std::string certificate;     // localhost.pem
  std::string key;             // localhost.key
};

/// The local CA's files, made on first use (the leaf is made again when it is about to
/// expire). Keys are written with mode 0600 in a 0700 directory.
[[nodiscard]] Result<LocalCa> ensure_local_ca();

}  // namespace keel::tool
