// Node trace files and their recorded parameters (see TraceFiles.h).
#include "tools/TraceFiles.h"

#include "backends/cpp/CppGen.h"
#include "tools/Commands.h"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

namespace mommie::tool {

namespace {

using json = nlohmann::json;

struct Recorded {
  int64_t value = 0;
  std::string file;
};
using RecordedParams = std::map<std::string, Recorded>;

std::string assignment(const std::string &name, int64_t value) {
  return name + " = " + std::to_string(value);
}

// Adds the "params" of record `r` to `out`; "" or why they are unusable
// or disagree with another trace's.
std::string collectParams(const checker::TraceRecord &r, RecordedParams &out) {
  const json &params = r.j["params"];
  std::string where = r.file + ":" + std::to_string(r.line) + ": ";
  if (!params.is_object())
    return where + "\"params\" is not an object";
  for (const auto &[name, v] : params.items()) {
    if (!v.is_number_integer())
      return where + "parameter " + name + " is not an integer";
    int64_t value = v.get<int64_t>();
    auto [it, fresh] = out.try_emplace(name, Recorded{value, r.file});
    if (!fresh && it->second.value != value)
      return "trace " + r.file + " was recorded with " +
             assignment(name, value) + ", but trace " + it->second.file +
             " with " + assignment(name, it->second.value);
  }
  return "";
}

std::string recordedParams(const std::vector<checker::TraceRecord> &records,
                           RecordedParams &out) {
  for (const auto &r : records)
    if (r.j.is_object() && r.j.contains("params"))
      if (std::string why = collectParams(r, out); !why.empty())
        return why;
  return "";
}

bool definedOnCommandLine(const std::vector<std::string> &defines,
                          const std::string &name) {
  return std::any_of(defines.begin(), defines.end(), [&](const std::string &d) {
    return d.substr(0, d.find('=')) == name;
  });
}

// The node code generated for `file` at `defines`, without the parameter
// values it reports (`--version`); empty if it does not compile.
std::string nodeCodeAt(const std::string &file,
                       const std::vector<std::string> &defines) {
  std::ostringstream quiet;
  auto program = loadProgram(file, defines, quiet);
  if (!program)
    return "";
  return cppgen::nodeCode(cppgen::generate(*program));
}

// Whether the nodes' code is the same at NAME = `recorded` as at `defines`:
// then NAME bounds the model only (a phase bound, an `int model` range), and
// a trace recorded at one value is a run of the nodes at the other.
bool modelOnly(const std::string &file, const std::vector<std::string> &defines,
               const std::string &name, int64_t recorded) {
  std::vector<std::string> at = defines;
  at.push_back(name + "=" + std::to_string(recorded));
  std::string mine = nodeCodeAt(file, defines);
  return !mine.empty() && mine == nodeCodeAt(file, at);
}

// Compares the recorded values with `program`'s (compiled with `defines`):
// "" and, in `overrides`, NAME=VALUE for each value that is not the
// program's yet; or the conflict. A value given with -D wins over a
// recorded one the nodes' code does not depend on (modelOnly).
std::string reconcile(const ir::Program &program, const std::string &file,
                      const std::vector<std::string> &defines,
                      const RecordedParams &recorded,
                      std::vector<std::string> &overrides) {
  for (const auto &entry : recorded) {
    const std::string &name = entry.first;
    const auto &r = entry.second;
    auto p = std::find_if(program.params.begin(), program.params.end(),
                          [&](const ir::Param &q) { return q.name == name; });
    std::string was =
        "trace " + r.file + " was recorded with " + assignment(name, r.value);
    if (p == program.params.end())
      return was + ", but " + file + " declares no parameter " + name;
    if (p->value == r.value)
      continue;
    if (definedOnCommandLine(defines, name)) {
      if (modelOnly(file, defines, name, r.value))
        continue;
      return was + ", but -D " + assignment(name, p->value) + " was given";
    }
    overrides.push_back(name + "=" + std::to_string(r.value));
  }
  return "";
}

} // namespace

bool readTraceFile(const std::string &path,
                   std::vector<checker::TraceRecord> &records,
                   std::ostream &notes, std::string &error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot read " + path;
    return false;
  }
  std::string line;
  size_t lineNo = 0;
  while (std::getline(in, line)) {
    ++lineNo;
    if (line.find_first_not_of(" \t\r") == std::string::npos)
      continue;
    auto j = json::parse(line, nullptr, false);
    if (j.is_discarded() && in.eof()) {
      // The last line has no newline: the writer was killed mid-write.
      notes << path << ":" << lineNo
            << ": note: ignoring a truncated last line\n";
      break;
    }
    if (j.is_discarded()) {
      error = path + ":" + std::to_string(lineNo) + ": not a JSON object";
      return false;
    }
    records.push_back({path, lineNo, std::move(j)});
  }
  return true;
}

bool readTraceFiles(const std::vector<std::string> &paths,
                    std::vector<checker::TraceRecord> &records,
                    const std::string &command) {
  for (const auto &path : paths) {
    std::string error;
    if (!readTraceFile(path, records, std::cerr, error)) {
      std::cerr << "mommie " << command << ": error: " << error << "\n";
      return false;
    }
  }
  return true;
}

std::optional<ir::Program>
loadProgramForTraces(const std::string &file,
                     const std::vector<std::string> &defines,
                     const std::vector<checker::TraceRecord> &records,
                     const std::string &command) {
  RecordedParams recorded;
  if (std::string why = recordedParams(records, recorded); !why.empty()) {
    std::cerr << "mommie " << command << ": error: " << why << "\n";
    return std::nullopt;
  }
  auto program = loadProgram(file, defines);
  if (!program || recorded.empty())
    return program;
  std::vector<std::string> overrides;
  if (std::string why = reconcile(*program, file, defines, recorded, overrides);
      !why.empty()) {
    std::cerr << "mommie " << command << ": error: " << why << "\n";
    return std::nullopt;
  }
  if (overrides.empty())
    return program;
  overrides.insert(overrides.begin(), defines.begin(), defines.end());
  return loadProgram(file, overrides);
}

} // namespace mommie::tool
