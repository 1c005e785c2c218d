// libFuzzer target for the whole front end: any byte string must compile to
// verified IR or produce an error diagnostic; never crash, hang or throw.
#include "frontend/Frontend.h"
#include "ir/Verifier.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string src(reinterpret_cast<const char *>(data), size);
  mommie::DiagnosticEngine diags;
  auto program = mommie::frontend::compile("fuzz.mom", src, {}, diags);
  if (!program) {
    if (!diags.hasErrors())
      std::abort(); // failure without a diagnostic
    return 0;
  }
  for (const auto &d : diags.diagnostics())
    if (d.message.find("internal error") != std::string::npos) {
      std::fprintf(stderr, "%s\n", diags.format(d).c_str());
      std::abort();
    }
  auto problems = mommie::ir::verifyProgram(*program);
  if (!problems.empty()) {
    std::fprintf(stderr, "IR verifier: %s\n", problems.front().c_str());
    std::abort();
  }
  return 0;
}
