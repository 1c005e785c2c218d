# The IR's tests use rapidcheck for the equality / hashing property test.
if(TARGET test_ir)
  find_package(rapidcheck REQUIRED)
  target_link_libraries(test_ir PRIVATE rapidcheck)
endif()
