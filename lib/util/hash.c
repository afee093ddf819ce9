/*
 * hash.c - fk_hash_bytes (see hash.h).
 */
#include "fukkyu/common.h"
#include "util/hash.h"

#include <openssl/evp.h>

uint64_t fk_hash_bytes(const void *data, size_t n)
{
	const unsigned char *p = data;
	uint64_t h = 0x9E3779B97F4A7C15ULL ^ n;
	while (n >= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
		h ^= h >> 31;
		p += 8, n -= 8;
	}
	uint64_t w = 0;
	if (n)
		memcpy(&w, p, n);
	h = (h ^ w) * 0x94d049bb133111ebULL;
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	return h ^ (h >> 32);
}

void fk_hex(const unsigned char *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
}

void fk_sha256_hex(const void *p, size_t n, char out[static 65])
{
	unsigned char h[EVP_MAX_MD_SIZE];
	unsigned len = 0;
	if (!EVP_Digest(p, n, h, &len, EVP_sha256(), NULL) || len != 32)
		abort();
	fk_hex(h, 32, out);
}
