# `cmake --install` into a temporary prefix and the installed tool on its
# own: version, runtime lookup, a node build, man page, bash completion
# (tests/install/install.sh).
add_test(NAME install.prefix
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/install/install.sh ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR})
set_tests_properties(install.prefix PROPERTIES TIMEOUT 600 LABELS e2e)
