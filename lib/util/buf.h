/*
 * buf.h - a growable string (after git's strbuf).
 *
 * Invariants: ptr is never NULL (an empty buf points at a shared "" until it grows) and is
 * always NUL-terminated; len excludes the NUL. A buf may carry a cap (max, bytes, 0 = none):
 * fk_buf_add* past it leave the buf unchanged, set toobig, and return FK_ETOOBIG, so input
 * from outside cannot make us allocate without bound.
 */
#ifndef FK_BUF_H
#define FK_BUF_H

#include "fukkyu/common.h"
#include "util/err.h"

#include <stdarg.h>

extern char fk_buf_empty[];

struct fk_buf {
	char *ptr;
	size_t len;
	size_t cap;
	size_t max;
	bool toobig;
};

#define FK_BUF_INIT                                                                                \
	{                                                                                          \
		fk_buf_empty, 0, 0, 0, false                                                       \
	}

void fk_buf_init(struct fk_buf *b, size_t max);
/* Frees the memory; the buf is empty and usable again. */
void fk_buf_release(struct fk_buf *b);
/* Empties the buf, keeping its memory. */
void fk_buf_reset(struct fk_buf *b);
/* Hands the string to the caller (free() it); the buf is empty again. Never NULL. */
char *fk_buf_detach(struct fk_buf *b);

enum fk_code fk_buf_add(struct fk_buf *b, const void *data, size_t n);
enum fk_code fk_buf_adds(struct fk_buf *b, const char *s);
enum fk_code fk_buf_addch(struct fk_buf *b, char c);
enum fk_code fk_buf_addf(struct fk_buf *b, const char *fmt, ...) FK_PRINTF(2, 3);
enum fk_code fk_buf_vaddf(struct fk_buf *b, const char *fmt, va_list ap) FK_PRINTF(2, 0);

#endif
