# Round programs (tests/rounds/, binary test_rounds): engine unit tests on a
# fake transport and clock, and end-to-end runs of one_third_rule.mom and
# last_voting.mom as processes on loopback (each test bounds its waits),
# and the KV store of apps/kv.
if(TARGET test_rounds)
  target_link_libraries(test_rounds PRIVATE mommie_app_kv mommie_runtime)
  add_dependencies(test_rounds mommie)
endif()
