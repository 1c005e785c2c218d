// The node flag table, its parser and its help (see Flags.h).
#include "runtime/node/Flags.h"

#include "runtime/wire/ClosestName.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>

namespace mommie::rt {

namespace {

struct Registry {
  std::vector<std::string> mains{"node", "round", "sim"};
  std::map<std::string, std::string> usage{
      {"node", "--id PRINCIPAL --deploy deploy.conf [flags]   (a statement "
               "program's node)"},
      {"round", "--id PRINCIPAL --deploy deploy.conf [flags]   (a round "
                "program's node)"},
      {"sim", "--sim --deploy deploy.conf [flags]   (every node in this "
              "process, simulated)"}};
  // clang-format off
  std::vector<FlagSpec> rows{
    {"--help", "", "node round sim", "print the flags and exit (also -h)"},
    {"--version", "", "node round", "print the protocol, its parameters and the mommie version, and exit"},
    {"--info", "", "node round", "like --version, with the principals, and exit"},
    {"--sim", "", "node round", "as the first argument: run every node of the deployment in this process over a simulated network (the sim flags)", true},
    {"--id", "PRINCIPAL", "node round", "the principal this node runs (required; a TTP(z) principal of the deploy file runs the trusted third party)"},
    {"--deploy", "FILE", "node round sim", "the deployment file, deploy.conf (required)"},
    {"--keys", "DIR", "node round", "the key directory of `mommie keygen` (required by keyed modules)"},
    {"--log-level", "LEVEL", "node round sim", "the least level logged: debug, info, warn, error or off (default info; sim: error)"},
    {"--run-for", "MS", "node round sim", "stop after MS milliseconds (sim: of virtual time, default 600000)"},
    {"--trace", "FILE.jsonl", "node round", "write one trace record per step (docs/runtime.md, Traces)"},
    {"--trace-dir", "DIR", "sim", "write each node's trace to DIR/<node>.jsonl"},
    {"--stats", "FILE.json", "node round", "write the counters (rejects, transport, crypto) at exit"},
    {"--data-dir", "DIR", "node round", "keep the durable variables in DIR, a write-ahead log (docs/runtime.md, Durable state): restored at start, written before anything that depends on them is sent"},
    {"--fresh", "", "node round", "with --data-dir: start with no durable state (a first start, or joining afresh); without it a missing or empty DIR is refused"},
    {"--fsync", "on|off", "node round", "with --data-dir: sync each record to disk before going on (default on; off for benchmarks: a machine crash may then lose the last records)"},
    {"--stats-every", "SECONDS", "node round", "log a `stats` line every SECONDS seconds: pool, frames, steps, rejects, connections (default 0: never)"},
    {"--exit-when-quiescent", "MS", "node", "stop once no timer runs and nothing happened for MS milliseconds (with a workload: instead of when its requests complete)"},
    {"--max-per-peer", "N", "node", "admit at most N statements of one issuer to the pool (flood bound)"},
    {"--requests", "N", "node sim", "client workload: issue N requests (docs/runtime.md, Client workloads; sim: every client)"},
    {"--concurrency", "C", "node", "client workload: at most C requests outstanding"},
    {"--progress-every", "N", "node", "client workload: print a JSON progress line (rate and latency of the window) every N completions"},
    {"--request-transition", "T", "node", "client workload: the transition that issues a request"},
    {"--complete-transition", "T", "node", "client workload: the transition that completes one"},
    {"--json", "", "node", "print the workload in the JSON outcome line instead of its summary"},
    {"--phases", "N", "round sim", "stop after N phases (default 0: run until --run-for or a signal; `phase bound` bounds the model only)"},
    {"--transport", "tcp|udp", "round", "the transport of round frames (default tcp)"},
    {"--resend-ms", "MS", "round", "resend the current round's frames every MS ms (default 10 over UDP, never over TCP)"},
    {"--linger", "MS", "round", "stay MS ms after the last phase to answer late peers (default 300)"},
    {"--max-pending", "N", "round", "frames of future rounds buffered per peer (default 64)"},
    {"--start-delay", "MS", "round", "wait MS ms before the first round"},
    {"--drop-percent", "P", "round kv", "fault injection: drop P% of the round messages and markers sent (kv: of every replica frame; with --seed)"},
    {"--delay", "MIN-MAX", "round", "fault injection: hold each message sent for MIN..MAX ms (or D), seeded"},
    {"--seed", "S", "round kv", "the seed of --drop-percent and --delay (default 1)"},
    {"--seed", "S", "sim", "the seed of the simulated network and of initial choices (default 1)"},
    {"--faults", "F", "sim", "the simulated faults: loss, duplication, delay, crash, byz (docs/conform.md)"},
    {"--max-steps", "N", "sim", "stop after N steps of all nodes, round programs: N node rounds (default 1000000; verdict \"step limit\")"},
  };
  // clang-format on
};

Registry &registry() {
  static Registry r;
  return r;
}

} // namespace

const std::vector<std::string> &flagMains() { return registry().mains; }
const std::vector<FlagSpec> &flagTable() { return registry().rows; }

void addFlagMain(const std::string &main, const std::string &usage) {
  auto &r = registry();
  for (const auto &m : r.mains)
    if (m == main)
      return;
  r.mains.push_back(main);
  r.usage[main] = usage;
}

void addFlags(const std::vector<FlagSpec> &rows) {
  auto &r = registry();
  for (const auto &row : rows) {
    bool known = false;
    for (const auto &have : r.rows)
      known = known || (have.name == row.name && have.mains == row.mains);
    if (!known)
      r.rows.push_back(row);
  }
}

void acceptFlags(const std::string &main,
                 const std::vector<std::string> &names) {
  for (const auto &n : names)
    for (auto &row : registry().rows)
      if (row.name == n) { // the first row of that name
        if (!acceptedBy(row, main))
          row.mains += " " + main;
        break;
      }
}

std::string flagUsage(const std::string &main) {
  auto it = registry().usage.find(main);
  return it == registry().usage.end() ? "[flags]" : it->second;
}

bool acceptedBy(const FlagSpec &f, const std::string &main) {
  std::istringstream in(f.mains);
  for (std::string m; in >> m;)
    if (m == main)
      return true;
  return false;
}

std::string FlagValues::str(const std::string &name,
                            const std::string &dflt) const {
  auto it = values_.find(name);
  return it == values_.end() ? dflt : it->second;
}

namespace {
// A whole decimal number (an optional '-' when `sign`); false on anything else.
bool wholeNumber(const std::string &v, bool sign, long long &n,
                 unsigned long long &u) {
  if (v.empty() || (!sign && v[0] == '-'))
    return false;
  char *end = nullptr;
  errno = 0;
  if (sign)
    n = std::strtoll(v.c_str(), &end, 10);
  else
    u = std::strtoull(v.c_str(), &end, 10);
  return !errno && end && !*end;
}
} // namespace

bool FlagValues::count(const std::string &name, int64_t &out,
                       std::string &error, int64_t lo, int64_t hi) const {
  auto it = values_.find(name);
  if (it == values_.end())
    return true;
  long long n = 0;
  unsigned long long u = 0;
  if (!wholeNumber(it->second, true, n, u) || n < lo || n > hi) {
    error = "bad " + name + " '" + it->second + "'";
    return false;
  }
  out = n;
  return true;
}

bool FlagValues::u64(const std::string &name, uint64_t &out,
                     std::string &error) const {
  auto it = values_.find(name);
  if (it == values_.end())
    return true;
  long long n = 0;
  unsigned long long u = 0;
  if (!wholeNumber(it->second, false, n, u)) {
    error = "bad " + name + " '" + it->second + "'";
    return false;
  }
  out = u;
  return true;
}

bool parseFlags(const std::string &main, int argc, char **argv, int first,
                FlagValues &out, std::string &error) {
  const auto &rows = flagTable();
  for (int i = first; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "-h")
      a = "--help";
    const FlagSpec *spec = nullptr;
    bool elsewhere = false, mode = false;
    for (const auto &f : rows)
      if (f.name == a) {
        if (acceptedBy(f, main) && !f.mode)
          spec = &f;
        else if (f.mode)
          mode = true;
        else
          elsewhere = true;
      }
    if (!spec) {
      if (mode) {
        error = a + " must be the first argument";
        return false;
      }
      if (elsewhere) {
        error = a + " is not a flag of this mode (" + main + ")";
        return false;
      }
      std::vector<std::string> names;
      for (const auto &f : rows)
        if (acceptedBy(f, main) && !f.mode)
          names.push_back(f.name);
      std::string close = closestName(a, names);
      error = "unknown flag '" + a + "'" +
              (close.empty() ? "" : " (did you mean '" + close + "'?)");
      return false;
    }
    if (spec->arg.empty()) {
      out.set(spec->name, "");
      continue;
    }
    if (i + 1 >= argc) {
      error = spec->name + " needs an argument " + spec->arg;
      return false;
    }
    out.set(spec->name, argv[++i]);
  }
  return true;
}

std::string flagsHelp(const std::string &argv0,
                      const std::vector<std::string> &mains) {
  std::string out;
  for (const auto &main : mains) {
    out += (out.empty() ? "usage: " : "\n       ") + argv0 + " " +
           flagUsage(main) + "\n";
    for (const auto &f : flagTable()) {
      if (!acceptedBy(f, main))
        continue;
      std::string left = "  " + f.name + (f.arg.empty() ? "" : " " + f.arg);
      if (left.size() < 28)
        left.resize(28, ' ');
      else
        left += "\n" + std::string(28, ' ');
      out += left + f.help + "\n";
    }
  }
  return out;
}

std::string flagsMarkdown() {
  std::string out = "| flag | mains | what |\n|---|---|---|\n";
  auto cell = [](std::string text) { // a '|' would end the cell
    for (size_t at = text.find('|'); at != std::string::npos;
         at = text.find('|', at + 2))
      text.replace(at, 1, "\\|");
    return text;
  };
  for (const auto &f : flagTable())
    out += "| `" + cell(f.name + (f.arg.empty() ? "" : " " + f.arg)) + "` | " +
           f.mains + " | " + cell(f.help) + " |\n";
  return out;
}

int readFlags(const std::string &main, int argc, char **argv, int first,
              const std::vector<std::string> &helpMains, FlagValues &out,
              const BuildFacts *build) {
  std::string err;
  if (!parseFlags(main, argc, argv, first, out, err))
    return flagError(argv[0], main, err);
  if (out.has("--help"))
    return printFlagsHelp(argv[0], helpMains);
  if (build)
    for (const char *b : {"--version", "--info"})
      if (out.has(b) &&
          printBuildInfo(b, build->protocol, build->params, build->principals))
        return 0;
  return -1;
}

int flagError(const char *argv0, const std::string &main,
              const std::string &why) {
  std::cerr << argv0 << ": error: " << why << "\n"
            << "usage: " << argv0 << " " << flagUsage(main) << "\n"
            << "       " << argv0 << " --help   (every flag)\n";
  return 2;
}

int printFlagsHelp(const char *argv0, const std::vector<std::string> &mains) {
  std::string text = flagsHelp(argv0, mains);
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
  return 0;
}

} // namespace mommie::rt
