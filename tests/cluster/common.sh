# common.sh: what both cluster tests share: the sweep, the comparison of
# two results trees, and a checkout whose path has a space.
# Needs NNRUN (word-split on purpose) and ROOT set by the caller.

# 24 runs, 2 000 epochs each: small enough for a test, big enough that
# tasks overlap.
SWEEP=(epochs=2000 log_every=10 seed=1,2,3,4,5,6,7,8 "layers=[2,2,1],[2,3,1],[2,4,1]")

# same_results A B (tests/lib/results.sh): the same runs byte for byte,
# the same summary but for seconds, the same report, no temporaries.
. "$ROOT/tests/lib/results.sh"

# A copy of the scripts, nnrun and the configs under a path with a space,
# as a checkout may be; prints its root.
spaced_copy() {
	local copy="$1/check out" bin=$NNRUN
	[ -x "$bin" ] || bin=${NNRUN##* }   # the binary a wrapper runs
	mkdir -p "$copy/build"
	cp -r "$ROOT/scripts" "$ROOT/configs" "$copy/"
	cp "$bin" "$copy/build/nnrun"
	echo "$copy"
}
