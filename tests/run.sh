#!/bin/sh
# run.sh: runs every cmocka program given and every tests/sh/*.sh, then
# prints one closing line, "N passed, N failed, N skipped". A shell test
# that exits 77 skipped some of its checks (and failed none): it counts
# as skipped, not passed.
# Environment: BUILD (where nnrun is), WRAP (prefix for every program run).
BUILD=${BUILD:-build}
NNRUN="${WRAP:+$WRAP }$(pwd)/$BUILD/nnrun"
export BUILD NNRUN WRAP
passed=0
failed=0
skipped=0
failures=""
skips=""
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
	bash "$t"
	case $? in
	0) passed=$((passed + 1)) ;;
	77) skipped=$((skipped + 1)); skips="$skips $t" ;;
	*) failed=$((failed + 1)); failures="$failures $t" ;;
	esac
done
[ -n "$skips" ] && echo "skipped:$skips"
[ -n "$failures" ] && echo "failed:$failures"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
