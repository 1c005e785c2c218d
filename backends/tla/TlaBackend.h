// The TLA+ backend: a pure function from the IR to the text of a TLA+
// module, its TLC configuration and the standard module MommiePool that the
// spec extends. Writing the files is the caller's business (tools/CmdTla.cpp).
// The translation, construct by construct, is described in docs/tla.md; the
// state space it encodes is docs/semantics.md.
#pragma once

#include "ir/Diagnostics.h"
#include "ir/IR.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mommie::tla {

struct TlaFiles {
  std::string moduleName; // the protocol name: files <moduleName>.tla/.cfg
  std::string tla;        // the spec module
  std::string cfg;        // TLC configuration: the parameters, editable
  std::string mcTla;      // MC.tla: the instance, principals as model values
  std::string mcCfg;      // MC.cfg: its configuration, with SYMMETRY
  std::string poolTla;    // MommiePool.tla, the standard module it extends
};

// Emits the spec of `program`. Reports constructs that have no finite TLA+
// encoding (e.g. a Byzantine-publishable record with an unbounded field) to
// `diags` and returns nullopt. Deterministic: equal IR, equal text.
std::optional<TlaFiles> emitTla(const ir::Program &program,
                                DiagnosticEngine &diags);

// The names the spec of `program` gives its state variables (the same as
// emitTla's), for traces written in the spec's terms (ITF, `mommie check
// --itf`). Indexed like the IR: vars[role][var], timers[role][timer],
// fired[role][transition] ("" when not refracted); pools and knowledge
// sets only of the records the spec keeps (published or Byzantine).
struct StateNames {
  std::vector<std::string> principalSets;       // principal set i's name
  std::vector<std::vector<std::string>> fields; // fields[record][field]
  std::vector<std::vector<std::string>> vars, timers, fired;
  std::map<int, std::string> pools, known; // by record
  bool crashed = false, byz = false;       // the `crashed` / `byz` sets
  std::vector<std::string> all;            // every variable, in `vars` order
};
StateNames stateNames(const ir::Program &program);

// The text of MommiePool.tla (constant).
const std::string &mommiePoolModule();

} // namespace mommie::tla
