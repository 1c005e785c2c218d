# Golden and corpus tests over examples/*.mom and tests/bugs/*.mom.
#
# Included by tests/CMakeLists.txt, this file registers:
#   golden_ir_<ex>      `mommie ir examples/<ex>.mom` equals tests/golden/ir/<ex>.ir
#   corpus_check_<ex>   `mommie check examples/<ex>.mom` finds no error (exit 0)
#   corpus_bug_<ex>     `mommie check tests/bugs/<ex>_bug.mom` exits 1 and
#                       names the invariant its header says must fail
# Run with `cmake -P`, it is the driver of golden_ir_* (compare) and of
# corpus_bug_* (-DMODE=bug: exit code 1 and the invariant named):
#   cmake -DMOMMIE=... -DSOURCE_DIR=... -DINPUT=examples/x.mom
#         -DEXPECTED=tests/golden/ir/x.ir -P tests/golden.cmake
# With UPDATE_GOLDEN=1 in the environment the driver rewrites the expected
# file instead of comparing (scripts/update-golden does this for all).
# The program is run from SOURCE_DIR with a relative path, so the source
# locations printed in the IR are stable across checkouts.

if(CMAKE_SCRIPT_MODE_FILE)
  if(MODE STREQUAL "bug")
    # A seeded bug: exit code 1 and the named invariant reported violated.
    execute_process(
      COMMAND ${MOMMIE} check ${INPUT} --workers 2 -q
      WORKING_DIRECTORY ${SOURCE_DIR}
      OUTPUT_VARIABLE out
      ERROR_VARIABLE err
      RESULT_VARIABLE rc
      TIMEOUT 240)
    if(NOT rc EQUAL 1)
      message(FATAL_ERROR "mommie check ${INPUT}: exit ${rc}, expected 1 (violation)\n${out}${err}")
    endif()
    if(NOT out MATCHES "invariant ${INVARIANT} is violated")
      message(FATAL_ERROR "mommie check ${INPUT}: expected invariant ${INVARIANT} "
                          "to be violated\n${out}")
    endif()
    return()
  endif()
  execute_process(
    COMMAND ${MOMMIE} ir ${INPUT}
    WORKING_DIRECTORY ${SOURCE_DIR}
    OUTPUT_VARIABLE actual
    ERROR_VARIABLE errors
    RESULT_VARIABLE rc
    TIMEOUT 60)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "mommie ir ${INPUT} failed (${rc}):\n${errors}")
  endif()
  if("$ENV{UPDATE_GOLDEN}" STREQUAL "1")
    file(WRITE ${SOURCE_DIR}/${EXPECTED} "${actual}")
    message(STATUS "updated ${EXPECTED}")
    return()
  endif()
  if(NOT EXISTS ${SOURCE_DIR}/${EXPECTED})
    message(FATAL_ERROR "missing ${EXPECTED}; run scripts/update-golden")
  endif()
  file(READ ${SOURCE_DIR}/${EXPECTED} expected)
  if(NOT actual STREQUAL expected)
    string(RANDOM LENGTH 8 tag)
    set(tmp ${CMAKE_CURRENT_BINARY_DIR}/golden-actual-${tag}.ir)
    file(WRITE ${tmp} "${actual}")
    # The diff goes to the test's output as is (expected vs actual).
    execute_process(COMMAND diff -u --label ${EXPECTED} --label actual
                            ${SOURCE_DIR}/${EXPECTED} ${tmp} TIMEOUT 30)
    file(REMOVE ${tmp})
    message(FATAL_ERROR "mommie ir ${INPUT} differs from ${EXPECTED} "
                        "(diff above; scripts/update-golden to accept)")
  endif()
  return()
endif()

file(GLOB mommie_examples CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/examples/*.mom)
foreach(path ${mommie_examples})
  get_filename_component(ex ${path} NAME_WE)
  add_test(NAME golden_ir_${ex}
    COMMAND ${CMAKE_COMMAND} -DMOMMIE=$<TARGET_FILE:mommie>
            -DSOURCE_DIR=${PROJECT_SOURCE_DIR} -DINPUT=examples/${ex}.mom
            -DEXPECTED=tests/golden/ir/${ex}.ir
            -P ${CMAKE_CURRENT_LIST_FILE})
  set_tests_properties(golden_ir_${ex} PROPERTIES LABELS "golden" TIMEOUT 120)

  add_test(NAME corpus_check_${ex}
    COMMAND $<TARGET_FILE:mommie> check examples/${ex}.mom --workers 2 -q
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(corpus_check_${ex} PROPERTIES LABELS "corpus" TIMEOUT 300
    PASS_REGULAR_EXPRESSION "No error has been found")

  set(bug ${PROJECT_SOURCE_DIR}/tests/bugs/${ex}_bug.mom)
  if(EXISTS ${bug})
    # The header of a bug variant names the invariant the checker reports
    # first: "... that must fail: Name".
    file(READ ${bug} text)
    string(REGEX MATCH "must[ \n/]*fail:[ \n/]*([A-Za-z_][A-Za-z0-9_]*)" _ "${text}")
    set(inv ${CMAKE_MATCH_1})
    if(NOT inv)
      message(WARNING "${bug}: header does not say which invariant must fail; "
                      "no corpus_bug_${ex} test")
      continue()
    endif()
    add_test(NAME corpus_bug_${ex}
      COMMAND ${CMAKE_COMMAND} -DMODE=bug -DMOMMIE=$<TARGET_FILE:mommie>
              -DSOURCE_DIR=${PROJECT_SOURCE_DIR} -DINPUT=tests/bugs/${ex}_bug.mom
              -DINVARIANT=${inv} -P ${CMAKE_CURRENT_LIST_FILE})
    set_tests_properties(corpus_bug_${ex} PROPERTIES LABELS "corpus" TIMEOUT 300)
  endif()
endforeach()
