/* kernel.h: a layer's three matrix products, in NumPy's summation order, in the widest vectors the CPU has. */
#ifndef NNRUN_KERNEL_H
#define NNRUN_KERNEL_H

/* Every matrix is row-major and dense. Each output element is one sum
 * that starts from 0.0 and adds its products in index order, a multiply
 * then a separate add (no fused multiply-add), as reference BLAS does;
 * the variants below differ only in how many elements they compute at
 * once, never in an element's operations or their order, so every
 * variant gives the same bits as the scalar reference. */

/* z = x @ w + b: x is rows x n_in, w n_in x n_out, b n_out, z rows x
 * n_out. z[r][j] = (sum over k in order of x[r][k] w[k][j]) + b[j]. */
void kernel_forward(const double *x, const double *w, const double *b, double *z,
		    int rows, int n_in, int n_out);

/* d = d_next @ w_next^T: d_next is rows x n_next, w_next n x n_next,
 * d rows x n. d[r][i] = sum over j in order of d_next[r][j] w_next[i][j]. */
void kernel_back(const double *d_next, const double *w_next, double *d,
		 int rows, int n, int n_next);

/* g = a^T @ d: a is rows x n_in, d rows x n_out, g n_in x n_out.
 * g[i][j] = sum over r in order of a[r][i] d[r][j]. */
void kernel_dw(const double *a, const double *d, double *g, int rows, int n_in, int n_out);

/* w += (a^T @ d) * lr, the same sums as kernel_dw, each times lr and
 * added to its weight (NumPy's `W += a.T.dot(d) * lr`). */
void kernel_dw_step(const double *a, const double *d, double *w, int rows, int n_in,
		    int n_out, double lr);

/* One set of the products, as compiled for one instruction set. */
struct kernel_impl {
	const char *name;
	void (*forward)(const double *x, const double *w, const double *b, double *z,
			int rows, int n_in, int n_out);
	void (*back)(const double *d_next, const double *w_next, double *d, int rows,
		     int n, int n_next);
	void (*dw)(const double *a, const double *d, double *g, int rows, int n_in,
		   int n_out, double lr, int step);
};

/* The plain scalar loops every variant must equal bit for bit. */
extern const struct kernel_impl kernel_ref;

/* The vector variants, widest first; kernel_supported(i) says whether
 * this CPU runs kernel_impls[i]. The public functions above use the
 * first supported one. */
extern const struct kernel_impl kernel_impls[];
extern const int kernel_n_impls;
int kernel_supported(int i);

/* The variant the public functions use on this CPU. */
const struct kernel_impl *kernel_active(void);

#endif
