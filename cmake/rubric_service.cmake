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
