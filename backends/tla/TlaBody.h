// Internal to the TLA+ backend: sequential body specs as LET-chains.
//
// The translator walks the statements in order, keeping for every role var
// of ME, timer, local slot, pool and ME's knowledge the TLA+ name of its
// current value. An assignment, `let` or PUBLISH defines a new LET name
// (`x_1 == [x[self] EXCEPT ![k] = v]`); `if` translates both branches and
// merges every value they disagree on with `IF c THEN a ELSE b`. TLC
// evaluates LET definitions lazily, so a definition of an untaken branch is
// never evaluated. The action then assigns the final values to the primed
// variables.
#pragma once

#include "backends/tla/TlaEmitter.h"

#include <map>
#include <utility>

namespace mommie::tla {

struct BodyState {
  std::map<int, std::string> vars;   // role var -> value of ME's copy
  std::map<int, std::string> timers; // timer -> running
  std::map<int, std::string> pools;  // record -> pool set
  std::map<int, std::string> known;  // record -> ME's known set
  std::vector<std::string> slots;    // current name of every slot
};

class BodyTranslator {
public:
  // Installs itself as the frame's resolver for role vars and knowledge.
  BodyTranslator(Emitter &em, Frame &f, int role);

  void run(const ir::Block &block);

  // The LET definitions, in order.
  std::vector<std::pair<std::string, std::string>> defs;
  BodyState initial, cur;

  // The primed assignments for everything the body changed (plus `extra`
  // already-changed variable names), and the UNCHANGED conjunct.
  std::vector<std::string> updates(std::set<std::string> &changed);

private:
  std::string define(const std::string &base, const std::string &text);
  void stmt(const ir::Stmt &s);
  void merge(const std::string &cond, const BodyState &a, const BodyState &b);

  Emitter &em_;
  Frame &f_;
  int role_;
  std::set<int> letSeen_;
};

// `LET defs IN body` laid out over lines (just `body` if no defs).
Lines letBlock(const std::vector<std::pair<std::string, std::string>> &defs,
               const Lines &body);

} // namespace mommie::tla
