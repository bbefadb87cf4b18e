/* html.c: renders a study's statistics and curves as report.html; knows nothing of how they were made. */
#include "html.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "png.h"

/* The plots' size and margins, in SVG units. */
#define PLOT_W 760
#define PLOT_H 340
#define PLOT_L 70
#define PLOT_R 20
#define PLOT_T 15
#define PLOT_B 45

static void put_escaped(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

/* Ten distinct colours (Tableau 10), then hues a golden angle apart. */
static void colour(char *buf, size_t max, int i)
{
	static const char *const tab[] = { "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
					   "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac" };

	if (i < 10)
		snprintf(buf, max, "%s", tab[i]);
	else
		snprintf(buf, max, "hsl(%d,%d%%,%d%%)", (int)fmod(i * 137.508, 360.0),
			 55 + 20 * (i % 2), 35 + 15 * (i % 3));
}

/* A number exactly as report.csv has it (empty when NaN). */
static void put_attr_num(FILE *f, const char *attr, double v)
{
	char s[FMT_DOUBLE_MAX] = "";

	if (!isnan(v))
		fmt_double(s, v);
	fprintf(f, " %s=\"%s\"", attr, s);
}

/* One table cell: an estimate shown to 4 digits, its interval beside it. */
static void put_cell(FILE *f, const char *col, double v, double lo, double hi, double scale,
		     const char *unit)
{
	fprintf(f, "<td data-col=\"%s\"", col);
	put_attr_num(f, "data-v", v);
	if (!isnan(lo) || !isnan(hi)) {
		put_attr_num(f, "data-lo", lo);
		put_attr_num(f, "data-hi", hi);
	}
	fputc('>', f);
	if (isnan(v))
		fputs("&ndash;", f);
	else
		fprintf(f, "%.4g%s", v * scale, unit);
	if (!isnan(lo))
		fprintf(f, " <span class=\"ci\">[%.4g, %.4g]</span>", lo * scale, hi * scale);
	fputs("</td>", f);
}

static void put_table(FILE *f, const struct html_study *s)
{
	static const char *const head[] = { "group", "runs", "solved", "solved %", "median solved epoch",
					    "final loss IQM", "final loss median", "done", "diverged" };

	int early = report_stopped_early(s->groups, s->n_groups);
	size_t n_head = sizeof head / sizeof *head;

	fputs("<table id=\"report\"><thead><tr>", f);
	for (size_t i = 0; i < n_head; i++)
		fprintf(f, "<th data-i=\"%zu\" title=\"sort\">%s</th>", i, head[i]);
	for (int k = TRAIN_STOP_EPOCHS + 1; early && k < TRAIN_STOP_DIVERGED; k++)
		fprintf(f, "<th data-i=\"%zu\" title=\"sort\">stopped: %s</th>",
			n_head + (size_t)(k - TRAIN_STOP_EPOCHS - 1), train_stop_names[k]);
	fputs("</tr></thead><tbody>\n", f);
	for (int g = 0; g < s->n_groups; g++) {
		const struct stats_group *st = &s->groups[g].st;
		char c[32];

		colour(c, sizeof c, g);
		fprintf(f, "<tr data-g=\"%d\"><td data-col=\"group\" data-v=\"", g);
		put_escaped(f, s->groups[g].label);
		fprintf(f, "\"><span class=\"sw\" style=\"background:%s\"></span>", c);
		put_escaped(f, s->groups[g].label);
		fprintf(f, "</td><td data-col=\"runs\" data-v=\"%" PRIu64 "\">%" PRIu64 "</td>",
			st->runs, st->runs);
		if (s->groups[g].judged_by_loss) {
			/* targets not all 0 or 1: nothing is solved or not */
			fputs("<td data-col=\"solved\" data-v=\"\">n/a</td>"
			      "<td data-col=\"solved_fraction\" data-v=\"\">n/a</td>"
			      "<td data-col=\"solved_epoch_median\" data-v=\"\">n/a</td>", f);
		} else {
			fprintf(f, "<td data-col=\"solved\" data-v=\"%" PRIu64 "\">%" PRIu64 "</td>",
				st->solved, st->solved);
			put_cell(f, "solved_fraction", st->runs ? st->share.value : 0.0, st->share.lo,
				 st->share.hi, 100.0, "%");
			put_cell(f, "solved_epoch_median", st->solved_epoch.exists ? st->solved_epoch.value : NAN,
				 st->solved_epoch.lo, st->solved_epoch.hi, 1.0, "");
		}
		put_cell(f, "final_loss_iqm", st->final_loss_iqm.exists ? st->final_loss_iqm.value : NAN,
			 st->final_loss_iqm.lo, st->final_loss_iqm.hi, 1.0, "");
		put_cell(f, "final_loss_median", st->final_loss_median, NAN, NAN, 1.0, "");
		fprintf(f, "<td data-col=\"done\" data-v=\"%" PRIu64 "\">%" PRIu64 "</td>"
			"<td data-col=\"diverged\" data-v=\"%" PRIu64 "\">%" PRIu64 "</td>",
			st->done, st->done, st->diverged, st->diverged);
		for (int k = TRAIN_STOP_EPOCHS + 1; early && k < TRAIN_STOP_DIVERGED; k++)
			fprintf(f, "<td data-col=\"stop_%s\" data-v=\"%" PRIu64 "\">%" PRIu64 "</td>",
				train_stop_names[k], s->groups[g].stops[k], s->groups[g].stops[k]);
		fputs("</tr>\n", f);
	}
	fputs("</tbody></table>\n", f);
}

struct axes {
	double x0, x1, y0, y1;   /* data ranges; y in log10 when logy */
	int logy;
	int logx;                /* x in log10, ticks at powers of 10 */
};

static double px(const struct axes *a, double x)
{
	return PLOT_L + (x - a->x0) / (a->x1 - a->x0) * (PLOT_W - PLOT_L - PLOT_R);
}

static double py(const struct axes *a, double y)
{
	double v = a->logy ? log10(y) : y;

	if (v < a->y0)
		v = a->y0;
	if (v > a->y1)
		v = a->y1;
	return PLOT_H - PLOT_B - (v - a->y0) / (a->y1 - a->y0) * (PLOT_H - PLOT_T - PLOT_B);
}

/* A step for about five ticks over span: 1, 2 or 5 times a power of 10. */
static double nice_step(double span)
{
	double raw = span / 5.0, p = pow(10.0, floor(log10(raw))), m = raw / p;

	return p * (m < 1.5 ? 1.0 : m < 3.5 ? 2.0 : m < 7.5 ? 5.0 : 10.0);
}

static void put_axes(FILE *f, const struct axes *a, const char *xlabel, const char *ylabel)
{
	double step = a->logx ? fmax(1.0, ceil((a->x1 - a->x0) / 8.0)) : nice_step(a->x1 - a->x0);

	fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" class=\"frame\"/>\n", PLOT_L,
		PLOT_T, PLOT_W - PLOT_L - PLOT_R, PLOT_H - PLOT_T - PLOT_B);
	for (double x = ceil(a->x0 / step) * step; x <= a->x1 + step * 1e-9; x += step)
		fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" class=\"grid\"/>"
			"<text x=\"%.1f\" y=\"%d\" class=\"tx\">%s%.10g</text>\n", px(a, x), px(a, x),
			PLOT_T, PLOT_H - PLOT_B, px(a, x), PLOT_H - PLOT_B + 16, a->logx ? "1e" : "", x);
	if (a->logy) {
		for (double d = ceil(a->y0); d <= a->y1 + 1e-9; d += 1.0)
			fprintf(f, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>"
				"<text x=\"%d\" y=\"%.1f\" class=\"ty\">1e%d</text>\n", PLOT_L,
				PLOT_W - PLOT_R, py(a, pow(10.0, d)), py(a, pow(10.0, d)), PLOT_L - 6,
				py(a, pow(10.0, d)) + 4, (int)d);
	} else {
		for (int k = 0; k <= 4; k++) {
			double y = a->y0 + (a->y1 - a->y0) * k / 4.0;
			fprintf(f, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>"
				"<text x=\"%d\" y=\"%.1f\" class=\"ty\">%.0f%%</text>\n", PLOT_L,
				PLOT_W - PLOT_R, py(a, y), py(a, y), PLOT_L - 6, py(a, y) + 4, y * 100.0);
		}
	}
	fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"xl\">%s</text>"
		"<text transform=\"translate(16,%d) rotate(-90)\" class=\"yl\">%s</text>\n",
		(PLOT_L + PLOT_W - PLOT_R) / 2, PLOT_H - 8, xlabel, (PLOT_T + PLOT_H - PLOT_B) / 2, ylabel);
}

/* The stride that keeps at most HTML_MAX_POINTS of n points. */
static size_t stride_of(size_t n)
{
	return n <= HTML_MAX_POINTS ? 1 : (n + HTML_MAX_POINTS - 2) / (HTML_MAX_POINTS - 1);
}

#define KEEP(k, n, st) ((k) % (st) == 0 || (k) + 1 == (n))

static void put_loss_plot(FILE *f, const struct html_study *s)
{
	struct axes a = { 0, 1, INFINITY, -INFINITY, 1, 0 };

	for (int g = 0; g < s->n_groups; g++) {
		const struct curve *cv = &s->curves[g];
		for (size_t k = 0; k < cv->n; k++) {
			if (cv->q1[k] > 0)
				a.y0 = fmin(a.y0, log10(cv->q1[k]));
			if (cv->median[k] > 0)
				a.y0 = fmin(a.y0, log10(cv->median[k]));
			if (cv->q3[k] > 0 && isfinite(cv->q3[k]))
				a.y1 = fmax(a.y1, log10(cv->q3[k]));
			a.x1 = fmax(a.x1, (double)cv->epoch[k]);
		}
	}
	if (!(a.y0 < a.y1)) {
		a.y0 = isfinite(a.y0) ? a.y0 - 1 : -3;
		a.y1 = a.y0 + 2;
	}
	a.y0 = floor(a.y0);
	a.y1 = ceil(a.y1);
	fprintf(f, "<svg id=\"loss\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"loss curves\">\n",
		PLOT_W, PLOT_H);
	put_axes(f, &a, "epoch", "loss (median, interquartile band; log scale)");
	for (int g = 0; g < s->n_groups; g++) {
		const struct curve *cv = &s->curves[g];
		size_t st = stride_of(cv->n);
		char c[32];

		if (!cv->n)
			continue;
		colour(c, sizeof c, g);
		fprintf(f, "<g class=\"curve\" data-g=\"%d\"><title>", g);
		put_escaped(f, cv->label);
		fprintf(f, "</title><path class=\"band\" fill=\"%s\" d=\"", c);
		for (size_t k = 0; k < cv->n; k++)
			if (KEEP(k, cv->n, st))
				fprintf(f, "%s%.1f %.1f", k ? "L" : "M", px(&a, (double)cv->epoch[k]),
					py(&a, cv->q3[k]));
		for (size_t k = cv->n; k-- > 0;)
			if (KEEP(k, cv->n, st))
				fprintf(f, "L%.1f %.1f", px(&a, (double)cv->epoch[k]), py(&a, cv->q1[k]));
		fprintf(f, "Z\"/><path class=\"line\" stroke=\"%s\" d=\"", c);
		for (size_t k = 0; k < cv->n; k++)
			if (KEEP(k, cv->n, st))
				fprintf(f, "%s%.1f %.1f", k ? "L" : "M", px(&a, (double)cv->epoch[k]),
					py(&a, cv->median[k]));
		fputs("\"/></g>\n", f);
	}
	fputs("<line id=\"cursor\" class=\"cursor\" y1=\"15\" y2=\"295\" x1=\"-10\" x2=\"-10\"/></svg>\n", f);
	/* The medians the pointer reads out, in the plot's coordinates. */
	fprintf(f, "<script type=\"application/json\" id=\"loss-data\">{\"x0\":%.10g,\"x1\":%.10g,"
		"\"l\":%d,\"w\":%d,\"g\":[", a.x0, a.x1, PLOT_L, PLOT_W - PLOT_L - PLOT_R);
	for (int g = 0; g < s->n_groups; g++) {
		const struct curve *cv = &s->curves[g];
		size_t st = stride_of(cv->n);
		int first = 1;

		fprintf(f, "%s{\"e\":[", g ? "," : "");
		for (size_t k = 0; k < cv->n; k++)
			if (KEEP(k, cv->n, st)) {
				fprintf(f, "%s%" PRIu64, first ? "" : ",", cv->epoch[k]);
				first = 0;
			}
		fputs("],\"m\":[", f);
		first = 1;
		for (size_t k = 0; k < cv->n; k++)
			if (KEEP(k, cv->n, st)) {
				fprintf(f, "%s%.4g", first ? "" : ",", cv->median[k]);
				first = 0;
			}
		fputs("]}", f);
	}
	fputs("]}</script>\n", f);
}

static void put_solved_plot(FILE *f, const struct html_study *s)
{
	struct axes a = { 0, 1, 0, 1, 0, 0 };

	for (int g = 0; g < s->n_groups; g++) {
		const struct curve *cv = &s->curves[g];
		const struct report_group *rg = &s->groups[g];
		if (cv->n)
			a.x1 = fmax(a.x1, (double)cv->epoch[cv->n - 1]);
		if (rg->st.solved)
			a.x1 = fmax(a.x1, rg->solved_epochs[rg->st.solved - 1]);
	}
	fprintf(f, "<svg id=\"solved\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"share solved by epoch\">\n",
		PLOT_W, PLOT_H);
	put_axes(f, &a, "epoch", "share of runs solved by the epoch");
	for (int g = 0; g < s->n_groups; g++) {
		const struct report_group *rg = &s->groups[g];
		uint64_t n = rg->st.runs, k = rg->st.solved;
		size_t st = stride_of((size_t)k);
		double y = 0.0;
		char c[32];

		if (!n)
			continue;
		colour(c, sizeof c, g);
		fprintf(f, "<g class=\"curve\" data-g=\"%d\"><title>", g);
		put_escaped(f, rg->label);
		fprintf(f, "</title><path class=\"line\" stroke=\"%s\" d=\"M%.1f %.1f", c, px(&a, 0), py(&a, 0));
		/* A step up at each solved epoch; unsolved runs never step. */
		for (uint64_t i = 0; i < k; i++) {
			if (!KEEP(i, k, st) || (i + 1 < k && rg->solved_epochs[i + 1] == rg->solved_epochs[i]))
				continue;
			fprintf(f, "L%.1f %.1f", px(&a, rg->solved_epochs[i]), py(&a, y));
			y = (double)(i + 1) / (double)n;
			fprintf(f, "L%.1f %.1f", px(&a, rg->solved_epochs[i]), py(&a, y));
		}
		fprintf(f, "L%.1f %.1f\"/></g>\n", px(&a, a.x1), py(&a, y));
	}
	fputs("</svg>\n", f);
}

/* The final-loss performance profile: the share of a group's runs whose
 * final loss is below tau, tau on a log axis. */
static void put_profile_plot(FILE *f, const struct html_study *s)
{
	struct axes a = { INFINITY, -INFINITY, 0, 1, 0, 1 };

	for (int g = 0; g < s->n_groups; g++) {
		const struct report_group *rg = &s->groups[g];
		for (uint64_t i = 0; i < rg->st.runs; i++) {
			double v = rg->final_losses[i];
			if (v > 0 && isfinite(v)) {
				a.x0 = fmin(a.x0, floor(log10(v)));
				a.x1 = fmax(a.x1, ceil(log10(v)));
			}
		}
	}
	if (!(a.x0 < a.x1)) {
		a.x0 = isfinite(a.x0) ? a.x0 : -3;
		a.x1 = a.x0 + 1;
	}
	fprintf(f, "<svg id=\"profile\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"final loss profile\">\n",
		PLOT_W, PLOT_H);
	put_axes(f, &a, "tau: final loss threshold (log scale)", "share of runs with final loss below tau");
	for (int g = 0; g < s->n_groups; g++) {
		const struct report_group *rg = &s->groups[g];
		uint64_t n = rg->st.runs;
		size_t st = stride_of((size_t)n);
		double y = 0.0;
		char c[32];

		if (!n)
			continue;
		colour(c, sizeof c, g);
		fprintf(f, "<g class=\"curve\" data-g=\"%d\"><title>", g);
		put_escaped(f, rg->label);
		fprintf(f, "</title><path class=\"line\" stroke=\"%s\" d=\"M%.1f %.1f", c, px(&a, a.x0),
			py(&a, 0));
		for (uint64_t i = 0; i < n; i++) {
			double v = rg->final_losses[i], x;
			if (!isfinite(v) || !KEEP(i, n, st) ||
			    (i + 1 < n && rg->final_losses[i + 1] == v))
				continue;
			x = v > 0 ? fmax(log10(v), a.x0) : a.x0;
			fprintf(f, "L%.1f %.1f", px(&a, x), py(&a, y));
			y = (double)(i + 1) / (double)n;
			fprintf(f, "L%.1f %.1f", px(&a, x), py(&a, y));
		}
		fprintf(f, "L%.1f %.1f\"/></g>\n", px(&a, a.x1), py(&a, y));
	}
	fputs("</svg>\n", f);
}

/* ---- decision boundaries: each a PNG of the grid's outputs (blue 0,
 * white 0.5, red 1) under the task's points, inline as data: ---- */

static void put_base64(FILE *f, const uint8_t *p, size_t n)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0) |
			     (i + 2 < n ? p[i + 2] : 0);
		fputc(b64[v >> 18 & 63], f);
		fputc(b64[v >> 12 & 63], f);
		fputc(i + 1 < n ? b64[v >> 6 & 63] : '=', f);
		fputc(i + 2 < n ? b64[v & 63] : '=', f);
	}
}

/* The output's colour: blue (#3b4cc0) at 0, near white at 0.5, red
 * (#b40426) at 1; NaN grey. */
static void heat(uint8_t *rgb, double v)
{
	static const double lo[3] = { 59, 76, 192 }, mid[3] = { 247, 247, 247 },
			    hi[3] = { 180, 4, 38 };
	double t = v < 0 ? 0 : v > 1 ? 1 : v;

	for (int k = 0; k < 3; k++)
		rgb[k] = isnan(v) ? 160 : (uint8_t)lround(t < 0.5 ? lo[k] + (mid[k] - lo[k]) * 2 * t :
							  mid[k] + (hi[k] - mid[k]) * (2 * t - 1));
}

static void put_picture(FILE *f, const struct html_study *s, const struct html_picture *p,
			uint8_t *rgb, uint8_t *png)
{
	const int n = HTML_GRID;
	double cell = 100.0 / (n - 1);
	size_t len;
	char c[32];

	/* Image rows run from x2 = 1.5 down; the grid has x2 inner. */
	for (int r = 0; r < n; r++)
		for (int col = 0; col < n; col++)
			heat(rgb + 3 * ((size_t)r * n + (size_t)col), p->out[(size_t)col * n + (size_t)(n - 1 - r)]);
	len = png_rgb(png, n, n, rgb);
	colour(c, sizeof c, p->group);
	fprintf(f, "<figure class=\"bd\" data-g=\"%d\" data-run=\"", p->group);
	put_escaped(f, p->id);
	fprintf(f, "\" data-solved=\"%d\"><svg viewBox=\"0 0 100 100\" role=\"img\">"
		"<image x=\"%.3f\" y=\"%.3f\" width=\"%.3f\" height=\"%.3f\" preserveAspectRatio=\"none\" "
		"href=\"data:image/png;base64,", p->solved, -cell / 2, -cell / 2, 100 + cell, 100 + cell);
	put_base64(f, png, len);
	fputs("\"/>", f);
	/* The points: (x1, x2) in [-0.5, 1.5] to 0..100, x2 up. */
	for (int i = 0; i < p->n_points; i++) {
		const double *q = p->points + 3 * (size_t)i;
		fprintf(f, "<circle class=\"%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"4.5\"/>",
			q[2] >= 0.5 ? "t1" : "t0", (q[0] + 0.5) * 50, (1.5 - q[1]) * 50);
	}
	fprintf(f, "</svg><figcaption><span class=\"sw\" style=\"background:%s\"></span>", c);
	put_escaped(f, s->groups[p->group].label);
	fprintf(f, "<br>%s: <span class=\"rid\">", p->solved ? "solved" : "not solved");
	put_escaped(f, p->id);
	fputs("</span></figcaption></figure>\n", f);
}

static void put_pictures(FILE *f, const struct html_study *s)
{
	uint8_t *rgb = malloc(3 * (size_t)HTML_GRID * HTML_GRID);
	uint8_t *png = malloc(png_size(HTML_GRID, HTML_GRID));

	if (!s->n_pictures || !rgb || !png) {
		free(rgb);
		free(png);
		return;
	}
	fprintf(f, "<h2>Decision boundaries</h2>\n<p class=\"note\">The first solved and the first "
		"unsolved run of each group (of the first %d groups): the network's output over "
		"[&minus;0.5, 1.5]&sup2; (x1 across, x2 up; blue 0, white 0.5, red 1), "
		"the task's rows as points (filled: target 1, open: target 0). "
		"<code>scripts/plot-boundary RUN</code> draws one larger.</p>\n<div id=\"pictures\">\n",
		HTML_MAX_PICTURE_GROUPS);
	for (int i = 0; i < s->n_pictures; i++)
		put_picture(f, s, &s->pictures[i], rgb, png);
	fputs("</div>\n", f);
	free(rgb);
	free(png);
}

/* ---- every run: the rows as JSON, shown a page at a time ---- */

static const char *const status_names[] = {
	[HTML_DONE] = "done", [HTML_DIVERGED] = "diverged", [HTML_MISSING] = "missing",
	[HTML_DAMAGED] = "damaged", [HTML_CONFLICT] = "conflict",
};

/* A JSON string: quotes, backslashes, control bytes and '<' (no
 * "</script>" inside) escaped. */
static void put_json_string(FILE *f, const char *v)
{
	fputc('"', f);
	for (; *v; v++) {
		if (*v == '"' || *v == '\\')
			fprintf(f, "\\%c", *v);
		else if ((unsigned char)*v < 0x20 || *v == '<')
			fprintf(f, "\\u%04x", (unsigned char)*v);
		else
			fputc(*v, f);
	}
	fputc('"', f);
}

static void put_runs(FILE *f, const struct html_study *s)
{
	fprintf(f, "<h2>Every run</h2>\n<p class=\"note\" id=\"runs-note\">%" PRIu64 " run%s",
		s->n_runs, s->n_runs == 1 ? "" : "s");
	if (s->n_runs < s->planned)
		fprintf(f, " (the first %" PRIu64 " of %" PRIu64 " planned; summary.csv lists every one)",
			s->n_runs, s->planned);
	fputs(", in plan order, 100 a page. Solved epoch: &ndash; when never solved. "
	      "Each run's name links to its loss.csv.</p>\n"
	      "<div id=\"pager\"><button id=\"prev\">&larr; previous</button> <span id=\"page\"></span> "
	      "<button id=\"next\">next &rarr;</button></div>\n"
	      "<table id=\"runs\"><thead><tr><th>run</th><th>swept values</th><th>status</th>"
	      "<th>solved epoch</th><th>final loss</th></tr></thead><tbody></tbody></table>\n"
	      "<script type=\"application/json\" id=\"runs-data\">[", f);
	for (uint64_t i = 0; i < s->n_runs; i++) {
		const struct html_run *r = &s->runs[i];
		fputs(i ? ",\n[" : "\n[", f);
		put_json_string(f, r->id);
		fputc(',', f);
		put_json_string(f, r->values);
		fprintf(f, ",\"%s\",%" PRId64 ",", status_names[r->status], r->solved_epoch);
		if (isnan(r->final_loss))
			fputs("\"\"]", f);
		else
			fprintf(f, "\"%.6g\"]", r->final_loss);
	}
	fputs("]</script>\n", f);
}

/* Pages of the run table; a complete run's name links to its loss.csv. */
static const char *const runs_script =
	"(function(){"
	"var d=JSON.parse(document.getElementById('runs-data').textContent),per=100,"
	"pages=Math.max(1,Math.ceil(d.length/per)),at=0,tb=document.getElementById('runs').tBodies[0];"
	"function cell(tr,t){var td=document.createElement('td');td.textContent=t;tr.appendChild(td);return td}"
	"function show(p){at=Math.max(0,Math.min(pages-1,p));tb.textContent='';"
	"d.slice(at*per,at*per+per).forEach(function(r){var tr=document.createElement('tr'),"
	"td=cell(tr,'');tr.className=r[2];"
	"if(r[2]==='done'||r[2]==='diverged'){var a=document.createElement('a');a.href=r[0]+'/loss.csv';"
	"a.textContent=r[0];td.appendChild(a)}else td.textContent=r[0];"
	"cell(tr,r[1]);cell(tr,r[2]);cell(tr,r[3]<0?'\\u2013':r[3]);cell(tr,r[4]);tb.appendChild(tr)});"
	"document.getElementById('page').textContent='page '+(at+1)+' of '+pages+' ('+d.length+' runs)';"
	"document.getElementById('prev').disabled=at===0;document.getElementById('next').disabled=at===pages-1}"
	"document.getElementById('prev').addEventListener('click',function(){show(at-1)});"
	"document.getElementById('next').addEventListener('click',function(){show(at+1)});"
	"var m=/page=([0-9]+)/.exec(location.hash);show(m?parseInt(m[1],10)-1:0)"
	"})();";

/* The sections after the curves: decision boundaries (2-input tasks)
 * and every run. */
static void put_runs_sections(FILE *f, const struct html_study *s)
{
	put_pictures(f, s);
	put_runs(f, s);
}

static const char *const style =
	"body{font:14px/1.4 system-ui,sans-serif;margin:1.5em auto;max-width:1100px;color:#222;padding:0 1em}"
	"h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em}"
	"table{border-collapse:collapse;font-variant-numeric:tabular-nums}"
	"th,td{padding:3px 6px;border-bottom:1px solid #ddd;text-align:right;white-space:nowrap}th{white-space:normal}"
	"td:first-child,th:first-child{text-align:left}th{cursor:pointer;background:#f4f4f4}"
	"th.asc:after{content:' \\25b2'}th.desc:after{content:' \\25bc'}"
	".ci{color:#777;font-size:.85em;display:block}.sw{display:inline-block;width:.8em;height:.8em;margin-right:.4em;border-radius:2px}"
	"svg{width:100%;max-width:900px;height:auto;display:block}"
	".frame{fill:none;stroke:#999}.grid{stroke:#eee}.tx{text-anchor:middle;font-size:11px}"
	".ty{text-anchor:end;font-size:11px}.xl,.yl{text-anchor:middle;font-size:12px}"
	".band{opacity:.18;stroke:none}.line{fill:none;stroke-width:1.8}.cursor{stroke:#888;stroke-dasharray:3 3}"
	".off{display:none}#legend button{margin:2px;border:1px solid #ccc;background:#fff;border-radius:3px;cursor:pointer}"
	"#legend button.dim{opacity:.35}#readout{font-size:12px;min-height:1.4em;color:#444}"
	"pre{background:#f7f7f7;padding:.6em;overflow:auto;font-size:12px}"
	".note{color:#555;font-size:.9em}"
	"#pictures{display:flex;flex-wrap:wrap;gap:10px}.bd{margin:0;width:170px;font-size:11px}"
	".bd svg{width:160px;height:160px;border:1px solid #999}.bd circle{stroke:#000;stroke-width:1.5}"
	".bd .t1{fill:#000}.bd .t0{fill:none}.rid{color:#777;word-break:break-all}"
	"#runs td:nth-child(2),#runs th:nth-child(2){text-align:left}#runs tr.missing,#runs tr.damaged{color:#999}"
	"@media print{#legend,#readout{display:none}svg{max-width:100%}}";

/* Sorting by any column (numbers by value, empty last; "#sort=COL" in
 * the address sorts on load), groups switched on and off from the
 * legend, and the medians under the pointer. */
static const char *const script =
	"(function(){"
	"var t=document.getElementById('report'),tb=t.tBodies[0],ths=t.tHead.rows[0].cells;"
	"function key(r,i){var v=r.cells[i].getAttribute('data-v');return v};"
	"function sort(i,dir){var rows=Array.prototype.slice.call(tb.rows);"
	"rows.sort(function(a,b){var x=key(a,i),y=key(b,i);if(x===''&&y==='')return 0;if(x==='')return 1;if(y==='')return -1;"
	"var p=parseFloat(x),q=parseFloat(y);var c=(!isNaN(p)&&!isNaN(q))?(p-q):(x<y?-1:x>y?1:0);return dir*c});"
	"rows.forEach(function(r){tb.appendChild(r)});"
	"for(var k=0;k<ths.length;k++)ths[k].className='';ths[i].className=dir>0?'asc':'desc'}"
	"for(var i=0;i<ths.length;i++)(function(i){ths[i].addEventListener('click',function(){"
	"sort(i,ths[i].className==='asc'?-1:1)})})(i);"
	"var m=/sort=([a-z_]+)/.exec(location.hash);if(m){var r0=tb.rows[0];"
	"for(var j=0;r0&&j<r0.cells.length;j++)if(r0.cells[j].getAttribute('data-col')===m[1])sort(j,1)}"
	"var lg=document.getElementById('legend');"
	"lg.addEventListener('click',function(ev){var b=ev.target.closest('button');if(!b)return;"
	"var g=b.getAttribute('data-g');b.classList.toggle('dim');"
	"document.querySelectorAll('svg g[data-g=\"'+g+'\"]').forEach(function(e){e.classList.toggle('off')})});"
	"var d=JSON.parse(document.getElementById('loss-data').textContent),svg=document.getElementById('loss'),"
	"cur=document.getElementById('cursor'),out=document.getElementById('readout'),"
	"btn=lg.querySelectorAll('button');"
	"svg.addEventListener('mousemove',function(ev){var p=svg.createSVGPoint();p.x=ev.clientX;p.y=ev.clientY;"
	"p=p.matrixTransform(svg.getScreenCTM().inverse());var e=d.x0+(p.x-d.l)/d.w*(d.x1-d.x0);"
	"if(e<d.x0||e>d.x1){out.textContent='';return}cur.setAttribute('x1',p.x);cur.setAttribute('x2',p.x);"
	"var s=[];d.g.forEach(function(g,i){if(!g.e.length||btn[i].classList.contains('dim'))return;"
	"var k=0;while(k+1<g.e.length&&g.e[k+1]<=e)k++;s.push(btn[i].textContent+': '+g.m[k])});"
	"out.textContent='epoch '+Math.round(e)+' \\u2014 median loss '+s.join('; ')})"
	"})();";

/* The page of study s, whose groups, curves and pictures are those of
 * view (all of s's, or the ones shown). */
static void write_page(FILE *f, const struct html_study *all, const struct html_study *s)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	      "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width\">\n<title>nnrun report: ", f);
	put_escaped(f, s->name);
	fprintf(f, "</title>\n<style>%s</style></head><body>\n<h1>nnrun study ", style);
	put_escaped(f, s->name);
	fprintf(f, "</h1>\n<p id=\"counts\">%" PRIu64 " runs planned, %" PRIu64 " complete (%" PRIu64
		" missing or damaged); stop reasons: %" PRIu64 " done, %" PRIu64 " diverged",
		s->planned, s->complete, s->planned - s->complete, s->done, s->diverged);
	if (report_stopped_early(all->groups, all->n_groups))
		for (int k = TRAIN_STOP_EPOCHS; k < TRAIN_STOP_DIVERGED; k++) {
			uint64_t n = 0;

			for (int g = 0; g < all->n_groups; g++)
				n += all->groups[g].stops[k];
			fprintf(f, "%s%" PRIu64 " by %s", k == TRAIN_STOP_EPOCHS ? " (of the done: " : ", ",
				n, k == TRAIN_STOP_EPOCHS ? "running every epoch" : train_stop_names[k]);
		}
	fprintf(f, "%s; training time %.1f s summed over the runs; %d report group%s (runs that differ "
		"only in seed)%s. Written by nnrun %s.</p>\n",
		report_stopped_early(all->groups, all->n_groups) ? ")" : "", s->seconds, all->n_groups,
		all->n_groups == 1 ? "" : "s",
		s->n_groups < all->n_groups ? ": the page shows the " HTML_MAX_GROUPS_TEXT " with the "
		"lowest final-loss IQM, report.csv lists all" : "", NNRUN_VERSION);
	fputs("<h2>Report</h2>\n", f);
	put_table(f, s);
	fprintf(f, "<p class=\"note\">Brackets: 95%% intervals. Solved: Wilson score interval. Median solved "
		"epoch: unsolved runs count as never solved, so it exists once half the runs solved "
		"(&ndash; otherwise). IQM: the mean of the middle half of the final losses (a diverged run's "
		"counts as +inf). Both by percentile bootstrap, %d resamples, seed %u. Click a column to sort.</p>\n",
		STATS_RESAMPLES, STATS_SEED);
	fputs("<h2>Curves</h2>\n", f);
	for (int g = 0; g < s->n_groups; g++)
		if (s->curves[g].runs < s->groups[g].st.runs) {
			fprintf(f, "<p class=\"note\" id=\"curve-runs\">A group of more than %u complete "
				"runs has its curves drawn from its first %u; its figures in the table "
				"use them all.</p>\n", CURVES_MAX_RUNS, CURVES_MAX_RUNS);
			break;
		}
	fputs("<div id=\"legend\">", f);
	for (int g = 0; g < s->n_groups; g++) {
		char c[32];
		colour(c, sizeof c, g);
		fprintf(f, "<button data-g=\"%d\"><span class=\"sw\" style=\"background:%s\"></span>", g, c);
		put_escaped(f, s->groups[g].label);
		fputs("</button>", f);
	}
	fputs("</div>\n<h3>Loss</h3>\n<div id=\"readout\"></div>\n", f);
	put_loss_plot(f, s);
	fputs("<h3>Solved by epoch</h3>\n", f);
	put_solved_plot(f, s);
	fputs("<h3>Final loss profile</h3>\n", f);
	put_profile_plot(f, s);
	put_runs_sections(f, s);
	fputs("<h2>Study</h2>\n<pre id=\"study\">", f);
	put_escaped(f, s->study_yaml);
	fprintf(f, "</pre>\n<script>%s</script>\n<script>%s</script>\n</body></html>\n", script, runs_script);
}

struct ranked {
	double iqm;   /* +inf when the group has none */
	int g;
};

/* Lowest final-loss IQM first, then plan order. */
static int by_iqm(const void *x, const void *y)
{
	const struct ranked *a = x, *b = y;

	if (a->iqm != b->iqm)
		return a->iqm < b->iqm ? -1 : 1;
	return (a->g > b->g) - (a->g < b->g);
}

static int by_group(const void *x, const void *y)
{
	const struct ranked *a = x, *b = y;
	return (a->g > b->g) - (a->g < b->g);
}

void html_write(FILE *f, const struct html_study *s)
{
	struct html_study v = *s;
	struct ranked *pick = NULL;
	int *at = NULL, n = HTML_MAX_GROUPS;
	struct report_group *groups = NULL;
	struct curve *curves = NULL;
	struct html_picture *pictures = NULL;

	if (s->n_groups <= HTML_MAX_GROUPS) {
		write_page(f, s, s);
		return;
	}
	pick = malloc((size_t)s->n_groups * sizeof *pick);
	at = malloc((size_t)s->n_groups * sizeof *at);
	groups = malloc((size_t)n * sizeof *groups);
	curves = malloc((size_t)n * sizeof *curves);
	pictures = malloc(((size_t)s->n_pictures + 1) * sizeof *pictures);
	if (!pick || !at || !groups || !curves || !pictures) {
		/* Out of memory: the page still lists every group. */
		write_page(f, s, s);
		goto out;
	}
	for (int g = 0; g < s->n_groups; g++) {
		const struct stats_est *iqm = &s->groups[g].st.final_loss_iqm;

		pick[g].iqm = iqm->exists && !isnan(iqm->value) ? iqm->value : INFINITY;
		pick[g].g = g;
		at[g] = -1;
	}
	qsort(pick, (size_t)s->n_groups, sizeof *pick, by_iqm);
	qsort(pick, (size_t)n, sizeof *pick, by_group);   /* shown in plan order */
	for (int i = 0; i < n; i++) {
		groups[i] = s->groups[pick[i].g];
		curves[i] = s->curves[pick[i].g];
		at[pick[i].g] = i;
	}
	v.n_groups = n;
	v.groups = groups;
	v.curves = curves;
	v.n_pictures = 0;
	for (int i = 0; i < s->n_pictures; i++)
		if (at[s->pictures[i].group] >= 0) {
			pictures[v.n_pictures] = s->pictures[i];
			pictures[v.n_pictures++].group = at[s->pictures[i].group];
		}
	v.pictures = pictures;
	write_page(f, s, &v);
out:
	free(pick);
	free(at);
	free(groups);
	free(curves);
	free(pictures);
}
