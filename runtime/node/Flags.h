// The flags of a node binary's mains, in one table: each row names a flag,
// its argument, the mains that accept it and its help text. Every main
// (the statement node `BIN --id X`, the round node, `BIN --sim`, and the
// mains of applications such as apps/kv) parses its arguments with
// parseFlags against the rows it accepts, so that `BIN --help` lists every
// flag a binary accepts with its help, an unknown flag is an error naming
// the closest one (exit 2), and docs/runtime.md's flag table is generated
// from the same rows (tests/runtime/Flags_test.cpp). Applications add their
// rows (and mains) when they register (RoundNode.h, registerRoundApp).
// C++17.
#pragma once

#include "runtime/wire/BuildInfo.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace mommie::rt {

struct FlagSpec {
  std::string name;  // "--trace"
  std::string arg;   // "FILE.jsonl"; empty for a switch
  std::string mains; // the mains that accept it, space-separated: "node round"
  std::string help;
  bool mode =
      false; // only as the first argument, choosing the main (--sim, --kv)
};

// Every main's name, in the order help and docs list them.
//   node      BIN --id X        (statement programs; a TTP(z) principal too)
//   round     BIN --id X        (round programs)
//   sim       BIN --sim ...     (both kinds of program)
// and those of the applications linked in (kv, kv-load).
const std::vector<std::string> &flagMains();
// The one flag table: the runtime's rows, then the applications'.
const std::vector<FlagSpec> &flagTable();
// Adds an application's main (with a one-line description) and its rows.
void addFlagMain(const std::string &main, const std::string &usage);
void addFlags(const std::vector<FlagSpec> &rows);
// Makes `main` accept the (first) rows named `names` as they are.
void acceptFlags(const std::string &main,
                 const std::vector<std::string> &names);
// The usage line of a main: "--id PRINCIPAL --deploy deploy.conf [flags]".
std::string flagUsage(const std::string &main);

bool acceptedBy(const FlagSpec &f, const std::string &main);

// The values of the flags given on the command line.
class FlagValues {
public:
  bool has(const std::string &name) const { return values_.count(name) != 0; }
  // The argument of `name`, or `dflt` if absent.
  std::string str(const std::string &name, const std::string &dflt = "") const;
  // A whole decimal number in [lo, hi] (`dflt` if absent); false with
  // `error` ("bad --window '0'") otherwise.
  bool count(const std::string &name, int64_t &out, std::string &error,
             int64_t lo = 0, int64_t hi = INT64_MAX) const;
  // A whole decimal number of 64 bits (seeds).
  bool u64(const std::string &name, uint64_t &out, std::string &error) const;
  void set(const std::string &name, std::string value) {
    values_[name] = std::move(value);
  }

private:
  std::map<std::string, std::string> values_;
};

// Parses argv[first..] as flags of `main` (later occurrences win). False
// with `error` on a flag `main` does not accept ("unknown flag '--trce'
// (did you mean '--trace'?)", or "--linger is not a flag of BIN --sim")
// or a missing argument.
bool parseFlags(const std::string &main, int argc, char **argv, int first,
                FlagValues &out, std::string &error);

// `BIN --help` for the mains `mains` (the binary's, in order): per main its
// usage line and one line per flag it accepts with the flag's help.
std::string flagsHelp(const std::string &argv0,
                      const std::vector<std::string> &mains);
// The flag table as Markdown (docs/runtime.md, "Node flags").
std::string flagsMarkdown();

// What `--version` / `--info` print (BuildInfo.h).
struct BuildFacts {
  const std::string &protocol;
  const ParamValues &params;
  const std::vector<std::string> &principals;
};

// A main's start: parseFlags for `main` from argv[first]; `--help` prints
// the flags of `helpMains`, and, given `build`, `--version` / `--info` what
// the binary was built with. Returns -1 to go on, else the exit code: 0
// after answering, 2 after printing the error and the usage.
int readFlags(const std::string &main, int argc, char **argv, int first,
              const std::vector<std::string> &helpMains, FlagValues &out,
              const BuildFacts *build = nullptr);

// The error line and the usage of `main` on stderr; returns 2 (bad input).
int flagError(const char *argv0, const std::string &main,
              const std::string &why);
// `--help`: flagsHelp on stdout; returns 0.
int printFlagsHelp(const char *argv0, const std::vector<std::string> &mains);

} // namespace mommie::rt
