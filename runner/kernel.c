/* kernel.c: the layer products: a scalar reference, and blocked vector variants picked at run time. */
#include "kernel.h"

#include <stddef.h>
#include <string.h>

/* Columns of d_next the back product transposes at a time (on the stack). */
#define KERNEL_CHUNK 256

/* z[r][j] for every row and the columns j0 .. n_out-1: the reference
 * order (k outer, so that the rows' sums run side by side), each sum
 * held in z until the bias is added. */
static void kernel_forward_cols(const double *x, const double *w, const double *b, double *z,
				int rows, int n_in, int n_out, int j0)
{
	for (int r = 0; r < rows; r++)
		for (int j = j0; j < n_out; j++)
			z[(size_t)r * (size_t)n_out + (size_t)j] = 0.0;
	for (int k = 0; k < n_in; k++) {
		const double *wk = w + (size_t)k * (size_t)n_out;

		for (int r = 0; r < rows; r++) {
			const double xrk = x[(size_t)r * (size_t)n_in + (size_t)k];
			double *zr = z + (size_t)r * (size_t)n_out;

			for (int j = j0; j < n_out; j++)
				zr[j] += xrk * wk[j];
		}
	}
	for (int r = 0; r < rows; r++)
		for (int j = j0; j < n_out; j++)
			z[(size_t)r * (size_t)n_out + (size_t)j] += b[j];
}

/* d[r][i] for each of rows rows, one dot product at a time. */
static void kernel_back_rows(const double *d_next, const double *w_next, double *d, int rows,
			     int n, int n_next)
{
	for (int r = 0; r < rows; r++) {
		const double *dr = d_next + (size_t)r * (size_t)n_next;

		for (int i = 0; i < n; i++) {
			const double *wi = w_next + (size_t)i * (size_t)n_next;
			double s = 0.0;

			for (int j = 0; j < n_next; j++)
				s += dr[j] * wi[j];
			d[(size_t)r * (size_t)n + (size_t)i] = s;
		}
	}
}

/* g[i][j] (or w[i][j] += it times lr, when step) for i0 <= i < i1 and
 * j0 <= j < j1, each summed over the rows in order. */
static void kernel_dw_cells(const double *a, const double *d, double *g, int rows, int n_in,
			    int n_out, int i0, int i1, int j0, int j1, double lr, int step)
{
	for (int i = i0; i < i1; i++)
		for (int j = j0; j < j1; j++) {
			double s = 0.0;

			for (int r = 0; r < rows; r++)
				s += a[(size_t)r * (size_t)n_in + (size_t)i] *
				     d[(size_t)r * (size_t)n_out + (size_t)j];
			if (step)
				g[(size_t)i * (size_t)n_out + (size_t)j] += s * lr;
			else
				g[(size_t)i * (size_t)n_out + (size_t)j] = s;
		}
}

static void kernel_forward_ref(const double *x, const double *w, const double *b, double *z,
			       int rows, int n_in, int n_out)
{
	kernel_forward_cols(x, w, b, z, rows, n_in, n_out, 0);
}

static void kernel_dw_ref(const double *a, const double *d, double *g, int rows, int n_in,
			  int n_out, double lr, int step)
{
	kernel_dw_cells(a, d, g, rows, n_in, n_out, 0, n_in, 0, n_out, lr, step);
}

const struct kernel_impl kernel_ref = {
	"scalar", kernel_forward_ref, kernel_back_rows, kernel_dw_ref,
};

/* The variants: one source (kernel_simd.inc) compiled per instruction
 * set with its block sizes: as many sums in registers as the set has
 * registers for (16 vector registers below AVX-512, 32 with it). */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))

#define KSFX avx512
#define KTARGET __attribute__((target("avx512f,avx512vl")))
#define VW 8
#define JB 4
#define BW 4
#define IB 8
#include "kernel_simd.inc"
#undef KSFX
#undef KTARGET
#undef VW
#undef JB
#undef BW
#undef IB

#define KSFX avx2
#define KTARGET __attribute__((target("avx2")))
#define VW 4
#define JB 3
#define BW 4
#define IB 8
#include "kernel_simd.inc"
#undef KSFX
#undef KTARGET
#undef VW
#undef JB
#undef BW
#undef IB

#define KSFX sse2
#define KTARGET
#define VW 2
#define JB 3
#define BW 2
#define IB 6
#include "kernel_simd.inc"
#undef KSFX
#undef KTARGET
#undef VW
#undef JB
#undef BW
#undef IB

const struct kernel_impl kernel_impls[] = {
	{"avx512", kernel_forward_avx512, kernel_back_avx512, kernel_dw_avx512},
	{"avx2", kernel_forward_avx2, kernel_back_avx2, kernel_dw_avx2},
	{"sse2", kernel_forward_sse2, kernel_back_sse2, kernel_dw_sse2},
};

int kernel_supported(int i)
{
	__builtin_cpu_init();
	switch (i) {
	case 0:
		return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl");
	case 1:
		return __builtin_cpu_supports("avx2");
	default:
		return 1;
	}
}

#else

const struct kernel_impl kernel_impls[] = {
	{"scalar", kernel_forward_ref, kernel_back_rows, kernel_dw_ref},
};

int kernel_supported(int i)
{
	(void)i;
	return 1;
}

#endif

const int kernel_n_impls = sizeof kernel_impls / sizeof kernel_impls[0];

const struct kernel_impl *kernel_active(void)
{
	/* Chosen once; a race between threads stores the same pointer. */
	static const struct kernel_impl *active;

	if (!active) {
		int i = 0;

		while (!kernel_supported(i))
			i++;
		active = &kernel_impls[i];
	}
	return active;
}

void kernel_forward(const double *x, const double *w, const double *b, double *z,
		    int rows, int n_in, int n_out)
{
	kernel_active()->forward(x, w, b, z, rows, n_in, n_out);
}

void kernel_back(const double *d_next, const double *w_next, double *d,
		 int rows, int n, int n_next)
{
	kernel_active()->back(d_next, w_next, d, rows, n, n_next);
}

void kernel_dw(const double *a, const double *d, double *g, int rows, int n_in, int n_out)
{
	kernel_active()->dw(a, d, g, rows, n_in, n_out, 0.0, 0);
}

void kernel_dw_step(const double *a, const double *d, double *w, int rows, int n_in,
		    int n_out, double lr)
{
	kernel_active()->dw(a, d, w, rows, n_in, n_out, lr, 1);
}
