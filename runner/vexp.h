/* vexp.h: exp over arrays, vectorised where that gives libm's exact bits, libm's own calls elsewhere. */
#ifndef NNRUN_VEXP_H
#define NNRUN_VEXP_H

/* 1 when the vector exp is in use: the CPU has AVX2 and FMA, the C
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

#endif
