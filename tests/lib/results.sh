# results.sh: helpers for the tests that compare results folders (sourced).

# same_results A B: study folders A and B hold the same runs, byte for byte
# but for the wall seconds (metrics.csv's and summary.csv's last column)
# and the config file's path in study.yaml, and no temporary file.
# Prints what differs; returns 1 if anything does.
same_results() {
	local a=$1 b=$2 bad=0 run f
	if [ -n "$(find "$b" -name '.tmp-*')" ]; then
		echo "stray temporaries in $b:"; find "$b" -name '.tmp-*' | head
		bad=1
	fi
	if ! diff <(cd "$a" && find . | sort) <(cd "$b" && find . | sort) > /dev/null; then
		echo "different files in $a and $b:"
		diff <(cd "$a" && find . | sort) <(cd "$b" && find . | sort) | head
		bad=1
	fi
	for run in "$a"/*/; do
		run=$(basename "$run")
		for f in loss.csv config.yaml; do
			cmp -s "$a/$run/$f" "$b/$run/$f" || { echo "$run/$f differs"; bad=1; }
		done
		cmp -s <(cut -d, -f1-5 "$a/$run/metrics.csv") <(cut -d, -f1-5 "$b/$run/metrics.csv" 2>/dev/null) ||
			{ echo "$run/metrics.csv differs"; bad=1; }
	done
	# study.yaml names the config file as it was given: the same config
	# run from another checkout or path is the same study.
	cmp -s <(grep -v '^config_file:' "$a/study.yaml") <(grep -v '^config_file:' "$b/study.yaml") ||
		{ echo "study.yaml differs"; bad=1; }
	cmp -s "$a/report.csv" "$b/report.csv" || { echo "report.csv differs"; bad=1; }
	cmp -s <(sed 's/,[^,]*$//' "$a/summary.csv") <(sed 's/,[^,]*$//' "$b/summary.csv") ||
		{ echo "summary.csv differs"; bad=1; }
	return $bad
}

# now_ms: milliseconds since the epoch.
now_ms() {
	echo $(($(date +%s%N) / 1000000))
}
