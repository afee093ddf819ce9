/*
 * hash.h - one 64-bit hash for the project's hash tables (names in an import, target hosts,
 * log groups): eight bytes at a time, multiply-and-fold mixing (after wyhash and splitmix).
 * Not for security: never for anything an attacker could use to pick collisions that matter.
 */
#ifndef FK_HASH_H
#define FK_HASH_H

#include "fukkyu/common.h"

uint64_t fk_hash_bytes(const void *p, size_t n);

/* SHA-256 (OpenSSL's libcrypto: the CPU's SHA instructions where there are some) of n bytes,
 * as 64 lower-case hex digits: evidence files, the audit chain, stored token hashes. */
void fk_sha256_hex(const void *p, size_t n, char out[static 65]);
/* n bytes as 2n lower-case hex digits and a NUL. */
void fk_hex(const unsigned char *p, size_t n, char *out);

/* A name-based UUID (RFC 4122 version 5: SHA-1 of the namespace ns, given in its text form,
 * and the n bytes of name) as 36 lower-case characters: stable STIX identifiers. */
void fk_uuid5(const char *ns, const char *name, size_t n, char out[static 37]);

#endif
