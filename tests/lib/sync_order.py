#!/usr/bin/env python3
"""sync_order.py STRACE_LOG STUDY: checks, from `strace -f -e
trace=openat,write,close,fsync,fdatasync,syncfs,rename,renameat2` output,
that every run committed into STUDY had each of its files' data and its
folder's entries made durable before the rename that made it complete,
and that the study folder was synced after the last such rename. A progress line on stderr that says
a run is done or diverged must come after that run's rename and a sync
of the study folder since (trace with -s 256 to see them). A file
is durable after its fdatasync or fsync following its last write, a
folder after its fsync following the creation of its last file, and
both after a syncfs (which flushes the whole file system) following
them. Prints what is wrong, then "flushes N renames M" (the successful
syncfs, fdatasync and fsync calls, and the runs renamed into STUDY);
exit 1 if anything is wrong."""
import re
import sys

log, study = sys.argv[1], sys.argv[2].rstrip("/")
call = re.compile(r'^(\d+)\s+(\w+)\((.*)\)\s+=\s+(-?\d+)')
path_of = {}          # (pid, fd) -> path
dirty = {}            # file path -> True when written and not synced since
dirty_dir = {}        # folder path -> True when a file was created in it, not synced since
files_in = {}         # tmp folder -> set of files written in it
renames = []          # index of each run's rename
renamed_at = {}       # run id -> index of its rename
reported = 0          # progress lines saying a run is done or diverged
study_syncs = []      # index of each fsync of the study folder
flushes = 0
bad = []

# With several processes, strace splits a call that another interrupts:
# "PID name(args <unfinished ...>" then "PID <... name resumed>rest";
# the call is joined and placed where it returned.
lines, pending = [], {}
with open(log) as f:
    for line in f:
        line = line.rstrip("\n")
        pid = line.split(" ", 1)[0]
        if line.endswith("<unfinished ...>"):
            pending[pid] = line[:-len("<unfinished ...>")].rstrip()
            continue
        r = re.match(r'^(\d+)\s+<\.\.\. \w+ resumed>(.*)$', line)
        if r and r.group(1) in pending:
            line = pending.pop(r.group(1)) + r.group(2)
        lines.append(line)
dirs = set()          # paths opened as folders
for i, line in enumerate(lines):
    m = call.match(line)
    if not m:
        continue
    pid, name, args, ret = m.group(1), m.group(2), m.group(3), int(m.group(4))
    if ret < 0:
        continue
    if name == "openat":
        p = re.match(r'AT_FDCWD, "([^"]*)"', args)
        if p:
            path_of[(pid, ret)] = p.group(1)
            if "O_DIRECTORY" in args:
                dirs.add(p.group(1))
            if "O_CREAT" in args:
                dirty_dir[p.group(1).rsplit("/", 1)[0]] = True
    elif name == "syncfs":
        flushes += 1
        dirty = {p: False for p in dirty}
        dirty_dir = {p: False for p in dirty_dir}
    elif name in ("write", "fdatasync", "fsync", "close"):
        fd = int(args.split(",")[0])
        p = path_of.get((pid, fd))
        if name in ("fdatasync", "fsync"):
            flushes += 1
        if name == "write" and fd == 2:
            r = re.search(r'\] run \d+ (\S+) (?:done|diverged)', args)
            if r:
                reported += 1
                at = renamed_at.get(r.group(1))
                if at is None:
                    bad.append(f"{r.group(1)}: reported done before its rename")
                elif not any(at < s < i for s in study_syncs):
                    bad.append(f"{r.group(1)}: reported done before its rename was synced")
        if p is None:
            continue
        if name == "write":
            dirty[p] = True
            files_in.setdefault(p.rsplit("/", 1)[0], set()).add(p)
        elif name in ("fdatasync", "fsync"):
            dirty[p] = False
            if name == "fsync" and p in dirs:
                dirty_dir[p] = False
            if p == study:
                study_syncs.append(i)
        else:
            del path_of[(pid, fd)]
    elif name in ("rename", "renameat2"):
        p = re.findall(r'"([^"]*)"', args)
        run = p[1][len(study) + 1:] if len(p) == 2 else "/"
        if p[1].startswith(study + "/") and "/" not in run and \
                p[0].startswith(f"{study}/.tmp-{run}-") and p[0] in dirs:
            tmp, final = p
            for fp in sorted(files_in.get(tmp, ())):
                if dirty.get(fp, True):
                    bad.append(f"{fp}: not synced before the rename to {final}")
            if dirty_dir.get(tmp, True):
                bad.append(f"{tmp}: the folder was not synced before its rename")
            if len(files_in.get(tmp, ())) < 4:
                bad.append(f"{tmp}: only {len(files_in.get(tmp, ()))} files written")
            renames.append(i)
            renamed_at[run] = i

if not renames:
    bad.append(f"no run was renamed into {study}")
elif not any(s > renames[-1] for s in study_syncs):
    bad.append(f"{study}: not synced after the last run's rename")
for b in bad:
    print(b)
print(f"flushes {flushes} renames {len(renames)} reported {reported}")
sys.exit(1 if bad else 0)
