#!/bin/bash
# write_errors.sh: a results folder that cannot be written, or fills up,
# gives a clear error and exit 1, and no run that looks complete but is not.
# Exits 77 (skipped) when it cannot mount the tmpfs the last checks need.
set -u
NNRUN=${NNRUN:-$(pwd)/build/nnrun}
tmp=$(mktemp -d)
mounted=""
trap '[ -n "$mounted" ] && umount "$mounted"; rm -rf "$tmp"' EXIT
fail=0
cat > "$tmp/w.yaml" <<YAML
name: w
epochs: 5000
sweep:
  seed: {from: 1, to: 8}
YAML

# expect_error NAME PATTERN: the last command exited 1 and said PATTERN.
expect_error() {
	if [ "$rc" != 1 ]; then
		echo "FAIL $1: exit $rc, want 1"; fail=1
	elif ! grep -q "$2" "$tmp/err"; then
		echo "FAIL $1: no '$2' in:"; head -5 "$tmp/err"; fail=1
	else
		echo "$1: exit 1, $(tail -1 "$tmp/err")"
	fi
}

# whole_runs NAME DIR: every run folder there is complete, nothing temporary.
whole_runs() {
	local d last n
	[ -n "$(find "$2" -name '.tmp-*' 2>/dev/null)" ] && { echo "FAIL $1: temporaries left"; fail=1; }
	for d in "$2"/w/2-*/; do
		[ -d "$d" ] || continue
		n=$(sed -n 2p "$d/metrics.csv" | cut -d, -f1)
		last=$(tail -1 "$d/loss.csv" | cut -d, -f1)
		[ -n "$n" ] && [ "$last" = $((n - 1)) ] && [ -s "$d/config.yaml" ] ||
			{ echo "FAIL $1: $d looks complete but is not"; fail=1; }
	done
}

# A folder in the way: the results root under a regular file.
touch "$tmp/file"
$NNRUN -q -o "$tmp/file/results" "$tmp/w.yaml" 2> "$tmp/err"; rc=$?
expect_error "results under a file" "cannot make the folder"

# A file too large to write: ulimit -f, with SIGXFSZ ignored so that write
# fails with EFBIG (the loss files hold some 130 kB).
(trap '' XFSZ; ulimit -f 64; $NNRUN -q -j2 -o "$tmp/fsize" "$tmp/w.yaml") 2> "$tmp/err"; rc=$?
expect_error "ulimit -f" "File too large"
whole_runs "ulimit -f" "$tmp/fsize"

# A full disk and a read-only folder: tmpfs mounts, where we may mount.
mkdir "$tmp/mnt"
if mount -t tmpfs -o size=200k tmpfs "$tmp/mnt" 2>/dev/null; then
	mounted="$tmp/mnt"
	$NNRUN -q -j2 -o "$tmp/mnt" "$tmp/w.yaml" 2> "$tmp/err"; rc=$?
	expect_error "full disk" "No space left on device"
	whole_runs "full disk" "$tmp/mnt"
	umount "$tmp/mnt" && mount -t tmpfs -o ro tmpfs "$tmp/mnt" || fail=1
	$NNRUN -q -o "$tmp/mnt/results" "$tmp/w.yaml" 2> "$tmp/err"; rc=$?
	expect_error "read-only folder" "Read-only file system"
	umount "$tmp/mnt"; mounted=""
else
	echo "skipped: the full disk and read-only folder: cannot mount a tmpfs here"
	[ $fail = 0 ] && fail=77
fi
exit $fail
