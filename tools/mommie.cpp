// mommie: one protocol source, three outputs (TLA+, checked models, binaries).
// The command-line contract is in docs/cli.md.
#include "ir/Diagnostics.h"
#include "tools/Commands.h"

#include <fmt/format.h>

#include <exception>
#include <iostream>

namespace {

std::vector<std::string> commandNames(CLI::App &app) {
  std::vector<std::string> names;
  for (const auto *sub : app.get_subcommands([](CLI::App *) { return true; }))
    names.push_back(sub->get_name());
  return names;
}

// `mommie chek`: an unknown command, with the closest known one.
int unknownCommand(CLI::App &app, const std::string &word) {
  auto names = commandNames(app);
  std::string msg = "mommie: error: unknown command '" + word + "'";
  std::string close = mommie::closestName(word, names);
  if (!close.empty())
    msg += "; did you mean '" + close + "'?";
  std::cerr << fmt::format("{} (commands: {}, help, version)\n", msg,
                           fmt::join(names, ", "));
  return mommie::tool::BadInput;
}

// `mommie check x.mom --worker 2`: the unexpected arguments, with the
// closest option of the command for each that looks like an option.
int unexpectedArguments(CLI::App &app, const std::vector<std::string> &extras) {
  CLI::App *cmd = &app;
  for (auto *sub : app.get_subcommands())
    cmd = sub;
  std::vector<std::string> options;
  for (const auto *opt : cmd->get_options())
    for (const auto &n : opt->get_lnames())
      options.push_back("--" + n);
  for (const auto &e : extras) {
    std::string msg = "mommie: error: unexpected argument '" + e + "'";
    if (e.rfind("--", 0) == 0) {
      std::string close =
          mommie::closestName(e.substr(0, e.find('=')), options);
      if (!close.empty())
        msg += "; did you mean '" + close + "'?";
    }
    std::cerr << msg << "\n";
  }
  std::cerr << "Run 'mommie help "
            << (cmd == &app ? std::string() : cmd->get_name())
            << "' for its options.\n";
  return mommie::tool::BadInput;
}

} // namespace

int main(int argc, char **argv) {
  CLI::App app{
      "mommie: a verification-first toolchain for distributed protocols"};
  app.require_subcommand(1);
  app.set_version_flag("--version", mommie::tool::versionLine());
  app.footer("Also: mommie help [COMMAND], mommie version.\n"
             "Exit codes: 0 ok, 1 property violated / not proved, 2 bad input "
             "or usage, "
             "3 resource limit.");
  int exitCode = mommie::tool::Ok;
  mommie::tool::registerFrontendCommands(app, exitCode);
  mommie::tool::registerTlaCommand(app, exitCode);
  mommie::tool::registerCheckCommand(app, exitCode);
  mommie::tool::registerProveCommand(app, exitCode);
  mommie::tool::registerBuildCommands(app, exitCode);
  mommie::tool::registerConformCommands(app, exitCode);
  mommie::tool::registerTraceCommand(app, exitCode);
  mommie::tool::registerMetaCommands(app, exitCode);

  // `help`, `version` and unknown commands, before CLI11 sees them.
  if (argc >= 2 && argv[1][0] != '-') {
    std::string word = argv[1];
    if (word == "version") {
      std::cout << mommie::tool::versionText();
      return mommie::tool::Ok;
    }
    if (word == "help") {
      if (argc == 2) {
        std::cout << app.help();
        return mommie::tool::Ok;
      }
      std::string topic = argv[2];
      auto names = commandNames(app);
      if (std::find(names.begin(), names.end(), topic) == names.end())
        return unknownCommand(app, topic);
      std::cout << app.get_subcommand(topic)->help();
      return mommie::tool::Ok;
    }
    auto names = commandNames(app);
    if (std::find(names.begin(), names.end(), word) == names.end())
      return unknownCommand(app, word);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ExtrasError &e) {
    std::vector<std::string> extras;
    for (auto *sub : app.get_subcommands())
      for (const auto &x : sub->remaining())
        extras.push_back(x);
    for (const auto &x : app.remaining())
      extras.push_back(x);
    if (extras.empty()) {
      app.exit(e);
      return mommie::tool::BadInput;
    }
    return unexpectedArguments(app, extras);
  } catch (const CLI::ParseError &e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : mommie::tool::BadInput;
  } catch (const std::exception &e) {
    std::cerr << "mommie: internal error: " << e.what() << "\n";
    return mommie::tool::BadInput;
  }
  return exitCode;
}
