// Reading node traces for `mommie conform` and `mommie sim`: JSON-lines
// files into checker::TraceRecords, and the parameter values the traces
// were recorded with (the "params" member of a node's first record,
// runtime/wire/BuildInfo.h), with which the model is instantiated
// (docs/conform.md).
#pragma once

#include "checker/Replay.h"

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace mommie::tool {

// Appends the records of one trace file. A last line cut short (a node
// killed mid-write) is ignored with a note on `notes`. False with `error`
// ("cannot read F", "F:12: not a JSON object") on unreadable input.
bool readTraceFile(const std::string &path,
                   std::vector<checker::TraceRecord> &records,
                   std::ostream &notes, std::string &error);

// readTraceFile on each of `paths`, in order; false after printing
// "mommie `command`: error: ..." on stderr for the first that fails.
bool readTraceFiles(const std::vector<std::string> &paths,
                    std::vector<checker::TraceRecord> &records,
                    const std::string &command);

// Loads `file` for replaying `records`, with the -D `defines` and the
// parameter values the traces were recorded with. On a conflict it prints
// one line on stderr ("mommie `command`: error: ...") and returns nullopt: two
// traces disagree on a parameter, a recorded parameter is not declared by the
// program, or a -D gives another value than the traces (a -D equal to the
// recorded value only confirms it). Traces without parameters (older ones)
// leave the program as the -D give it.
std::optional<ir::Program>
loadProgramForTraces(const std::string &file,
                     const std::vector<std::string> &defines,
                     const std::vector<checker::TraceRecord> &records,
                     const std::string &command = "conform");

} // namespace mommie::tool
