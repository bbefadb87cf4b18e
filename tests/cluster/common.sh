# common.sh: what both cluster tests share: the sweep, a local reference
# run of it, and the comparison of two results trees.
# Needs NNRUN (word-split on purpose) and ROOT set by the caller.

# 24 runs, 2 000 epochs each: small enough for a test, big enough that
# tasks overlap.
SWEEP=(epochs=2000 log_every=10 seed=1,2,3,4,5,6,7,8 "layers=[2,2,1],[2,3,1],[2,4,1]")

# Prints what it checks; returns non-zero on the first difference.
# summary.csv is compared with its seconds column (the last) cut off.
same_results() {
	local a=$1 b=$2 n=0 f
	[ "$(ls "$a"/*/loss.csv | wc -l)" = "$(ls "$b"/*/loss.csv | wc -l)" ] ||
		{ echo "FAIL: the two trees hold different numbers of runs"; return 1; }
	for f in "$a"/*/loss.csv "$a"/*/config.yaml; do
		cmp -s "$f" "$b/${f#"$a"/}" || { echo "FAIL: ${f#"$a"/} differs"; return 1; }
		n=$((n + 1))
	done
	[ -f "$b/summary.csv" ] && [ -f "$a/summary.csv" ] || { echo "FAIL: no summary.csv"; return 1; }
	# Only the last column (seconds) may differ: strip it with sed.
	if ! cmp -s <(sed 's/,[^,]*$//' "$a/summary.csv") <(sed 's/,[^,]*$//' "$b/summary.csv"); then
		echo "FAIL: summary.csv differs beyond seconds"
		diff <(sed 's/,[^,]*$//' "$a/summary.csv") <(sed 's/,[^,]*$//' "$b/summary.csv") | head
		return 1
	fi
	cmp -s "$a/report.csv" "$b/report.csv" || { echo "FAIL: report.csv differs"; return 1; }
	echo "ok: $n loss.csv/config.yaml files byte-equal, summary.csv equal but seconds, report.csv equal"
}
