// `mommie parse` (diagnostics only) and `mommie ir` (print the lowered IR).
#include "ir/Printer.h"
#include "ir/Verifier.h"
#include "tools/Commands.h"

#include <iostream>

namespace mommie::tool {

namespace {
struct FrontendArgs {
  std::string file;
  std::vector<std::string> defines;
};
} // namespace

void registerFrontendCommands(CLI::App &app, int &exitCode) {
  auto args = std::make_shared<FrontendArgs>();

  auto *parse = app.add_subcommand(
      "parse", "parse and check a program; print diagnostics only");
  parse->add_option("file", args->file, "the .mom program")->required();
  addDefineOption(parse, args->defines);
  parse->callback([args, &exitCode] {
    exitCode = loadProgram(args->file, args->defines) ? Ok : BadInput;
  });

  auto *irCmd = app.add_subcommand("ir", "print the IR of a program");
  irCmd->add_option("file", args->file, "the .mom program")->required();
  addDefineOption(irCmd, args->defines);
  irCmd->callback([args, &exitCode] {
    auto program = loadProgram(args->file, args->defines);
    if (!program) {
      exitCode = BadInput;
      return;
    }
    auto problems = ir::verifyProgram(*program);
    for (const auto &p : problems)
      std::cerr << "mommie: internal error: IR verifier: " << p << "\n";
    if (!problems.empty()) {
      exitCode = BadInput;
      return;
    }
    std::cout << ir::printProgram(*program);
    exitCode = Ok;
  });
}

} // namespace mommie::tool
