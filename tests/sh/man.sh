#!/usr/bin/env bash
# man.sh: nnrun.1 keeps up with `nnrun -h`: every command, option, config
# key and result file that the help names is in the man page (config keys
# in its CONFIG example, one line each).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
NNRUN=${NNRUN:-$ROOT/build/nnrun}
$NNRUN -h >/dev/null
/usr/bin/python3 - "$ROOT/nnrun.1" <(${NNRUN} -h) <<'PY'
import re, sys
man = open(sys.argv[1]).read()
help_text = open(sys.argv[2]).read()
# The man page as read: roff's \- is a hyphen, \f? switches fonts, \% and
# \& are invisible.
text = re.sub(r"\\f[BIRP]|\\%|\\&", "", man).replace("\\-", "-")
missing = []
commands = re.findall(r"^(?:usage:| ) +nnrun ([a-z]+)\b", help_text, re.M)
for c in commands:
    if not re.search(r"^\.B nnrun %s\b" % c, text, re.M):
        missing.append("command %s" % c)
options = help_text.split("\noptions:\n")[1].split("\n\n")[0]
n_options = 0
for line in options.splitlines():
    # "  -o, --results DIR  what it does": the names come before two spaces.
    m = re.match(r"\s+(-.*?)(?:\s{2,}|$)", line)
    if not m:
        continue  # a description's second line
    names = m.group(1)
    for opt in re.findall(r"(?<![\w-])(--?[A-Za-z][\w-]*)", names):
        n_options += 1
        if not re.search(r"(?<![\w-])%s(?![\w-])" % re.escape(opt), text):
            missing.append("option %s" % opt)
keys = help_text.split("\nconfig keys (default):\n")[1].split("\n\n")[0]
config = text.split("\n.SH CONFIG\n")[1].split("\n.SH ")[0]
help_keys = [line.split()[0] for line in keys.splitlines()]
for key in help_keys:
    if not re.search(r"^%s:" % key, config, re.M):
        missing.append("config key %s" % key)
# and the other way: the man page names no key that the table (which
# -h prints) does not have.
for key in re.findall(r"^([a-z_]+):", config, re.M):
    if key not in help_keys:
        missing.append("no such config key %s (in the man page)" % key)
files = set(re.findall(r"\b[a-z_]+\.(?:csv|yaml)\b", help_text)) - {"CONFIG.yaml"}
for f in sorted(files):
    if not re.search(r"^\.I RESULTS/NAME/(?:RUN/)?%s$" % re.escape(f), text, re.M):
        missing.append("file %s" % f)
if missing:
    print("FAIL: nnrun.1 lacks what nnrun -h names:", ", ".join(missing))
    sys.exit(1)
print("ok: nnrun.1 names the %d commands, %d option names, %d config keys and %d files of nnrun -h"
      % (len(commands), n_options, len(keys.splitlines()), len(files)))
PY
