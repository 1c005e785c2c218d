// What a node binary knows about how it was built: the protocol's name and
// the values of its parameters (`param`s after `mommie build -D`), compiled
// into the generated programInfo(). They are printed by the binary's
// `--version` and `--info` flags and recorded in the first record of every
// node trace, so that `mommie conform` instantiates the model with them
// (docs/build.md, docs/conform.md).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace mommie::rt {

// The program's parameters in declaration order: name, value.
using ParamValues = std::vector<std::pair<std::string, int64_t>>;

// `--version`: "PrimaryBackup built by mommie 0.1 with F = 1, NumReq = 3\n".
std::string versionText(const std::string &protocol, const ParamValues &params);

// `--info`: one "key value" line each for the protocol, the mommie version,
// every parameter ("param NumReq = 3") and the principals.
std::string infoText(const std::string &protocol, const ParamValues &params,
                     const std::vector<std::string> &principals);

// The members the first record of a node trace carries (Trace.h), without
// braces: "protocol":"PrimaryBackup","mommie":"0.1","params":{"F":1,...}.
std::string traceHeaderJson(const std::string &protocol,
                            const ParamValues &params);

// Handles `--version` and `--info` for the node mains: prints the text on
// stdout and returns true if `flag` is one of them.
bool printBuildInfo(const std::string &flag, const std::string &protocol,
                    const ParamValues &params,
                    const std::vector<std::string> &principals);

} // namespace mommie::rt
