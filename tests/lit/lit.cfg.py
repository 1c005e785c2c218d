# lit configuration of the text tests in tests/lit/ (docs/DEVELOPING.md,
# "Text tests"). Each *.mom file here is one test: its `// RUN:` lines run
# the mommie command and its `// CHECK:` lines are matched by FileCheck.
#
# Substitutions:
#   %mommie        the mommie binary under test (--param mommie=PATH)
#   %FileCheck     FileCheck (--param filecheck=PATH)
#   %expect-exit N CMD...   runs CMD, fails unless it exits with status N
#                           (its output passes through)
#   %examples      the repository's examples/ directory
#   %s, %S, %t     lit's own: this file, its directory, a scratch path
# run.sh finds lit and FileCheck and passes the parameters.
import os

import lit.formats

config.name = 'mommie'
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = ['.mom']
config.excludes = ['Inputs']
config.test_source_root = os.path.dirname(os.path.abspath(__file__))
config.test_exec_root = lit_config.params.get('exec_root', os.path.join(config.test_source_root, 'Output'))

def required(name):
    value = lit_config.params.get(name)
    if not value:
        lit_config.fatal("missing --param %s=PATH (tests/lit/run.sh passes it)" % name)
    return value

repo = os.path.dirname(os.path.dirname(config.test_source_root))
config.substitutions.append(('%mommie', required('mommie')))
config.substitutions.append(('%FileCheck', required('filecheck')))
config.substitutions.append(('%expect-exit', 'bash ' + os.path.join(config.test_source_root, 'expect-exit')))
config.substitutions.append(('%examples', os.path.join(repo, 'examples')))

# `REQUIRES: node`: the tests that run a page's script (nodejs, scripts/deps).
import shutil
if shutil.which('node'):
    config.available_features.add('node')
