// libFuzzer target for the parser: any byte string must parse or produce
// diagnostics, never crash, hang or throw. A successfully parsed program
// must also survive print -> parse -> astEqual.
#include "frontend/AstPrinter.h"
#include "frontend/Parser.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string src(reinterpret_cast<const char *>(data), size);
  mommie::DiagnosticEngine diags;
  auto prog = mommie::frontend::parseProgram("fuzz.mom", src, diags);
  if (!prog) {
    if (!diags.hasErrors())
      std::abort(); // failure without a diagnostic
    return 0;
  }
  std::string printed = mommie::frontend::printProgram(*prog);
  mommie::DiagnosticEngine diags2;
  auto again = mommie::frontend::parseProgram("printed.mom", printed, diags2);
  if (!again || !mommie::frontend::astEqual(*prog, *again)) {
    std::fprintf(stderr, "round trip failed:\n%s\n", printed.c_str());
    std::abort();
  }
  return 0;
}
