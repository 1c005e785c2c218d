// The `mommie` command-line tool: one register function per command group,
// each defined in its own Cmd*.cpp, plus the helpers they share.
#pragma once

#include "ir/IR.h"

#include <CLI/CLI.hpp>

#include <iostream>
#include <optional>
#include <string>
#include <vector>

namespace mommie::tool {

// Exit codes of the command-line contract.
enum ExitCode { Ok = 0, Violation = 1, BadInput = 2, ResourceLimit = 3 };

// Adds `-D NAME=VALUE` (repeatable) to `cmd`, storing the raw strings.
void addDefineOption(CLI::App *cmd, std::vector<std::string> &defines);

// The validator of a resource limit (check's --max-states, --max-memory,
// --time-limit; prove's --max-memory): a positive number. 0 is refused
// rather than read as "no limit": omitting the flag says `whenOmitted`.
CLI::Validator positiveLimit(const std::string &whenOmitted = "no limit");

// Reads, checks and lowers `path` with the given -D strings; prints the
// diagnostics (errors and warnings) to `diagnostics`. nullopt on any error.
std::optional<ir::Program> loadProgram(const std::string &path,
                                       const std::vector<std::string> &defines,
                                       std::ostream &diagnostics = std::cerr);

// Each registers its subcommands on `app`; the callback stores the command's
// exit code in `exitCode`.
void registerFrontendCommands(CLI::App &app, int &exitCode); // parse, ir
void registerTlaCommand(CLI::App &app, int &exitCode);       // tla
void registerCheckCommand(CLI::App &app, int &exitCode);     // check
void registerProveCommand(CLI::App &app, int &exitCode);     // prove
void registerBuildCommands(CLI::App &app, int &exitCode);    // build, keygen
void registerConformCommands(CLI::App &app, int &exitCode);  // conform, sim
void registerTraceCommand(CLI::App &app, int &exitCode);     // trace
void registerMetaCommands(CLI::App &app, int &exitCode); // completion, manpage

// "mommie 0.1 (commit 0123abcd4567, Release build)": `--version`.
std::string versionLine();
// The version line and where `mommie build` finds the runtime: `version`.
std::string versionText();

} // namespace mommie::tool
