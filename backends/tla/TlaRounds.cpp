// The actions of round programs: lock step, as ReSync's Fig. 8.
//
// For each round R the spec defines
//   R_Send(self, q)    the payload self sends to q (an option: the first
//                      applicable `send` clause wins),
//   R_Sent(q)          the function from live senders to what they sent q,
//   R_Mailboxes(q)     every mailbox q may receive: any subset of R_Sent(q)
//                      plus any payload from any subset of the Byzantine
//                      senders, filtered by the round's communication
//                      predicates and, with waitMessages, its goAhead,
//   R_Update(self, mbox) the record of self's role vars after `update`,
// and the step R itself: a set C of live processes may crash during it
// (CrashSets: within the crash bounds; they send, but receive and update
// nothing), every other live process picks one of its possible updated
// states (a Product over them), all at once, and the round counter
// advances. Choosing among updated states rather than mailboxes gives the
// same successors with fewer duplicates. Communication predicates and
// mailboxes take the crashed set at the end of the round (`crashed \cup C`)
// as a parameter, which `crashed(p)` in a predicate reads.
#include "backends/tla/TlaBody.h"

#include <fmt/format.h>

namespace mommie::tla {

using namespace ir;

namespace {

std::string joinWith(const std::vector<std::string> &parts, const char *sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i)
    out += (i ? sep : "") + parts[i];
  return out;
}

} // namespace

std::string emitRoundActions(Emitter &em, std::vector<std::string> &next,
                             std::vector<std::string> &fair) {
  const Program &prog = em.prog;
  const Role &role = prog.roles[0];
  const Phase &phase = *role.phase;
  const std::string &set = em.setNames[role.principalSet];
  std::string out;

  // Live processes and Byzantine senders.
  std::string live = set;
  if (em.hasCrash || em.hasByz) {
    live = em.globals.claim("LiveProcs");
    out += "\\* The processes that take part in the next round.\n";
    NameScope scope(&em.globals);
    std::string p = scope.claim("p");
    out += live + " == {" + p + " \\in " + set + " : Live(" + p + ")}\n\n";
  }
  // The crash sets of a step (without a crash fault: only {}).
  std::string crashSets;
  if (em.hasCrash) {
    crashSets = em.globals.claim("CrashSets");
    std::vector<std::string> bounds, mayCrash;
    for (const auto &fd : prog.faults) {
      if (!fd.crashes())
        continue;
      const std::string &s = em.setNames[fd.principalSet];
      mayCrash.push_back(s);
      bounds.push_back("Cardinality((crashed \\cup C) \\cap " + s +
                       ") <= " + em.symbolic(fd.symMax, fd.max));
    }
    out += "\\* The sets of processes that may crash during a round: live, "
           "within every\n"
           "\\* crash bound.\n";
    std::string crashable = mayCrash.size() == 1
                                ? mayCrash[0]
                                : "(" + joinWith(mayCrash, " \\cup ") + ")";
    out += crashSets + " ==\n  {C \\in SUBSET (" + live + " \\cap " +
           crashable + ") :\n     " + joinWith(bounds, " /\\ ") + "}\n\n";
  }
  std::string byzSenders = "{}";
  if (em.hasByz) {
    byzSenders = "byz";
    for (const auto &fd : prog.faults)
      if (fd.kind == FaultDecl::Kind::Byzantine &&
          fd.principalSet != role.principalSet)
        byzSenders = "(byz \\cap " + set + ")";
  }

  size_t nRounds = phase.rounds.size();
  for (size_t i = 0; i < nRounds; ++i) {
    const Round &rd = phase.rounds[i];
    std::string name = em.globals.claim(rd.name);
    em.roundNames.push_back(name);
    std::string sendOp = em.globals.claim(name + "_Send");
    std::string sentOp = em.globals.claim(name + "_Sent");
    std::string updOp = em.globals.claim(name + "_Update");
    std::string boxOp = em.globals.claim(name + "_Mailboxes");

    // R_Send(self, q).
    {
      Frame f(em, &rd.slots, "self");
      std::string q = f.fresh("q");
      std::string text = "None";
      for (size_t k = rd.sends.size(); k-- > 0;) {
        const SendClause &sc = rd.sends[k];
        std::vector<std::string> cond;
        if (sc.cond)
          cond.push_back(em.operand(sc.cond.get(), f));
        if (sc.dest && sc.dest->type && sc.dest->type->kind == TypeKind::Set)
          cond.push_back(q + " \\in " + em.operand(sc.dest.get(), f));
        else
          cond.push_back(q + " = " + em.operand(sc.dest.get(), f));
        text = "IF " + joinWith(cond, " /\\ ") + " THEN Some(" +
               em.expr(sc.payload.get(), f) + ")\n    ELSE " + text;
      }
      out += "\\* Round " + rd.name + " (" + em.loc(rd.loc) +
             "): what self sends to " + q + ", if anything.\n";
      out += sendOp + "(self, " + q + ") ==\n  " + text + "\n\n";
    }

    // R_Sent(q).
    {
      NameScope sc(&em.globals);
      std::string q = sc.claim("q"), p = sc.claim("p"), s = sc.claim("S");
      out += "\\* The messages live processes send to " + q + " in round " +
             rd.name + ".\n";
      out += sentOp + "(" + q + ") ==\n  LET " + s + " == {" + p + " \\in " +
             live + " : IsSome(" + sendOp + "(" + p + ", " + q + "))}\n  IN [" +
             p + " \\in " + s + " |-> Get(" + sendOp + "(" + p + ", " + q +
             "))]\n\n";
    }

    // Communication predicates and goAhead.
    std::vector<std::string> filters;
    for (const auto &cp : prog.commPredicates) {
      if (cp.round != static_cast<int>(i))
        continue;
      Frame f(em, &cp.slots, "self");
      std::string cpName = em.globals.claim(cp.name);
      std::string params = "self, " + f.slot(cp.mboxSlot);
      if (em.hasCrash) {
        f.crashedSet = f.fresh("crashedAfter");
        params += ", " + f.crashedSet;
      }
      out += em.locComment(cp.loc);
      out +=
          cpName + "(" + params + ") == " + em.expr(cp.expr.get(), f) + "\n\n";
      filters.push_back(cpName);
    }
    std::string goAheadFilter;
    bool wait = false;
    const ProgressCond *goAhead = nullptr;
    for (const auto &pc : rd.progress) {
      wait = wait || pc.kind == ProgressKind::WaitMessages;
      if (pc.kind == ProgressKind::GoAhead)
        goAhead = &pc;
    }
    if (wait && goAhead && goAhead->expr) {
      Frame f(em, &rd.slots, "self");
      std::string gaName = em.globals.claim(name + "_GoAhead");
      out += "\\* waitMessages: the mailbox satisfies goAhead (" +
             em.loc(goAhead->loc) + ").\n";
      out += gaName + "(self, " + f.slot(rd.mboxSlot) +
             ") == " + em.expr(goAhead->expr.get(), f) + "\n\n";
      goAheadFilter = gaName;
    }

    // R_Mailboxes(q) (R_Mailboxes(q, crashedAfter) with crash faults).
    {
      NameScope sc(&em.globals);
      std::string q = sc.claim("q"), m = sc.claim("m");
      std::string after = em.hasCrash ? sc.claim("crashedAfter") : "";
      std::string dom = "{}";
      if (em.hasByz && rd.payload)
        dom = em.domainOf(*rd.payload, rd.loc);
      std::string boxes = "Mailboxes(" + sentOp + "(" + q + "), " + byzSenders +
                          ", " + dom + ")";
      out += "\\* The mailboxes " + q + " may receive in round " + rd.name +
             (em.hasCrash ? ", " + after + " being crashed at its end" : "") +
             ".\n";
      out += boxOp + "(" + q + (em.hasCrash ? ", " + after : "") + ") ==\n  ";
      std::vector<std::string> conds;
      for (auto &fl : filters)
        conds.push_back(fl + "(" + q + ", " + m +
                        (em.hasCrash ? ", " + after : "") + ")");
      if (!goAheadFilter.empty())
        conds.push_back(goAheadFilter + "(" + q + ", " + m + ")");
      if (conds.empty())
        out += boxes + "\n\n";
      else
        out += "{" + m + " \\in " + boxes + " :\n     " +
               joinWith(conds, " /\\ ") + "}\n\n";
    }

    // R_Update(self, mbox).
    {
      Frame f(em, &rd.slots, "self");
      BodyTranslator body(em, f, 0);
      body.run(rd.update);
      std::vector<std::string> fields;
      for (size_t v = 0; v < role.vars.size(); ++v)
        fields.push_back(em.varNames[0][v] + " |-> " + body.cur.vars[v]);
      std::string result =
          fields.empty() ? "<<>>" : "[" + joinWith(fields, ", ") + "]";
      out += "\\* Round " + rd.name + ": self's variables after update (" +
             em.loc(rd.loc) + ").\n";
      out += updOp + "(self, " + f.slot(rd.mboxSlot) + ") ==\n";
      for (auto &l : indent(letBlock(body.defs, single(result)), 2))
        out += l + "\n";
      out += "\n";
    }

    // The step.
    {
      NameScope sc(&em.globals);
      std::string q = sc.claim("q"), m = sc.claim("m"), p = sc.claim("p"),
                  nx = sc.claim("next"), c = sc.claim("C");
      std::vector<Lines> items;
      items.push_back(
          single("phaseNo < " + em.symbolic(phase.symBound, phase.bound)));
      items.push_back(single(fmt::format("roundNo = {}", i)));
      std::vector<Lines> assigns;
      for (size_t v = 0; v < role.vars.size(); ++v) {
        const std::string &x = em.varNames[0][v];
        assigns.push_back(single(x + "' = [" + p + " \\in " + set + " |-> IF " +
                                 p + " \\in DOMAIN " + nx + " THEN " + nx +
                                 "[" + p + "]." + x + " ELSE " + x + "[" + p +
                                 "]]"));
      }
      if (assigns.empty())
        assigns.push_back(single("TRUE"));
      if (em.hasCrash)
        assigns.push_back(single("crashed' = crashed \\cup " + c));
      std::string receivers =
          em.hasCrash ? "(" + live + " \\ " + c + ")" : live;
      std::string boxes =
          boxOp + "(" + q + (em.hasCrash ? ", crashed \\cup " + c : "") + ")";
      Lines choose;
      if (em.hasCrash)
        choose.push_back("\\E " + c + " \\in " + crashSets + " :");
      choose.push_back((em.hasCrash ? "  " : "") + std::string("\\E ") + nx +
                       " \\in Product(" + receivers + ", [" + q + " \\in " +
                       receivers + " |-> {" + updOp + "(" + q + ", " + m +
                       ") : " + m + " \\in " + boxes + "}]) :");
      for (auto &l : indent(bulletList(assigns, "/\\ "), em.hasCrash ? 4 : 2))
        choose.push_back(l);
      items.push_back(choose);
      if (nRounds == 1) {
        items.push_back(single("roundNo' = 0"));
        items.push_back(single("phaseNo' = phaseNo + 1"));
      } else {
        items.push_back(single(
            fmt::format("roundNo' = IF roundNo = {} THEN 0 ELSE roundNo + 1",
                        nRounds - 1)));
        items.push_back(single(fmt::format(
            "phaseNo' = IF roundNo = {} THEN phaseNo + 1 ELSE phaseNo",
            nRounds - 1)));
      }
      std::set<std::string> changed{"phaseNo", "roundNo"};
      if (em.hasCrash)
        changed.insert("crashed");
      for (auto &x : em.varNames[0])
        changed.insert(x);
      if (Lines unch = em.unchangedExcept(changed); !unch.empty())
        items.push_back(unch);
      out += "\\* Round " + rd.name + " (" + em.loc(rd.loc) +
             "), lock step: every live process sends, receives a mailbox "
             "and updates" +
             (em.hasCrash ? ", but those of C crash during it" : "") + ".\n";
      out += name + " ==\n";
      for (auto &l : indent(bulletList(items, "/\\ "), 2))
        out += l + "\n";
      out += "\n";
      next.push_back(name);
      fair.push_back(name);
    }
  }

  out += emitCrash(em, next);
  out += emitRecover(em, next); // between rounds: phaseNo, roundNo unchanged

  std::string term = "phaseNo = " + em.symbolic(phase.symBound, phase.bound);
  if (prog.termination.expr) {
    Frame f(em, &prog.termination.slots, "");
    term = "(" + term + " \\/ " + em.expr(prog.termination.expr.get(), f) + ")";
  }
  out += "\\* After the last phase the system stutters (not a deadlock).\n";
  out += "Terminated ==\n  /\\ " + term + "\n  /\\ UNCHANGED vars\n\n";
  next.push_back("Terminated");
  return out;
}

} // namespace mommie::tla
