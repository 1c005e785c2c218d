# The agreement fuzzer (tests/agree, docs/checker.md "The agreement
# fuzzer"): mommie_agree generates random programs and compares mommie
# check with TLC, mommie prove and mommie sim, and random expressions
# across the checker and the SMT encoding. Two short seeded runs here; the
# long run is bench/agree/run.sh.
file(GLOB agree_srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/agree/*.cpp)
add_executable(mommie_agree ${agree_srcs})
target_include_directories(mommie_agree PRIVATE ${PROJECT_SOURCE_DIR})
target_link_libraries(mommie_agree PRIVATE mommie_frontend mommie_ir mommie_checker
  mommie_proofs fmt::fmt nlohmann_json::nlohmann_json)
add_test(NAME agree.short
  COMMAND mommie_agree --mommie $<TARGET_FILE:mommie> --seed 1 --count 30 --legs prove,sim,expr
          --sim-every 2 --dir ${CMAKE_CURRENT_BINARY_DIR}/agree-short)
set_tests_properties(agree.short PROPERTIES TIMEOUT 300)
add_test(NAME agree.tlc
  COMMAND mommie_agree --mommie $<TARGET_FILE:mommie> --seed 1 --count 30 --legs tlc
          --require-tlc --dir ${CMAKE_CURRENT_BINARY_DIR}/agree-tlc)
set_tests_properties(agree.tlc PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600 LABELS tlc
  RESOURCE_LOCK tlc)
