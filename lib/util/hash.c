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

void fk_uuid5(const char *ns, const char *name, size_t n, char out[static 37])
{
	unsigned char nsb[16] = {0}, h[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	for (size_t i = 0, k = 0; ns[i] && k < 32; i++) {
		int v = ns[i] >= '0' && ns[i] <= '9'   ? ns[i] - '0'
		        : ns[i] >= 'a' && ns[i] <= 'f' ? ns[i] - 'a' + 10
		                                       : -1;
		if (v < 0)
			continue;
		nsb[k / 2] = (unsigned char)(nsb[k / 2] | (k % 2 ? v : v << 4));
		k++;
	}
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) || !EVP_DigestUpdate(ctx, nsb, 16) ||
	    !EVP_DigestUpdate(ctx, name, n) || !EVP_DigestFinal_ex(ctx, h, &len) || len < 16) {
		fprintf(stderr, "fukkyu: internal error: SHA-1 failed\n");
		abort();
	}
	EVP_MD_CTX_free(ctx);
	h[6] = (unsigned char)((h[6] & 0x0f) | 0x50); /* version 5 */
	h[8] = (unsigned char)((h[8] & 0x3f) | 0x80); /* RFC 4122 variant */
	char hex[33];
	fk_hex(h, 16, hex);
	snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
}
