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
# Links and images: the run table's links (made by its script) name
# RUN/loss.csv, relative; the pictures are data: PNGs. Nothing else.
check "the_page_names_no_other_file_or_host" test -z "$(sed -E \
	-e 's#img-src data:##' -e 's#href="data:image/png;base64,[A-Za-z0-9+/=]*"##g' -e "s#a\\.href=r\\[0\\]\\+'/loss\\.csv'##g" "$page" |
	grep -Eio 'src=|href=|url\(|@import|https?:|data:')"

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

# Every run in a table with its swept values and result, its name a
# relative link to its loss.csv; a few runs' decision boundaries per
# group (2-input tasks): the first solved and the first unsolved run.
check "runs_table_and_pictures" /usr/bin/python3 - "$dir/dom.html" "$dir/xor" <<'PY'
import base64, csv, os, struct, sys, zlib
from html.parser import HTMLParser

class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.table, self.runs, self.figs, self.cell = None, [], [], None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self.table = a.get("id")
        elif tag == "tr" and self.table == "runs":
            self.runs.append({"cells": [], "href": None})
        elif tag == "td" and self.table == "runs" and self.runs:
            self.runs[-1]["cells"].append("")
        elif tag == "a" and self.table == "runs" and self.runs:
            self.runs[-1]["href"] = a["href"]
        elif tag == "figure":
            self.figs.append(dict(a, images=[], points=0))
        elif tag == "image" and self.figs:
            self.figs[-1]["images"].append(a["href"])
        elif tag == "circle" and self.figs:
            self.figs[-1]["points"] += 1
    def handle_endtag(self, tag):
        if tag == "table":
            self.table = None
    def handle_data(self, d):
        if self.table == "runs" and self.runs and self.runs[-1]["cells"]:
            self.runs[-1]["cells"][-1] += d

def png_pixels(uri):
    raw = base64.b64decode(uri.split(",", 1)[1])
    assert raw[:8] == b"\x89PNG\r\n\x1a\n"
    at, idat, size = 8, b"", None
    while at < len(raw):
        n, kind = struct.unpack(">I4s", raw[at:at + 8])
        body = raw[at + 8:at + 8 + n]
        assert struct.unpack(">I", raw[at + 8 + n:at + 12 + n])[0] == zlib.crc32(kind + body), kind
        if kind == b"IHDR":
            size = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat += body
        at += 12 + n
    data = zlib.decompress(idat)  # checks the Adler-32 too
    assert len(data) == size[1] * (1 + 3 * size[0]), (len(data), size)
    return size

page = Page()
page.feed(open(sys.argv[1]).read())
study = sys.argv[2]
summary = list(csv.DictReader(open(os.path.join(study, "summary.csv"))))
rows = [r for r in page.runs if r["cells"]]
assert len(rows) == len(summary), (len(rows), len(summary))
for r, s in zip(rows, summary):
    assert r["cells"][0] == s["run_id"], (r, s)
    assert r["href"] == s["run_id"] + "/loss.csv", r
    assert os.path.exists(os.path.join(study, r["href"])), r
    assert r["cells"][2] == s["status"], (r, s)
    assert r["cells"][3] == (s["solved_epoch"] if s["solved_epoch"] != "-1" else "\u2013"), (r, s)
    assert "activation=" + s["activation"] in r["cells"][1] and "seed=" + s["seed"] in r["cells"][1], r
    assert abs(float(r["cells"][4]) - float(s["final_loss"])) <= 1e-5 * float(s["final_loss"]), (r, s)
want = []
for s in summary:
    g = "activation=%s learning_rate=%s" % (s["activation"], s["learning_rate"])
    key = (g, s["solved_epoch"] != "-1")
    if key not in [k for k, _ in want]:
        want.append((key, s["run_id"]))
got = {f["data-run"] for f in page.figs}
assert got == {r for _, r in want}, (sorted(got), want)
for f in page.figs:
    assert len(f["images"]) == 1 and png_pixels(f["images"][0]) == (32, 32), f
    assert f["points"] == 4, f
    assert os.path.exists(os.path.join(study, f["data-run"], "network.yaml"))
PY

# A task that is not 2-input has no pictures; a study of more than 100
# runs shows them 100 a page ("#page=2": the second).
$NNRUN -q -o "$dir" configs/xor.yaml name=p3 task=parity-3 'layers=[3,3,1]' epochs=5 'seed={from: 1, to: 130}'
browse --dump-dom "file://$dir/p3/report.html#page=2" >"$dir/p3.html" 2>"$dir/p3console.txt"
check "no_pictures_for_3_inputs" test -z "$(grep -E '<figure|Decision boundaries' "$dir/p3.html")"
check "runs_paged_100_a_page" /usr/bin/python3 - "$dir/p3.html" "$dir/p3/summary.csv" <<'PY'
import csv, re, sys
dom = open(sys.argv[1]).read()
ids = [r["run_id"] for r in csv.DictReader(open(sys.argv[2]))]
table = dom.split('id="runs"')[1].split("</table>")[0]
shown = re.findall(r'<a href="([^"]+)/loss.csv">', table)
assert shown == ids[100:130], shown
assert "page 2 of 2 (130 runs)" in dom
PY
check "no_console_message_when_paged" test -z "$(grep ':CONSOLE' "$dir/p3console.txt")"

# A random search makes a group of every point: past 100 groups the page
# shows the 100 with the lowest final-loss IQM (in plan order), each with
# its curve and a colour of its own; report.csv keeps them all.
$NNRUN -q -o "$dir" configs/xor.yaml name=rs epochs=20 samples=130 seed=1,2 \
	'learning_rate={log_uniform: [0.05, 20]}'
browse --dump-dom "file://$dir/rs/report.html" >"$dir/rs.html" 2>"$dir/rsconsole.txt"
check "past_100_groups_the_best_100" /usr/bin/python3 - "$dir/rs.html" "$dir/rs/report.csv" <<'PY'
import csv, html, math, re, sys
dom = open(sys.argv[1]).read()
rows = list(csv.DictReader(open(sys.argv[2])))
assert len(rows) == 130, len(rows)
key = lambda i: (float(rows[i]["final_loss_iqm"] or "inf"), i)
best = sorted(sorted(range(130), key=key)[:100])
want = [rows[i]["group"] for i in best]
table = dom.split('id="report"')[1].split("</table>")[0]
got = [html.unescape(g) for g in re.findall(r'<tr data-g="\d+"><td data-col="group" data-v="([^"]*)"', table)]
assert got == want, (len(got), got[:3], want[:3])
assert len(re.findall(r'<g class="curve" data-g=', dom.split('id="loss"')[1].split("</svg>")[0])) == 100
colours = re.findall(r'<button data-g="\d+"><span class="sw" style="background:([^"]+)"', dom)
assert len(colours) == 100 and len(set(colours)) == 100, len(set(colours))
assert "130 report groups (runs that differ only in seed): the page shows the 100 with the lowest final-loss IQM" in dom
PY
check "no_console_message_past_100_groups" test -z "$(grep ':CONSOLE' "$dir/rsconsole.txt")"

# A group of more than 4096 runs has its curves drawn from its first
# 4096 runs (their memory stays bounded), and the page says so.
if [ -z "${NNRUN_TEST_QUICK:-}" ]; then
	$NNRUN -q -j2 -o "$dir" configs/xor.yaml name=huge epochs=1 'seed={from: 1, to: 4100}'
	check "a_huge_group_says_its_curve_is_its_first_runs" \
		grep -q 'id="curve-runs">A group of more than 4096 complete runs has its curves drawn from its first 4096' "$dir/huge/report.html"
	check "a_smaller_group_says_nothing_of_it" test -z "$(grep 'curve-runs' "$dir/xor/report.html")"
fi

# The harness sees what it must: a page with a script error and a
# request logs console messages.
printf '<!DOCTYPE html><img src="http://example.com/a.png"><script>nope();</script>\n' >"$dir/bad.html"
browse --dump-dom "file://$dir/bad.html" >/dev/null 2>"$dir/bad.txt"
check "the_console_check_catches_errors" grep -q ':CONSOLE.*nope' "$dir/bad.txt"
checks_done
