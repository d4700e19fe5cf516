#include "core/file.hpp"

#include <fstream>

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

}  // namespace keel
