# numpy.sh: one cross-check of an nnrun run against scripts/numpy_reference.py
# (sourced). Counters n, bitwise, close and bad are the caller's. Sourcing it
# skips the suite (exit 77) under NNRUN_TEST_QUICK, which the plain test
# run covers, and makes the suite's scratch folder $dir.
if [ -n "${NNRUN_TEST_QUICK:-}" ]; then
	echo "skipped: NNRUN_TEST_QUICK is set (the plain test run covers it)"
	exit 77
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# numpy_check DIR N LABEL ACT OUT REF_ARGS... -- NNRUN_ARGS...: runs nnrun
# (name cN, results in DIR/rN) and the reference with the same settings,
# then compares their loss.csv: sigmoid and relu bit for bit, tanh within
# 1e-12. Prints "LABEL: VERDICT" and counts the verdict.
numpy_check() {
	local dir=$1 i=$2 label=$3 act=$4 out=$5 ref=() tol=0 verdict
	shift 5
	while [ "$1" != -- ]; do ref+=("$1"); shift; done
	shift
	n=$((n + 1))
	$NNRUN -q -j1 -o "$dir/r$i" configs/xor.yaml name=c$i "$@"
	/usr/bin/python3 scripts/numpy_reference.py "${ref[@]}" \
		--activation "$act" --output-activation "$out" -o "$dir/np$i.csv"
	[[ "$act,$out" == *tanh* ]] && tol=1e-12
	if verdict=$(/usr/bin/python3 tests/compare_loss.py "$dir"/r$i/c$i/*/loss.csv "$dir/np$i.csv" $tol); then
		case $verdict in bitwise) bitwise=$((bitwise + 1)) ;; *) close=$((close + 1)) ;; esac
	else
		bad=$((bad + 1))
	fi
	echo "$label: $verdict"
}
