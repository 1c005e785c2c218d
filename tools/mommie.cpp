// mommie: one protocol source, three outputs (TLA+, checked models, binaries).
// The command-line contract is in docs/cli.md.
#include "runtime/Version.h"
#include "tools/Commands.h"

#include <exception>
#include <iostream>

int main(int argc, char **argv) {
  CLI::App app{"mommie: a verification-first toolchain for distributed protocols"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("mommie ") + mommie::kVersion);
  int exitCode = mommie::tool::Ok;
  mommie::tool::registerFrontendCommands(app, exitCode);
  mommie::tool::registerTlaCommand(app, exitCode);
  mommie::tool::registerCheckCommand(app, exitCode);
  mommie::tool::registerProveCommand(app, exitCode);
  mommie::tool::registerBuildCommands(app, exitCode);
  mommie::tool::registerConformCommands(app, exitCode);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError &e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : mommie::tool::BadInput;
  } catch (const std::exception &e) {
    std::cerr << "mommie: internal error: " << e.what() << "\n";
    return mommie::tool::BadInput;
  }
  return exitCode;
}
