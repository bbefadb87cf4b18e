#!/usr/bin/env bash
# stop_reasons.sh: why each run ended reaches metrics.csv (stop_reason),
# summary.csv (per run) and report.csv (counted per group), and a stopped
# run's last loss row is its stopping epoch even between log_every rows.
set -euo pipefail
NNRUN=${NNRUN:-$(pwd)/build/nnrun}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0
# Seeds 0..9 of the tutorial, stopping when solved: 2-2-1 leaves some stuck.
$NNRUN -o "$dir" configs/xor.yaml name=s stop_solved=true epochs=6000 log_every=1000 \
	'seed={from: 0, to: 9}' > "$dir/table.txt" 2>/dev/null
solved=0 ran=0
for m in "$dir"/s/*/metrics.csv; do
	run=$(dirname "$m")
	reason=$(tail -1 "$m" | awk -F, '{print $NF}')
	epochs=$(tail -1 "$m" | cut -d, -f1)
	scol=$(head -1 "$m" | tr , '\n' | grep -n '^solved_epoch$' | cut -d: -f1)
	solved_epoch=$(tail -1 "$m" | cut -d, -f"$scol")
	last=$(tail -1 "$run/loss.csv" | cut -d, -f1)
	case $reason in
	solved)
		solved=$((solved + 1))
		[ "$epochs" -eq $((solved_epoch + 1)) ] && [ "$last" -eq "$solved_epoch" ] ||
			{ echo "FAIL $run: solved at $solved_epoch, $epochs epochs, last row $last"; fail=1; } ;;
	epochs)
		ran=$((ran + 1))
		[ "$epochs" -eq 6000 ] && [ "$last" -eq 5999 ] ||
			{ echo "FAIL $run: ran $epochs epochs, last row $last"; fail=1; } ;;
	*) echo "FAIL $run: stop_reason '$reason'"; fail=1 ;;
	esac
done
[ "$solved" -gt 0 ] && [ "$ran" -gt 0 ] || { echo "FAIL: want both reasons, got $solved solved, $ran epochs"; fail=1; }
col=$(head -1 "$dir/s/summary.csv" | tr , '\n' | grep -n '^stop_reason$' | cut -d: -f1)
[ "$(sed 1d "$dir/s/summary.csv" | cut -d, -f"$col" | grep -c '^solved$')" -eq "$solved" ] ||
	{ echo "FAIL: summary.csv's stop_reason does not count $solved solved"; fail=1; }
header=$(head -1 "$dir/s/report.csv")
row=$(sed -n 2p "$dir/s/report.csv")
get() { paste -d= <(echo "$header" | tr , '\n') <(echo "$row" | tr , '\n') | grep "^$1=" | cut -d= -f2; }
[ "$(get stop_solved)" = "$solved" ] && [ "$(get stop_epochs)" = "$ran" ] &&
	[ "$(get stop_loss)" = 0 ] && [ "$(get stop_plateau)" = 0 ] ||
	{ echo "FAIL: report.csv counts $(get stop_solved) solved, $(get stop_epochs) epochs; want $solved, $ran"; fail=1; }
# The terminal table and the page count them too (a study without stop
# rules shows no such column: html.sh and the table's golden tests).
grep -q " stopped_by$" "$dir/table.txt" && grep -q " loss=0 solved=$solved plateau=0$" "$dir/table.txt" ||
	{ echo "FAIL: the table does not count $solved solved:"; cat "$dir/table.txt"; fail=1; }
grep -q "<td data-col=\"stop_solved\" data-v=\"$solved\">$solved</td>" "$dir/s/report.html" &&
	grep -q "of the done: $ran by running every epoch, 0 by loss, $solved by solved, 0 by plateau" "$dir/s/report.html" ||
	{ echo "FAIL: report.html does not count $solved solved"; fail=1; }
[ "$fail" -eq 0 ] && echo "ok: stop reasons in metrics.csv, summary.csv, report.csv, the table and report.html ($solved solved, $ran ran every epoch)"
exit "$fail"
