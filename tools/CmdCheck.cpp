// `mommie check`: not implemented yet (see its issue).
#include "tools/Commands.h"

#include <iostream>

namespace mommie::tool {

void registerCheckCommand(CLI::App &app, int &exitCode) {
  auto *cmd = app.add_subcommand("check", "check (not implemented yet)");
  cmd->allow_extras();
  cmd->callback([&exitCode] {
    std::cerr << "mommie check: not implemented yet\n";
    exitCode = BadInput;
  });
}

} // namespace mommie::tool
