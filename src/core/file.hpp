// Reading a whole file, with an error that names it.
#pragma once

#include <string>

#include <keel/result.hpp>

namespace keel {

/// The contents of `path`, or io_error naming it.
[[nodiscard]] Result<std::string> read_file(const std::string& path);

}  // namespace keel
