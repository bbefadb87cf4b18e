/* fann_xor.c: the same 2-2-1 sigmoid XOR training with FANN 2.2 (doublefann, batch), for comparison. */
#include <doublefann.h>
#include <stdio.h>
#include <stdlib.h>

/* FANN_SIGMOID with steepness 0.5 is 1 / (1 + exp(-x)), the tutorial's
 * sigmoid; FANN_TRAIN_BATCH updates once per epoch over the 4 rows, as
 * the tutorial does. FANN's own initial weights and update rule differ,
 * so only the time is comparable, not the losses. */
int main(int argc, char **argv)
{
	static fann_type in[4][2] = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
	static fann_type out[4][1] = {{0}, {1}, {1}, {0}};
	fann_type *inp[4] = {in[0], in[1], in[2], in[3]};
	fann_type *outp[4] = {out[0], out[1], out[2], out[3]};
	struct fann_train_data data = {0};
	long epochs = argc > 1 ? atol(argv[1]) : 10000;
	struct fann *ann = fann_create_standard(3, 2, 2, 1);
	float mse = 0;

	if (!ann)
		return 1;
	data.num_data = 4;
	data.num_input = 2;
	data.num_output = 1;
	data.input = inp;
	data.output = outp;
	fann_set_activation_function_hidden(ann, FANN_SIGMOID);
	fann_set_activation_function_output(ann, FANN_SIGMOID);
	fann_set_activation_steepness_hidden(ann, 0.5);
	fann_set_activation_steepness_output(ann, 0.5);
	fann_set_training_algorithm(ann, FANN_TRAIN_BATCH);
	fann_set_learning_rate(ann, 0.1f);
	fann_set_train_error_function(ann, FANN_ERRORFUNC_LINEAR);
	fann_randomize_weights(ann, -1, 1);
	for (long e = 0; e < epochs; e++)
		mse = fann_train_epoch(ann, &data);
	printf("%.9g\n", (double)mse);
	fann_destroy(ann);
	return 0;
}
