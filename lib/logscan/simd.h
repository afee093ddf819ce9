/*
 * simd.h - the one place that decides whether the AVX2 paths of the scanner may run: they
 * are compiled for x86-64 with GCC or Clang (target attributes, no global -mavx2) and chosen
 * at run time, so the same binary runs on a machine without AVX2 (the portable paths).
 */
#ifndef FK_LOGSCAN_SIMD_H
#define FK_LOGSCAN_SIMD_H

#include <stdbool.h>
#include <stdlib.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define FK_HAVE_AVX2 1
#include <immintrin.h>
#define FK_AVX2 __attribute__((target("avx2,popcnt,bmi")))

/* FUKKYU_NO_SIMD=1 in the environment forces the portable paths (the tests compare both). */
static inline bool fk_cpu_avx2(void)
{
	static int yes = -1;
	if (yes < 0) {
		const char *off = getenv("FUKKYU_NO_SIMD");
		yes = !(off && *off == '1') && __builtin_cpu_supports("avx2") &&
		      __builtin_cpu_supports("popcnt") && __builtin_cpu_supports("bmi");
	}
	return yes;
}

/* One bit per byte of the 64 at p: set where the byte is c. */
FK_AVX2 static inline unsigned long long fk_mask64(const char *p, char c)
{
	const __m256i v = _mm256_set1_epi8(c);
	__m256i a = _mm256_loadu_si256((const __m256i *)(const void *)p);
	__m256i b = _mm256_loadu_si256((const __m256i *)(const void *)(p + 32));
	return (unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(a, v)) |
	       (unsigned long long)(unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(b, v)) << 32;
}
#endif

#endif
