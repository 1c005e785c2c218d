# Trace conformance and simulation tests (tests/conform/, binary
# test_conform): they run `mommie build`, node processes on loopback,
# `mommie conform` and `mommie sim`; each test bounds its own waits.
if(TARGET test_conform)
  add_dependencies(test_conform mommie)
endif()
