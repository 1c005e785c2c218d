// `mommie build FILE.mom --deploy deploy.conf -o BIN [--emit-cpp DIR]
// [--body FILE.cpp] [-D NAME=VALUE]`: checks the deploy file against the
// program, generates C++ (backends/cpp), writes it, and compiles it with
// clang++-14 -O2 -std=c++17 against the runtime headers and the static
// runtime library (and libsodium, libcrypto). `mommie keygen deploy.conf -o
// KEYDIR` writes the keys of the deploy file's modules (runtime/auth/Keys.h).
#include "backends/cpp/CppGen.h"
#include "ir/Diagnostics.h"
#include "runtime/auth/AuthModules.h"
#include "runtime/auth/Deploy.h"
#include "runtime/auth/Keys.h"
#include "tools/Build.h"
#include "tools/Commands.h"
#include "tools/DeployCheck.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

// Compiler flags every node binary needs to link with the runtime archives
// (the sanitizers of a MOMMIE_SANITIZE build; tools/CMakeLists.txt).
#ifndef MOMMIE_NODE_CXXFLAGS
#define MOMMIE_NODE_CXXFLAGS ""
#endif

namespace mommie::tool {

namespace fs = std::filesystem;

namespace {

struct BuildArgs {
  std::string file, deploy, output, emitDir, cxx;
  std::vector<std::string> bodies, defines, apps;
};

std::string readFile(const std::string &path, bool &ok) {
  std::ifstream f(path, std::ios::binary);
  ok = bool(f);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// What a node binary is compiled against: the headers' root (a directory
// containing runtime/node/Node.h) and the archives in link order: the
// applications' (`--app NAME`), then the runtime layers' from the top down
// (runtime/CMakeLists.txt, MOMMIE_RUNTIME_LAYERS).
struct RuntimeLocation {
  std::string include;
  std::vector<std::string> archives;
};

std::vector<std::string> splitColons(const std::string &s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string item; std::getline(ss, item, ':');)
    if (!item.empty())
      out.push_back(item);
  return out;
}

// Where one candidate installation keeps the runtime and the applications.
struct RuntimeCandidate {
  std::string include;
  std::vector<std::string> layers;
  std::map<std::string, std::string> apps; // name -> archive
};

// `NAME=PATH:...`
std::map<std::string, std::string> parseApps(const std::string &list) {
  std::map<std::string, std::string> out;
  for (const auto &e : splitColons(list))
    if (size_t eq = e.find('='); eq != std::string::npos)
      out[e.substr(0, eq)] = e.substr(eq + 1);
  return out;
}

std::vector<RuntimeCandidate> runtimeCandidates() {
  std::vector<RuntimeCandidate> out;
  std::string builtApps;
#ifdef MOMMIE_APP_LIBS
  builtApps = MOMMIE_APP_LIBS;
#endif
  const char *envInc = std::getenv("MOMMIE_RUNTIME_INCLUDE");
  const char *envLib = std::getenv("MOMMIE_RUNTIME_LIB");
  const char *envApps = std::getenv("MOMMIE_APP_LIBS");
  if (envInc && envLib)
    out.push_back({envInc, splitColons(envLib),
                   parseApps(envApps ? envApps : builtApps)});
#if defined(MOMMIE_RUNTIME_INCLUDE_DIR) && defined(MOMMIE_RUNTIME_LIBS)
  RuntimeCandidate built{MOMMIE_RUNTIME_INCLUDE_DIR,
                         splitColons(MOMMIE_RUNTIME_LIBS),
                         parseApps(builtApps)};
  // An install prefix next to the executable (`cmake --install`):
  // include/mommie, and the archives under the build tree's file names in
  // lib/. An installed tool uses it even while its build tree exists; in
  // the build tree (build/tools/mommie) there is no build/include/mommie.
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path lib = exe.parent_path().parent_path() / "lib";
    RuntimeCandidate installed{
        (exe.parent_path().parent_path() / "include" / "mommie").string(),
        {},
        {}};
    for (const auto &l : built.layers)
      installed.layers.push_back((lib / fs::path(l).filename()).string());
    for (const auto &[name, a] : built.apps)
      installed.apps[name] = (lib / fs::path(a).filename()).string();
    out.push_back(installed);
  }
  out.push_back(built);
#endif
  return out;
}

// $MOMMIE_RUNTIME_INCLUDE / $MOMMIE_RUNTIME_LIB (':'-separated archives,
// top layer first) with $MOMMIE_APP_LIBS (`kv=PATH:...`), then an install
// prefix next to the executable, then the build tree the tool was built
// in: the first whose files exist.
bool locateRuntime(const std::vector<std::string> &apps, RuntimeLocation &rt,
                   std::string &error) {
  for (const auto &c : runtimeCandidates()) {
    std::error_code ec;
    bool present =
        !c.layers.empty() &&
        fs::exists(fs::path(c.include) / "runtime" / "node" / "Node.h", ec);
    std::vector<std::string> archives;
    for (const auto &app : apps) {
      auto it = c.apps.find(app);
      if (it == c.apps.end()) {
        std::string known;
        for (const auto &[name, a] : c.apps)
          known += (known.empty() ? "" : ", ") + name;
        error = "unknown application '" + app +
                "' (known: " + (known.empty() ? "none" : known) + ")";
        return false;
      }
      archives.push_back(it->second);
    }
    archives.insert(archives.end(), c.layers.begin(), c.layers.end());
    for (const auto &a : archives)
      present = present && fs::exists(a, ec);
    if (present) {
      rt = {c.include, archives};
      return true;
    }
  }
  error = "cannot find the runtime headers and archives (set "
          "MOMMIE_RUNTIME_INCLUDE and "
          "MOMMIE_RUNTIME_LIB)";
  return false;
}

// The generated files plus, per application of `--app NAME`, the source
// whose static initialiser registers its mains (apps/NAME/App.h).
std::vector<cppgen::File> withApps(const std::vector<cppgen::File> &files,
                                   const std::vector<std::string> &apps) {
  std::vector<cppgen::File> out = files;
  for (const auto &app : apps)
    out.push_back({"app_" + app + ".cpp",
                   "// `mommie build --app " + app +
                       "`: registers the application's mains.\n"
                       "#include \"apps/" +
                       app +
                       "/App.h\"\n\n"
                       "static const bool registered = mommie::apps::" +
                       app + "::registerApp();\n"});
  return out;
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
    std::cerr << "mommie: error: cannot run " << argv[0] << ": "
              << std::strerror(errno) << "\n";
    _exit(127);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR)
      return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Checks the deploy file against the program; reports located diagnostics.
bool checkDeploy(const ir::Program &program, const std::string &path,
                 DiagnosticEngine &diags) {
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
    diags.error(ir::SourceLoc{path, uint32_t(e.line), uint32_t(e.col)},
                e.message);
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
            diags.error(
                at,
                "module TTP carries statements only; the round messages of " +
                    program.name + " cannot go through a trusted third party");
          else if (known(m.args[0]))
            diags.error(
                at,
                "TTP(" + m.args[0] +
                    "): the trusted third party must not be a principal of " +
                    program.name + " (it runs as a node role of its own)");
          else if (!conf.host(m.args[0]))
            diags.warning(
                at,
                "no host for the trusted third party " + m.args[0] +
                    " (statements it carries cannot be sent with this file)");
        }
  for (const auto &h : conf.hosts)
    if (!known(h.principal) &&
        std::find(ttps.begin(), ttps.end(), h.principal) == ttps.end())
      diags.error(ir::SourceLoc{path, uint32_t(h.line), 1},
                  "unknown principal '" + h.principal + "' in [Hosts]");
  for (const auto &n : names)
    if (!conf.host(n))
      diags.warning(ir::SourceLoc{path, 1, 1},
                    "no host for principal " + n +
                        " (its node cannot run with this file)");
  for (const auto *rules :
       {&conf.authentication, &conf.nonRepudiation, &conf.dissemination})
    for (const auto &r : *rules)
      for (const auto *pats : {&r.from, &r.to})
        for (const auto &pat : *pats) {
          bool any = false;
          for (const auto &n : names)
            any = any || rt::principalMatches(pat, n);
          if (!any)
            diags.error(ir::SourceLoc{path, uint32_t(r.line), 1},
                        "principal pattern '" + pat +
                            "' matches no principal of " + program.name);
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
        diags.warning(
            ir::SourceLoc{path, uint32_t(m.line), uint32_t(m.col)},
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

  if (!a.emitDir.empty()) {
    std::error_code ec;
    fs::path dir = a.emitDir;
    fs::create_directories(dir, ec);
    if (ec) {
      std::cerr << "mommie: error: cannot create '" << a.emitDir
                << "': " << ec.message() << "\n";
      return BadInput;
    }
    for (const auto &f : withApps(gen.files, a.apps)) {
      fs::path p = dir / f.name;
      std::ofstream out(p, std::ios::binary);
      out << f.text;
      if (!out) {
        std::cerr << "mommie: error: cannot write '" << p.string() << "'\n";
        return BadInput;
      }
    }
    if (a.output.empty()) {
      std::cout << "mommie: wrote " << gen.files.size() + a.apps.size()
                << " files to " << dir.string() << "\n";
      return Ok;
    }
  }
  std::string err =
      compileGenerated(gen.files, a.bodies, a.cxx, a.output, nullptr, a.apps);
  if (!err.empty()) {
    std::cerr << "mommie: error: " << err << "\n";
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
      std::cerr << deploy << ":" << e.line << ":" << e.col
                << ": error: " << e.message << "\n";
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
          std::cerr << deploy << ":" << m.line << ":" << m.col
                    << ": error: module " << m.name
                    << (mi ? " is not implemented yet"
                           : " is not an authentication module")
                    << "\n";
          return BadInput;
        }
        if (mi->kind == rt::AuthKind::Ttp && !m.args.empty() &&
            !conf.host(m.args[0])) {
          std::cerr << deploy << ":" << m.line << ":" << m.col
                    << ": error: TTP(" << m.args[0]
                    << "): the trusted third party needs a host in [Hosts] "
                       "(its keys are made "
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
  std::cout << "mommie keygen: wrote " << stores.size() << " key files to "
            << dir << " (" << hmacs / 2 << " HMAC keys, " << pairs
            << " Ed25519 key pairs)\n";
  return Ok;
}

} // namespace

std::string runtimeLocation() {
  RuntimeLocation rt;
  std::string error;
  if (!locateRuntime({}, rt, error))
    return error;
  return "headers " + rt.include + "; " + std::to_string(rt.archives.size()) +
         " archives, the top layer " + rt.archives.front();
}

bool checkDeployFile(const ir::Program &program, const std::string &path,
                     DiagnosticEngine &diags) {
  return checkDeploy(program, path, diags);
}

std::string compileGenerated(const std::vector<cppgen::File> &generated,
                             const std::vector<std::string> &bodies,
                             const std::string &cxxIn,
                             const std::string &output, std::string *runtimeId,
                             const std::vector<std::string> &apps) {
  RuntimeLocation rt;
  std::string error;
  if (!locateRuntime(apps, rt, error))
    return error;
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
    *runtimeId = cxx + "|" + MOMMIE_NODE_CXXFLAGS + "|" + rt.include;
    for (const auto &lib : rt.archives) {
      auto size = fs::file_size(lib, ec);
      auto mtime = fs::last_write_time(lib, ec).time_since_epoch().count();
      *runtimeId +=
          "|" + lib + "|" + std::to_string(size) + "|" + std::to_string(mtime);
    }
    if (output.empty())
      return {};
  }
  std::string tmpl =
      (fs::temp_directory_path() / "mommie-build-XXXXXX").string();
  if (!mkdtemp(tmpl.data()))
    return "cannot create a temporary directory";
  fs::path dir = tmpl;
  std::vector<std::string> cmd = {cxx, "-O2", "-std=c++17", "-I" + rt.include,
                                  "-I" + dir.string()};
  // The sanitizers of a MOMMIE_SANITIZE build (CMakeLists.txt), which the
  // runtime archives were compiled with.
  std::istringstream nodeFlags(MOMMIE_NODE_CXXFLAGS);
  for (std::string flag; nodeFlags >> flag;)
    cmd.push_back(flag);
  for (const auto &f : withApps(generated, apps)) {
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
  cmd.insert(cmd.end(), rt.archives.begin(), rt.archives.end());
  cmd.insert(cmd.end(),
             {"-lsodium", "-lcrypto", "-lz", "-lpthread", "-o", output});
  int rc = runCommand(cmd);
  fs::remove_all(dir, ec);
  if (rc != 0)
    return cxx + " failed (exit " + std::to_string(rc) + ")";
  return {};
}

void registerBuildCommands(CLI::App &app, int &exitCode) {
  auto args = std::make_shared<BuildArgs>();
  auto *cmd = app.add_subcommand(
      "build", "generate C++ for a program and compile node binaries");
  cmd->add_option("file", args->file, "the .mom program")->required();
  cmd->add_option("--deploy", args->deploy, "the deployment file (deploy.conf)")
      ->required();
  cmd->add_option("-o,--output", args->output, "the node binary to write");
  cmd->add_option("--emit-cpp", args->emitDir,
                  "also write the generated C++ to this directory");
  cmd->add_option("--body", args->bodies,
                  "a C++ file defining body programs (repeatable)");
  cmd->add_option("--cxx", args->cxx, "the C++ compiler (default clang++-14)");
  cmd->add_option(
      "--app", args->apps,
      "link an application built on the program (apps/NAME: kv) (repeatable)");
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
  auto *kc = app.add_subcommand(
      "keygen", "generate the keys a deploy file's modules need");
  kc->add_option("deploy", kargs->first, "the deployment file (deploy.conf)")
      ->required();
  kc->add_option("-o,--output", kargs->second, "the key directory to write")
      ->required();
  kc->callback(
      [kargs, &exitCode] { exitCode = keygen(kargs->first, kargs->second); });
}

} // namespace mommie::tool
