// The C++ backend: a pure function from the IR to in-memory C++17 sources
// that, compiled against runtime/ and linked with its layer archives, make
// one node binary for every principal of the program (`mommie build`).
//
// Generated code (namespace = the protocol name):
//   - `rec::X`: one struct of typed accessors per record (values are
//     runtime values; `X::make(...)`, `X::field(r)`);
//   - `<Role>State`: the role's variables and timers as members;
//   - `<Role>_<T>_Frame`: the local slots of transition T (bindings, lets);
//   - class `<Role>`: per transition a matcher that walks the pool's
//     per-type / per-field / per-value indexes in nested loops (checks
//     placed at the shallowest loop where their variables are bound), the
//     guard, refraction, and the body compiled from the body spec;
//   - for `program fn`: a declaration `void fn(int me, <Role>State &,
//     const <Role>_<T>_Frame &, mommie::rt::Outbox &)` the user defines; the
//     generated code runs it and asserts that its post-state and outbox equal
//     the body spec's (fail-stop otherwise);
//   - `programInfo()` and `main` (nodeMain).
#pragma once

#include "ir/IR.h"

#include <string>
#include <vector>

namespace mommie::cppgen {

struct File {
  std::string name;
  std::string text;
};

struct Options {
  bool withMain = true;
  std::string sourceName; // shown in the header comment (default: program.file)
};

struct Result {
  std::vector<File> files;         // <Name>.h, <Name>.cpp
  std::vector<std::string> errors; // unsupported constructs; files empty if any
  std::string nameSpace;           // the C++ namespace of the generated code
};

Result generate(const ir::Program &program, const Options &options = {});

// The generated files without the parameter values they report (`--version`,
// the `p.params = ...` line): two programs with the same node code, whose
// nodes behave alike whatever their parameters say. Empty if `r` has errors.
std::string nodeCode(const Result &r);

// A C++ identifier for a program name (keywords get a trailing '_').
std::string cppIdent(const std::string &name);

} // namespace mommie::cppgen
