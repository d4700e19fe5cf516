# The warning set keel's own code builds clean with (docs/design.md, "Build").
# Third-party headers (GoogleTest, CLI11, OpenSSL) are included as SYSTEM and are exempt.
set(KEEL_WARNING_FLAGS
  -Wall -Wextra -Wpedantic
  -Wconversion -Wsign-conversion
  -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual -Wold-style-cast
  -Wcast-qual -Wcast-align -Wnull-dereference -Wdouble-promotion
  -Wformat=2 -Wimplicit-fallthrough -Wundef
  $<$<BOOL:${KEEL_WERROR}>:-Werror>)

add_library(keel_warnings INTERFACE)
target_compile_options(keel_warnings INTERFACE ${KEEL_WARNING_FLAGS})
