// `mommie build`, `sim`, `conform`, `keygen`: not implemented yet (see their issues).
#include "tools/Commands.h"

#include <iostream>

namespace mommie::tool {

void registerBuildCommands(CLI::App &app, int &exitCode) {
  for (const char *name : {"build", "sim", "conform", "keygen"}) {
    auto *cmd = app.add_subcommand(name, std::string(name) + " (not implemented yet)");
    cmd->allow_extras();
    cmd->callback([&exitCode, name] {
      std::cerr << "mommie " << name << ": not implemented yet\n";
      exitCode = BadInput;
    });
  }
}

} // namespace mommie::tool
