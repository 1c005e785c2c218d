// Lock-step round steps (docs/semantics.md, round programs; ReSync Fig. 8).
//
// A set C of live processes may crash during the step, within the crash
// bounds. Every live process (C included: a crash in the middle of a
// broadcast) computes what it sends to each destination; every live
// receiver outside C gets any mailbox built from a subset of the senders
// (live senders contribute what they sent, Byzantine senders any payload)
// that satisfies the round's communication predicates, evaluated with C
// crashed (`crashed(p)` there: p has crashed by the end of the round), and,
// with `waitMessages`, its goAhead condition; the receivers update at once
// and C joins the crashed. Since an update only writes the receiver's own
// variables, the distinct outcomes are computed per receiver and then
// combined, so mailboxes with the same effect are explored once.
#include "checker/Successors.h"

#include <fmt/format.h>

#include <functional>
#include <map>
#include <optional>

namespace mommie::checker {

using K = Kind;

void Generator::roundSuccessors(const State &s, bool labels,
                                const Emit &emit) const {
  const auto &prog = layout_.program();
  const auto &role = prog.roles[0];
  const auto &phase = *role.phase;
  if (s.phaseNo >= phase.bound || phase.rounds.empty())
    return;
  int ri = int(s.roundNo);
  const ir::Round &round = phase.rounds.at(size_t(ri));
  const auto &set = prog.principalSets[role.principalSet];
  int np = layout_.numPrincipals();

  // msgs[sender][receiver]
  std::vector<std::vector<std::optional<Value>>> msgs(static_cast<size_t>(np));
  for (auto &row : msgs)
    row.resize(size_t(np));
  for (int i = 0; i < set.size; ++i) {
    int p = set.first + i;
    if (!s.live(p))
      continue;
    std::vector<Value> slots(round.slots.size());
    Env env{layout_, s, p, slots};
    for (const auto &send : round.sends) {
      if (send.cond && !evalBool(*send.cond, env))
        continue;
      Value dest = eval(*send.dest, env);
      Value payload;
      bool havePayload = false;
      auto deliver = [&](const Value &q) {
        if (!q.is(K::Principal) || q.scalar() < 0 || q.scalar() >= np)
          throw EvalError(send.loc, "bad send destination");
        auto &slot = msgs[size_t(p)][size_t(q.scalar())];
        if (slot)
          return; // the first applicable send wins
        if (!havePayload) {
          payload = eval(*send.payload, env);
          havePayload = true;
        }
        slot = payload;
      };
      if (dest.is(K::Set))
        for (const auto &q : dest.elems())
          deliver(q);
      else
        deliver(dest);
    }
  }

  std::vector<Value> byzPayloads;
  bool anyByz = false;
  for (int i = 0; i < set.size; ++i)
    anyByz = anyByz || s.isByz(set.first + i);
  if (anyByz)
    byzPayloads = typeDomain(layout_, *round.payload, round.loc);

  bool waitMessages = false;
  for (const auto &pc : round.progress)
    waitMessages = waitMessages || pc.kind == ir::ProgressKind::WaitMessages;

  // Per live receiver: distinct outcomes (its new vars) -> one mailbox.
  struct Outcome {
    std::vector<Value> vars;
    Value mbox;
  };
  size_t nvars = role.vars.size();
  // The step in which the processes of `crashing` crash; `after` is the
  // state with them crashed, which communication predicates read.
  auto stepWith = [&](const std::vector<int> &crashing, const State &after) {
    std::vector<int> receivers;
    std::vector<std::vector<Outcome>> outcomes;
    for (int i = 0; i < set.size; ++i) {
      int q = set.first + i;
      if (!after.live(q))
        continue;
      // Options per sender: index 0 = absent.
      std::vector<int> senders;
      std::vector<std::vector<Value>> options;
      for (int j = 0; j < set.size; ++j) {
        int snd = set.first + j;
        if (s.isByz(snd)) {
          senders.push_back(snd);
          options.push_back(byzPayloads);
        } else if (s.live(snd) && msgs[size_t(snd)][size_t(q)]) {
          senders.push_back(snd);
          options.push_back({*msgs[size_t(snd)][size_t(q)]});
        }
      }
      std::map<std::vector<Value>, Value> seen;
      std::vector<size_t> idx(senders.size(), 0); // 0 absent, k: options[k-1]
      while (true) {
        Value::Elems entries; // senders in increasing order
        for (size_t k = 0; k < senders.size(); ++k)
          if (idx[k]) {
            entries.push_back(Value::principal(senders[k]));
            entries.push_back(options[k][idx[k] - 1]);
          }
        Value mbox = Value::sortedMap(std::move(entries));
        bool ok = true;
        for (const auto &cp : prog.commPredicates) {
          if (cp.round != ri)
            continue;
          std::vector<Value> slots(cp.slots.size() + 1);
          if (cp.mboxSlot >= 0)
            slots[size_t(cp.mboxSlot)] = mbox;
          Env env{layout_, after, q, slots};
          if (!evalBool(*cp.expr, env)) {
            ok = false;
            break;
          }
        }
        std::vector<Value> slots(round.slots.size());
        if (round.mboxSlot >= 0)
          slots[size_t(round.mboxSlot)] = mbox;
        if (ok && waitMessages) {
          Env env{layout_, s, q, slots};
          for (const auto &pc : round.progress)
            if (pc.kind == ir::ProgressKind::GoAhead && pc.expr &&
                !evalBool(*pc.expr, env)) {
              ok = false;
              break;
            }
        }
        if (ok) {
          State scratch = s;
          std::vector<Published> published;
          execBlock(round.update, layout_, scratch, 0, q, slots, published);
          if (!published.empty())
            throw EvalError(round.loc, "PUBLISH in a round update");
          std::vector<Value> vars(nvars);
          for (size_t v = 0; v < nvars; ++v)
            vars[v] =
                std::move(scratch.vars[size_t(layout_.varIndex(0, q, int(v)))]);
          seen.emplace(std::move(vars), std::move(mbox));
        }
        size_t k = senders.size();
        bool done = true;
        while (k > 0) {
          --k;
          if (++idx[k] <= options[k].size()) {
            done = false;
            break;
          }
          idx[k] = 0;
        }
        if (done)
          break;
      }
      if (seen.empty())
        return; // some receiver has no admissible mailbox: the step is disabled
      receivers.push_back(q);
      outcomes.emplace_back();
      for (auto &[vars, mbox] : seen)
        outcomes.back().push_back({vars, mbox});
    }

    State base = after;
    base.roundNo = s.roundNo + 1;
    if (base.roundNo >= int64_t(phase.rounds.size())) {
      base.roundNo = 0;
      base.phaseNo = s.phaseNo + 1;
    }
    std::vector<size_t> idx(receivers.size(), 0);
    while (true) {
      State next = base;
      for (size_t k = 0; k < receivers.size(); ++k) {
        const auto &o = outcomes[k][idx[k]];
        for (size_t v = 0; v < nvars; ++v)
          next.vars[size_t(layout_.varIndex(0, receivers[k], int(v)))] =
              o.vars[v];
      }
      if (labels) {
        Action a;
        a.kind = Action::Kind::RoundStep;
        a.round = ri;
        a.crashing = crashing;
        for (size_t k = 0; k < receivers.size(); ++k)
          a.mailboxes.emplace_back(receivers[k], outcomes[k][idx[k]].mbox);
        emit(std::move(next), &a);
      } else {
        emit(std::move(next), nullptr);
      }
      size_t k = receivers.size();
      bool done = true;
      while (k > 0) {
        --k;
        if (++idx[k] < outcomes[k].size()) {
          done = false;
          break;
        }
        idx[k] = 0;
      }
      if (done)
        return;
    }
  };

  // Every admissible crash set, smallest first: the live processes of the
  // role that may still crash within every `crash` bound over them.
  std::vector<int> candidates;
  std::vector<std::pair<const ir::FaultDecl *, int64_t>>
      room; // bound, crashed so far
  for (const auto &f : prog.faults) {
    if (!f.crashes())
      continue;
    const auto &fs = prog.principalSets[f.principalSet];
    int64_t n = 0;
    for (int i = 0; i < fs.size; ++i)
      n += s.isCrashed(fs.first + i);
    room.emplace_back(&f, n);
  }
  for (int i = 0; i < set.size; ++i) {
    int p = set.first + i;
    bool mayCrash = false;
    for (const auto &[f, n] : room) {
      const auto &fs = prog.principalSets[f->principalSet];
      mayCrash =
          mayCrash || (p >= fs.first && p < fs.first + fs.size && n < f->max);
    }
    if (s.live(p) && mayCrash)
      candidates.push_back(p);
  }
  std::vector<int> crashing;
  std::function<void(size_t)> choose = [&](size_t from) {
    State after = s;
    for (int p : crashing)
      after.crashed[size_t(p)] = 1;
    stepWith(crashing, after);
    for (size_t k = from; k < candidates.size(); ++k) {
      crashing.push_back(candidates[k]);
      bool within = true;
      for (const auto &[f, n] : room) {
        const auto &fs = prog.principalSets[f->principalSet];
        int64_t more = 0;
        for (int p : crashing)
          more += p >= fs.first && p < fs.first + fs.size;
        within = within && n + more <= f->max;
      }
      if (within)
        choose(k + 1);
      crashing.pop_back();
    }
  };
  choose(0);
}

} // namespace mommie::checker
