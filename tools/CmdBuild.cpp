// `mommie build FILE.mom --deploy deploy.conf -o BIN [--emit-cpp DIR]
// [--body FILE.cpp] [-D NAME=VALUE]`: checks the deploy file against the
// program, generates C++ (backends/cpp), writes it, and compiles it with
// clang++-14 -O2 -std=c++17 against the runtime headers and the static
// runtime library (and libsodium, libcrypto). `mommie keygen deploy.conf -o KEYDIR`
// writes the keys of the deploy file's modules (runtime/Keys.h).
#include "backends/cpp/CppGen.h"
#include "ir/Diagnostics.h"
#include "runtime/AuthModules.h"
#include "runtime/Deploy.h"
#include "runtime/Keys.h"
#include "tools/Build.h"
#include "tools/Commands.h"
#include "tools/DeployCheck.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace mommie::tool {

namespace fs = std::filesystem;

namespace {

struct BuildArgs {
  std::string file, deploy, output, emitDir, cxx;
  std::vector<std::string> bodies, defines;
};

std::string readFile(const std::string &path, bool &ok) {
  std::ifstream f(path, std::ios::binary);
  ok = bool(f);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// The runtime headers (a directory containing runtime/Node.h) and archive:
// $MOMMIE_RUNTIME_INCLUDE / $MOMMIE_RUNTIME_LIB, then the build tree the
// tool was built in, then an install prefix next to the executable.
bool locateRuntime(std::string &include, std::string &lib) {
  const char *envInc = std::getenv("MOMMIE_RUNTIME_INCLUDE");
  const char *envLib = std::getenv("MOMMIE_RUNTIME_LIB");
  std::vector<std::pair<std::string, std::string>> candidates;
  if (envInc && envLib)
    candidates.emplace_back(envInc, envLib);
#if defined(MOMMIE_RUNTIME_INCLUDE_DIR) && defined(MOMMIE_RUNTIME_LIB)
  candidates.emplace_back(MOMMIE_RUNTIME_INCLUDE_DIR, MOMMIE_RUNTIME_LIB);
#endif
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path prefix = exe.parent_path().parent_path();
    candidates.emplace_back((prefix / "include" / "mommie").string(),
                            (prefix / "lib" / "libmommie_runtime.a").string());
  }
  for (const auto &[inc, l] : candidates)
    if (fs::exists(fs::path(inc) / "runtime" / "Node.h", ec) && fs::exists(l, ec)) {
      include = inc;
      lib = l;
      return true;
    }
  return false;
}

int runCommand(const std::vector<std::string> &argv) {
  pid_t pid = fork();
  if (pid < 0)
    return -1;
  if (pid == 0) {
    std::vector<char *> args;
    for (const auto &a : argv)
      args.push_back(const_cast<char *>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    std::cerr << "mommie: error: cannot run " << argv[0] << ": " << std::strerror(errno) << "\n";
    _exit(127);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR)
      return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Checks the deploy file against the program; reports located diagnostics.
bool checkDeploy(const ir::Program &program, const std::string &path, DiagnosticEngine &diags) {
  bool ok = false;
  std::string text = readFile(path, ok);
  if (!ok) {
    diags.error(ir::SourceLoc{path, 0, 0}, "cannot read deploy file");
    return false;
  }
  diags.addSource(path, text);
  rt::DeployConfig conf;
  std::vector<rt::DeployError> errors;
  rt::parseDeploy(text, conf, errors);
  for (const auto &e : errors)
    diags.error(ir::SourceLoc{path, uint32_t(e.line), uint32_t(e.col)}, e.message);
  std::vector<std::string> names;
  for (int p = 0; p < program.numPrincipals; ++p)
    names.push_back(program.principalName(p));
  auto known = [&](const std::string &n) {
    return std::find(names.begin(), names.end(), n) != names.end();
  };
  // TTP(z): z is a separate principal (a node role of its own), numbered
  // after the program's.
  std::vector<std::string> ttps = rt::ttpPrincipals(conf, names);
  for (const auto *rules : {&conf.authentication, &conf.nonRepudiation})
    for (const auto &r : *rules)
      for (const auto &m : r.modules)
        if (m.name == "TTP" && m.args.size() == 1) {
          ir::SourceLoc at{path, uint32_t(m.line), uint32_t(m.col)};
          if (program.isRoundProgram())
            diags.error(at, "module TTP carries statements only; the round messages of " +
                                program.name + " cannot go through a trusted third party");
          else if (known(m.args[0]))
            diags.error(at, "TTP(" + m.args[0] +
                                "): the trusted third party must not be a principal of " +
                                program.name + " (it runs as a node role of its own)");
          else if (!conf.host(m.args[0]))
            diags.warning(at, "no host for the trusted third party " + m.args[0] +
                                  " (statements it carries cannot be sent with this file)");
        }
  for (const auto &h : conf.hosts)
    if (!known(h.principal) && std::find(ttps.begin(), ttps.end(), h.principal) == ttps.end())
      diags.error(ir::SourceLoc{path, uint32_t(h.line), 1},
                  "unknown principal '" + h.principal + "' in [Hosts]");
  for (const auto &n : names)
    if (!conf.host(n))
      diags.warning(ir::SourceLoc{path, 1, 1}, "no host for principal " + n +
                                                   " (its node cannot run with this file)");
  for (const auto *rules : {&conf.authentication, &conf.nonRepudiation, &conf.dissemination})
    for (const auto &r : *rules)
      for (const auto *pats : {&r.from, &r.to})
        for (const auto &pat : *pats) {
          bool any = false;
          for (const auto &n : names)
            any = any || rt::principalMatches(pat, n);
          if (!any)
            diags.error(ir::SourceLoc{path, uint32_t(r.line), 1},
                        "principal pattern '" + pat + "' matches no principal of " + program.name);
        }
  for (const auto *rules : {&conf.authentication, &conf.nonRepudiation})
    for (const auto &r : *rules)
      for (const auto &m : r.modules) {
        const rt::AuthModuleInfo *mi = rt::findAuthModule(m.name);
        if (!mi)
          diags.error(ir::SourceLoc{path, uint32_t(m.line), uint32_t(m.col)},
                      "module " + m.name + " is not an authentication module");
        else if (!mi->implemented)
          diags.error(ir::SourceLoc{path, uint32_t(m.line), uint32_t(m.col)},
                      "module " + m.name + " is not implemented yet");
      }
  if (!diags.hasErrors())
    checkDeployModules(program, conf, path, diags);
  for (const auto &r : conf.dissemination)
    for (const auto &m : r.modules)
      if (m.name != "BATCH" && m.name != "OPTIMISTIC" && m.name != "DIGEST" &&
          m.name != "NEST") // implemented by the runtime
        diags.warning(ir::SourceLoc{path, uint32_t(m.line), uint32_t(m.col)},
                    "dissemination module " + m.name +
                        " is not implemented yet; nodes use unicast to every verifier");
  return !diags.hasErrors();
}

int build(const BuildArgs &a) {
  auto program = loadProgram(a.file, a.defines);
  if (!program)
    return BadInput;
  DiagnosticEngine diags;
  bool deployOk = checkDeploy(*program, a.deploy, diags);
  diags.print(std::cerr);
  if (!deployOk)
    return BadInput;
  cppgen::Options opts;
  opts.sourceName = fs::path(a.file).filename().string();
  auto gen = cppgen::generate(*program, opts);
  for (const auto &e : gen.errors)
    std::cerr << e << "\n";
  if (!gen.errors.empty())
    return BadInput;

  std::error_code ec;
  fs::path dir;
  bool temp = a.emitDir.empty();
  if (temp) {
    std::string tmpl = (fs::temp_directory_path() / "mommie-build-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) {
      std::cerr << "mommie: error: cannot create a temporary directory\n";
      return BadInput;
    }
    dir = tmpl;
  } else {
    dir = a.emitDir;
    fs::create_directories(dir, ec);
    if (ec) {
      std::cerr << "mommie: error: cannot create '" << a.emitDir << "': " << ec.message() << "\n";
      return BadInput;
    }
  }
  std::vector<std::string> sources;
  for (const auto &f : gen.files) {
    fs::path p = dir / f.name;
    std::ofstream out(p, std::ios::binary);
    out << f.text;
    if (!out) {
      std::cerr << "mommie: error: cannot write '" << p.string() << "'\n";
      return BadInput;
    }
    if (p.extension() == ".cpp")
      sources.push_back(p.string());
  }
  if (a.output.empty()) {
    std::cout << "mommie: wrote " << gen.files.size() << " files to " << dir.string() << "\n";
    return Ok;
  }
  std::string inc, lib;
  if (!locateRuntime(inc, lib)) {
    std::cerr << "mommie: error: cannot find the runtime headers and libmommie_runtime.a "
                 "(set MOMMIE_RUNTIME_INCLUDE and MOMMIE_RUNTIME_LIB)\n";
    return BadInput;
  }
  for (const auto &b : a.bodies) {
    if (!fs::exists(b, ec)) {
      std::cerr << "mommie: error: cannot read body program file '" << b << "'\n";
      return BadInput;
    }
    sources.push_back(b);
  }
  std::string cxx = a.cxx;
  if (cxx.empty()) {
#ifdef MOMMIE_CLANGXX
    cxx = MOMMIE_CLANGXX;
#else
    cxx = "clang++-14";
#endif
  }
  std::vector<std::string> cmd = {cxx, "-O2", "-std=c++17", "-I" + inc, "-I" + dir.string()};
  cmd.insert(cmd.end(), sources.begin(), sources.end());
  cmd.insert(cmd.end(), {lib, "-lsodium", "-lcrypto", "-lpthread", "-o", a.output});
  int rc = runCommand(cmd);
  if (temp)
    fs::remove_all(dir, ec);
  if (rc != 0) {
    std::cerr << "mommie: error: " << cxx << " failed (exit " << rc << ")\n";
    return BadInput;
  }
  return Ok;
}

// `mommie keygen deploy.conf -o KEYDIR`: principals are the [Hosts] names.
int keygen(const std::string &deploy, const std::string &dir) {
  rt::DeployConfig conf;
  std::vector<rt::DeployError> errors;
  if (!rt::loadDeployFile(deploy, conf, errors)) {
    for (const auto &e : errors)
      std::cerr << deploy << ":" << e.line << ":" << e.col << ": error: " << e.message << "\n";
    return BadInput;
  }
  std::vector<std::string> names;
  for (const auto &h : conf.hosts)
    names.push_back(h.principal);
  if (names.empty()) {
    std::cerr << deploy << ": error: no principal in [Hosts]\n";
    return BadInput;
  }
  for (const auto *rules : {&conf.authentication, &conf.nonRepudiation})
    for (const auto &r : *rules)
      for (const auto &m : r.modules) {
        const rt::AuthModuleInfo *mi = rt::findAuthModule(m.name);
        if (!mi || !mi->implemented) {
          std::cerr << deploy << ":" << m.line << ":" << m.col << ": error: module " << m.name
                    << (mi ? " is not implemented yet" : " is not an authentication module")
                    << "\n";
          return BadInput;
        }
        if (mi->kind == rt::AuthKind::Ttp && !m.args.empty() && !conf.host(m.args[0])) {
          std::cerr << deploy << ":" << m.line << ":" << m.col << ": error: TTP(" << m.args[0]
                    << "): the trusted third party needs a host in [Hosts] (its keys are made "
                       "for the [Hosts] names)\n";
          return BadInput;
        }
      }
  std::string err;
  auto stores = rt::generateKeys(conf, names);
  if (!rt::writeKeyDir(dir, stores, err)) {
    std::cerr << "mommie keygen: error: " << err << "\n";
    return BadInput;
  }
  size_t hmacs = 0, pairs = 0;
  for (const auto &[p, ks] : stores) {
    hmacs += ks.hmac.size();
    pairs += ks.edSecret ? 1 : 0;
  }
  std::cout << "mommie keygen: wrote " << stores.size() << " key files to " << dir << " ("
            << hmacs / 2 << " HMAC keys, " << pairs << " Ed25519 key pairs)\n";
  return Ok;
}

} // namespace

bool checkDeployFile(const ir::Program &program, const std::string &path, DiagnosticEngine &diags) {
  return checkDeploy(program, path, diags);
}

std::string compileGenerated(const std::vector<cppgen::File> &files,
                             const std::vector<std::string> &bodies, const std::string &cxxIn,
                             const std::string &output, std::string *runtimeId) {
  std::string inc, lib;
  if (!locateRuntime(inc, lib))
    return "cannot find the runtime headers and libmommie_runtime.a (set MOMMIE_RUNTIME_INCLUDE "
           "and MOMMIE_RUNTIME_LIB)";
  std::error_code ec;
  std::string cxx = cxxIn;
  if (cxx.empty()) {
#ifdef MOMMIE_CLANGXX
    cxx = MOMMIE_CLANGXX;
#else
    cxx = "clang++-14";
#endif
  }
  if (runtimeId) { // what the binary depends on besides the sources
    auto size = fs::file_size(lib, ec);
    auto mtime = fs::last_write_time(lib, ec).time_since_epoch().count();
    *runtimeId = cxx + "|" + inc + "|" + lib + "|" + std::to_string(size) + "|" + std::to_string(mtime);
    if (output.empty())
      return {};
  }
  std::string tmpl = (fs::temp_directory_path() / "mommie-build-XXXXXX").string();
  if (!mkdtemp(tmpl.data()))
    return "cannot create a temporary directory";
  fs::path dir = tmpl;
  std::vector<std::string> cmd = {cxx, "-O2", "-std=c++17", "-I" + inc, "-I" + dir.string()};
  for (const auto &f : files) {
    fs::path p = dir / f.name;
    std::ofstream out(p, std::ios::binary);
    out << f.text;
    if (!out) {
      fs::remove_all(dir, ec);
      return "cannot write '" + p.string() + "'";
    }
    if (p.extension() == ".cpp")
      cmd.push_back(p.string());
  }
  for (const auto &b : bodies) {
    if (!fs::exists(b, ec)) {
      fs::remove_all(dir, ec);
      return "cannot read body program file '" + b + "'";
    }
    cmd.push_back(b);
  }
  cmd.insert(cmd.end(), {lib, "-lsodium", "-lcrypto", "-lpthread", "-o", output});
  int rc = runCommand(cmd);
  fs::remove_all(dir, ec);
  if (rc != 0)
    return cxx + " failed (exit " + std::to_string(rc) + ")";
  return {};
}

void registerBuildCommands(CLI::App &app, int &exitCode) {
  auto args = std::make_shared<BuildArgs>();
  auto *cmd = app.add_subcommand("build", "generate C++ for a program and compile node binaries");
  cmd->add_option("file", args->file, "the .mom program")->required();
  cmd->add_option("--deploy", args->deploy, "the deployment file (deploy.conf)")->required();
  cmd->add_option("-o,--output", args->output, "the node binary to write");
  cmd->add_option("--emit-cpp", args->emitDir, "also write the generated C++ to this directory");
  cmd->add_option("--body", args->bodies, "a C++ file defining body programs (repeatable)");
  cmd->add_option("--cxx", args->cxx, "the C++ compiler (default clang++-14)");
  addDefineOption(cmd, args->defines);
  cmd->callback([args, &exitCode] {
    if (args->output.empty() && args->emitDir.empty()) {
      std::cerr << "mommie build: error: give -o BIN and/or --emit-cpp DIR\n";
      exitCode = BadInput;
      return;
    }
    exitCode = build(*args);
  });

  // keygen: the keys a deploy file's modules need, one file per principal.
  auto kargs = std::make_shared<std::pair<std::string, std::string>>();
  auto *kc = app.add_subcommand("keygen", "generate the keys a deploy file's modules need");
  kc->add_option("deploy", kargs->first, "the deployment file (deploy.conf)")->required();
  kc->add_option("-o,--output", kargs->second, "the key directory to write")->required();
  kc->callback([kargs, &exitCode] { exitCode = keygen(kargs->first, kargs->second); });
}

} // namespace mommie::tool
