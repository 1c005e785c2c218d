# End-to-end tests (tests/e2e/, binary test_e2e): they run `mommie build`
# and node processes on loopback; each test bounds its own waits. The build
# needs the mommie tool and the runtime archive.
if(TARGET test_e2e)
  add_dependencies(test_e2e mommie mommie_runtime)
endif()
