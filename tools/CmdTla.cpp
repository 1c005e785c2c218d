// `mommie tla FILE.mom -o DIR [-D NAME=VALUE ...]`: writes DIR/<Protocol>.tla
// and DIR/<Protocol>.cfg (parameters as CONSTANTS, editable), DIR/MC.tla and
// DIR/MC.cfg (the instance with model values and SYMMETRY), and
// DIR/MommiePool.tla (the standard module the spec extends). Exit 0 on success,
// 2 on bad input or an unwritable directory.
#include "backends/tla/TlaBackend.h"
#include "tools/Commands.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

namespace mommie::tool {

namespace {

struct TlaOptions {
  std::string file;
  std::string outDir;
  std::vector<std::string> defines;
};

bool writeFile(const std::filesystem::path &path, const std::string &text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) {
    std::cerr << "mommie tla: error: cannot write '" << path.string() << "'\n";
    return false;
  }
  return true;
}

int runTla(const TlaOptions &opts) {
  auto program = loadProgram(opts.file, opts.defines);
  if (!program)
    return BadInput;
  DiagnosticEngine diags;
  auto files = tla::emitTla(*program, diags);
  diags.print(std::cerr);
  if (!files)
    return BadInput;
  std::error_code ec;
  std::filesystem::create_directories(opts.outDir, ec);
  if (ec) {
    std::cerr << "mommie tla: error: cannot create directory '" << opts.outDir
              << "': " << ec.message() << "\n";
    return BadInput;
  }
  std::filesystem::path dir(opts.outDir);
  if (!writeFile(dir / (files->moduleName + ".tla"), files->tla) ||
      !writeFile(dir / (files->moduleName + ".cfg"), files->cfg) ||
      !writeFile(dir / "MC.tla", files->mcTla) ||
      !writeFile(dir / "MC.cfg", files->mcCfg) ||
      !writeFile(dir / "MommiePool.tla", files->poolTla))
    return BadInput;
  return Ok;
}

} // namespace

void registerTlaCommand(CLI::App &app, int &exitCode) {
  auto opts = std::make_shared<TlaOptions>();
  auto *cmd = app.add_subcommand(
      "tla", "emit the TLA+ spec and TLC configuration of a program");
  cmd->add_option("file", opts->file, "the .mom program")->required();
  cmd->add_option("-o,--output", opts->outDir, "output directory")->required();
  addDefineOption(cmd, opts->defines);
  cmd->callback([opts, &exitCode] { exitCode = runTla(*opts); });
}

} // namespace mommie::tool
