# libFuzzer target for the parser (MOMMIE_FUZZ=ON with clang only), with a
# bounded smoke run on a corpus seeded from examples/*.mom and the parser
# test inputs.
if(MOMMIE_FUZZ AND CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  file(GLOB fuzz_parser_frontend_srcs CONFIGURE_DEPENDS
    ${PROJECT_SOURCE_DIR}/frontend/Parser*.cpp
    ${PROJECT_SOURCE_DIR}/frontend/Grammar*.cpp
    ${PROJECT_SOURCE_DIR}/frontend/AstPrinter*.cpp)
  add_executable(fuzz_parser ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_parser.cpp
    ${fuzz_parser_frontend_srcs})
  target_include_directories(fuzz_parser PRIVATE ${PROJECT_SOURCE_DIR})
  target_link_libraries(fuzz_parser PRIVATE mommie_ir Boost::headers fmt::fmt)
  target_compile_options(fuzz_parser PRIVATE -fsanitize=fuzzer,address,undefined)
  target_link_options(fuzz_parser PRIVATE -fsanitize=fuzzer,address,undefined)

  set(fuzz_parser_corpus ${CMAKE_CURRENT_BINARY_DIR}/fuzz_parser_corpus)
  file(GLOB fuzz_parser_seeds CONFIGURE_DEPENDS
    ${PROJECT_SOURCE_DIR}/examples/*.mom
    ${CMAKE_CURRENT_SOURCE_DIR}/parser/inputs/*.mom)
  file(MAKE_DIRECTORY ${fuzz_parser_corpus})
  file(COPY ${fuzz_parser_seeds} DESTINATION ${fuzz_parser_corpus})
  add_test(NAME fuzz_parser_smoke
    COMMAND fuzz_parser -max_total_time=60 -timeout=10 -rss_limit_mb=2048
            -max_len=8192 ${fuzz_parser_corpus})
endif()

# The whole front end (parse, sema, lowering, IR verifier), seeded with the
# same corpus plus the negative tests. Library code is instrumented too
# (MOMMIE_FUZZ adds -fsanitize=fuzzer-no-link to every target).
if(MOMMIE_FUZZ AND CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  add_executable(fuzz_frontend ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_frontend.cpp)
  target_link_libraries(fuzz_frontend PRIVATE mommie_frontend mommie_ir)
  target_link_options(fuzz_frontend PRIVATE -fsanitize=fuzzer)
  set(fuzz_frontend_corpus ${CMAKE_CURRENT_BINARY_DIR}/fuzz_frontend_corpus)
  file(GLOB fuzz_frontend_seeds CONFIGURE_DEPENDS
    ${PROJECT_SOURCE_DIR}/examples/*.mom
    ${CMAKE_CURRENT_SOURCE_DIR}/bugs/*.mom
    ${CMAKE_CURRENT_SOURCE_DIR}/sema/negative/*.mom)
  file(MAKE_DIRECTORY ${fuzz_frontend_corpus})
  file(COPY ${fuzz_frontend_seeds} DESTINATION ${fuzz_frontend_corpus})
  add_test(NAME fuzz_frontend_smoke
    COMMAND fuzz_frontend -max_total_time=60 -timeout=10 -rss_limit_mb=2048
            -max_len=8192 ${fuzz_frontend_corpus})
endif()
