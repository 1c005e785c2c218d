# End-to-end tests (tests/e2e/, binary test_e2e): they run `mommie build`
# and node processes on loopback; each test bounds its own waits. The build
# needs the mommie tool and the runtime archive.
if(TARGET test_e2e)
  target_link_libraries(test_e2e PRIVATE mommie_runtime) # the node flag table
  add_dependencies(test_e2e mommie)
endif()

# The README's five-minute tour, run verbatim (tests/readme/tour.sh). It
# uses the fixed ports of examples/primary_backup.deploy (scripts/demo too).
add_test(NAME readme.tour
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/readme/tour.sh ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR})
set_tests_properties(readme.tour PROPERTIES TIMEOUT 1000 LABELS e2e
  RESOURCE_LOCK primary_backup_deploy_ports)
