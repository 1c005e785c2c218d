# tests/auth/ (binary test_auth): the authentication modules link the
# runtime; the deploy-check and retargeting tests run `mommie build`,
# `mommie keygen` and node processes on loopback (each bounds its waits).
if(TARGET test_auth)
  target_link_libraries(test_auth PRIVATE mommie_runtime)
  add_dependencies(test_auth mommie mommie_runtime)
endif()
