/* fmt.c: doubles as Python's repr writes them, by Giulietti's Schubfach. */
#include "fmt.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifndef __SIZEOF_INT128__
#error "fmt.c needs unsigned __int128 for its 64x128-bit products"
#endif
typedef unsigned __int128 fmt_u128;

/* fmt_pow10[e - FMT_POW10_MIN]: 10^e as a 128-bit significand, rounded up,
 * high word first. */
#include "fmt_pow10.inc"

#define FMT_FRAC_BITS 52
#define FMT_FRAC_MASK ((UINT64_C(1) << FMT_FRAC_BITS) - 1)
#define FMT_EXP_MAX 0x7ff
#define FMT_EXP_BIAS 1075       /* x = c * 2^(biased exponent - 1075) */
#define FMT_Q_MIN (-1074)

static const char fmt_pairs[201] =
	"0001020304050607080910111213141516171819"
	"2021222324252627282930313233343536373839"
	"4041424344454647484950515253545556575859"
	"6061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/* floor(q log10 2), floor(q log10 2 + log10 3/4) and floor(e log2 10), exact
 * over the exponents of doubles (fmt_pow10.py checks them). A right shift of
 * a negative int is arithmetic on gcc and clang. */
static int fmt_flog10_pow2(int q)
{
	return (q * 315653) >> 20;
}

static int fmt_flog10_3q_pow2(int q)
{
	return (q * 315653 - 130964) >> 20;
}

static int fmt_flog2_pow10(int e)
{
	return (e * 3483294) >> 20;
}

/* g * cp / 2^128 rounded to odd: the floor, with its last bit set when a
 * fraction was dropped, so that comparing it with a multiple of 4 gives the
 * exact answer. g overshoots 10^e by under 1 unit, so the product overshoots
 * by under cp; only a remainder above that is a fraction. */
static uint64_t fmt_rop(const uint64_t g[2], uint64_t cp)
{
	fmt_u128 lo = (fmt_u128)g[1] * cp;
	fmt_u128 hi = (fmt_u128)g[0] * cp + (lo >> 64);

	return (uint64_t)(hi >> 64) | ((uint64_t)hi != 0 || (uint64_t)lo > cp);
}

/* The decimal s * 10^*e10 that x = c * 2^q prints as: the shortest that
 * rounds back to x, the closest to x among equally short ones. Schubfach
 * picks k so that x's rounding interval is 1 to 10 units of 10^k wide: then
 * it holds at most one multiple of 10^(k+1), which is the shortest if it is
 * there, and otherwise one of the two multiples of 10^k around x. Every
 * quantity is scaled by 4 so the interval's ends (x +- half a gap) are
 * integers. irregular: x is a power of two whose lower gap is half the upper. */
static uint64_t fmt_shortest(uint64_t c, int q, int irregular, int *e10)
{
	/* Round-half-even reads an end back as x only when c is even. */
	uint64_t out = c & 1;
	uint64_t cb = c << 2, cbl = irregular ? cb - 1 : cb - 2, cbr = cb + 2;
	int k = irregular ? fmt_flog10_3q_pow2(q) : fmt_flog10_pow2(q);
	int h = q + fmt_flog2_pow10(-k) + 1;
	const uint64_t *g = fmt_pow10[-k - FMT_POW10_MIN];
	uint64_t vb = fmt_rop(g, cb << h);
	uint64_t vbl = fmt_rop(g, cbl << h) + out;
	uint64_t vbr = fmt_rop(g, cbr << h) - out;
	uint64_t s = vb >> 2, t = s + 1, mid;
	int uin, win;

	*e10 = k;
	/* Below 10 the multiple of 10 under s is 0, no candidate. */
	if (s >= 10) {
		uint64_t sp10 = s / 10 * 10, tp10 = sp10 + 10;
		int upin = vbl <= sp10 << 2, wpin = tp10 << 2 <= vbr;

		if (upin != wpin)
			return upin ? sp10 : tp10;
	}
	uin = vbl <= s << 2;
	win = t << 2 <= vbr;
	if (uin != win)
		return uin ? s : t;
	/* Both read back: the closer, and on a tie the even one, as repr. */
	mid = (s + t) << 1;
	return vb < mid || (vb == mid && !(s & 1)) ? s : t;
}

/* Writes v's decimal digits so they end just before end; returns the first. */
static char *fmt_digits(char *end, uint64_t v)
{
	uint32_t w;

	while (v >= 100000000) {
		uint32_t lo = (uint32_t)(v % 100000000);

		v /= 100000000;
		for (int i = 0; i < 4; i++, lo /= 100)
			memcpy(end -= 2, fmt_pairs + 2 * (lo % 100), 2);
	}
	for (w = (uint32_t)v; w >= 100; w /= 100)
		memcpy(end -= 2, fmt_pairs + 2 * (w % 100), 2);
	if (w >= 10)
		memcpy(end -= 2, fmt_pairs + 2 * w, 2);
	else
		*--end = (char)('0' + w);
	return end;
}

/* The number of decimal digits of v > 0: from its bit length, then one
 * comparison (1233 / 4096 is just above log10 2). */
static int fmt_ndigits(uint64_t v)
{
	static const uint64_t pow10[20] = {
		1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000,
		1000000000, 10000000000, 100000000000, 1000000000000,
		10000000000000, 100000000000000, 1000000000000000,
		10000000000000000, 100000000000000000, 1000000000000000000,
		10000000000000000000u,
	};
	int t = (64 - __builtin_clzll(v)) * 1233 >> 12;

	return t + (v >= pow10[t]);
}

/* Writes s * 10^e10 (s > 0) in repr's layout at p; returns the length.
 * The digits go straight to their place (a loss row is written for
 * every epoch, so no staging buffer and no variable-length copies). */
static int fmt_decimal(char *p, uint64_t s, int e10)
{
	char *o = p;
	int n, e;

	while (s % 10 == 0) {
		s /= 10;
		e10++;
	}
	n = fmt_ndigits(s);
	e = e10 + n - 1;        /* x = d.ddd * 10^e */
	if (e < -4 || e >= 16) {
		unsigned a = (unsigned)(e < 0 ? -e : e);

		/* d.ddd: the digits one place right, then the first moved back. */
		fmt_digits(o + 1 + n, s);
		o[0] = o[1];
		if (n > 1) {
			o[1] = '.';
			o += n + 1;
		} else {
			o += 1;
		}
		*o++ = 'e';
		*o++ = e < 0 ? '-' : '+';
		if (a >= 100) {
			*o++ = (char)('0' + a / 100);
			a %= 100;
		}
		memcpy(o, fmt_pairs + 2 * a, 2);
		o += 2;
	} else if (e < 0) {
		/* 0.000ddd: 1 - e characters before the digits. */
		memcpy(o, "0.0000", 6);
		o += 1 - e;
		fmt_digits(o + n, s);
		o += n;
	} else if (n <= e + 1) {
		fmt_digits(o + n, s);
		o += n;
		for (int i = n; i < e + 1; i++)
			*o++ = '0';
		*o++ = '.';
		*o++ = '0';
	} else {
		/* ddd.ddd: the digits one place right, the integer part moved back. */
		fmt_digits(o + 1 + n, s);
		for (int i = 0; i <= e; i++)
			o[i] = o[i + 1];
		o[e + 1] = '.';
		o += n + 1;
	}
	*o = '\0';
	return (int)(o - p);
}

int fmt_double(char *buf, double x)
{
	uint64_t bits, frac, c;
	int be, q, e10, neg;
	char *p = buf;

	memcpy(&bits, &x, sizeof bits);
	neg = (int)(bits >> 63);
	frac = bits & FMT_FRAC_MASK;
	be = (int)(bits >> FMT_FRAC_BITS & FMT_EXP_MAX);
	if (be == FMT_EXP_MAX) {
		const char *w = frac ? "nan" : neg ? "-inf" : "inf";
		size_t n = strlen(w);

		memcpy(buf, w, n + 1);
		return (int)n;
	}
	if (neg)
		*p++ = '-';
	if (be == 0 && frac == 0) {
		memcpy(p, "0.0", 4);
		return (int)(p - buf) + 3;
	}
	c = be ? frac | UINT64_C(1) << FMT_FRAC_BITS : frac;
	q = be ? be - FMT_EXP_BIAS : FMT_Q_MIN;
	/* An integer below 2^53 is its own shortest form: its neighbours are
	 * under 1 away, so no other integer, and no shorter decimal, reads
	 * back as it. */
	if (q <= 0 && q >= -FMT_FRAC_BITS && !(c & ((UINT64_C(1) << -q) - 1)))
		return (int)(p - buf) + fmt_decimal(p, c >> -q, 0);
	/* The smallest normal's lower neighbour, the largest subnormal, is as
	 * near as its upper one: only bigger powers of two are irregular. */
	c = fmt_shortest(c, q, frac == 0 && be > 1, &e10);
	return (int)(p - buf) + fmt_decimal(p, c, e10);
}

/* x = m * 10^e10 (m < 2^64, not 0) correctly rounded, by Eisel and
 * Lemire's method (as Go's strconv and fast_float have it): m times the
 * 128-bit truncated significand of 10^e10 gives x's 54 leading bits
 * unless the product's dropped bits leave the rounding in doubt; then
 * 0 is returned (the caller asks strtod). The table holds those
 * significands plus 1. */
static int fmt_lemire(uint64_t m, int e10, int neg, double *out)
{
	const uint64_t *g;
	uint64_t hi_pow, lo_pow, x_hi, x_lo, mant, bits;
	int64_t e2;
	int clz, msb;
	fmt_u128 x;

	if (e10 < FMT_POW10_MIN || e10 > FMT_POW10_MAX)
		return 0;
	g = fmt_pow10[e10 - FMT_POW10_MIN];
	hi_pow = g[0] - (g[1] == 0);
	lo_pow = g[1] - 1;
	clz = __builtin_clzll(m);
	m <<= clz;
	e2 = (int64_t)((217706 * e10) >> 16) + 64 + 1023 - clz;
	x = (fmt_u128)m * hi_pow;
	x_hi = (uint64_t)(x >> 64);
	x_lo = (uint64_t)x;
	if ((x_hi & 0x1ff) == 0x1ff && x_lo + m < m) {
		fmt_u128 y = (fmt_u128)m * lo_pow;
		uint64_t y_hi = (uint64_t)(y >> 64), y_lo = (uint64_t)y;
		uint64_t merged_hi = x_hi, merged_lo = x_lo + y_hi;

		merged_hi += merged_lo < x_lo;
		if ((merged_hi & 0x1ff) == 0x1ff && merged_lo + 1 == 0 && y_lo + m < m)
			return 0;
		x_hi = merged_hi;
		x_lo = merged_lo;
	}
	msb = (int)(x_hi >> 63);
	mant = x_hi >> (msb + 9);
	e2 -= 1 ^ msb;
	/* Exactly halfway between two doubles: the dropped bits decide. */
	if (x_lo == 0 && (x_hi & 0x1ff) == 0 && (mant & 3) == 1)
		return 0;
	mant += mant & 1;
	mant >>= 1;
	if (mant >> 53) {
		mant >>= 1;
		e2++;
	}
	/* Subnormal, infinite or beyond: left to strtod. */
	if (e2 <= 0 || e2 >= FMT_EXP_MAX)
		return 0;
	bits = (uint64_t)e2 << FMT_FRAC_BITS | (mant & FMT_FRAC_MASK) | (uint64_t)neg << 63;
	memcpy(out, &bits, sizeof *out);
	return 1;
}

double fmt_parse_double(const char *s, char **end)
{
	const char *p = s;
	uint64_t m = 0;
	int digits = 0, e10 = 0, neg = *p == '-', seen = 0;
	double x;

	p += neg;
	for (; *p >= '0' && *p <= '9'; p++, seen++) {
		if (m || *p != '0')
			digits++;
		m = m * 10 + (uint64_t)(*p - '0');
	}
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++, seen++, e10--) {
			if (m || *p != '0')
				digits++;
			m = m * 10 + (uint64_t)(*p - '0');
		}
	}
	if (*p == 'x' || *p == 'X')   /* hexadecimal */
		goto slow;
	if (*p == 'e' || *p == 'E') {
		const char *q = p + 1;
		int eneg = *q == '-', e = 0, n = 0;

		q += eneg || *q == '+';
		for (; *q >= '0' && *q <= '9' && n < 5; q++, n++)
			e = e * 10 + (*q - '0');
		if (n == 0 || n == 5)
			goto slow;
		e10 += eneg ? -e : e;
		p = q;
	}
	/* Past 19 digits m may have wrapped; no digits at all, or anything
	 * else strtod reads (spaces, "inf", hexadecimal): strtod's. */
	if (!seen || digits > 19)
		goto slow;
	if (m == 0) {
		*end = (char *)p;
		return neg ? -0.0 : 0.0;
	}
	if (!fmt_lemire(m, e10, neg, &x))
		goto slow;
	*end = (char *)p;
	return x;
slow:
	return strtod(s, end);
}
