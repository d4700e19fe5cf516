# The warning set keel's own code builds clean with (docs/design.md, "Build").
# Third-party headers (GoogleTest, CLI11, OpenSSL) are included as SYSTEM and are exempt.
set(KEEL_WARNING_FLAGS
  -Wall -Wextra -Wpedantic
  -Wconversion -Wsign-conversion
  -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual -Wold-style-cast
  -Wcast-qual -Wcast-align -Wnull-dereference -Wdouble-promotion
  -Wformat=2 -Wimplicit-fallthrough -Wundef
  # GCC 12 at -O2/-O3 reports std::string and std::equal internals as overlapping or oversized
  # memcpy/memcmp (-Wrestrict, -Wstringop-overread: GCC bugs 105329 and 105651, false
  # positives in libstdc++ code, not in keel's). clang and ASan builds keep checking the same
  # code paths at run time.
  $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict -Wno-stringop-overread>
  $<$<BOOL:${KEEL_WERROR}>:-Werror>)

add_library(keel_warnings INTERFACE)
target_compile_options(keel_warnings INTERFACE ${KEEL_WARNING_FLAGS})
