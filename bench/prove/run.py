#!/usr/bin/env python3
"""Times `mommie prove` per program, instance and solver.

Usage: bench/prove/run.py [--mommie PATH] [--timeout S] [CASE ...]
A CASE is FILE[:BOUND] (BOUND as for --bound, e.g. N=3..7), or FILE:param
for the parameterized encoding (--parameterized, all sizes; both solvers
decide its Venn reduction, cvc5 also its set solver). Without cases, the default corpus below is run (missing files are
skipped with a note); --parameterized runs PARAM_CASES instead.
Prints one row per (program, instance, solver): obligations, proved,
counterexamples, unknown, total and slowest obligation time; with
--per-invariant, then one row per (program, instance, invariant) with the
time of its proof (summed over the steps) for each solver.
"""
import argparse
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

DEFAULT_CASES = [
    "examples/one_third_rule.mom:N=3..7",
    "examples/last_voting.mom:N=3..5",
    "examples/pbft_normal_case.mom:F=1..2",
    "examples/two_phase_commit.mom:N=3",
    "examples/two_phase_commit.mom:N=4..6",
    "examples/primary_backup.mom:NumReq=1..2",
    "examples/primary_backup.mom:F=2",
]

PARAM_CASES = [
    "examples/one_third_rule.mom:param",
    "examples/pbft_normal_case.mom:param",
    "examples/last_voting.mom:param",
]


def find_mommie():
    for d in ("build", "build-prove2", "build-proofs"):
        p = os.path.join(ROOT, d, "tools", "mommie")
        if os.path.exists(p):
            return p
    return "mommie"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mommie", default=find_mommie())
    ap.add_argument("--timeout", default="60")
    ap.add_argument("--per-invariant", action="store_true")
    ap.add_argument("--parameterized", action="store_true")
    ap.add_argument("cases", nargs="*")
    args = ap.parse_args()
    cases = args.cases or (PARAM_CASES if args.parameterized else DEFAULT_CASES)
    per_inv = []
    print(f"{'program':<28} {'instance':<10} {'solver':<6} {'oblig':>5} "
          f"{'proved':>6} {'cti':>4} {'unk':>4} {'total s':>8} {'max s':>7}")
    for case in cases:
        path, _, bound = case.partition(":")
        full = path if os.path.isabs(path) else os.path.join(ROOT, path)
        if not os.path.exists(full):
            print(f"# skipped {path}: not found", file=sys.stderr)
            continue
        cmd = [args.mommie, "prove", full, "--solver", "both", "--json",
               "--timeout", args.timeout]
        if bound == "param":
            cmd += ["--parameterized"]
        elif bound:
            cmd += ["--bound", bound]
        t0 = time.time()
        try:
            res = subprocess.run(cmd, capture_output=True, text=True,
                                 timeout=3600)
        except subprocess.TimeoutExpired:
            print(f"# {path}: timed out", file=sys.stderr)
            continue
        wall = time.time() - t0
        try:
            report = json.loads(res.stdout)
        except json.JSONDecodeError:
            print(f"# {path}: exit {res.returncode}: {res.stderr.strip()[:200]}",
                  file=sys.stderr)
            continue
        name = os.path.basename(path)
        for run in report["runs"]:
            inst = ",".join(f"{k}={v}" for k, v in run["instance"].items()) or "-"
            if run.get("encoding") == "parameterized":
                inst = "all sizes"
                for n in run.get("notes", []):
                    print(f"# {os.path.basename(path)}: {n}")
                for r in run["results"]:
                    if r["solver"] == "cvc5":
                        print(f"#   {r['invariant']:<22} {r['step']:<22} "
                              f"{r['verdict']:<28} {r['seconds']:8.3f}")
            for solver in ("z3", "cvc5"):
                rs = [r for r in run["results"] if r["solver"] == solver]
                if not rs:
                    continue
                count = lambda v: sum(1 for r in rs if r["verdict"] == v)
                total = sum(r["seconds"] for r in rs)
                slowest = max(r["seconds"] for r in rs)
                print(f"{name:<28} {inst:<10} {solver:<6} {len(rs):>5} "
                      f"{count('proved'):>6} "
                      f"{count('counterexample to induction'):>4} "
                      f"{count('unknown'):>4} {total:>8.3f} {slowest:>7.3f}")
            invs = []
            for r in run["results"]:
                if r["invariant"] not in invs:
                    invs.append(r["invariant"])
            for inv in invs:
                cell = {}
                for solver in ("z3", "cvc5"):
                    rs = [r for r in run["results"]
                          if r["solver"] == solver and r["invariant"] == inv]
                    ok = all(r["verdict"] == "proved" for r in rs)
                    cell[solver] = (f"{sum(r['seconds'] for r in rs):.3f}"
                                    + ("" if ok else " (not proved)"))
                per_inv.append((name, inst, inv, cell["z3"], cell["cvc5"]))
        print(f"# {name}: exit {res.returncode}, wall {wall:.2f}s",
              file=sys.stderr)
    if args.per_invariant:
        print()
        print(f"{'program':<28} {'instance':<10} {'invariant':<22} "
              f"{'z3 s':>10} {'cvc5 s':>10}")
        for row in per_inv:
            print(f"{row[0]:<28} {row[1]:<10} {row[2]:<22} {row[3]:>10} "
                  f"{row[4]:>10}")


if __name__ == "__main__":
    main()
