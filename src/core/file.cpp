#include "core/file.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace keel {

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) {
    return Error(Errc::io_error, "cannot read " + path);
  }
  const std::streamoff size = in.tellg();
  if (size < 0) {
    return Error(Errc::io_error, "cannot read " + path);
  }
  std::string text(static_cast<std::size_t>(size), '\0');
  in.seekg(0);
  if (!in.read(text.data(), size)) {
    return Error(Errc::io_error, "cannot read " + path);
  }
  return text;
}

Result<void> write_private_file(const std::string& path, std::string_view text) {
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-vararg): open(2)'s mode is its third argument
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Error(Errc::io_error, "cannot write " + path + ": " + std::strerror(errno));
  }
  // An existing file keeps its mode through O_TRUNC: make it private too.
  bool ok = ::fchmod(fd, 0600) == 0;
  while (ok && !text.empty()) {
    const ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) {
      continue;
    }
    ok = n > 0;
    if (ok) {
      text.remove_prefix(static_cast<std::size_t>(n));
    }
  }
  const int saved = errno;
  ok = ::close(fd) == 0 && ok;
  if (!ok) {
    return Error(Errc::io_error, "cannot write " + path + ": " + std::strerror(saved));
  }
  return {};
}

}  // namespace keel
