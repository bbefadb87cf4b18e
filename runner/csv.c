/* csv.c: writes loss rows with no stdio and no allocation per row, and quoted fields. */
#include "csv.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "fmt.h"
#include "results.h"

/* The checksum is taken of the bytes as they leave for the file, so the
 * integrity record costs no second reading of it. */
static void flush(struct csv *w)
{
	if (w->n && !w->error) {
		hash_update(&w->hash, w->buf, w->n);
		w->size += w->n;
		w->error = results_write_all(w->fd, w->buf, w->n);
	}
	w->n = 0;
}

int csv_open(struct csv *w, const char *path)
{
	w->n = 0;
	w->error = 0;
	w->size = 0;
	hash_init(&w->hash);
	w->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (w->fd < 0)
		return errno;
	memcpy(w->buf, "epoch,loss\n", 11);
	w->n = 11;
	return 0;
}

void csv_write_loss(struct csv *w, uint64_t epoch, double loss)
{
	char digits[20];
	char *p;
	int nd = 0;

	if (w->n + 20 + 1 + FMT_DOUBLE_MAX + 1 > CSV_BUF)
		flush(w);
	do {
		digits[nd++] = (char)('0' + epoch % 10);
		epoch /= 10;
	} while (epoch);
	p = w->buf + w->n;
	while (nd)
		*p++ = digits[--nd];
	*p++ = ',';
	p += fmt_double(p, loss);
	*p++ = '\n';
	w->n = (size_t)(p - w->buf);
}

uint64_t csv_loss_size(uint64_t epochs, uint64_t log_every)
{
	uint64_t bytes = sizeof "epoch,loss\n" - 1, rows = 0, lo = 0, hi = 10;

	if (!epochs || !log_every)
		return bytes;
	/* Logged epochs 0, L, 2L, ... below epochs, counted per digit count. */
	for (int digits = 1; lo < epochs; digits++) {
		uint64_t top = hi < epochs ? hi : epochs;   /* epochs in [lo, top) */
		uint64_t n = (top - 1) / log_every - (lo ? (lo - 1) / log_every : (uint64_t)-1);
		bytes += n * (uint64_t)digits;
		rows += n;
		lo = hi;
		hi = hi > UINT64_MAX / 10 ? UINT64_MAX : hi * 10;
	}
	if ((epochs - 1) % log_every) {   /* the last epoch is always written */
		uint64_t e = epochs - 1;
		int digits = 1;
		while (e /= 10)
			digits++;
		bytes += (uint64_t)digits;
		rows++;
	}
	return bytes + rows * (1 + CSV_LOSS_TYPICAL + 1);
}

int csv_close(struct csv *w)
{
	flush(w);
	if (close(w->fd) < 0 && !w->error)
		w->error = errno;
	w->fd = -1;
	return w->error;
}

void csv_put_field(FILE *f, const char *v)
{
	if (!strpbrk(v, ",\"\n")) {
		fputs(v, f);
		return;
	}
	fputc('"', f);
	for (; *v; v++) {
		if (*v == '"')
			fputc('"', f);
		fputc(*v, f);
	}
	fputc('"', f);
}

void csv_put_number(FILE *f, double v)
{
	char s[FMT_DOUBLE_MAX];

	fputc(',', f);
	if (!isnan(v)) {
		fmt_double(s, v);
		fputs(s, f);
	}
}
