# The lit text tests (tests/lit/*.mom, docs/DEVELOPING.md "Text tests"):
# one CTest test, lit_tests, runs every case against the built mommie.
# Skipped (exit 77) when lit or FileCheck is missing (Debian: llvm-14-tools).
add_test(NAME lit_tests
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/lit/run.sh $<TARGET_FILE:mommie>)
set_tests_properties(lit_tests PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600 LABELS lit)
