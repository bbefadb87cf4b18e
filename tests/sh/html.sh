#!/usr/bin/env bash
# html.sh: every whole-study invocation and `nnrun report` write
# report.html beside report.csv, and Debian's headless chromium shows it:
# the DOM's table holds report.csv's figures exactly, every group with
# runs has a loss curve, a solved-by-epoch curve and a final-loss
# profile, sorting works, no
# console message (a CSP violation or a script error would log one), and
# the page names no other file or host. The screenshot stays in
# $HTML_SHOT when set (to look at it).
set -uo pipefail
BUILD=${BUILD:-build}
NNRUN=${NNRUN:-$BUILD/nnrun}
sh tests/deps.sh chromium || exit 1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
. tests/lib/check.sh

browse() { # ARGS... : headless chromium, its console on stderr
	timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
		--user-data-dir="$dir/profile" --enable-logging=stderr --v=0 "$@"
}

$NNRUN -q -o "$dir" configs/xor.yaml epochs=1500 seed=1,2,3,4,5,6 learning_rate=0.5,2 \
	activation=sigmoid,tanh,relu
page=$dir/xor/report.html
check "a_study_writes_report_html" test -s "$page"
cp "$page" "$dir/first.html"
rm "$page"
$NNRUN report -q "$dir/xor"
check "report_rewrites_it" test -s "$page"
check "the_same_runs_give_the_same_page" cmp -s "$dir/first.html" "$page"

browse --dump-dom "file://$page" >"$dir/dom.html" 2>"$dir/console.txt"
browse --dump-dom "file://$page#sort=final_loss_iqm" >"$dir/sorted.html" 2>/dev/null
browse --screenshot="$dir/shot.png" --window-size=1200,1700 "file://$page" 2>/dev/null
check "no_console_message" test -z "$(grep ':CONSOLE' "$dir/console.txt")"
check "a_screenshot_is_taken" test -s "$dir/shot.png"
[ -n "${HTML_SHOT:-}" ] && cp "$dir/shot.png" "$HTML_SHOT"
check "the_page_names_no_other_file_or_host" test -z "$(grep -Eio 'src=|href=|url\(|@import|https?:' "$page")"

check "dom_matches_report_csv" /usr/bin/python3 - "$dir/dom.html" "$dir/xor/report.csv" "$dir/sorted.html" <<'PY'
import csv, sys
from html.parser import HTMLParser

class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows, self.svg, self.curves = [], None, {}
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "tr" and "data-g" in a:
            self.rows.append({})
        elif tag == "td" and self.rows and "data-col" in a:
            self.rows[-1][a["data-col"]] = a
        elif tag == "svg":
            self.svg = a.get("id")
        elif tag == "g" and "curve" in a.get("class", ""):
            self.curves.setdefault(self.svg, set()).add(a["data-g"])

def parse(path):
    p = Page()
    p.feed(open(path).read())
    return p

page = parse(sys.argv[1])
rep = list(csv.DictReader(open(sys.argv[2])))
assert len(page.rows) == len(rep), (len(page.rows), len(rep))
for row, want in zip(page.rows, rep):
    for col, cell in row.items():
        assert cell["data-v"] == want[col], (col, cell["data-v"], want[col])
        for end in ("lo", "hi"):
            if f"data-{end}" in cell:
                assert cell[f"data-{end}"] == want[f"{col}_{end}"], (col, end, cell, want)
    assert len(row) == 9, row
with_runs = {str(i) for i, r in enumerate(rep) if int(r["runs"]) > 0}
assert page.curves.get("loss") == with_runs, page.curves
assert page.curves.get("solved") == with_runs, page.curves
assert page.curves.get("profile") == with_runs, page.curves
# Sorted by the IQM on load: the rows ascend, empty ones last.
order = [r["final_loss_iqm"]["data-v"] for r in parse(sys.argv[3]).rows]
key = lambda v: (v == "", float(v) if v else 0.0)
assert order == sorted(order, key=key), order
assert order != [r["final_loss_iqm"] for r in rep], "the study's own order is sorted: no test"
assert sorted(order, key=key) == sorted((r["final_loss_iqm"] for r in rep), key=key)
PY

# The harness sees what it must: a page with a script error and a
# request logs console messages.
printf '<!DOCTYPE html><img src="http://example.com/a.png"><script>nope();</script>\n' >"$dir/bad.html"
browse --dump-dom "file://$dir/bad.html" >/dev/null 2>"$dir/bad.txt"
check "the_console_check_catches_errors" grep -q ':CONSOLE.*nope' "$dir/bad.txt"
checks_done
