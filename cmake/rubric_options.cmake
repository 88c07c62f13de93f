# One helper gives every target the same language level, warnings and sanitizers.
function(rubric_target_options target)
  target_compile_features(${target} PUBLIC cxx_std_20)
  set_target_properties(${target} PROPERTIES CXX_EXTENSIONS OFF)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Werror)
  # GCC 12 reports false positives from inlined std::string copies at -O2
  # (GCC bugs 105329, 105651); these checks are off for it alone.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE -Wno-array-bounds -Wno-stringop-overflow -Wno-stringop-overread -Wno-restrict)
  endif()
  if(RUBRIC_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
  if(RUBRIC_FUZZ)
    # Coverage for libFuzzer in every library; the harnesses link the fuzzer itself.
    # Warnings stay visible but do not stop this clang build: the GCC builds
    # (test, sanitize) are the ones that hold every target to -Werror.
    target_compile_options(${target} PRIVATE -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                                             -fno-sanitize-recover=all -Wno-error)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
endfunction()

if(RUBRIC_SANITIZE)
  add_link_options(-fsanitize=address,undefined)
endif()
