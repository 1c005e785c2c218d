// Helpers shared by the commands: -D parsing and program loading.
#include "frontend/Frontend.h"
#include "tools/Commands.h"

#include <charconv>
#include <iostream>

namespace mommie::tool {

void addDefineOption(CLI::App *cmd, std::vector<std::string> &defines) {
  cmd->add_option("-D,--define", defines, "override a parameter: NAME=VALUE")
      ->allow_extra_args(false);
}

std::optional<ir::Program> loadProgram(const std::string &path,
                                       const std::vector<std::string> &defines,
                                       std::ostream &diagnostics) {
  DiagnosticEngine diags;
  frontend::Options options;
  for (const auto &d : defines) {
    auto eq = d.find('=');
    int64_t value = 0;
    const char *first = eq == std::string::npos ? nullptr : d.data() + eq + 1;
    const char *last = d.data() + d.size();
    auto [ptr, ec] =
        first ? std::from_chars(first, last, value)
              : std::from_chars_result{nullptr, std::errc::invalid_argument};
    if (eq == 0 || eq == std::string::npos || ec != std::errc() ||
        ptr != last) {
      diagnostics << "mommie: error: bad -D '" << d
                  << "': expected NAME=INTEGER\n";
      return std::nullopt;
    }
    options.defines[d.substr(0, eq)] = value;
  }
  auto program = frontend::compileFile(path, options, diags);
  diags.print(diagnostics);
  if (!program || diags.hasErrors())
    return std::nullopt;
  return program;
}

CLI::Validator positiveLimit(const std::string &whenOmitted) {
  return CLI::Validator(
      [whenOmitted](std::string &v) -> std::string {
        try {
          if (std::stod(v) > 0)
            return {};
        } catch (const std::exception &) {
          return "'" + v + "' is not a number";
        }
        return "must be above 0 (omit the flag for " + whenOmitted + ")";
      },
      "POSITIVE");
}

} // namespace mommie::tool
