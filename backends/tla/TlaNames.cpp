// Identifier sanitizing and scoping for the emitted TLA+.
#include "backends/tla/TlaNames.h"

#include <cctype>

namespace mommie::tla {

namespace {

const std::set<std::string> &reserved() {
  static const std::set<std::string> names = {
      // TLA+ keywords.
      "ASSUME", "ASSUMPTION", "AXIOM", "CASE", "CHOOSE", "CONSTANT",
      "CONSTANTS", "DOMAIN", "ELSE", "ENABLED", "EXCEPT", "EXTENDS", "IF", "IN",
      "INSTANCE", "LET", "LOCAL", "MODULE", "OTHER", "SF_", "SUBSET", "THEN",
      "THEOREM", "UNCHANGED", "UNION", "VARIABLE", "VARIABLES", "WF_", "WITH",
      "BOOLEAN", "STRING", "TRUE", "FALSE", "LAMBDA", "RECURSIVE", "ACTION",
      "HAVE", "HIDE", "OBVIOUS", "OMITTED", "PICK", "PROOF", "PROPOSITION",
      "PROVE", "QED", "STATE", "SUFFICES", "TAKE", "TEMPORAL", "USE", "WITNESS",
      "BY", "DEF", "DEFINE", "DEFS", "LEMMA", "COROLLARY", "NEW", "ONLY", "QED",
      "Nat", "Int", "Real",
      // Standard modules.
      "Naturals", "Integers", "FiniteSets", "Sequences", "TLC", "IsFiniteSet",
      "Cardinality", "Seq", "Len", "Append", "Head", "Tail", "SubSeq",
      "SelectSeq", "Print", "PrintT", "Assert", "JavaTime", "TLCGet", "TLCSet",
      "Permutations", "SortSeq", "RandomElement", "Any", "ToString", "TLCEval",
      // MommiePool.
      "MommiePool", "None", "Some", "IsSome", "Get", "OptionOf", "Maps",
      "SetMax", "SetMin", "Stmt", "Msgs", "IssuedMsgs", "IssuersOf",
      "QuorumMsgs", "ExactQuorumMsgs", "Product", "Mailboxes", "Div", "Mod",
      // Fixed names of every emitted spec.
      "self", "vars", "Init", "Next", "Spec", "TypeOK", "Fairness", "Live",
      "Principals", "Terminated", "phaseNo", "roundNo", "crashed", "byz",
      "Crash", "Recover"};
  return names;
}

} // namespace

bool isReservedName(const std::string &name) {
  return reserved().count(name) != 0;
}

std::string sanitizeName(const std::string &name) {
  std::string out;
  bool letter = false;
  for (char c : name) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '_') {
      out += c;
      letter = letter || std::isalpha(u);
    } else {
      out += '_';
    }
  }
  if (!letter)
    out = "v" + out;
  if (out.rfind("WF_", 0) == 0 || out.rfind("SF_", 0) == 0)
    out = "x" + out;
  return out;
}

bool NameScope::taken(const std::string &name) const {
  if (names_.count(name) || isReservedName(name))
    return true;
  return parent_ && parent_->taken(name);
}

std::string NameScope::claim(const std::string &base) {
  std::string b = sanitizeName(base);
  if (!taken(b)) {
    names_.insert(b);
    return b;
  }
  for (int i = 1;; ++i) {
    std::string n = b + "_" + std::to_string(i);
    if (!taken(n)) {
      names_.insert(n);
      return n;
    }
  }
}

bool NameScope::claimExact(const std::string &name) {
  if (taken(name))
    return false;
  names_.insert(name);
  return true;
}

} // namespace mommie::tla
