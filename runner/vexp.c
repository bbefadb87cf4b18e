/* vexp.c: libm's exp, four at a time: glibc 2.36's FMA sequence as its machine code runs it, used only where it gives libm's bits. */
#include "vexp.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) && defined(__GLIBC__) && (defined(__GNUC__) || defined(__clang__))
#include <gnu/libc-version.h>
#include <immintrin.h>

/* glibc 2.36's table for its exp (x86-64 __exp_fma, the variant its
 * ifunc picks on CPUs with FMA and AVX2), read from libm.so.6; vexp.h
 * says what it holds and has the constants. */
const uint64_t vexp_tab[256] = {
	0x0000000000000000ull, 0x3ff0000000000000ull, 0x3c9b3b4f1a88bf6eull, 0x3feff63da9fb3335ull,
	0xbc7160139cd8dc5dull, 0x3fefec9a3e778061ull, 0xbc905e7a108766d1ull, 0x3fefe315e86e7f85ull,
	0x3c8cd2523567f613ull, 0x3fefd9b0d3158574ull, 0xbc8bce8023f98efaull, 0x3fefd06b29ddf6deull,
	0x3c60f74e61e6c861ull, 0x3fefc74518759bc8ull, 0x3c90a3e45b33d399ull, 0x3fefbe3ecac6f383ull,
	0x3c979aa65d837b6dull, 0x3fefb5586cf9890full, 0x3c8eb51a92fdeffcull, 0x3fefac922b7247f7ull,
	0x3c3ebe3d702f9cd1ull, 0x3fefa3ec32d3d1a2ull, 0xbc6a033489906e0bull, 0x3fef9b66affed31bull,
	0xbc9556522a2fbd0eull, 0x3fef9301d0125b51ull, 0xbc5080ef8c4eea55ull, 0x3fef8abdc06c31ccull,
	0xbc91c923b9d5f416ull, 0x3fef829aaea92de0ull, 0x3c80d3e3e95c55afull, 0x3fef7a98c8a58e51ull,
	0xbc801b15eaa59348ull, 0x3fef72b83c7d517bull, 0xbc8f1ff055de323dull, 0x3fef6af9388c8deaull,
	0x3c8b898c3f1353bfull, 0x3fef635beb6fcb75ull, 0xbc96d99c7611eb26ull, 0x3fef5be084045cd4ull,
	0x3c9aecf73e3a2f60ull, 0x3fef54873168b9aaull, 0xbc8fe782cb86389dull, 0x3fef4d5022fcd91dull,
	0x3c8a6f4144a6c38dull, 0x3fef463b88628cd6ull, 0x3c807a05b0e4047dull, 0x3fef3f49917ddc96ull,
	0x3c968efde3a8a894ull, 0x3fef387a6e756238ull, 0x3c875e18f274487dull, 0x3fef31ce4fb2a63full,
	0x3c80472b981fe7f2ull, 0x3fef2b4565e27cddull, 0xbc96b87b3f71085eull, 0x3fef24dfe1f56381ull,
	0x3c82f7e16d09ab31ull, 0x3fef1e9df51fdee1ull, 0xbc3d219b1a6fbffaull, 0x3fef187fd0dad990ull,
	0x3c8b3782720c0ab4ull, 0x3fef1285a6e4030bull, 0x3c6e149289cecb8full, 0x3fef0cafa93e2f56ull,
	0x3c834d754db0abb6ull, 0x3fef06fe0a31b715ull, 0x3c864201e2ac744cull, 0x3fef0170fc4cd831ull,
	0x3c8fdd395dd3f84aull, 0x3feefc08b26416ffull, 0xbc86a3803b8e5b04ull, 0x3feef6c55f929ff1ull,
	0xbc924aedcc4b5068ull, 0x3feef1a7373aa9cbull, 0xbc9907f81b512d8eull, 0x3feeecae6d05d866ull,
	0xbc71d1e83e9436d2ull, 0x3feee7db34e59ff7ull, 0xbc991919b3ce1b15ull, 0x3feee32dc313a8e5ull,
	0x3c859f48a72a4c6dull, 0x3feedea64c123422ull, 0xbc9312607a28698aull, 0x3feeda4504ac801cull,
	0xbc58a78f4817895bull, 0x3feed60a21f72e2aull, 0xbc7c2c9b67499a1bull, 0x3feed1f5d950a897ull,
	0x3c4363ed60c2ac11ull, 0x3feece086061892dull, 0x3c9666093b0664efull, 0x3feeca41ed1d0057ull,
	0x3c6ecce1daa10379ull, 0x3feec6a2b5c13cd0ull, 0x3c93ff8e3f0f1230ull, 0x3feec32af0d7d3deull,
	0x3c7690cebb7aafb0ull, 0x3feebfdad5362a27ull, 0x3c931dbdeb54e077ull, 0x3feebcb299fddd0dull,
	0xbc8f94340071a38eull, 0x3feeb9b2769d2ca7ull, 0xbc87deccdc93a349ull, 0x3feeb6daa2cf6642ull,
	0xbc78dec6bd0f385full, 0x3feeb42b569d4f82ull, 0xbc861246ec7b5cf6ull, 0x3feeb1a4ca5d920full,
	0x3c93350518fdd78eull, 0x3feeaf4736b527daull, 0x3c7b98b72f8a9b05ull, 0x3feead12d497c7fdull,
	0x3c9063e1e21c5409ull, 0x3feeab07dd485429ull, 0x3c34c7855019c6eaull, 0x3feea9268a5946b7ull,
	0x3c9432e62b64c035ull, 0x3feea76f15ad2148ull, 0xbc8ce44a6199769full, 0x3feea5e1b976dc09ull,
	0xbc8c33c53bef4da8ull, 0x3feea47eb03a5585ull, 0xbc845378892be9aeull, 0x3feea34634ccc320ull,
	0xbc93cedd78565858ull, 0x3feea23882552225ull, 0x3c5710aa807e1964ull, 0x3feea155d44ca973ull,
	0xbc93b3efbf5e2228ull, 0x3feea09e667f3bcdull, 0xbc6a12ad8734b982ull, 0x3feea012750bdabfull,
	0xbc6367efb86da9eeull, 0x3fee9fb23c651a2full, 0xbc80dc3d54e08851ull, 0x3fee9f7df9519484ull,
	0xbc781f647e5a3ecfull, 0x3fee9f75e8ec5f74ull, 0xbc86ee4ac08b7db0ull, 0x3fee9f9a48a58174ull,
	0xbc8619321e55e68aull, 0x3fee9feb564267c9ull, 0x3c909ccb5e09d4d3ull, 0x3feea0694fde5d3full,
	0xbc7b32dcb94da51dull, 0x3feea11473eb0187ull, 0x3c94ecfd5467c06bull, 0x3feea1ed0130c132ull,
	0x3c65ebe1abd66c55ull, 0x3feea2f336cf4e62ull, 0xbc88a1c52fb3cf42ull, 0x3feea427543e1a12ull,
	0xbc9369b6f13b3734ull, 0x3feea589994cce13ull, 0xbc805e843a19ff1eull, 0x3feea71a4623c7adull,
	0xbc94d450d872576eull, 0x3feea8d99b4492edull, 0x3c90ad675b0e8a00ull, 0x3feeaac7d98a6699ull,
	0x3c8db72fc1f0eab4ull, 0x3feeace5422aa0dbull, 0xbc65b6609cc5e7ffull, 0x3feeaf3216b5448cull,
	0x3c7bf68359f35f44ull, 0x3feeb1ae99157736ull, 0xbc93091fa71e3d83ull, 0x3feeb45b0b91ffc6ull,
	0xbc5da9b88b6c1e29ull, 0x3feeb737b0cdc5e5ull, 0xbc6c23f97c90b959ull, 0x3feeba44cbc8520full,
	0xbc92434322f4f9aaull, 0x3feebd829fde4e50ull, 0xbc85ca6cd7668e4bull, 0x3feec0f170ca07baull,
	0x3c71affc2b91ce27ull, 0x3feec49182a3f090ull, 0x3c6dd235e10a73bbull, 0x3feec86319e32323ull,
	0xbc87c50422622263ull, 0x3feecc667b5de565ull, 0x3c8b1c86e3e231d5ull, 0x3feed09bec4a2d33ull,
	0xbc91bbd1d3bcbb15ull, 0x3feed503b23e255dull, 0x3c90cc319cee31d2ull, 0x3feed99e1330b358ull,
	0x3c8469846e735ab3ull, 0x3feede6b5579fdbfull, 0xbc82dfcd978e9db4ull, 0x3feee36bbfd3f37aull,
	0x3c8c1a7792cb3387ull, 0x3feee89f995ad3adull, 0xbc907b8f4ad1d9faull, 0x3feeee07298db666ull,
	0xbc55c3d956dcaebaull, 0x3feef3a2b84f15fbull, 0xbc90a40e3da6f640ull, 0x3feef9728de5593aull,
	0xbc68d6f438ad9334ull, 0x3feeff76f2fb5e47ull, 0xbc91eee26b588a35ull, 0x3fef05b030a1064aull,
	0x3c74ffd70a5fddcdull, 0x3fef0c1e904bc1d2ull, 0xbc91bdfbfa9298acull, 0x3fef12c25bd71e09ull,
	0x3c736eae30af0cb3ull, 0x3fef199bdd85529cull, 0x3c8ee3325c9ffd94ull, 0x3fef20ab5fffd07aull,
	0x3c84e08fd10959acull, 0x3fef27f12e57d14bull, 0x3c63cdaf384e1a67ull, 0x3fef2f6d9406e7b5ull,
	0x3c676b2c6c921968ull, 0x3fef3720dcef9069ull, 0xbc808a1883ccb5d2ull, 0x3fef3f0b555dc3faull,
	0xbc8fad5d3ffffa6full, 0x3fef472d4a07897cull, 0xbc900dae3875a949ull, 0x3fef4f87080d89f2ull,
	0x3c74a385a63d07a7ull, 0x3fef5818dcfba487ull, 0xbc82919e2040220full, 0x3fef60e316c98398ull,
	0x3c8e5a50d5c192acull, 0x3fef69e603db3285ull, 0x3c843a59ac016b4bull, 0x3fef7321f301b460ull,
	0xbc82d52107b43e1full, 0x3fef7c97337b9b5full, 0xbc892ab93b470dc9ull, 0x3fef864614f5a129ull,
	0x3c74b604603a88d3ull, 0x3fef902ee78b3ff6ull, 0x3c83c5ec519d7271ull, 0x3fef9a51fbc74c83ull,
	0xbc8ff7128fd391f0ull, 0x3fefa4afa2a490daull, 0xbc8dae98e223747dull, 0x3fefaf482d8e67f1ull,
	0x3c8ec3bc41aa2008ull, 0x3fefba1bee615a27ull, 0x3c842b94c3a9eb32ull, 0x3fefc52b376bba97ull,
	0x3c8a64a931d185eeull, 0x3fefd0765b6e4540ull, 0xbc8e37bae43be3edull, 0x3fefdbfdad9cbe14ull,
	0x3c77893b4d91cd9dull, 0x3fefe7c1819e90d8ull, 0x3c5305c14160cc89ull, 0x3feff3c22b8f71f1ull,
};

#define VEXP_TARGET __attribute__((target("avx2,fma")))

VEXP_TARGET static inline __m256d vexp_c(uint64_t bits)
{
	return _mm256_castsi256_pd(_mm256_set1_epi64x((long long)bits));
}

/* exp of four values. Inputs with 2^-54 <= |x| < 512 take libm's main
 * path, here operation for operation (each FMA where libm has one, each
 * lone multiply or add where it has those); any other lane (tiny, huge,
 * overflow, underflow, NaN) is recomputed by libm itself. */
VEXP_TARGET static inline __m256d vexp4(__m256d x)
{
	const __m256i ix = _mm256_castpd_si256(x);
	const __m256i abstop = _mm256_and_si256(_mm256_srli_epi64(ix, 52), _mm256_set1_epi64x(0x7ff));
	const __m256i main_path = _mm256_and_si256(
		_mm256_cmpgt_epi64(abstop, _mm256_set1_epi64x(0x3c8)),
		_mm256_cmpgt_epi64(_mm256_set1_epi64x(0x408), abstop));
	__m256d kd = _mm256_fmadd_pd(x, vexp_c(VEXP_INV_LN2_N), vexp_c(VEXP_SHIFT));
	const __m256i ki = _mm256_castpd_si256(kd);
	__m256d r, tail, r2, p23, p45, t1, t2, tmp, scale, y;
	__m256i idx, sbits;

	kd = _mm256_sub_pd(kd, vexp_c(VEXP_SHIFT));
	r = _mm256_fmadd_pd(kd, vexp_c(VEXP_NEG_LN2_HI_N), x);
	r = _mm256_fmadd_pd(kd, vexp_c(VEXP_NEG_LN2_LO_N), r);
	idx = _mm256_slli_epi64(_mm256_and_si256(ki, _mm256_set1_epi64x(0x7f)), 1);
	tail = _mm256_i64gather_pd((const double *)(const void *)vexp_tab, idx, 8);
	sbits = _mm256_add_epi64(
		_mm256_i64gather_epi64((const long long *)(const void *)(vexp_tab + 1), idx, 8),
		_mm256_slli_epi64(ki, 45));
	p23 = _mm256_fmadd_pd(r, vexp_c(VEXP_C3), vexp_c(VEXP_C2));
	t1 = _mm256_add_pd(r, tail);
	r2 = _mm256_mul_pd(r, r);
	p45 = _mm256_fmadd_pd(r, vexp_c(VEXP_C5), vexp_c(VEXP_C4));
	t2 = _mm256_fmadd_pd(p23, r2, t1);
	tmp = _mm256_fmadd_pd(_mm256_mul_pd(r2, r2), p45, t2);
	scale = _mm256_castsi256_pd(sbits);
	y = _mm256_fmadd_pd(scale, tmp, scale);
	if (_mm256_movemask_pd(_mm256_castsi256_pd(main_path)) != 0xf) {
		double xs[4], ys[4];
		int m = _mm256_movemask_pd(_mm256_castsi256_pd(main_path));

		_mm256_storeu_pd(xs, x);
		_mm256_storeu_pd(ys, y);
		for (int l = 0; l < 4; l++)
			if (!(m >> l & 1))
				ys[l] = exp(xs[l]);
		y = _mm256_loadu_pd(ys);
	}
	return y;
}

VEXP_TARGET static void vexp_fast(double *v, int n)
{
	int i = 0;

	for (; i + 4 <= n; i += 4)
		_mm256_storeu_pd(v + i, vexp4(_mm256_loadu_pd(v + i)));
	for (; i < n; i++)
		v[i] = exp(v[i]);
}

/* 1 / (1 + exp(-x)), the negation a sign flip as C's unary minus. */
VEXP_TARGET static void vexp_sigmoid_fast(double *a, int n)
{
	const __m256d sign = vexp_c(0x8000000000000000ull), one = _mm256_set1_pd(1.0);
	int i = 0;

	for (; i + 4 <= n; i += 4) {
		__m256d e = vexp4(_mm256_xor_pd(_mm256_loadu_pd(a + i), sign));

		_mm256_storeu_pd(a + i, _mm256_div_pd(one, _mm256_add_pd(one, e)));
	}
	for (; i < n; i++)
		a[i] = 1.0 / (1.0 + exp(-a[i]));
}

/* 1 when the four values' vexp4, and vexp_one of each, equal libm's
 * exp bit for bit. */
static int vexp_agrees4(const double *x)
{
	double y[4] = {x[0], x[1], x[2], x[3]};

	vexp_fast(y, 4);
	for (int l = 0; l < 4; l++) {
		double want = exp(x[l]), one = vexp_one(x[l]);

		if (memcmp(&want, &y[l], sizeof want) != 0 || memcmp(&want, &one, sizeof want) != 0)
			return 0;
	}
	return 1;
}

/* Inputs in the main path whose exp lies nearest to halfway between two
 * doubles (the closest 192 of 300000 random ones, found with 50-digit
 * decimal arithmetic): a different rounding anywhere in the sequence
 * changes some of these results. */
static const double vexp_hard[192] = {
	-0x1.e9d9b53fe1b35p+8, -0x1.1325e4e3e7a6ep+4, -0x1.2ab480e735c15p+8,
	0x1.13784d2066778p+7, 0x1.621b823af1218p+7, 0x1.83d1b9e2a387cp+7,
	0x1.244ed98927fd0p+6, -0x1.0e74d72e07f25p+5, -0x1.ad7b724fe9a7cp+7,
	0x1.19a3b75cd7c00p+3, 0x1.12a23aaafb800p+0, -0x1.9f65c85ea4b30p+2,
	-0x1.570cdbd9da576p+8, 0x1.675adcaaaf4e8p+6, 0x1.56461118e3c6ep+8,
	0x1.a899c68700c72p+8, -0x1.0c8bcafd6aabfp+5, -0x1.913c190480f58p+6,
	0x1.376a2734d09dcp+5, -0x1.1ba0c1582d108p+2, 0x1.83d01a06e2c48p+7,
	-0x1.9e48dbc838d60p+6, 0x1.e440360375f04p+7, -0x1.749a6ca2ab7c3p+8,
	-0x1.71b6150d82956p+4, -0x1.c89d3a37f1f74p+8, -0x1.b166cb3bd1c1bp+4,
	-0x1.cb6cdd3ddf61cp+8, 0x1.d0f9064129028p+7, -0x1.3715951feb2fcp+7,
	0x1.8516a33373a08p+8, -0x1.45813491d0762p+8, -0x1.c01906204f8b0p+1,
	-0x1.a25460c090eebp+8, -0x1.d0012351228f0p+2, -0x1.7c147be0bf0d6p+4,
	-0x1.80d2195f3549cp+4, 0x1.be9c24943bcfap+8, -0x1.77abf213d8b16p+7,
	-0x1.ed88d2559fdf8p+5, -0x1.017756bb90164p+5, -0x1.f47ef627911cbp+8,
	-0x1.13a6e90cbc22dp+8, -0x1.e260f6fe8a35ep+8, 0x1.71d1906da2f50p+6,
	0x1.70a863d892ae4p+3, -0x1.27fe360bf904ep+7, -0x1.f0b982e8f4c00p+0,
	-0x1.6c1a0d3aae3d6p+4, 0x1.3f944a44e867cp+8, 0x1.7d5886f35ec20p+4,
	0x1.d39caa369b892p+8, -0x1.759562495b830p+4, 0x1.76c93ecae1440p+2,
	0x1.547051cceb2a4p+4, 0x1.8518bb8046b80p+1, -0x1.481a17741c680p+1,
	-0x1.36c46022b3240p+2, 0x1.59115c0ccac8cp+3, -0x1.fbd31cba2a279p+8,
	-0x1.11264498c3a34p+4, -0x1.f8d3e44ad21f8p+5, 0x1.68482a3a8f898p+2,
	0x1.166ea0e6598fcp+4, 0x1.dc1c4473f0fa8p+3, -0x1.1e0a19d03c7b4p+5,
	0x1.da37433364646p+8, -0x1.224663eab5109p+8, 0x1.866f9ee1dff80p+0,
	0x1.a64e245444280p+0, 0x1.d1555d90cc6fep+8, -0x1.e518489173c08p+6,
	-0x1.2b7698e3a5d86p+5, 0x1.3431184f45b00p+3, 0x1.3fc21414c3464p+5,
	-0x1.b7ee32d569a64p+6, -0x1.2b504eac234c2p+7, 0x1.c0f1ea87d8d50p+8,
	0x1.893c83c430ef4p+4, 0x1.cb1f950722c00p+4, 0x1.8807d166cb9a0p+0,
	-0x1.0f86b52ceb471p+8, 0x1.227217380c78cp+8, -0x1.5ca131f2985c8p+2,
	0x1.dce179ffefc38p+4, 0x1.2da8dc081944cp+4, 0x1.5b0027c98c8a0p+4,
	-0x1.98efa78be9bc0p+3, 0x1.2fc0a030a07b8p+8, 0x1.63c71896edc3ap+4,
	0x1.b5d6f9ffc71ecp+4, -0x1.1ee40325e16ccp+7, -0x1.61b0f328090a9p+4,
	0x1.f23b32717a428p+7, 0x1.ec72ccef68070p+1, -0x1.9921255ca3cd0p+1,
	0x1.5dc19a3494f72p+4, 0x1.c3daaa73c116cp+4, -0x1.b9120b14ee7aap+4,
	0x1.5bca0a411dd28p+7, -0x1.0fd9a0a370f50p+2, 0x1.6ba6ecc661cb2p+8,
	-0x1.e3c8408df8c00p+0, 0x1.7059f598633a4p+3, -0x1.026c1c8eebb10p+4,
	0x1.a12e47add7ec4p+7, 0x1.91bae4720be48p+6, 0x1.8b507019b82c8p+3,
	-0x1.ad1de28119890p+4, 0x1.f6cc876667590p+6, -0x1.00307c90f12cep+5,
	0x1.15c90115f66b8p+8, -0x1.740dba1092712p+7, 0x1.5790fae50e0b4p+4,
	0x1.46429e3c6300ep+4, -0x1.ed748fa3cc7ecp+4, -0x1.fa236ba1e7c7cp+3,
	-0x1.f7144b7c82134p+3, -0x1.1b77bddc1fd20p+5, -0x1.113c992d7e999p+5,
	0x1.41a6fab78e9f4p+3, -0x1.1dbb3f8ab02f6p+5, -0x1.100da4036f6e6p+5,
	0x1.04dd310f6d8d0p+3, -0x1.e17d8f556a698p+4, -0x1.afdef3ce955e4p+6,
	0x1.aa27e5f8de660p+5, -0x1.d36e706cc5a40p+6, 0x1.4fe9613353700p+6,
	0x1.2576fb322527cp+7, 0x1.80f1916bc42e8p+7, -0x1.84ef1d371a36ep+7,
	0x1.1e6be4c17c5f8p+7, 0x1.a5b567dec8000p+5, -0x1.643e7a5d20c18p+6,
	-0x1.a380f79602c50p+4, 0x1.e1f1bf053c330p+4, -0x1.94614fb92e470p+5,
	-0x1.9fe228a1c8ea2p+8, 0x1.e2f2afe98a158p+3, -0x1.b88d0b2cde536p+4,
	-0x1.ec566c5db7b00p+8, -0x1.c7168174b4420p+1, 0x1.badc7f1fd3040p+4,
	0x1.d7176fad84284p+4, 0x1.f0216324080e8p+3, 0x1.00a698a0deb78p+4,
	-0x1.c03a3f93c2b32p+7, -0x1.8941078ba523ep+4, 0x1.a66033ad93a98p+3,
	-0x1.87f3d9f5794f4p+7, 0x1.6ea53432c58dep+8, -0x1.5005fcc203f19p+4,
	-0x1.d0b39e89ccc39p+8, 0x1.773e0c35d3168p+3, 0x1.9c0edec3dd204p+7,
	0x1.ae55a238d2400p+0, 0x1.4fab1c6d7f0f0p+7, 0x1.44351ed4342a6p+8,
	-0x1.cc59d8a85f831p+4, 0x1.57f75eca45970p+2, 0x1.38ecf1dc21514p+5,
	0x1.cbb045d5ca2e0p+7, 0x1.f797e27900780p+4, -0x1.ad16257cfaa1cp+3,
	0x1.64d07df1b655ap+4, -0x1.476083ed5183ep+7, -0x1.eb699db321ca8p+6,
	-0x1.d3d80bdff09e9p+8, 0x1.3057625607c52p+8, 0x1.89b30736420dcp+4,
	0x1.a85b646e2a494p+7, 0x1.bccf59e403698p+4, -0x1.b87d1920be5d4p+3,
	0x1.1c9f5c9496180p+2, 0x1.1eee16de906d0p+8, 0x1.b74a475f2a918p+3,
	-0x1.16f34b79f41bap+5, 0x1.318289d918d78p+3, -0x1.5e9b2e736ea2cp+8,
	-0x1.5aeac6ca814fep+7, 0x1.c0eb82a7aa400p+1, 0x1.18f05f9e8b268p+5,
	-0x1.59b031db3b8dcp+3, -0x1.1f5d9a00f206cp+6, 0x1.d8cdda5e4fe80p+8,
	-0x1.e222402e18d08p+3, -0x1.799b76e2c4c68p+4, -0x1.8d778180cf230p+5,
	-0x1.08cc556139c40p+6, -0x1.f43b8856a9120p+0, 0x1.3b8a8402c2746p+8,
};

/* Inputs where a wrong step of the sequence shows: the hard ones above,
 * each of the 128 table entries (k ln 2 / 128 for 128 consecutive k,
 * just inside a rounding edge of x 128 / ln 2), a spread over the main
 * path's range (-512, 512), and its ends. */
static int vexp_agrees(void)
{
	const double step = 0.005415212348111709, half = 0.0027076061740558544;
	double x[4];
	int ok = 1;

	for (int i = 0; i < 192 && ok; i += 4)
		ok = vexp_agrees4(vexp_hard + i);
	for (int k = -64; k < 64 && ok; k += 4) {
		for (int l = 0; l < 4; l++)
			x[l] = (k + l) * step + (l % 2 ? half : -half) * (1.0 - 1e-13);
		ok = vexp_agrees4(x);
	}
	for (int k = -16; k < 16 && ok; k += 4) {
		for (int l = 0; l < 4; l++)
			x[l] = (k + l) * 31.7 + 0.01 * (k + l);
		ok = vexp_agrees4(x);
	}
	x[0] = 511.9, x[1] = -511.9, x[2] = 0x1p-54, x[3] = -0x1.fffffffffffffp-55;
	return ok && vexp_agrees4(x);
}

static int vexp_check(void)
{
	__builtin_cpu_init();
	return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
	       strcmp(gnu_get_libc_version(), "2.36") == 0 && vexp_agrees();
}

#else

static int vexp_check(void)
{
	return 0;
}

static void vexp_fast(double *v, int n)
{
	for (int i = 0; i < n; i++)
		v[i] = exp(v[i]);
}

static void vexp_sigmoid_fast(double *a, int n)
{
	for (int i = 0; i < n; i++)
		a[i] = 1.0 / (1.0 + exp(-a[i]));
}

#endif

int vexp_exact(void)
{
	/* Checked once; a race between threads stores the same answer. */
	static int state = -1;

	if (state < 0) {
		const char *force = getenv("NNRUN_EXP");

		state = force && strcmp(force, "libm") == 0 ? 0 : vexp_check();
	}
	return state;
}

void vexp(double *v, int n)
{
	if (vexp_exact()) {
		vexp_fast(v, n);
		return;
	}
	for (int i = 0; i < n; i++)
		v[i] = exp(v[i]);
}

void vexp_sigmoid(double *a, int n)
{
	if (vexp_exact()) {
		vexp_sigmoid_fast(a, n);
		return;
	}
	for (int i = 0; i < n; i++)
		a[i] = 1.0 / (1.0 + exp(-a[i]));
}
