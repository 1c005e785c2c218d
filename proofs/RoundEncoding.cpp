// The bounded encoding of a round step (docs/semantics.md, round programs;
// ReSync Fig. 8, lock step). For round `r` at index i of the phase:
//   pre:  TypeOK, invariants and lemmas, roundNo = i, phaseNo < bound
//   send: for each live p and each receiver q, msg(p, q) is the payload of
//         the first send clause whose condition holds and whose destination
//         contains q (none if no clause applies)
//   recv: recv[q][p] is a free Boolean: q's mailbox holds p's message.
//         recv[q][p] => byz[p] \/ (live p /\ p sent to q); the payload is
//         msg(p, q) for a live p, any value of the payload type for a
//         Byzantine p
//   crash: crashing[p] is a free Boolean for each crashable p: p, live,
//         crashes during the step (it sends, but neither receives nor
//         updates); `after` is the pre-state with those crashed, within the
//         crash bounds
//   comm: every q live in `after` has a mailbox that satisfies the round's
//         communication predicates (evaluated on `after`, so crashed(p)
//         there is "crashed by the end of the round"), and its goAhead
//         condition if the round waitMessages
//   post: every q live in `after` runs update on its own pre-state and
//         mailbox; other principals keep their state; crashed is after's;
//         roundNo advances (wrapping to 0 and incrementing phaseNo after the
//         last round)
#include "proofs/Encoding.h"

#include <fmt/format.h>

namespace mommie::proofs {

namespace {

struct RoundInfo {
  // mbox[q index] : the symbolic mailbox of receiver q
  std::vector<SVal> mbox;
};

StepEncoding encodeRound(StateBuilder &b, int index) {
  const ir::Program &prog = b.prog;
  const ir::Role &role = prog.roles[0];
  const ir::Phase &phase = *role.phase;
  const ir::Round &round = phase.rounds[index];
  const auto &ps = prog.principalSets.at(role.principalSet);
  auto &s = b.s;
  auto &ops = b.ops;

  StepEncoding step;
  step.name = "round " + round.name;
  step.loc = round.loc;
  try {
    if (!round.payload)
      throw Unsupported("round without a payload type");
    auto pre = std::make_shared<SymState>(b.freshState("", step.hyps));
    assumeInvariantsOn(b, *pre, step.hyps);
    step.hyps.push_back(s.mkEq(pre->roundNo, s.intConst(index)));
    step.hyps.push_back(s.mkLt(pre->phaseNo, s.intConst(phase.bound)));

    // Sends: has[p][q], msg[p][q] (indices within the role's set).
    int n = ps.size;
    std::vector<std::vector<Term>> has(n, std::vector<Term>(n));
    std::vector<std::vector<SVal>> msg(n, std::vector<SVal>(n));
    for (int i = 0; i < n; ++i) {
      int p = ps.first + i;
      Evaluator ev(ops, *pre, p, round.slots.size());
      ev.localRole = 0;
      for (size_t v = 0; v < role.vars.size(); ++v)
        ev.local.push_back(pre->vars[0][v][i]);
      struct Clause {
        Term cond;
        SVal dest, payload;
      };
      std::vector<Clause> clauses;
      for (const auto &sc : round.sends)
        clauses.push_back({sc.cond ? ev.evalBool(*sc.cond) : s.boolConst(true),
                           ev.asPrincipalSet(*sc.dest), ev.eval(*sc.payload)});
      for (int j = 0; j < n; ++j) {
        SVal q = SVal::scalar(s.intConst(ps.first + j));
        Term h = s.boolConst(false);
        SVal pay = ops.defaultValue(*round.payload);
        for (size_t c = clauses.size(); c-- > 0;) {
          Term app = s.mkAnd(clauses[c].cond, ops.member(clauses[c].dest, q));
          pay = ops.ite(app, clauses[c].payload, pay);
          h = s.mkOr(app, h);
        }
        has[i][j] = h;
        msg[i][j] = pay;
      }
    }

    // Crashes during the step.
    auto after = std::make_shared<SymState>(*pre);
    auto crashing =
        std::make_shared<std::vector<Term>>(size_t(n), s.boolConst(false));
    for (int i = 0; i < n; ++i) {
      int p = ps.first + i;
      if (s.isFalse(pre->crashed[p]))
        continue; // not crashable: crashed[p] is the constant false
      Term c = s.freshBool("crashing[" + b.principalName(p) + "]");
      (*crashing)[size_t(i)] = c;
      step.hyps.push_back(s.mkImplies(c, b.live(*pre, p)));
      after->crashed[p] = s.mkOr(pre->crashed[p], c);
    }
    b.faultBounds(after->crashed, after->byz, step.hyps);

    // Mailboxes.
    auto info = std::make_shared<RoundInfo>();
    for (int j = 0; j < n; ++j) {
      int q = ps.first + j;
      SVal box;
      box.kind = SVal::Kind::Map;
      for (int i = 0; i < n; ++i) {
        int p = ps.first + i;
        std::string tag =
            "[" + b.principalName(q) + "<-" + b.principalName(p) + "]";
        Term recv = s.freshBool("recv" + tag);
        SVal pay = msg[i][j];
        if (!s.isFalse(pre->byz[p])) {
          SVal forged = ops.fresh(*round.payload, "forged" + tag, step.hyps);
          pay = ops.ite(pre->byz[p], forged, pay);
        }
        step.hyps.push_back(s.mkImplies(
            recv, s.mkOr(pre->byz[p], s.mkAnd(b.live(*pre, p), has[i][j]))));
        box.guards.push_back(recv);
        box.items.push_back(SVal::scalar(s.intConst(p)));
        box.vals.push_back(pay);
      }
      info->mbox.push_back(box);
    }

    // Communication predicates and waitMessages / goAhead.
    bool wait = false;
    for (const auto &pc : round.progress)
      wait |= pc.kind == ir::ProgressKind::WaitMessages;
    for (int j = 0; j < n; ++j) {
      int q = ps.first + j;
      Term lq = b.live(*after, q);
      auto localOf = [&](Evaluator &ev) {
        ev.localRole = 0;
        for (size_t v = 0; v < role.vars.size(); ++v)
          ev.local.push_back(pre->vars[0][v][j]);
      };
      for (const auto &cp : prog.commPredicates) {
        if (cp.round != index || !cp.expr)
          continue;
        Evaluator ev(ops, *after, q, std::max<size_t>(cp.slots.size(), 1));
        localOf(ev);
        ev.slots.at(cp.mboxSlot >= 0 ? cp.mboxSlot : 0) = info->mbox[j];
        step.hyps.push_back(s.mkImplies(lq, ev.evalBool(*cp.expr)));
      }
      if (wait)
        for (const auto &pc : round.progress) {
          if (pc.kind != ir::ProgressKind::GoAhead || !pc.expr)
            continue;
          Evaluator ev(ops, *pre, q, round.slots.size());
          localOf(ev);
          ev.slots.at(round.mboxSlot) = info->mbox[j];
          step.hyps.push_back(s.mkImplies(lq, ev.evalBool(*pc.expr)));
        }
    }

    // Updates.
    auto post = std::make_shared<SymState>(*after);
    auto ranges = std::make_shared<StepRanges>();
    for (int j = 0; j < n; ++j) {
      int q = ps.first + j;
      Evaluator ev(ops, *pre, q, round.slots.size());
      ev.localRole = 0;
      for (size_t v = 0; v < role.vars.size(); ++v)
        ev.local.push_back(pre->vars[0][v][j]);
      if (round.mboxSlot >= 0)
        ev.slots.at(round.mboxSlot) = info->mbox[j];
      ev.exec(round.update, s.boolConst(true));
      Term lq = b.live(*after, q);
      ranges->addEvaluator(ops, ev, lq);
      for (size_t v = 0; v < role.vars.size(); ++v)
        post->vars[0][v][j] = ops.canon(
            *role.vars[v].type, ops.ite(lq, ev.local[v], pre->vars[0][v][j]));
    }
    bool last = index + 1 == static_cast<int>(phase.rounds.size());
    post->roundNo = s.intConst(last ? 0 : index + 1);
    post->phaseNo = last ? s.mkAdd(pre->phaseNo, s.intConst(1)) : pre->phaseNo;

    b.assumeWithinModel(*post, *ranges, step.hyps);
    step.goals = b.invariantGoals(*post);
    b.addBuiltinGoals(*post, step.goals, ranges.get());
    StateBuilder *bp = &b;
    ir::TypeRef payload = round.payload;
    step.describe = [bp, pre, post, info, payload, ps, crashing,
                     ranges](const ModelEval &ev) {
      std::string out = "  pre-state:\n" + bp->showState(*pre, ev, "    ");
      for (int j = 0; j < ps.size; ++j)
        if (ev((*crashing)[size_t(j)]))
          out += "  " + bp->principalName(ps.first + j) +
                 " crashes during the round\n";
      out += "  mailboxes:\n";
      auto mapType = std::make_shared<ir::Type>();
      mapType->kind = ir::TypeKind::Map;
      auto pt = std::make_shared<ir::Type>();
      pt->kind = ir::TypeKind::Principal;
      mapType->args = {pt, payload};
      for (int j = 0; j < ps.size; ++j) {
        int q = ps.first + j;
        if (ev(post->crashed[q]) || ev(pre->byz[q]))
          continue;
        out += fmt::format(
            "    {} receives {}\n", bp->principalName(q),
            showValue(bp->prog, *mapType, info->mbox[j], ev, &bp->names));
      }
      return out + "  post-state:\n" + bp->showState(*post, ev, "    ") +
             ranges->show(bp->prog, ev);
    };
  } catch (const std::exception &e) {
    step.unsupported = e.what();
  }
  return step;
}

} // namespace

void encodeRounds(StateBuilder &b, Encoding &enc) {
  const auto &phase = *b.prog.roles[0].phase;
  for (size_t i = 0; i < phase.rounds.size(); ++i)
    enc.steps.push_back(encodeRound(b, static_cast<int>(i)));
}

} // namespace mommie::proofs
