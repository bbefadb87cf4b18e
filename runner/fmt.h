/* fmt.h: doubles as the shortest text that reads back to the same double. */
#ifndef NNRUN_FMT_H
#define NNRUN_FMT_H

#define FMT_DOUBLE_MAX 32

/* Writes x as Python's repr(float) does (shortest round-trip digits;
 * fixed notation for decimal exponents -4..15, else d.ddde+XX; "nan",
 * "inf", "-inf"), NUL-terminated; returns the length. */
int fmt_double(char *buf, double x);

/* strtod(s, end) exactly, value and end alike, only faster on what
 * fmt_double writes (up to 19 significant digits, an exponent within
 * the doubles' normal range); anything else it hands to strtod. */
double fmt_parse_double(const char *s, char **end);

#endif
