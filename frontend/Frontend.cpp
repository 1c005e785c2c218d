// The front end's entry points: read the file, parse, check and lower.
// Nothing escapes as an exception: an unexpected failure becomes an
// `internal error` diagnostic.
#include "frontend/Frontend.h"

#include "frontend/Parser.h"
#include "frontend/Sema.h"
#include "ir/Verifier.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace mommie::frontend {

std::optional<ir::Program> compile(const std::string &file,
                                   const std::string &source,
                                   const Options &options,
                                   DiagnosticEngine &diags) {
  ir::SourceLoc top;
  top.file = file;
  try {
    diags.addSource(file, source);
    unsigned before = diags.errorCount();
    auto ast = parseProgram(file, source, diags);
    if (!ast || diags.errorCount() != before)
      return std::nullopt;
    Sema sema(*ast, options, diags);
    auto program = sema.run();
    if (!program || diags.errorCount() != before)
      return std::nullopt;
    if (!ir::verifyAfterPass(*program, "lowering", diags))
      return std::nullopt;
    return program;
  } catch (const std::exception &e) {
    diags.error(top,
                fmt::format("internal error in the front end: {}", e.what()));
  } catch (...) {
    diags.error(top, "internal error in the front end");
  }
  return std::nullopt;
}

std::optional<ir::Program> compileFile(const std::string &path,
                                       const Options &options,
                                       DiagnosticEngine &diags) {
  ir::SourceLoc loc;
  loc.file = path;
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    diags.error(loc, "is a directory, not a .mom program");
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    diags.error(loc, std::string("cannot open file: ") + std::strerror(errno));
    return std::nullopt;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) {
    diags.error(loc, "cannot read file");
    return std::nullopt;
  }
  return compile(path, ss.str(), options, diags);
}

} // namespace mommie::frontend
