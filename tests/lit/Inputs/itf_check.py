#!/usr/bin/env python3
# Checks an ITF trace written by `mommie check --itf` (docs/checker.md,
# "ITF traces") against the TLA+ module `mommie tla` emits for the same
# program:  itf_check.py TRACE.itf MODULE.tla
# - the top level has #meta (format ITF, a verdict), vars and states;
# - vars are the module's variables, in the order of its `vars == <<...>>`;
# - every state has "#meta" with its index and exactly the vars;
# - every value is typed ITF: no bare JSON numbers (integers are
#   {"#bigint": "n"}), every "#" object one of #bigint, #set, #tup, #map;
# - "loop", when present, is the index of a state.
# Prints "itf ok: N states, M vars" or the first problem (exit 1).
import json, re, sys

def fail(msg):
    print("itf_check: " + msg)
    sys.exit(1)

def check_value(v, where):
    if isinstance(v, bool) or isinstance(v, str):
        return
    if isinstance(v, (int, float)):
        fail(f"{where}: a bare JSON number {v!r} (integers are {{\"#bigint\": ...}})")
    if isinstance(v, list):
        for i, e in enumerate(v):
            check_value(e, f"{where}[{i}]")
        return
    if not isinstance(v, dict):
        fail(f"{where}: not a value: {v!r}")
    tags = [k for k in v if k.startswith("#")]
    if not tags:
        for k, e in v.items():
            check_value(e, f"{where}.{k}")
        return
    if len(v) != 1:
        fail(f"{where}: a typed value with other keys: {v!r}")
    tag, body = tags[0], v[tags[0]]
    if tag == "#bigint":
        if not isinstance(body, str) or not re.fullmatch(r"-?[0-9]+", body):
            fail(f"{where}: bad #bigint {body!r}")
    elif tag in ("#set", "#tup"):
        if not isinstance(body, list):
            fail(f"{where}: {tag} needs an array")
        for i, e in enumerate(body):
            check_value(e, f"{where}{tag}[{i}]")
    elif tag == "#map":
        if not isinstance(body, list) or any(not isinstance(p, list) or len(p) != 2 for p in body):
            fail(f"{where}: #map needs [[key, value], ...]")
        for i, (k, e) in enumerate(body):
            check_value(k, f"{where}#map[{i}].key")
            check_value(e, f"{where}#map[{i}].value")
    else:
        fail(f"{where}: unknown tag {tag}")

trace = json.load(open(sys.argv[1]))
module = open(sys.argv[2]).read()
m = re.search(r"^vars == <<(.*?)>>", module, re.M | re.S)
if not m:
    fail("no `vars == <<...>>` in " + sys.argv[2])
spec_vars = [v.strip() for v in m.group(1).split(",")]
for key in ("#meta", "vars", "states"):
    if key not in trace:
        fail("no " + key)
meta = trace["#meta"]
if meta.get("format") != "ITF" or "verdict" not in meta:
    fail("#meta lacks format ITF or the verdict")
if trace["vars"] != spec_vars:
    fail(f"vars {trace['vars']} are not the module's {spec_vars}")
for i, state in enumerate(trace["states"]):
    if state.get("#meta", {}).get("index") != i:
        fail(f"state {i}: #meta.index is not {i}")
    keys = sorted(k for k in state if k != "#meta")
    if keys != sorted(spec_vars):
        fail(f"state {i}: variables {keys}, expected {sorted(spec_vars)}")
    for k in keys:
        check_value(state[k], f"state {i}: {k}")
if "loop" in trace and not (isinstance(trace["loop"], int) and 0 <= trace["loop"] < len(trace["states"])):
    fail("loop is not the index of a state")
print(f"itf ok: {len(trace['states'])} states, {len(spec_vars)} vars")
