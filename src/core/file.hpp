// Reading and writing a whole file, with errors that name it.
#pragma once

#include <string>
#include <string_view>

#include <keel/result.hpp>

namespace keel {

/// The contents of `path`, or io_error naming it.
[[nodiscard]] Result<std::string> read_file(const std::string& path);

/// Writes `text` to `path` (replacing it), readable and writable by its owner only (0600):
/// for files that hold secrets. io_error naming the file.
[[nodiscard]] Result<void> write_private_file(const std::string& path, std::string_view text);

}  // namespace keel
