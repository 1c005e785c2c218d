# tests/auth/ (binary test_auth): the authentication modules link the
# runtime; the deploy-check and retargeting tests run `mommie build`,
# `mommie keygen` and node processes on loopback (each bounds its waits).
if(TARGET test_auth)
  target_link_libraries(test_auth PRIVATE mommie_runtime)
  add_dependencies(test_auth mommie)
endif()

# libFuzzer target for frame decoding + authentication (MOMMIE_FUZZ=ON, clang).
if(MOMMIE_FUZZ AND CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  add_executable(fuzz_auth ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_auth.cpp)
  target_link_libraries(fuzz_auth PRIVATE mommie_runtime)
  target_compile_options(fuzz_auth PRIVATE -fsanitize=fuzzer,address,undefined)
  target_link_options(fuzz_auth PRIVATE -fsanitize=fuzzer,address,undefined)
  add_test(NAME fuzz_auth_bounded COMMAND fuzz_auth -max_total_time=20 -max_len=4096)
endif()
