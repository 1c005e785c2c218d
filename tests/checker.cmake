# The checker's tests use rapidcheck for the random-program property test.
if(TARGET test_checker)
  find_package(rapidcheck QUIET)
  if(rapidcheck_FOUND)
    target_link_libraries(test_checker PRIVATE rapidcheck)
  endif()
endif()
