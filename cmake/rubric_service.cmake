# The libraries of `rubric serve` (service/ and its folders): their outside
# dependencies found once, and one function that defines each library alike.
find_package(OpenSSL 3 REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
# Debian's cpp-httplib has no CMake package, only pkg-config; GLOBAL, so the
# service's folders, tests/ and bench/ all link this one target.
pkg_check_modules(CPP_HTTPLIB REQUIRED IMPORTED_TARGET GLOBAL cpp-httplib)

# rubric_service_library(NAME [PUBLIC dep…] [PRIVATE dep…]): a static library
# of every .cpp file in the calling folder, including from the project root,
# with the project's compile options (rubric_target_options).
function(rubric_service_library name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "PUBLIC;PRIVATE")
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  add_library(${name} STATIC ${sources})
  target_include_directories(${name} PUBLIC ${CMAKE_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC ${arg_PUBLIC} PRIVATE ${arg_PRIVATE})
  rubric_target_options(${name})
endfunction()

# The allocator of the programs that serve (`rubric`, and the bare endpoint
# bench-serve compares it with, so both are measured alike): jemalloc from
# Debian (libjemalloc-dev). glibc's malloc costs `rubric serve` ~15 % more
# instructions per call: cpp-httplib's 4 KiB buffer per request sweeps the
# small blocks a call frees out of glibc's fastbins (malloc_consolidate) on
# every request, and 64 worker threads share its arenas (bench/serve/README.md).
# Not under the sanitizers, which bring their own allocator.
if(NOT RUBRIC_SANITIZE)
  pkg_check_modules(JEMALLOC REQUIRED IMPORTED_TARGET GLOBAL jemalloc)
endif()
function(rubric_server_allocator target)
  if(NOT RUBRIC_SANITIZE)
    # --no-as-needed: nothing names jemalloc, it replaces malloc by being loaded before libc.
    target_link_libraries(${target} PRIVATE -Wl,--no-as-needed PkgConfig::JEMALLOC -Wl,--as-needed)
  endif()
endfunction()
