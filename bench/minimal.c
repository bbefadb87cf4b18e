/* minimal.c: the tutorial's 2-2-1 sigmoid XOR loop written out by hand, the floor nnrun's loop is held against. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* The same arithmetic as nnrun and NumPy, in the same order: each dot
 * product summed from 0.0 in k order, then the bias; row sums
 * ((v0 + v1) + v2) + v3; the loss of the pass before each update. */
static double sigmoid(double x)
{
	return 1.0 / (1.0 + exp(-x));
}

int main(int argc, char **argv)
{
	static const double x[4][2] = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
	static const double y[4] = {0, 1, 1, 0};
	/* np.random.seed(42); randn(2, 2), randn(2, 1) */
	double w1[2][2] = {{0.49671415301123267, -0.13826430117118466},
			   {0.64768853810069249, 1.5230298564080254}};
	double w2[2] = {-0.23415337472333597, -0.23413695694918055};
	double b1[2] = {0, 0}, b2 = 0, lr = 0.1, loss = 0;
	long epochs = argc > 1 ? atol(argv[1]) : 10000;

	for (long e = 0; e < epochs; e++) {
		double h[4][2], o[4], dh[4][2], d[4];

		loss = 0;
		for (int r = 0; r < 4; r++) {
			for (int j = 0; j < 2; j++)
				h[r][j] = sigmoid(((0.0 + x[r][0] * w1[0][j]) +
						   x[r][1] * w1[1][j]) + b1[j]);
			o[r] = sigmoid(((0.0 + h[r][0] * w2[0]) + h[r][1] * w2[1]) + b2);
			loss = r ? loss + (y[r] - o[r]) * (y[r] - o[r])
				 : (y[r] - o[r]) * (y[r] - o[r]);
		}
		loss /= 4;
		for (int r = 0; r < 4; r++) {
			d[r] = (y[r] - o[r]) * (o[r] * (1.0 - o[r]));
			for (int j = 0; j < 2; j++)
				dh[r][j] = (0.0 + d[r] * w2[j]) *
					   (h[r][j] * (1.0 - h[r][j]));
		}
		for (int i = 0; i < 2; i++)
			for (int j = 0; j < 2; j++)
				w1[i][j] += ((((0.0 + x[0][i] * dh[0][j]) + x[1][i] * dh[1][j]) +
					      x[2][i] * dh[2][j]) + x[3][i] * dh[3][j]) * lr;
		for (int j = 0; j < 2; j++)
			b1[j] += (((dh[0][j] + dh[1][j]) + dh[2][j]) + dh[3][j]) * lr;
		for (int j = 0; j < 2; j++)
			w2[j] += ((((0.0 + h[0][j] * d[0]) + h[1][j] * d[1]) +
				   h[2][j] * d[2]) + h[3][j] * d[3]) * lr;
		b2 += (((d[0] + d[1]) + d[2]) + d[3]) * lr;
	}
	printf("%.17g\n", loss);
	return 0;
}
