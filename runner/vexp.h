/* vexp.h: exp over arrays, vectorised where that gives libm's exact bits, libm's own calls elsewhere. */
#ifndef NNRUN_VEXP_H
#define NNRUN_VEXP_H

#include <math.h>
#include <stdint.h>
#include <string.h>

/* 1 when the vector exp (and vexp_one) is in use: the CPU has AVX2 and FMA, the C
 * library is glibc 2.36 (whose exp the vector code repeats step for
 * step), a start-up check on fixed hard inputs found every result equal
 * to libm's, and NNRUN_EXP is not "libm" (which forces libm, for
 * comparisons). Otherwise every value goes through libm's exp. */
int vexp_exact(void);

/* v[i] = exp(v[i]) for n values, in place: the same bits as libm. */
void vexp(double *v, int n);

/* a[i] = 1.0 / (1.0 + exp(-a[i])) for n values, in place: the sigmoid
 * row of act.h with the same bits. */
void vexp_sigmoid(double *a, int n);

#if defined(__x86_64__) && defined(__GLIBC__) && (defined(__GNUC__) || defined(__clang__))

/* vexp_one is there to call (where vexp_exact() says so). */
#define VEXP_ONE 1

/* The table of glibc 2.36's exp (x86-64 __exp_fma), read from
 * libm.so.6: for i = 0 .. 127, vexp_tab[2i] is the tail and
 * vexp_tab[2i+1] the bits of 2^(i/128) less i << 45. */
extern const uint64_t vexp_tab[256];

/* The constants, in the order the sequence uses them. */
#define VEXP_INV_LN2_N 0x40671547652b82feull    /* 128 / ln 2 */
#define VEXP_SHIFT 0x4338000000000000ull        /* 0x1.8p52 */
#define VEXP_NEG_LN2_HI_N 0xbf762e42fefa0000ull /* -ln 2 / 128, high part */
#define VEXP_NEG_LN2_LO_N 0xbd0cf79abc9e3b3aull /* and low part */
#define VEXP_C2 0x3fdffffffffffdbdull
#define VEXP_C3 0x3fc555555555543cull
#define VEXP_C4 0x3fa55555cf172b91ull
#define VEXP_C5 0x3f81111167a4d017ull


static inline double vexp_bits_double(uint64_t u)
{
	double d;

	memcpy(&d, &u, sizeof d);
	return d;
}

/* exp(x) with libm's bits, one value, inline: the scalar form of
 * vexp.c's four-lane sequence, operation for operation. For a chain of
 * single values (one row's layers), where a call to libm and the
 * registers it clobbers cost more than the exp. Only where
 * vexp_exact() is 1, from a function built for the FMA target. */
__attribute__((target("fma"))) static inline double vexp_one(double x)
{
	uint64_t ix, ki, idx, sbits;
	double kd, r, r2, tail, tmp, scale;

	memcpy(&ix, &x, sizeof ix);
	/* off the main path (|x| < 2^-54, |x| >= 512, NaN): libm */
	if ((uint64_t)((ix >> 52 & 0x7ff) - 0x3c9) >= 0x408 - 0x3c9)
		return exp(x);
	kd = __builtin_fma(x, vexp_bits_double(VEXP_INV_LN2_N), vexp_bits_double(VEXP_SHIFT));
	memcpy(&ki, &kd, sizeof ki);
	kd = kd - vexp_bits_double(VEXP_SHIFT);
	r = __builtin_fma(kd, vexp_bits_double(VEXP_NEG_LN2_HI_N), x);
	r = __builtin_fma(kd, vexp_bits_double(VEXP_NEG_LN2_LO_N), r);
	idx = (ki & 0x7f) << 1;
	tail = vexp_bits_double(vexp_tab[idx]);
	sbits = vexp_tab[idx + 1] + (ki << 45);
	r2 = r * r;
	tmp = __builtin_fma(r2 * r2, __builtin_fma(r, vexp_bits_double(VEXP_C5), vexp_bits_double(VEXP_C4)),
			    __builtin_fma(__builtin_fma(r, vexp_bits_double(VEXP_C3), vexp_bits_double(VEXP_C2)),
					  r2, r + tail));
	scale = vexp_bits_double(sbits);
	return __builtin_fma(scale, tmp, scale);
}
#endif

#endif
