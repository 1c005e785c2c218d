// `mommie tla`: not implemented yet (see its issue).
#include "tools/Commands.h"

#include <iostream>

namespace mommie::tool {

void registerTlaCommand(CLI::App &app, int &exitCode) {
  auto *cmd = app.add_subcommand("tla", "tla (not implemented yet)");
  cmd->allow_extras();
  cmd->callback([&exitCode] {
    std::cerr << "mommie tla: not implemented yet\n";
    exitCode = BadInput;
  });
}

} // namespace mommie::tool
