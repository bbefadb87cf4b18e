/* test_hash.c: hash.c's XXH64 equals xxhsum's (the xxHash project's own tool) on every input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hash.h"

#define SHORT_MAX 1000                 /* every length 0..SHORT_MAX */
#define LONG_LEN (3 * 1024 * 1024 + 17) /* and one of a few MB */

static unsigned char *data;            /* LONG_LEN pseudo-random bytes */
static char dir[] = "/tmp/nnrun-test-hash-XXXXXX";

static int setup(void **state)
{
	uint64_t x = 0x243F6A8885A308D3ULL;

	(void)state;
	data = malloc(LONG_LEN);
	if (!data || !mkdtemp(dir))
		return -1;
	for (size_t i = 0; i < LONG_LEN; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		data[i] = (unsigned char)(x >> 56);
	}
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	free(data);
	return system(cmd) == 0 ? 0 : -1;
}

/* The hash of data[0..len) fed in pieces whose sizes cycle through odd
 * lengths, across the 32-byte stripes and the 8- and 4-byte tails. */
static uint64_t hash_in_pieces(size_t len)
{
	static const size_t piece[] = { 1, 3, 7, 31, 32, 33, 5, 64, 4, 97, 8, 4099 };
	struct hash h;
	size_t at = 0;

	hash_init(&h);
	for (int i = 0; at < len; i = (i + 1) % 12) {
		size_t n = piece[i] < len - at ? piece[i] : len - at;
		hash_update(&h, data + at, n);
		at += n;
	}
	return hash_final(&h);
}

static void write_input(size_t len)
{
	char path[96];
	FILE *f;

	snprintf(path, sizeof path, "%s/%zu", dir, len);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* Runs xxhsum -H1 over every input and checks each line against ours. */
static void test_xxh64_equals_xxhsum_on_every_length(void **state)
{
	char cmd[160], line[256];
	int checked = 0;
	FILE *p;

	(void)state;
	if (system("command -v xxhsum >/dev/null 2>&1") != 0) {
		print_message("xxhsum is not installed (Debian package xxhash)\n");
		skip();
	}
	for (size_t len = 0; len <= SHORT_MAX; len++)
		write_input(len);
	write_input(LONG_LEN);
	snprintf(cmd, sizeof cmd, "cd %s && xxhsum -H1 *", dir);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (fgets(line, sizeof line, p)) {
		uint64_t want;
		size_t len;

		if (sscanf(line, "%" SCNx64 " %zu", &want, &len) != 2)
			fail_msg("xxhsum printed '%s'", line);
		if (hash_bytes(data, len) != want)
			fail_msg("%zu bytes: ours %016" PRIx64 ", xxhsum %016" PRIx64,
				 len, hash_bytes(data, len), want);
		if (hash_in_pieces(len) != want)
			fail_msg("%zu bytes in pieces: ours %016" PRIx64 ", xxhsum %016" PRIx64,
				 len, hash_in_pieces(len), want);
		checked++;
	}
	assert_int_equal(pclose(p), 0);
	assert_int_equal(checked, SHORT_MAX + 2);
}

/* The specification's value for the empty input, so that a machine
 * without xxhsum still checks something real. */
static void test_xxh64_of_nothing_is_the_specs(void **state)
{
	(void)state;
	assert_true(hash_bytes("", 0) == 0xEF46DB3751D8E999ULL);
}

/* hash_final leaves the state as it was: more can be fed after it. */
static void test_final_does_not_end_the_stream(void **state)
{
	struct hash h;

	(void)state;
	hash_init(&h);
	hash_update(&h, data, 40);
	assert_true(hash_final(&h) == hash_bytes(data, 40));
	hash_update(&h, data + 40, 60);
	assert_true(hash_final(&h) == hash_bytes(data, 100));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xxh64_of_nothing_is_the_specs),
		cmocka_unit_test(test_final_does_not_end_the_stream),
		cmocka_unit_test(test_xxh64_equals_xxhsum_on_every_length),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
