# TLA+ backend tests (tests/tla/):
# - tla.golden.<example>: the emitted .tla/.cfg of every examples/*.mom equal
#   tests/golden/tla/<example>/ (regenerate: scripts/update-golden-tla);
# - tla.tlc.<example>: SANY + TLC on the emitted spec, no error, and TLC's
#   distinct-state count equals `mommie check --no-symmetry`'s;
# - tla.bug.<variant>: TLC reports the invariant violation named in each
#   tests/bugs/*.mom;
# - tla.distributed.two_phase_commit: TLC's distributed mode (a TLCServer and
#   two TLCWorkers on 127.0.0.1) on the emitted spec, distinct-state count
#   equal to `mommie check --no-symmetry`'s (docs/tla.md, "Beyond one machine").
# The TLC tests run one at a time (RESOURCE_LOCK tlc): run side by side,
# SANY now and then read a spec truncated ("Lexical error ... <EOF>"),
# though each test has its own directory.
# The TLC tests need TLA2TOOLS_JAR (path to tla2tools.jar) and java; without
# it they are skipped (exit 77).
file(GLOB tla_examples CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/examples/*.mom)
foreach(ex ${tla_examples})
  get_filename_component(name ${ex} NAME_WE)
  add_test(NAME tla.golden.${name}
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tla/golden.sh $<TARGET_FILE:mommie>
            ${ex} ${CMAKE_CURRENT_SOURCE_DIR}/golden/tla/${name})
  add_test(NAME tla.tlc.${name}
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tla/tlc.sh ok $<TARGET_FILE:mommie> ${ex})
  set_tests_properties(tla.tlc.${name} PROPERTIES SKIP_RETURN_CODE 77
    TIMEOUT 2000 LABELS tlc RESOURCE_LOCK tlc)
endforeach()
# Programs that exercise one TLA+ construct against TLC (tests/tla/programs):
# bounded_counters has model constraints on unbounded counters.
add_test(NAME tla.tlc.bounded_counters
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tla/tlc.sh ok $<TARGET_FILE:mommie>
          ${CMAKE_CURRENT_SOURCE_DIR}/tla/programs/bounded_counters.mom)
add_test(NAME tla.bug.bounded_counters_bug
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tla/tlc.sh bug $<TARGET_FILE:mommie>
          ${CMAKE_CURRENT_SOURCE_DIR}/tla/programs/bounded_counters_bug.mom)
add_test(NAME tla.params.bounded_counters.MaxCount
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tla/tlc_params.sh $<TARGET_FILE:mommie>
          ${CMAKE_CURRENT_SOURCE_DIR}/tla/programs/bounded_counters.mom MaxCount=3)
# guard_or has guards with `||` and `exists` that TLC must short-circuit.
add_test(NAME tla.tlc.guard_or
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tla/tlc.sh ok $<TARGET_FILE:mommie>
          ${CMAKE_CURRENT_SOURCE_DIR}/tla/programs/guard_or.mom)
# bound_names has role variables named like the variables the emitted
# actions bind (x, q, b, st, p; found by tests/agree).
add_test(NAME tla.tlc.bound_names
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tla/tlc.sh ok $<TARGET_FILE:mommie>
          ${CMAKE_CURRENT_SOURCE_DIR}/tla/programs/bound_names.mom)
# divide_by_negative: TLC stops on MommiePool's Div as mommie check does.
add_test(NAME tla.error.divide_by_negative
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tla/tlc.sh error $<TARGET_FILE:mommie>
          ${CMAKE_CURRENT_SOURCE_DIR}/tla/programs/divide_by_negative.mom)
# statement_sets binds every vote of an ask with `Vote* vs` (LET, SetQuorum).
add_test(NAME tla.tlc.statement_sets
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tla/tlc.sh ok $<TARGET_FILE:mommie>
          ${CMAKE_CURRENT_SOURCE_DIR}/tla/programs/statement_sets.mom)
# pb_model_ranges has `int model` ranges (a CONSTRAINT ModelRanges).
add_test(NAME tla.params.pb_model_ranges.NumReq
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tla/tlc_params.sh $<TARGET_FILE:mommie>
          ${CMAKE_CURRENT_SOURCE_DIR}/tla/programs/pb_model_ranges.mom F=0 NumReq=3)
# recover_event has a recover fault: Recover(self) keeps the durable and ghost
# variables and resets the rest (an `in S` choice, a timer, a refraction set,
# the knowledge); recover_event_bug's volatile epoch is announced twice.
add_test(NAME tla.tlc.recover_event
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tla/tlc.sh ok $<TARGET_FILE:mommie>
          ${CMAKE_CURRENT_SOURCE_DIR}/tla/programs/recover_event.mom)
add_test(NAME tla.bug.recover_event_bug
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tla/tlc.sh bug $<TARGET_FILE:mommie>
          ${CMAKE_CURRENT_SOURCE_DIR}/tla/programs/recover_event_bug.mom)
# recover_sets: recover faults on three sets, one Recover branch each.
add_test(NAME tla.tlc.recover_sets
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tla/tlc.sh ok $<TARGET_FILE:mommie>
          ${CMAKE_CURRENT_SOURCE_DIR}/tla/programs/recover_sets.mom)
set_tests_properties(tla.params.pb_model_ranges.NumReq tla.tlc.guard_or tla.tlc.recover_event tla.bug.recover_event_bug
  tla.tlc.recover_sets tla.tlc.bound_names tla.error.divide_by_negative tla.tlc.statement_sets tla.tlc.bounded_counters tla.bug.bounded_counters_bug
  tla.params.bounded_counters.MaxCount PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 1000 LABELS tlc RESOURCE_LOCK tlc)
file(GLOB tla_bugs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/bugs/*.mom)
foreach(bug ${tla_bugs})
  get_filename_component(name ${bug} NAME_WE)
  add_test(NAME tla.bug.${name}
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tla/tlc.sh bug $<TARGET_FILE:mommie> ${bug})
  set_tests_properties(tla.bug.${name} PROPERTIES SKIP_RETURN_CODE 77
    TIMEOUT 1000 LABELS tlc RESOURCE_LOCK tlc)
endforeach()
add_test(NAME tla.distributed.two_phase_commit
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tla/tlc_distributed.sh $<TARGET_FILE:mommie>
          ${PROJECT_SOURCE_DIR}/examples/two_phase_commit.mom)
set_tests_properties(tla.distributed.two_phase_commit PROPERTIES SKIP_RETURN_CODE 77
  TIMEOUT 900 LABELS tlc RESOURCE_LOCK tlc)

# Every parameter of every example, moved to a value TLC checks in seconds
# (primary_backup's NumReq together with F = 0: NumReq = 2 alone has 1.6e8
# states). Each entry: example, test name, then the PARAM=VALUE edits.
set(tla_param_edits
  "failure_detector N N=2" "failure_detector H H=2" "failure_detector MaxPhase MaxPhase=3"
  "flood_min N N=4" "flood_min F F=2" "flood_min V V=3"
  "last_voting N N=2" "last_voting V V=1" "last_voting MaxPhase MaxPhase=2"
  "one_third_rule N N=3" "one_third_rule V V=1" "one_third_rule MaxPhase MaxPhase=2"
  "pbft_normal_case F F=0" "primary_backup F F=0" "primary_backup NumReq F=0 NumReq=3"
  "two_phase_commit N N=2")
foreach(edit ${tla_param_edits})
  separate_arguments(parts UNIX_COMMAND "${edit}")
  list(POP_FRONT parts ex name)
  add_test(NAME tla.params.${ex}.${name}
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tla/tlc_params.sh $<TARGET_FILE:mommie>
            ${PROJECT_SOURCE_DIR}/examples/${ex}.mom ${parts})
  set_tests_properties(tla.params.${ex}.${name} PROPERTIES SKIP_RETURN_CODE 77
    TIMEOUT 1000 LABELS tlc RESOURCE_LOCK tlc)
endforeach()
