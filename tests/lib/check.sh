# check.sh: one named check per line, for the shell tests (sourced).
#   check NAME COMMAND...   runs COMMAND and prints "ok   NAME" or "FAIL NAME"
#   checks_done             prints how many failed; returns 1 if any did
fails=0

check() {
	if "${@:2}"; then
		echo "ok   $1"
	else
		echo "FAIL $1"
		fails=$((fails + 1))
	fi
}

checks_done() {
	echo "$fails failed"
	[ "$fails" -eq 0 ]
}
