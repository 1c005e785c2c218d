// `mommie prove`: not implemented yet (see its issue).
#include "tools/Commands.h"

#include <iostream>

namespace mommie::tool {

void registerProveCommand(CLI::App &app, int &exitCode) {
  auto *cmd = app.add_subcommand("prove", "prove (not implemented yet)");
  cmd->allow_extras();
  cmd->callback([&exitCode] {
    std::cerr << "mommie prove: not implemented yet\n";
    exitCode = BadInput;
  });
}

} // namespace mommie::tool
