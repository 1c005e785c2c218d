# tests/semantics compares the compiler's evaluators with the runtime's
# operators, so it links the runtime's value layer too.
if(TARGET test_semantics)
  target_link_libraries(test_semantics PRIVATE mommie_rt_wire)
endif()
