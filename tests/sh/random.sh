#!/usr/bin/env bash
# random.sh: a random sweep {uniform | log_uniform | int_uniform: [A, B]}
# draws, for samples points, the values NumPy's RandomState(sweep_seed)
# gives, bit for bit, one draw per random key in the order the keys are
# written (the file's, then the command line's); the points are crossed
# with the other axes, shards run the same study, and the report has one
# group per point.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
NNRUN=${NNRUN:-$ROOT/build/nnrun}
. "$ROOT/tests/lib/results.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fails=0
say() { if [ "$1" = ok ]; then echo "ok   $2"; else echo "FAIL $2: $3"; fails=$((fails + 1)); fi; }

numpy_points() # SEED SAMPLES KEY:DIST:A:B...: one line a distinct point, "key=value ..."
{
	/usr/bin/python3 -c '
import math, sys, numpy as np
seed, n = int(sys.argv[1]), int(sys.argv[2])
axes = [a.split(":") for a in sys.argv[3:]]
r = np.random.RandomState(seed)
seen = set()
for _ in range(n):
    point = []
    for key, dist, a, b in axes:
        if dist == "uniform":
            v = repr(float(r.uniform(float(a), float(b))))
        elif dist == "log_uniform":
            v = repr(math.exp(r.uniform(math.log(float(a)), math.log(float(b)))))
        else:
            v = str(r.randint(int(a), int(b) + 1))
        point.append("%s=%s" % (key, v))
    if " ".join(point) not in seen:
        seen.add(" ".join(point))
        print(" ".join(point))' "$@"
}

# The file's sweep is written from the axes; the drawn values are what -n shows.
cases="
0 7 learning_rate:log_uniform:0.001:10
1 5 learning_rate:uniform:0.05:2.5
42 6 seed:int_uniform:0:4294967295
7 9 learning_rate:log_uniform:1e-5:0.5 epochs:int_uniform:10:300
3 8 epochs:int_uniform:1:3 learning_rate:uniform:0.1:0.9 seed:int_uniform:5:1000
4294967295 4 log_every:int_uniform:1:100 learning_rate:log_uniform:0.01:100
12 40 seed:int_uniform:1:6 epochs:int_uniform:7:8
"
while read -r seed n axes; do
	[ -n "$seed" ] || continue
	{
		printf 'name: r\nsamples: %s\nsweep_seed: %s\nsweep:\n' "$n" "$seed"
		for ax in $axes; do
			IFS=: read -r key dist a b <<<"$ax"
			printf '  %s: {%s: [%s, %s]}\n' "$key" "$dist" "$a" "$b"
		done
	} >"$dir/r.yaml"
	# shellcheck disable=SC2086
	want=$(numpy_points "$seed" "$n" $axes)
	got=$($NNRUN -n -o "$dir/out" "$dir/r.yaml" | cut -f3)
	name="points_seed${seed}_$(echo "$axes" | tr ' :' '_-')_equal_numpy"
	if [ "$got" = "$want" ]; then say ok "$name"
	else say fail "$name" "$(diff <(echo "$got") <(echo "$want") | head -5)"; fi
done <<<"$cases"

# A point drawn again is run once: 40 draws of 12 possible points.
got=$($NNRUN -n -o "$dir/out" "$ROOT/configs/xor.yaml" samples=40 sweep_seed=12 \
	'seed={int_uniform: [1, 6]}' 'epochs={int_uniform: [7, 8]}' | cut -f2)
[ "$(echo "$got" | wc -l)" -eq 12 ] && [ "$(echo "$got" | sort -u | wc -l)" -eq 12 ] &&
	say ok a_point_drawn_again_is_run_once || say fail a_point_drawn_again_is_run_once "$got"

# Command-line random keys come after the file's, in argument order.
printf 'name: r\nsamples: 5\nsweep_seed: 11\nsweep:\n  learning_rate: {log_uniform: [0.001, 10]}\n' >"$dir/o.yaml"
want=$(numpy_points 11 5 learning_rate:log_uniform:0.001:10 seed:int_uniform:1:99 epochs:int_uniform:5:50)
got=$($NNRUN -n -o "$dir/out" "$dir/o.yaml" 'seed={int_uniform: [1, 99]}' \
	'epochs={int_uniform: [5, 50]}' | cut -f3)
[ "$got" = "$want" ] && say ok command_line_random_keys_draw_after_the_files_in_argument_order ||
	say fail command_line_random_keys_draw_after_the_files_in_argument_order "$got / $want"
# One that replaces the file's sweep of a key moves it there too.
want=$(numpy_points 11 5 seed:int_uniform:1:99 learning_rate:uniform:0.5:1)
got=$($NNRUN -n -o "$dir/out" "$ROOT/configs/xor.yaml" samples=5 sweep_seed=11 \
	'learning_rate={log_uniform: [0.001, 10]}' 'seed={int_uniform: [1, 99]}' \
	'learning_rate={uniform: [0.5, 1]}' | cut -f3)
[ "$got" = "$want" ] && say ok command_line_random_key_given_again_draws_last ||
	say fail command_line_random_key_given_again_draws_last "$got / $want"

# From the command line as from the file: the same runs.
printf 'name: r\nsamples: 4\nsweep:\n  learning_rate: {log_uniform: [0.001, 10]}\n  seed: [1, 2, 3]\n' >"$dir/f.yaml"
file=$($NNRUN -n -o "$dir/out" "$dir/f.yaml")
cli=$($NNRUN -n -o "$dir/out" "$ROOT/configs/xor.yaml" name=r \
	'learning_rate={log_uniform: [0.001, 10]}' samples=4 seed=1,2,3)
[ "$file" = "$cli" ] && say ok random_sweep_from_the_file_is_the_command_lines ||
	say fail random_sweep_from_the_file_is_the_command_lines "$file / $cli"
# Every point with every seed, the point the slower axis.
[ "$(echo "$file" | wc -l)" -eq 12 ] &&
	[ "$(echo "$file" | cut -f3 | sed -n '1p;2p;3p' | cut -d' ' -f1 | sort -u | wc -l)" -eq 1 ] &&
	[ "$(echo "$file" | cut -f3 | cut -d' ' -f2 | head -3 | tr '\n' ' ')" = "seed=1 seed=2 seed=3 " ] &&
	say ok points_are_crossed_with_every_seed || say fail points_are_crossed_with_every_seed "$file"
# More samples keep the first points: point i is the same draw.
[ "$($NNRUN -n -o "$dir/out" "$dir/f.yaml" samples=6 | head -12)" = "$file" ] &&
	say ok more_samples_keep_the_first_points || say fail more_samples_keep_the_first_points ""

# A study of random points runs, resumes, shards and reports like a grid.
printf 'name: s\nepochs: 300\nsamples: 3\nsweep_seed: 5\nsweep:\n  learning_rate: {log_uniform: [0.1, 10]}\n  seed: [1, 2]\n' >"$dir/s.yaml"
$NNRUN -q -j2 -o "$dir/full" "$dir/s.yaml"
$NNRUN -q -j1 --shard 0/2 -o "$dir/shards" "$dir/s.yaml"
$NNRUN -q -j1 --shard 1/2 -o "$dir/shards" "$dir/s.yaml"
$NNRUN report -q "$dir/shards/s"
same_results "$dir/full/s" "$dir/shards/s" && say ok shards_of_a_random_sweep_are_the_whole_sweep ||
	say fail shards_of_a_random_sweep_are_the_whole_sweep "see above"
$NNRUN -q -j1 --index 4 -o "$dir/index" "$dir/s.yaml"
id=$($NNRUN -n -o "$dir/out" "$dir/s.yaml" | sed -n 5p | cut -f2)
cmp -s "$dir/index/s/$id/loss.csv" "$dir/full/s/$id/loss.csv" && say ok index_runs_the_drawn_point ||
	say fail index_runs_the_drawn_point "$id"
redone=$($NNRUN -j1 -o "$dir/full" "$dir/s.yaml" 2>&1 || true)
case $redone in
*"6 runs: 0 done, 6 complete already"*) say ok rerun_of_a_random_sweep_redoes_nothing ;;
*) say fail rerun_of_a_random_sweep_redoes_nothing "$redone" ;;
esac
grep -q '^ *learning_rate: {log_uniform: \[0.1, 10.0\]}$' "$dir/full/s/study.yaml" &&
	grep -q '^ *samples: 3$' "$dir/full/s/study.yaml" && grep -q '^ *sweep_seed: 5$' "$dir/full/s/study.yaml" &&
	say ok study_yaml_records_the_random_sweep || say fail study_yaml_records_the_random_sweep "$(cat "$dir/full/s/study.yaml")"
if grep -q -e samples -e sweep_seed "$dir/full/s/$id/config.yaml"; then
	say fail run_config_holds_no_study_keys "$(cat "$dir/full/s/$id/config.yaml")"
else say ok run_config_holds_no_study_keys; fi
# report.csv: a header and one row per point, each of 2 runs (the seeds).
rows=$(tail -n +2 "$dir/full/s/report.csv" | wc -l)
[ "$rows" -eq 3 ] && say ok report_has_one_group_per_point || say fail report_has_one_group_per_point "$(cat "$dir/full/s/report.csv")"
[ "$fails" -eq 0 ]
