# Installs keel from KEEL_BINARY_DIR into a scratch prefix under WORK_DIR, then builds and runs
# tests/install/consumer.cpp against it twice: with find_package(keel) and with pkg-config.
cmake_minimum_required(VERSION 3.25)

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
  set(last_output "${out}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)
run(${CMAKE_COMMAND} --install ${KEEL_BINARY_DIR} --prefix ${prefix})

foreach(required include/keel/keel.hpp include/keel/version.hpp)
  if(NOT EXISTS ${prefix}/${required})
    message(FATAL_ERROR "not installed: ${required}")
  endif()
endforeach()
file(GLOB_RECURSE pc_files ${prefix}/*/keel.pc)
file(GLOB_RECURSE config_files ${prefix}/*/keelConfig.cmake)
if(NOT pc_files OR NOT config_files)
  message(FATAL_ERROR "keel.pc or keelConfig.cmake not installed under ${prefix}")
endif()

# 1. CMake package.
run(${CMAKE_COMMAND} -S ${CONSUMER_SOURCE_DIR} -B ${WORK_DIR}/cmake-build -G Ninja
  -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_CXX_COMPILER=${CMAKE_CXX_COMPILER}
  "-DCMAKE_CXX_FLAGS=${CONSUMER_CXX_FLAGS}" "-DCMAKE_EXE_LINKER_FLAGS=${CONSUMER_CXX_FLAGS}")
run(${CMAKE_COMMAND} --build ${WORK_DIR}/cmake-build)
run(${WORK_DIR}/cmake-build/consumer)
if(NOT last_output MATCHES "^keel [0-9.]+ on OpenSSL 3")
  message(FATAL_ERROR "unexpected output from the CMake-built consumer: ${last_output}")
endif()

# 2. pkg-config.
list(GET pc_files 0 pc_file)
get_filename_component(pc_dir ${pc_file} DIRECTORY)
set(ENV{PKG_CONFIG_PATH} ${pc_dir})
run(pkg-config --cflags --libs --static keel)
string(STRIP "${last_output}" pkg_flags)
separate_arguments(pkg_flags UNIX_COMMAND "${pkg_flags}")
separate_arguments(extra_flags UNIX_COMMAND "${CONSUMER_CXX_FLAGS}")
run(pkg-config --variable=libdir keel)  # for the run path, should libkeel be a shared library
string(STRIP "${last_output}" pkg_libdir)
run(${CMAKE_CXX_COMPILER} -std=c++20 ${extra_flags} ${CONSUMER_SOURCE_DIR}/consumer.cpp
  ${pkg_flags} -Wl,-rpath,${pkg_libdir} -o ${WORK_DIR}/pkg-consumer)
run(${WORK_DIR}/pkg-consumer)
if(NOT last_output MATCHES "^keel [0-9.]+ on OpenSSL 3")
  message(FATAL_ERROR "unexpected output from the pkg-config-built consumer: ${last_output}")
endif()
message(STATUS "installed package works with find_package(keel) and pkg-config")
