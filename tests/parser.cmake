# The parser tests use rapidcheck (round-trip property: print -> parse).
if(TARGET test_parser)
  find_library(RAPIDCHECK_LIB rapidcheck REQUIRED)
  target_link_libraries(test_parser PRIVATE ${RAPIDCHECK_LIB})
  target_include_directories(test_parser PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/parser)
endif()
