/* report.c: renders the report groups' statistics as report.csv and as the terminal table; knows nothing of how they were made. */
#include "report.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "csv.h"
#include "fmt.h"

static void put_est(FILE *f, const struct stats_est *e, int with_value)
{
	if (with_value)
		csv_put_number(f, e->exists ? e->value : NAN);
	csv_put_number(f, e->lo);
	csv_put_number(f, e->hi);
}

void report_csv(FILE *f, const struct report_group *g, int n)
{
	fprintf(f, "group,runs,solved,solved_fraction,solved_fraction_lo,solved_fraction_hi,"
		"solved_epoch_q1,solved_epoch_median,solved_epoch_median_lo,solved_epoch_median_hi,"
		"solved_epoch_q3,final_loss_median,final_loss_iqm,final_loss_iqm_lo,final_loss_iqm_hi,"
		"done,diverged,stop_epochs,stop_loss,stop_solved,stop_plateau\n");
	for (int i = 0; i < n; i++) {
		const struct stats_group *s = &g[i].st;
		int any = s->runs > 0;

		csv_put_field(f, g[i].label);
		fprintf(f, ",%" PRIu64, s->runs);
		if (g[i].judged_by_loss) {
			fputs(",n/a,n/a,n/a,n/a,n/a,n/a,n/a,n/a,n/a", f);
		} else {
			fprintf(f, ",%" PRIu64, s->solved);
			csv_put_number(f, any ? s->share.value : 0.0);
			put_est(f, &s->share, 0);
			csv_put_number(f, s->solved_epoch_q1);
			put_est(f, &s->solved_epoch, 1);
			csv_put_number(f, s->solved_epoch_q3);
		}
		csv_put_number(f, s->final_loss_median);
		put_est(f, &s->final_loss_iqm, 1);
		fprintf(f, ",%" PRIu64 ",%" PRIu64, s->done, s->diverged);
		for (int k = TRAIN_STOP_EPOCHS; k < TRAIN_STOP_DIVERGED; k++)
			fprintf(f, ",%" PRIu64, g[i].stops[k]);
		fputc('\n', f);
	}
}

/* "[lo, hi]" with 4 significant digits, scaled (100 for percents). */
static void interval(char *buf, size_t max, const struct stats_est *e, double scale)
{
	if (isnan(e->lo))
		snprintf(buf, max, "-");
	else
		snprintf(buf, max, "[%.4g, %.4g]", e->lo * scale, e->hi * scale);
}

int report_stopped_early(const struct report_group *g, int n)
{
	for (int i = 0; i < n; i++)
		for (int k = TRAIN_STOP_EPOCHS + 1; k < TRAIN_STOP_DIVERGED; k++)
			if (g[i].stops[k])
				return 1;
	return 0;
}

/* A group's runs that a stop rule ended, " loss=N solved=N plateau=N". */
static void put_stops(FILE *f, const struct report_group *g)
{
	for (int k = TRAIN_STOP_EPOCHS + 1; k < TRAIN_STOP_DIVERGED; k++)
		fprintf(f, " %s=%" PRIu64, train_stop_names[k], g->stops[k]);
}

void report_table(FILE *f, const struct report_group *g, int n)
{
	int early = report_stopped_early(g, n);

	fprintf(f, "%-44s %5s %9s %18s %19s %16s %14s %22s %8s%s\n", "group", "runs", "solved",
		"solved_95ci", "solved_epoch_median", "median_95ci", "final_loss_iqm",
		"iqm_95ci", "diverged", early ? " stopped_by" : "");
	for (int i = 0; i < n; i++) {
		const struct stats_group *s = &g[i].st;
		char ci[3][64], med[32], iqm[32];

		interval(ci[0], sizeof ci[0], &s->share, 100.0);
		interval(ci[1], sizeof ci[1], &s->solved_epoch, 1.0);
		interval(ci[2], sizeof ci[2], &s->final_loss_iqm, 1.0);
		if (s->solved_epoch.exists)
			snprintf(med, sizeof med, "%.10g", s->solved_epoch.value);
		else
			snprintf(med, sizeof med, s->runs ? "<half solved" : "-");
		if (s->final_loss_iqm.exists)
			snprintf(iqm, sizeof iqm, "%.6g", s->final_loss_iqm.value);
		else
			snprintf(iqm, sizeof iqm, "-");
		/* The fraction keeps 4 significant digits: 2 of 100000 reads
		 * 0.002%, not 0.0%. */
		if (g[i].judged_by_loss)
			fprintf(f, "%-44s %5" PRIu64 " %9s %18s %19s %16s %14s %22s %8" PRIu64,
				g[i].label, s->runs, "n/a", "n/a", "n/a", "n/a", iqm, ci[2], s->diverged);
		else
			fprintf(f, "%-44s %5" PRIu64 " %8.4g%% %18s %19s %16s %14s %22s %8" PRIu64,
				g[i].label, s->runs, s->runs ? 100.0 * s->share.value : 0.0, ci[0], med,
				ci[1], iqm, ci[2], s->diverged);
		if (early)
			put_stops(f, &g[i]);
		fputc('\n', f);
	}
	fprintf(f, "95%% intervals: Wilson score for solved; percentile bootstrap (%d resamples, seed %u) "
		"for the median solved epoch (unsolved runs count as never solved, so it exists once half "
		"have solved) and for the interquartile mean of the final loss.\n",
		STATS_RESAMPLES, STATS_SEED);
}
