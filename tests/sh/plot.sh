#!/usr/bin/env bash
# plot.sh: scripts/plot writes a PNG of the requested size (read from its
# IHDR header) for a sweep's results, and the default size without -s.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
NNRUN=${NNRUN:-$ROOT/build/nnrun}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Width and height, big-endian at bytes 16..23 after the PNG signature.
png_size() {
	[ "$(od -An -tx1 -j1 -N3 "$1" | tr -d ' ')" = 504e47 ] || { echo "not a PNG"; return; }
	echo "$(od -An -tu4 --endian=big -j16 -N4 "$1" | tr -d ' ')x$(od -An -tu4 --endian=big -j20 -N4 "$1" | tr -d ' ')"
}

$NNRUN -q -o "$tmp" "$ROOT/configs/xor.yaml" epochs=500 seed=1,2,3 activation=sigmoid,tanh
NNRUN="$NNRUN" "$ROOT/scripts/plot" -s 640x480 "$tmp/xor" "$tmp/small.png" >/dev/null
size=$(png_size "$tmp/small.png")
[ "$size" = 640x480 ] || { echo "FAIL: -s 640x480 gave $size"; exit 1; }
echo "ok: plot -s 640x480 writes a 640x480 PNG"
NNRUN="$NNRUN" "$ROOT/scripts/plot" "$tmp/xor" >/dev/null
size=$(png_size "$tmp/xor/loss.png")
[ "$size" = 1000x600 ] || { echo "FAIL: the default gave $size"; exit 1; }
echo "ok: plot writes RESULTS/NAME/loss.png, 1000x600, by default"
[ -s "$tmp/xor/curves.csv" ] || { echo "FAIL: no curves.csv"; exit 1; }
echo "ok: plot leaves curves.csv in the study"

# Bad sizes and extensions are usage errors: exit 2, one line, nothing drawn.
for bad in 0x0 99x600 600x10001 640 x480 640x480x1; do
	rc=0
	NNRUN="$NNRUN" "$ROOT/scripts/plot" -s "$bad" "$tmp/xor" "$tmp/bad.png" >"$tmp/stdout" 2>"$tmp/err" || rc=$?
	[ "$rc" = 2 ] && [ "$(wc -l <"$tmp/err")" = 1 ] && grep -q "^plot: -s takes WIDTHxHEIGHT" "$tmp/err" &&
		[ ! -e "$tmp/bad.png" ] && [ ! -s "$tmp/stdout" ] ||
		{ cat "$tmp/err"; echo "FAIL: -s $bad: exit $rc"; exit 1; }
done
echo "ok: -s 0x0 and other bad sizes: exit 2 and one usage line"
for bad in out.jpg out out.png.txt; do
	rc=0
	NNRUN="$NNRUN" "$ROOT/scripts/plot" "$tmp/xor" "$tmp/$bad" >"$tmp/stdout" 2>"$tmp/err" || rc=$?
	[ "$rc" = 2 ] && grep -q "must end in .png, .svg or .pdf" "$tmp/err" && [ ! -e "$tmp/$bad" ] ||
		{ cat "$tmp/err"; echo "FAIL: output $bad: exit $rc"; exit 1; }
done
echo "ok: an output that is not .png, .svg or .pdf: exit 2"

# An output that cannot be written: one error line, exit 1, and no image
# bytes on stdout.
rc=0
NNRUN="$NNRUN" "$ROOT/scripts/plot" "$tmp/xor" "$tmp/no/such/folder/x.png" >"$tmp/stdout" 2>"$tmp/err" || rc=$?
[ "$rc" = 1 ] && [ ! -s "$tmp/stdout" ] && [ "$(grep -vc '^Warning' "$tmp/err")" = 1 ] &&
	grep -qx "plot: cannot write $tmp/no/such/folder/x.png: No such file or directory" "$tmp/err" ||
	{ cat "$tmp/err"; echo "FAIL: an unwritable output: exit $rc, $(wc -c <"$tmp/stdout") bytes on stdout"; exit 1; }
echo "ok: an unwritable output: exit 1, '$(cat "$tmp/err")', nothing on stdout"

# The extension picks the format.
NNRUN="$NNRUN" "$ROOT/scripts/plot" "$tmp/xor" "$tmp/xor.svg" >/dev/null
NNRUN="$NNRUN" "$ROOT/scripts/plot" "$tmp/xor" "$tmp/xor.pdf" >/dev/null
[ "$(head -c 5 "$tmp/xor.svg")" = "<?xml" ] && grep -q "<svg" "$tmp/xor.svg" ||
	{ echo "FAIL: out.svg is not SVG: $(head -c 8 "$tmp/xor.svg" | od -An -c)"; exit 1; }
[ "$(head -c 5 "$tmp/xor.pdf")" = "%PDF-" ] || { echo "FAIL: out.pdf is not PDF"; exit 1; }
grep -q ">activation=sigmoid<" "$tmp/xor.svg" && grep -q ">activation=tanh<" "$tmp/xor.svg" ||
	{ echo "FAIL: the SVG's legend lacks the groups"; exit 1; }
echo "ok: .svg writes SVG, .pdf PDF, the legend names the groups"

# 14 groups, some of whose runs diverge (relu into bce at high rates): each
# curve its own colour and dash pattern, none yellow, each band its
# curve's colour, and the legend says how many runs diverged.
$NNRUN -q -o "$tmp" "$ROOT/configs/xor.yaml" name=many epochs=200 activation=relu "layers=[2,8,1]" \
	loss=bce learning_rate=0.1,0.2,0.3,0.5,0.7,1,1.5,2,3,5,7,10,20,1e6 seed=1,2,3,4,5,6
NNRUN="$NNRUN" "$ROOT/scripts/plot" "$tmp/many" "$tmp/many.svg" >/dev/null 2>&1
/usr/bin/python3 - "$tmp/many.svg" <<'PY'
import re, sys
svg = open(sys.argv[1]).read()
plots = re.split(r'<g id="gnuplot_plot_\d+" >', svg)[1:]
bands = [p for p in plots if p.startswith("<title>gnuplot_plot_")]
curves = [p for p in plots if not p.startswith("<title>gnuplot_plot_")]
assert len(bands) == len(curves) == 14, (len(bands), len(curves))
styles = []
for band, curve in zip(bands, curves):
    title = re.match(r"<title>(.*?)</title>", curve).group(1)
    m = re.search(r"<path stroke='(rgb\([^)]*\))'(?: stroke-dasharray='([^']*)')?", curve)
    colour, dashes = m.group(1), m.group(2) or ""
    r, g, b = map(int, re.findall(r"\d+", colour))
    assert not (r > 180 and g > 180 and b < 120), ("yellow", title, colour)
    fill = re.search(r"<polygon fill = '(rgb\([^)]*\))'", band)
    assert fill is None or fill.group(1) == colour, (title, fill.group(1), colour)
    styles.append((colour, dashes))
assert len(set(styles)) == 14, styles
assert len({c for c, _ in styles}) == 12, "12 colours, then dashes"
text = svg
for want in ("learning_rate=10.0 (4 of 6 diverged)", "learning_rate=1000000.0 (all 6 diverged)"):
    assert ">%s<" % want in text, want
print("ok: 14 groups in 14 styles of 12 colours, no yellow, bands in their curve's colour, diverged runs counted")
PY

# Past 24 groups (a random search: one a point) the plot keeps the 24
# with the lowest final median loss, and its title says so.
$NNRUN -q -o "$tmp" "$ROOT/configs/xor.yaml" name=rs epochs=30 samples=40 seed=1,2 \
	'learning_rate={log_uniform: [0.05, 20]}'
NNRUN="$NNRUN" "$ROOT/scripts/plot" "$tmp/rs" "$tmp/rs.svg" >/dev/null 2>&1
$NNRUN curves "$tmp/rs" >"$tmp/rs.data"
/usr/bin/python3 - "$tmp/rs.svg" "$tmp/rs.data" <<'PY'
import re, sys
svg = open(sys.argv[1]).read()
blocks = [b for b in open(sys.argv[2]).read().split("\n\n\n") if b.strip()]
last = []
for i, b in enumerate(blocks):
    lines = b.strip().split("\n")
    rows = [l.split() for l in lines[1:] if l[:1].isdigit()]
    last.append((float(rows[-1][2]) if rows else float("inf"), i, lines[0].split('"')[1]))
want = [label for _, _, label in sorted(sorted(last)[:24], key=lambda t: t[1])]
plots = re.split(r'<g id="gnuplot_plot_\d+" >', svg)[1:]
got = [re.match(r"<title>(.*?)</title>", p).group(1) for p in plots
       if not p.startswith("<title>gnuplot_plot_")]
assert len(blocks) == 40, len(blocks)
assert got == want, (got[:3], want[:3])
assert "(24 of 40 groups: the lowest final median)" in svg
print("ok: 40 groups: the plot keeps the 24 lowest, in their order, and says so")
PY
