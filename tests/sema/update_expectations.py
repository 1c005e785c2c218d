#!/usr/bin/env python3
# Regenerates the `// expect:` header of tests/sema/{negative,warnings}/*.mom
# from what the current compiler reports (errors and notes; warnings too in
# warnings/). Review the diff before committing, as with golden files.
#   tests/sema/update_expectations.py build-dir/tools/mommie [FILE.mom ...]
import glob, os, re, subprocess, sys

def diagnostics(mommie, path, text, kinds):
    with open(path, 'w') as f:
        f.write(text)
    defines = re.findall(r'^// define: (\S+)', text, re.M)
    cmd = [mommie, 'parse', path] + sum([['-D', d] for d in defines], [])
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    out = []
    for line in r.stderr.splitlines():
        m = re.match(re.escape(path) + r':(\d+):(\d+): (%s): (.*)$' % kinds, line)
        if m:
            out.append(f'{m[1]}:{m[2]}: {m[3]}: {m[4]}')
        m = re.match(re.escape(path) + r': (%s): (.*)$' % kinds, line)
        if m:
            out.append(f'0:0: {m[1]}: {m[2]}')
    return out

def update(mommie, path):
    kinds = 'error|note|warning' if '/warnings/' in path else 'error|note'
    lines = open(path).read().splitlines(keepends=True)
    body = ''.join(l for l in lines if not l.startswith('// expect: '))
    tmp = os.path.join(os.path.dirname(os.path.abspath(path)), '.update_tmp.mom')
    try:
        n = len(diagnostics(mommie, tmp, body, kinds))
        found = diagnostics(mommie, tmp, '//\n' * n + body, kinds)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    with open(path, 'w') as f:
        f.write(''.join(f'// expect: {d}\n' for d in found) + body)

if __name__ == '__main__':
    mommie = sys.argv[1]
    here = os.path.dirname(os.path.abspath(__file__))
    files = sys.argv[2:] or sorted(glob.glob(os.path.join(here, 'negative', '*.mom')) +
                                   glob.glob(os.path.join(here, 'warnings', '*.mom')))
    for f in files:
        update(mommie, f)
