// The compile path of `mommie build` (tools/CmdBuild.cpp), shared with
// `mommie sim`, which compiles the same generated code into a cached binary.
#pragma once

#include "backends/cpp/CppGen.h"
#include "ir/Diagnostics.h"

#include <string>
#include <vector>

namespace mommie::tool {

// Where `mommie build` finds the runtime (docs/build.md), or why it cannot.
std::string runtimeLocation();

// Checks a deploy file against the program (located diagnostics in `diags`).
bool checkDeployFile(const ir::Program &program, const std::string &path,
                     DiagnosticEngine &diags);

// Compiles generated files (and body program files) with the runtime layer
// archives (and those of the applications `apps`, `mommie build --app`)
// into `output` (clang++-14 -O2 -std=c++17 unless `cxx`). Returns "" or the
// error. `runtimeId`, if given, receives a string naming the compiler and
// the archives (path, size, mtime), for caches; with an empty `output`
// nothing is compiled.
std::string compileGenerated(const std::vector<cppgen::File> &files,
                             const std::vector<std::string> &bodies,
                             const std::string &cxx, const std::string &output,
                             std::string *runtimeId = nullptr,
                             const std::vector<std::string> &apps = {});

} // namespace mommie::tool
