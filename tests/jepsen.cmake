# The Jepsen-style harness of the KV store (tests/jepsen, docs/jepsen.md):
# the linearizability checker's tests (test_jepsen, with rapidcheck), the
# harness mommie_jepsen, and a short seeded nemesis run.
if(TARGET test_jepsen)
  target_sources(test_jepsen PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/jepsen/History.cpp)
  find_package(rapidcheck REQUIRED)
  target_link_libraries(test_jepsen PRIVATE rapidcheck)
endif()
add_executable(mommie_jepsen ${CMAKE_CURRENT_SOURCE_DIR}/jepsen/jepsen.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/jepsen/History.cpp)
target_compile_definitions(mommie_jepsen PRIVATE MOMMIE_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
target_include_directories(mommie_jepsen PRIVATE ${PROJECT_SOURCE_DIR})
target_link_libraries(mommie_jepsen PRIVATE mommie_app_kv mommie_runtime nlohmann_json::nlohmann_json
  Threads::Threads)
add_dependencies(mommie_jepsen mommie)
# One seeded 8-second run with pauses, a kill and 10 % link loss; the long runs are
# bench/jepsen/run.sh.
add_test(NAME jepsen.short
  COMMAND mommie_jepsen --mommie $<TARGET_FILE:mommie> --seed 1 --runs 1 --seconds 8 --clients 4 --keys 4
          --nemesis pause,restart --loss 10 --dir ${CMAKE_CURRENT_BINARY_DIR}/jepsen-short)
set_tests_properties(jepsen.short PROPERTIES TIMEOUT 900 LABELS e2e)
# The checker on recorded histories: one that loses an acknowledged write
# (exit 1), one that is linearizable only with the operations reordered
# within their intervals (exit 0).
add_test(NAME jepsen.check.lost_write
  COMMAND mommie_jepsen --check ${CMAKE_CURRENT_SOURCE_DIR}/jepsen/histories/lost_write.jsonl)
set_tests_properties(jepsen.check.lost_write PROPERTIES
  PASS_REGULAR_EXPRESSION "4 operations \\(1 indeterminate\\) on 2 keys: NOT linearizable at key k0")
# A get that returns the value before a put acknowledged ahead of it (what
# a replica reading its own state without the read index could answer).
add_test(NAME jepsen.check.stale_read
  COMMAND mommie_jepsen --check ${CMAKE_CURRENT_SOURCE_DIR}/jepsen/histories/stale_read.jsonl)
set_tests_properties(jepsen.check.stale_read PROPERTIES
  PASS_REGULAR_EXPRESSION "4 operations \\(0 indeterminate\\) on 1 keys?: NOT linearizable at key k0")
add_test(NAME jepsen.check.concurrent_ok
  COMMAND mommie_jepsen --check ${CMAKE_CURRENT_SOURCE_DIR}/jepsen/histories/concurrent_ok.jsonl)
