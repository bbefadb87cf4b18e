/* err.c: recording and printing errors. */
#include "err.h"

#include <stdarg.h>
#include <string.h>

int err_set(struct err *e, int code, const char *file, int line, int col,
	    const char *fmt, ...)
{
	va_list ap;

	e->code = code;
	e->file[0] = '\0';
	if (file)
		snprintf(e->file, sizeof e->file, "%s", file);
	e->line = line;
	e->col = col;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return code;
}

void err_print(const struct err *e, FILE *out)
{
	if (!e->file[0])
		fprintf(out, "nnrun: error: %s\n", e->msg);
	else if (e->line > 0)
		fprintf(out, "%s:%d:%d: error: %s\n", e->file, e->line,
			e->col, e->msg);
	else
		fprintf(out, "%s: error: %s\n", e->file, e->msg);
}

const char *err_quote(char *buf, size_t max, const char *s, size_t len)
{
	size_t n = 0, i;

	for (i = 0; i < len && n + 4 < max; i++) {
		unsigned char c = (unsigned char)s[i];
		buf[n++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	if (i < len) {
		/* Cut on a UTF-8 boundary so the line stays valid text. */
		while (n > 0 && ((unsigned char)buf[n - 1] & 0xc0) == 0x80)
			n--;
		if (n > 0 && ((unsigned char)buf[n - 1] & 0xc0) == 0xc0)
			n--;
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n] = '\0';
	return buf;
}
