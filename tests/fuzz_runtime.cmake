# The runtime's tests link the runtime layers only (and the KV store, whose
# flags join the node flag table; the runtime includes no compiler header,
# so its tests need none of the compiler layers the generic rule in
# CMakeLists.txt links), and, with MOMMIE_FUZZ=ON and clang,
# the libFuzzer targets for frame / statement decoding, the KV store's
# decoders and the durable-state log.
if(TARGET test_runtime)
  set_property(TARGET test_runtime PROPERTY LINK_LIBRARIES
    mommie_app_kv mommie_runtime GTest::gtest GTest::gtest_main)
endif()
if(TARGET test_cpp)
  target_link_libraries(test_cpp PRIVATE mommie_runtime)
endif()
if(MOMMIE_FUZZ AND CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  add_executable(fuzz_frame ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_frame.cpp)
  target_link_libraries(fuzz_frame PRIVATE mommie_runtime)
  target_compile_options(fuzz_frame PRIVATE -fsanitize=fuzzer,address,undefined)
  target_link_options(fuzz_frame PRIVATE -fsanitize=fuzzer,address,undefined)
  add_test(NAME fuzz_frame_bounded COMMAND fuzz_frame -max_total_time=20 -max_len=4096)
  # The KV store's batch and client-request decoders.
  add_executable(fuzz_kv ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_kv.cpp)
  target_link_libraries(fuzz_kv PRIVATE mommie_app_kv mommie_runtime)
  target_compile_options(fuzz_kv PRIVATE -fsanitize=fuzzer,address,undefined)
  target_link_options(fuzz_kv PRIVATE -fsanitize=fuzzer,address,undefined)
  add_test(NAME fuzz_kv_bounded COMMAND fuzz_kv -max_total_time=20 -max_len=4096)
  # A node's durable state read back from disk: the log scan and the record decoder.
  add_executable(fuzz_wal ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_wal.cpp)
  target_link_libraries(fuzz_wal PRIVATE mommie_runtime)
  target_compile_options(fuzz_wal PRIVATE -fsanitize=fuzzer,address,undefined)
  target_link_options(fuzz_wal PRIVATE -fsanitize=fuzzer,address,undefined)
  add_test(NAME fuzz_wal_bounded COMMAND fuzz_wal -max_total_time=20 -max_len=4096)
endif()

# The runtime's layers include only the layers they link (tests/runtime/layers.sh).
add_test(NAME runtime.layers COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/runtime/layers.sh ${PROJECT_SOURCE_DIR})
