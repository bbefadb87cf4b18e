#!/bin/sh
# run.sh: runs every cmocka program given and every tests/sh/*.sh, then
# prints one closing line, "N passed, N failed".
# Environment: BUILD (where nnrun is), WRAP (prefix for every program run).
BUILD=${BUILD:-build}
NNRUN="${WRAP:+$WRAP }$(pwd)/$BUILD/nnrun"
export BUILD NNRUN WRAP
passed=0
failed=0
failures=""
for t in "$@"; do
	echo "== $t"
	if $WRAP "$t"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1)); failures="$failures $t"
	fi
done
for t in tests/sh/*.sh; do
	[ -e "$t" ] || continue
	echo "== $t"
	if bash "$t"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1)); failures="$failures $t"
	fi
done
[ -n "$failures" ] && echo "failed:$failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
