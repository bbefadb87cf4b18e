#!/bin/bash
# fuzz_regress.sh: every input the fuzzer once crashed on (tests/fuzz/regress,
# in fuzz_config's layout: YAML, NUL, NUL-separated KEY=VALUE arguments)
# loads through nnrun --count: exit 0 or 2, at most one line on stderr, and
# no leak or memory error (run under ASan or valgrind via $NNRUN).
set -u
NNRUN=${NNRUN:-$(pwd)/build/nnrun}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
for f in tests/fuzz/regress/*; do
	[ -f "$f" ] || continue
	args=()
	{
		IFS= read -r -d '' yaml
		while IFS= read -r -d '' a; do args+=("$a"); done
		[ -n "${a:-}" ] && args+=("$a")
	} < "$f"
	printf '%s' "$yaml" > "$tmp/in.yaml"
	$NNRUN -o "$tmp/results" --count "$tmp/in.yaml" "${args[@]}" > /dev/null 2> "$tmp/err"
	rc=$?
	lines=$(wc -l < "$tmp/err")
	if { [ "$rc" = 0 ] && [ "$lines" = 0 ]; } || { [ "$rc" = 2 ] && [ "$lines" = 1 ]; }; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $f: exit $rc, $lines lines on stderr:"; head -c 2000 "$tmp/err"
	fi
	if [ -e "$tmp/results" ]; then
		fail=$((fail + 1)); echo "FAIL $f: wrote $tmp/results"; rm -rf "$tmp/results"
	fi
done
echo "fuzz regressions: $pass passed, $fail failed"
[ "$fail" = 0 ]
