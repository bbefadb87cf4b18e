#!/usr/bin/env bash
# integrity.sh: a damaged run (a file deleted, cut short or with one byte
# changed) is found by `nnrun verify`, which changes nothing, and redone
# by a rerun, which says so; a folder holding another config under the
# same id is never replaced.
set -euo pipefail
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
. tests/lib/check.sh
. tests/lib/results.sh
cat >"$dir/s.yaml" <<'YAML'
name: s
epochs: 300
sweep:
  seed: {from: 1, to: 6}
YAML
$NNRUN -q -j2 -o "$dir/fresh" "$dir/s.yaml"
$NNRUN -q -j2 -o "$dir/r" "$dir/s.yaml"
s=$dir/r/s
# verifies STUDY: nnrun verify exits 0; what it printed goes to verify.txt.
verifies() { $NNRUN verify "$1" >"$dir/verify.txt"; }
run() { sed -n "$(($1 + 2))p" "$s/summary.csv" | cut -d, -f2; }

check "a_finished_study_verifies" verifies "$s"
check "the_record_matches_xxhsum" bash -c "cd '$s/$(run 0)' && grep -v -e '^#' -e '^end ' integrity.txt | awk '{print \$1\"  \"\$3}' | xxhsum -c --quiet -"

rm "$s/$(run 0)/loss.csv"
rm "$s/$(run 1)/metrics.csv"
head -6 "$s/$(run 2)/loss.csv" >"$dir/cut" && cat "$dir/cut" >"$s/$(run 2)/loss.csv"
python3 -c 'import sys; p=sys.argv[1]; b=bytearray(open(p,"rb").read()); b[40]^=1; open(p,"wb").write(b)' "$s/$(run 3)/loss.csv"

# snapshot: every path, mode, size, mtime and content of the tree.
snapshot() { (cd "$1" && find . -printf '%p %m %s %T@\n' | sort && find . -type f -print0 | sort -z | xargs -0 sha256sum); }
snapshot "$s" >"$dir/before"
set +e
$NNRUN verify "$s" >"$dir/verify.txt" 2>&1
rc=$?
set -e
snapshot "$s" >"$dir/after"
check "verify_exits_1_on_damage" test "$rc" = 1
check "verify_changes_nothing" cmp -s "$dir/before" "$dir/after"
check "verify_finds_a_deleted_loss_csv" grep -qx "$s/$(run 0): loss.csv: missing" "$dir/verify.txt"
check "verify_finds_a_deleted_metrics_csv" grep -qx "$s/$(run 1): metrics.csv: missing" "$dir/verify.txt"
check "verify_finds_a_loss_csv_cut_to_5_rows" grep -qE "^$s/$(run 2): loss.csv: size [0-9]+, expected [0-9]+$" "$dir/verify.txt"
check "verify_finds_one_flipped_byte" grep -qE "^$s/$(run 3): loss.csv: checksum [0-9a-f]{16}, expected [0-9a-f]{16}$" "$dir/verify.txt"
check "verify_counts_the_damaged" grep -qx "$s: 6 runs checked (0 outside the plan): 2 intact, 4 damaged; 0 planned runs missing (not run yet, not damaged)" "$dir/verify.txt"

set +e
$NNRUN report "$s" >/dev/null 2>"$dir/report.err"
rc=$?
set -e
check "report_exits_1_on_damage" test "$rc" = 1
check "report_counts_damaged_as_not_complete" grep -q "4 planned runs are missing or damaged" "$dir/report.err"
check "summary_marks_damaged_runs" test "$(grep -c ',damaged,' "$s/summary.csv")" = 4

$NNRUN -j2 -o "$dir/r" "$dir/s.yaml" >/dev/null 2>"$dir/rerun.txt"
check "rerun_says_why_it_redoes_each" test "$(grep -c "^redoing $s/" "$dir/rerun.txt")" = 4
check "rerun_names_the_cut_file" grep -qE "^redoing $s/$(run 2): loss.csv: size [0-9]+, expected [0-9]+$" "$dir/rerun.txt"
check "rerun_counts_the_redone" grep -q '^6 runs: 4 done, 2 complete already, 0 diverged, 0 failed, 4 redone (found damaged); ' "$dir/rerun.txt"
check "after_the_rerun_verify_exits_0" verifies "$s"
check "redone_runs_equal_a_fresh_run" same_results "$dir/fresh/s" "$s"

# A run with no integrity record (cut before it, or from an older nnrun)
# is not trusted.
rm "$s/$(run 4)/integrity.txt"
$NNRUN -o "$dir/r" "$dir/s.yaml" >/dev/null 2>"$dir/rerun.txt"
check "a_run_without_record_is_redone" grep -qx "redoing $s/$(run 4): integrity.txt: missing" "$dir/rerun.txt"

# Another config under the same id: exit 1, the folder untouched.
sed -i 's/^epochs: 300$/epochs: 301/' "$s/$(run 5)/config.yaml"
snapshot "$s/$(run 5)" >"$dir/before"
for force in "" --force; do
	set +e
	$NNRUN -q $force -o "$dir/r" "$dir/s.yaml" 2>"$dir/conflict.txt"
	rc=$?
	set -e
	check "another_config_under_the_id_fails${force:+_with_force}" test "$rc" = 1
	check "another_config_names_folder_and_keys${force:+_with_force}" \
		grep -qF "$s/$(run 5): error: holds another config under this id (epochs 301 there, 300 here)" "$dir/conflict.txt"
done
snapshot "$s/$(run 5)" >"$dir/after"
check "another_config_is_never_replaced" cmp -s "$dir/before" "$dir/after"
check "summary_marks_the_conflict" grep -q "^5,$(run 5),6,conflict," "$s/summary.csv"
set +e
$NNRUN verify "$s" >"$dir/verify.txt"
rc=$?
set -e
check "verify_reports_the_conflict" test "$rc" = 1
check "verify_names_the_conflict" grep -qx "$s/$(run 5): holds another config under this id (epochs 301 there, 300 here)" "$dir/verify.txt"

# Missing runs are missing, not damaged.
rm -rf "$s/$(run 5)"
check "a_missing_run_is_not_damage_exit_0" verifies "$s"
check "a_missing_run_is_counted_as_missing" grep -qx "$s: 5 runs checked (0 outside the plan): 5 intact, 0 damaged; 1 planned run missing (not run yet, not damaged)" "$dir/verify.txt"
checks_done
