/*
 * buf.c - growable strings and the allocation wrappers (abort on out-of-memory).
 */
#include "fukkyu/common.h"
#include "util/buf.h"

char fk_buf_empty[1];

FK_NORETURN static void oom(size_t n)
{
	fprintf(stderr, "fukkyu: out of memory (%zu bytes)\n", n);
	abort();
}

void *fk_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom(n);
	return p;
}

void *fk_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom(n * size);
	return p;
}

void *fk_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		oom(n);
	return q;
}

char *fk_xstrdup(const char *s)
{
	return fk_xstrndup(s, strlen(s));
}

char *fk_xstrndup(const char *s, size_t n)
{
	char *p = fk_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void fk_buf_init(struct fk_buf *b, size_t max)
{
	*b = (struct fk_buf)FK_BUF_INIT;
	b->max = max;
}

void fk_buf_release(struct fk_buf *b)
{
	size_t max = b->max;
	if (b->cap)
		free(b->ptr);
	fk_buf_init(b, max);
}

void fk_buf_reset(struct fk_buf *b)
{
	b->len = 0;
	b->toobig = false;
	if (b->cap)
		b->ptr[0] = '\0';
}

char *fk_buf_detach(struct fk_buf *b)
{
	char *s = b->cap ? b->ptr : fk_xstrdup("");
	size_t max = b->max;
	fk_buf_init(b, max);
	return s;
}

/* Makes room for n more bytes plus the NUL, or reports the cap. */
static enum fk_code grow(struct fk_buf *b, size_t n)
{
	if (n > SIZE_MAX / 2 - b->len || (b->max && b->len + n > b->max)) {
		b->toobig = true;
		return FK_ETOOBIG;
	}
	size_t need = b->len + n + 1;
	if (need <= b->cap)
		return FK_OK;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	if (b->cap) {
		b->ptr = fk_xrealloc(b->ptr, cap);
	} else {
		b->ptr = fk_xmalloc(cap);
		b->ptr[0] = '\0';
	}
	b->cap = cap;
	return FK_OK;
}

enum fk_code fk_buf_add(struct fk_buf *b, const void *data, size_t n)
{
	if (grow(b, n))
		return FK_ETOOBIG;
	if (n)
		memcpy(b->ptr + b->len, data, n);
	b->len += n;
	b->ptr[b->len] = '\0';
	return FK_OK;
}

enum fk_code fk_buf_adds(struct fk_buf *b, const char *s)
{
	return fk_buf_add(b, s, strlen(s));
}

enum fk_code fk_buf_addch(struct fk_buf *b, char c)
{
	return fk_buf_add(b, &c, 1);
}

enum fk_code fk_buf_vaddf(struct fk_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return FK_EINVAL;
	if (grow(b, (size_t)n))
		return FK_ETOOBIG;
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return FK_OK;
}

enum fk_code fk_buf_addf(struct fk_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	enum fk_code rc = fk_buf_vaddf(b, fmt, ap);
	va_end(ap);
	return rc;
}
