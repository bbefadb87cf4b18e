#!/bin/bash
# bad_inputs.sh: every bad config and command line in tests/bad exits 2 with
# exactly its expected one-line message and writes nothing.
#
# A case is tests/bad/NNN-name.err, the expected stderr line, with either
# NNN-name.yaml (the config) or NNN-name.args (the arguments, one a line).
# Files too big to commit, or that depend on who runs the test, are made
# here. Every run gets -o into a folder that must not come to exist.
set -u
NNRUN=${NNRUN:-$(pwd)/build/nnrun}
tmp=$(mktemp -d)
trap 'chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
results="$tmp/results"
pass=0 fail=0 skipped=0

# check NAME EXPECTED ARGS...: one bad invocation.
check() {
	local name=$1 want=$2 rc lines got
	shift 2
	$NNRUN -o "$results" "$@" > "$tmp/out" 2> "$tmp/err"
	rc=$?
	lines=$(wc -l < "$tmp/err")
	got=$(head -c 4096 "$tmp/err")
	if [ "$rc" != 2 ]; then
		echo "FAIL $name: exit $rc, want 2"
	elif [ "$lines" != 1 ]; then
		echo "FAIL $name: $lines lines on stderr, want 1:"; head -c 2000 "$tmp/err"
	elif [ "$(wc -c < "$tmp/err")" -gt 600 ]; then
		echo "FAIL $name: a stderr line of $(wc -c < "$tmp/err") bytes"
	elif [ "$got" != "$want" ]; then
		echo "FAIL $name:"; echo "  got:  $got"; echo "  want: $want"
	elif [ -e "$results" ]; then
		echo "FAIL $name: it wrote $results"
	elif [ -s "$tmp/out" ]; then
		echo "FAIL $name: it printed on stdout"
	else
		pass=$((pass + 1))
		return 0
	fi
	fail=$((fail + 1))
	rm -rf "$results"
	return 1
}

for want_file in tests/bad/*.err; do
	base=${want_file%.err}
	if [ -f "$base.args" ]; then
		mapfile -t args < "$base.args"
	else
		args=("$base.yaml")
	fi
	check "$base" "$(cat "$want_file")" "${args[@]}"
done

# The alias bomb is refused before it grows: it must fail the same way in
# 256 MB of address space and one second of CPU, which a bomb expanded even
# a few levels would exceed (no wall-clock assertion: machines are shared).
# Only where the binary runs at all under the limit (ASan reserves
# terabytes of address space). Under a wrapper (valgrind) the CPU bound
# grows with its slowdown, which alone takes about a second to start on a
# loaded machine; an expanded bomb would take far more.
bomb=$(ls tests/bad/*billion*.yaml)
cpu=1
[ -n "${WRAP:-}" ] && cpu=30
if (ulimit -v 262144; $NNRUN --version) > /dev/null 2>&1; then
	(ulimit -v 262144 -t $cpu; check "$bomb in 256 MB and $cpu CPU second(s)" "$(cat "${bomb%.yaml}.err")" "$bomb") &&
		pass=$((pass + 1)) || fail=$((fail + 1))
else
	echo "note: no 256 MB memory check of $bomb under this wrapper"
fi

# Larger than the 1 MiB cap, by one byte.
big="$tmp/big.yaml"
{ printf 'epochs: 1\n#'; head -c $((1048576 - 11)) /dev/zero | tr '\0' x; printf '\n'; } > "$big"
check "too large" "$big: error: is larger than the limit of 1048576 bytes" "$big"

# A data file's limits: rows, columns and bytes, each one over.
printf 'task: big.csv\nhidden: [2]\n' > "$tmp/data.yaml"
{ echo a,y; for i in $(seq 65537); do echo 0,1; done; } > "$tmp/big.csv"
check "data rows" "$tmp/big.csv:65538:1: error: more than 65536 rows" "$tmp/data.yaml"
{ seq -s, 2049 | sed 's/[0-9]*/c&/g'; seq -s, 2049; } > "$tmp/big.csv"
check "data columns" "$tmp/big.csv:1:11182: error: more than 2048 columns" "$tmp/data.yaml"
{ echo a,y; head -c $((16777216 - 5)) /dev/zero | tr '\0' 0; echo ,1; } > "$tmp/big.csv"
check "data bytes" "$tmp/big.csv: error: is larger than the limit of 16777216 bytes" "$tmp/data.yaml"
printf 'task: big.data\nhidden: [2]\n' > "$tmp/data.yaml"
printf '65537 1 1\n' > "$tmp/big.data"
check "data rows declared" "$tmp/big.data:1:1: error: rows must be between 1 and 65536, got 65537" "$tmp/data.yaml"
printf '1 1025 1\n' > "$tmp/big.data"
check "data inputs declared" "$tmp/big.data:1:3: error: inputs must be between 1 and 1024, got 1025" "$tmp/data.yaml"

# Values and keys of nearly a megabyte: the message quotes at most 60 bytes.
a60=$(head -c 60 /dev/zero | tr '\0' a)
{ printf 'activation: '; head -c 1000000 /dev/zero | tr '\0' a; printf '\n'; } > "$tmp/longval.yaml"
check "long value" "$tmp/longval.yaml:1:13: error: unknown activation '$a60...': expected sigmoid, tanh or relu" "$tmp/longval.yaml"
{ printf 'epochs: 5'; head -c 1000000 /dev/zero | tr '\0' 0; printf '\n'; } > "$tmp/longnum.yaml"
check "long number" "$tmp/longnum.yaml:1:9: error: epochs must be between 1 and 100000000, got 5$(head -c 59 /dev/zero | tr '\0' 0)..." "$tmp/longnum.yaml"
{ printf 'name: '; head -c 1000000 /dev/zero | tr '\0' n; printf '\n'; } > "$tmp/longname.yaml"
check "long name" "$tmp/longname.yaml:1:7: error: name is longer than 64 characters" "$tmp/longname.yaml"
{ head -c 1000000 /dev/zero | tr '\0' k; printf ': 1\n'; } > "$tmp/longkey.yaml"
check "long key" "$tmp/longkey.yaml:1:1000001: error: YAML syntax: mapping values are not allowed in this context" "$tmp/longkey.yaml"
check "long argument" "nnrun: error: activation=$(head -c 49 /dev/zero | tr '\0' a)...: unknown activation '$a60...': expected sigmoid, tanh or relu" \
	configs/xor.yaml "activation=$(head -c 100000 /dev/zero | tr '\0' a)"

# Unreadable: root reads anything, so run as nobody where possible.
unreadable="$tmp/unreadable/c.yaml"
mkdir "$tmp/unreadable" && cp configs/xor.yaml "$unreadable" && chmod 000 "$unreadable"
chmod 755 "$tmp" "$tmp/unreadable"
want="$unreadable: error: cannot open: Permission denied"
if [ "$(id -u)" != 0 ]; then
	check "unreadable" "$want" "$unreadable"
elif command -v setpriv > /dev/null &&
	setpriv --reuid=65534 --regid=65534 --clear-groups $NNRUN --version > /dev/null 2>&1; then
	NNRUN="setpriv --reuid=65534 --regid=65534 --clear-groups $NNRUN" check "unreadable (as nobody)" "$want" "$unreadable"
else
	# Without setpriv, or where nobody cannot run this nnrun (a wrapper
	# such as valgrind must read the binary, in a folder nobody may not).
	echo "skipped: the unreadable file: nobody cannot run $NNRUN here"
	skipped=1
fi

echo "bad inputs: $pass passed, $fail failed"
[ "$fail" = 0 ] || exit 1
# 77: tests/run.sh counts a test that skipped a check as skipped.
[ "$skipped" = 0 ] || exit 77
