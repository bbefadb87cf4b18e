#!/usr/bin/env bash
# scale.sh: the summary and report stream the runs in one pass: each
# run's files are read once (strace), by `nnrun report` and by a rerun
# with nothing left to do, and the files they write do not depend on the
# order in which a sweep's groups come.
set -euo pipefail
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
. tests/lib/check.sh
nnrun=${NNRUN:-$(pwd)/${BUILD:-build}/nnrun}
raw=$(pwd)/${BUILD:-build}/nnrun

# 3 learning rates x 4 seeds; "outer" sweeps seed first, so that each
# group's runs come apart from each other.
printf 'name: s\nepochs: 30\nsweep:\n  learning_rate: [0.5, 2, 8]\n  seed: {from: 1, to: 4}\n' > "$dir/inner.yaml"
printf 'name: s\nepochs: 30\nsweep:\n  seed: {from: 1, to: 4}\n  learning_rate: [0.5, 2, 8]\n' > "$dir/outer.yaml"
$nnrun -j2 -o "$dir/a" "$dir/inner.yaml" > "$dir/first.out" 2>/dev/null
$nnrun -q -j2 -o "$dir/b" "$dir/outer.yaml"

check "report_csv_is_the_same_whatever_order_the_groups_come_in" \
	cmp "$dir/a/s/report.csv" "$dir/b/s/report.csv"
# The page differs only in its training time and study.yaml (the sweep).
check "the_curves_are_the_same_whatever_order_the_groups_come_in" \
	cmp <(sed -n '/<h2>Report/,/<h2>\(Decision boundaries\|Every run\|Study\)/p' "$dir/a/s/report.html") <(sed -n '/<h2>Report/,/<h2>\(Decision boundaries\|Every run\|Study\)/p' "$dir/b/s/report.html")

mkdir "$dir/keep"
cp "$dir/a/s/summary.csv" "$dir/a/s/report.csv" "$dir/a/s/report.html" "$dir/keep/"
$nnrun -j2 -o "$dir/a" "$dir/inner.yaml" > "$dir/again.out" 2> "$dir/again.err"
check "a_rerun_with_nothing_to_do_prints_the_same_table" cmp "$dir/first.out" "$dir/again.out"
check "a_rerun_with_nothing_to_do_tells_every_run_complete_already" \
	grep -q '^12 runs: 0 done, 12 complete already, 0 diverged, 0 failed' "$dir/again.err"
check "a_rerun_with_nothing_to_do_tells_each_run" \
	test "$(grep -c '^\[[0-9]*/12\] run [0-9]* complete already: ' "$dir/again.err")" = 12
for f in summary.csv report.csv report.html; do
	check "a_rerun_with_nothing_to_do_writes_the_same_$f" cmp "$dir/keep/$f" "$dir/a/s/$f"
done

# A damaged run is redone: the pass that found it wrote nothing.
run=$(ls -d "$dir"/a/s/2-2-1_* | sed -n 5p)
printf 'x' >> "$run/loss.csv"
$nnrun -j2 -o "$dir/a" "$dir/inner.yaml" >/dev/null 2> "$dir/redo.err"
check "a_rerun_redoes_a_damaged_run" grep -q ', 1 redone (found damaged)' "$dir/redo.err"
check "a_rerun_redoes_it_as_it_was" \
	cmp <(cut -d, -f1-11 "$dir/keep/summary.csv") <(cut -d, -f1-11 "$dir/a/s/summary.csv")
check "a_rerun_leaves_no_damaged_run" $nnrun verify "$dir/a/s" >/dev/null

if ! command -v strace >/dev/null || [ -n "${WRAP:-}" ]; then
	echo "skip the file-read counts: they need strace (Debian package strace) and no WRAP"
	checks_done || exit 1
	exit 77
fi
# How often each file of each run is opened (by its path, or relative to
# the study folder's descriptor: "RUN/FILE").
opens() {
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		strace -f -o "$dir/trace.txt" -e trace=openat,open "$raw" "$@" >/dev/null 2>&1
	grep -o '[/"]2-2-1_[^/"]*/[a-z.]*"' "$dir/trace.txt" | sed 's/^"/\//' | sort | uniq -c | awk '{print $1}' | sort -u
}
check "nnrun_report_reads_each_run_file_once" test "$(opens report "$dir/a/s")" = 1
check "a_rerun_with_nothing_to_do_reads_each_run_file_once" \
	test "$(opens -j2 -o "$dir/a" "$dir/inner.yaml")" = 1
check "each_run_has_five_files_read" \
	test "$(grep -o '[/"]2-2-1_[^/"]*/[a-z.]*"' "$dir/trace.txt" | sed 's/^"/\//' | sort -u | wc -l)" = 60
checks_done
