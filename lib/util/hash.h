/*
 * hash.h - one 64-bit hash for the project's hash tables (names in an import, target hosts,
 * log groups): eight bytes at a time, multiply-and-fold mixing (after wyhash and splitmix).
 * Not for security: never for anything an attacker could use to pick collisions that matter.
 */
#ifndef FK_HASH_H
#define FK_HASH_H

#include "fukkyu/common.h"

uint64_t fk_hash_bytes(const void *p, size_t n);

#endif
