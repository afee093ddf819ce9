/*
 * reader.c - log input: plain, gzip (several members allowed, as rotated logs are
 * concatenated) or zstd, recognised by their first bytes, read in large blocks.
 */
#include "fukkyu/common.h"
#include "fukkyu/logscan.h"
#include "util/hash.h"

#include <errno.h>
#include <pthread.h>
#include <openssl/evp.h>
#include <zlib.h>
#include <zstd.h>

#define IN_SIZE (1u << 20)

enum { PLAIN, GZIP, ZSTD };

void fk_reader_init(struct fk_reader *r, FILE *f, const char *origin)
{
	memset(r, 0, sizeof *r);
	r->f = f;
	r->origin = origin;
	r->in = fk_xmalloc(IN_SIZE);
}

/* SHA-256 comes from OpenSSL's libcrypto: it uses the CPU's SHA instructions where there are
 * some (1.3 GB/s here against 0.24 GB/s for a portable implementation such as libsodium's). */
void fk_reader_hash(struct fk_reader *r)
{
	r->sha = EVP_MD_CTX_new();
	if (!r->sha || !EVP_DigestInit_ex(r->sha, EVP_sha256(), NULL))
		abort();
}

static void account(struct fk_reader *r, const void *p, size_t n)
{
	r->raw_bytes += (int64_t)n;
	if (r->sha && n)
		(void)EVP_DigestUpdate(r->sha, p, n);
}

static void pipe_end(struct fk_reader *r);

void fk_reader_digest(struct fk_reader *r, char out[static 65])
{
	pipe_end(r); /* the producer hashes the raw bytes: it must have finished */
	unsigned char h[EVP_MAX_MD_SIZE];
	unsigned len = 0;
	out[0] = '\0';
	if (!r->sha)
		return;
	if (!EVP_DigestFinal_ex(r->sha, h, &len) || len != 32)
		abort();
	fk_hex(h, 32, out);
}

/* Fills the input block; false at the end of the file. */
static enum fk_code refill(struct fk_reader *r, bool *more, struct fk_err *err)
{
	r->in_len = fread(r->in, 1, IN_SIZE, r->f);
	r->in_pos = 0;
	account(r, r->in, r->in_len);
	if (!r->in_len && ferror(r->f))
		return FK_ERR(err, FK_EIO, r->origin, "cannot read '%s': %s",
		              "'%s' を読めません: %s", r->origin, strerror(errno));
	*more = r->in_len > 0;
	return FK_OK;
}

/* Reads and decompresses in the calling thread. */
static enum fk_code read_direct(struct fk_reader *r, char *out, size_t cap, size_t *got,
                                struct fk_err *err)
{
	bool more = true;
	enum fk_code rc;
	*got = 0;
	if (!r->started) {
		r->started = true;
		if ((rc = refill(r, &more, err)))
			return rc;
		unsigned char *b = r->in;
		if (r->in_len >= 2 && b[0] == 0x1f && b[1] == 0x8b) {
			r->kind = GZIP;
			z_stream *z = fk_xcalloc(1, sizeof *z);
			if (inflateInit2(z, 15 + 16) != Z_OK)
				abort();
			r->z = z;
		} else if (r->in_len >= 4 && b[0] == 0x28 && b[1] == 0xb5 && b[2] == 0x2f &&
		           b[3] == 0xfd) {
			r->kind = ZSTD;
			r->zs = ZSTD_createDStream();
			if (!r->zs)
				abort();
			ZSTD_initDStream(r->zs);
		}
	}
	if (r->kind == PLAIN) {
		/* The first block (read to look at the magic bytes) is copied once; after it
		 * the file is read straight into the caller's buffer. */
		size_t n = r->in_len - r->in_pos < cap ? r->in_len - r->in_pos : cap;
		memcpy(out, r->in + r->in_pos, n);
		r->in_pos += n;
		if (n < cap) {
			size_t direct = fread(out + n, 1, cap - n, r->f);
			account(r, out + n, direct);
			if (!direct && ferror(r->f))
				return FK_ERR(err, FK_EIO, r->origin, "cannot read '%s': %s",
				              "'%s' を読めません: %s", r->origin, strerror(errno));
			n += direct;
		}
		*got = n;
		return FK_OK;
	}
	while (*got == 0) {
		if (r->in_pos == r->in_len) {
			if ((rc = refill(r, &more, err)))
				return rc;
			if (!more) {
				if (r->mid_stream)
					return FK_ERR(
					    err, FK_EINVAL, r->origin,
					    "'%s' is truncated: the compressed stream ends early "
					    "(what was read before is not counted)",
					    "'%s' は途中で切れています: 圧縮データが途中で終わって"
					    "います",
					    r->origin);
				return FK_OK;
			}
		}
		if (r->kind == GZIP) {
			z_stream *z = r->z;
			z->next_in = r->in + r->in_pos;
			z->avail_in = (uInt)(r->in_len - r->in_pos);
			z->next_out = (Bytef *)out;
			z->avail_out = (uInt)cap;
			int zr = inflate(z, Z_NO_FLUSH);
			r->in_pos = r->in_len - z->avail_in;
			*got = cap - z->avail_out;
			r->mid_stream = zr != Z_STREAM_END;
			if (zr == Z_STREAM_END)
				inflateReset(z); /* another member may follow */
			else if (zr != Z_OK && zr != Z_BUF_ERROR)
				return FK_ERR(err, FK_EINVAL, r->origin,
				              "'%s' is not valid gzip: %s",
				              "'%s' は正しい gzip ではありません: %s", r->origin,
				              z->msg ? z->msg : "corrupt data");
		} else {
			ZSTD_inBuffer in = {r->in, r->in_len, r->in_pos};
			ZSTD_outBuffer o = {out, cap, 0};
			size_t zr = ZSTD_decompressStream(r->zs, &o, &in);
			if (ZSTD_isError(zr))
				return FK_ERR(err, FK_EINVAL, r->origin,
				              "'%s' is not valid zstd: %s",
				              "'%s' は正しい zstd ではありません: %s", r->origin,
				              ZSTD_getErrorName(zr));
			r->in_pos = in.pos;
			*got = o.pos;
			r->mid_stream = zr != 0;
		}
	}
	return FK_OK;
}

/* ---- a second core for decompression ---------------------------------------------------
 * Decompression (zstd -dc alone runs near 1 GB/s here) and scanning take about as long each:
 * a thread decompresses into a small ring of blocks while the caller scans the previous one. */

#define PIPE_BLOCKS 4
#define PIPE_BLOCK  (4u << 20)

struct pipe {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	char *data[PIPE_BLOCKS];
	size_t len[PIPE_BLOCKS];
	size_t head, count; /* the next block to hand out, and how many are full */
	size_t pos;         /* bytes of the head block already handed out */
	bool done, stop;    /* the producer reached the end (or an error), or must stop */
	enum fk_code rc;
	struct fk_err err;
	struct fk_reader *r;
};

static void *producer(void *arg)
{
	struct pipe *p = arg;
	for (;;) {
		pthread_mutex_lock(&p->lock);
		while (p->count == PIPE_BLOCKS && !p->stop)
			pthread_cond_wait(&p->cond, &p->lock);
		if (p->stop) {
			pthread_mutex_unlock(&p->lock);
			return NULL;
		}
		size_t slot = (p->head + p->count) % PIPE_BLOCKS;
		pthread_mutex_unlock(&p->lock);
		/* Fill one block outside the lock. */
		size_t filled = 0, n = 0;
		enum fk_code rc = FK_OK;
		struct fk_err err;
		fk_err_clear(&err);
		while (filled < PIPE_BLOCK &&
		       !(rc = read_direct(p->r, p->data[slot] + filled, PIPE_BLOCK - filled, &n,
		                          &err)) &&
		       n)
			filled += n;
		pthread_mutex_lock(&p->lock);
		if (filled) {
			p->len[slot] = filled;
			p->count++;
		}
		if (rc || !filled) {
			p->done = true;
			p->rc = rc;
			p->err = err;
		}
		pthread_cond_broadcast(&p->cond);
		bool finished = p->done;
		pthread_mutex_unlock(&p->lock);
		if (finished)
			return NULL;
	}
}

static void pipe_start(struct fk_reader *r)
{
	struct pipe *p = fk_xcalloc(1, sizeof *p);
	p->r = r;
	for (int i = 0; i < PIPE_BLOCKS; i++)
		p->data[i] = fk_xmalloc(PIPE_BLOCK);
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->cond, NULL);
	r->pipe = p;
	if (pthread_create(&p->thread, NULL, producer, p))
		abort();
}

static enum fk_code pipe_read(struct pipe *p, char *out, size_t cap, size_t *got,
                              struct fk_err *err)
{
	pthread_mutex_lock(&p->lock);
	while (!p->count && !p->done)
		pthread_cond_wait(&p->cond, &p->lock);
	*got = 0;
	enum fk_code rc = FK_OK;
	if (p->count) {
		size_t left = p->len[p->head] - p->pos, n = left < cap ? left : cap;
		memcpy(out, p->data[p->head] + p->pos, n);
		p->pos += n;
		*got = n;
		if (p->pos == p->len[p->head]) {
			p->head = (p->head + 1) % PIPE_BLOCKS;
			p->count--;
			p->pos = 0;
			pthread_cond_broadcast(&p->cond);
		}
	} else if (p->rc) {
		rc = p->rc;
		if (err)
			*err = p->err;
	}
	pthread_mutex_unlock(&p->lock);
	return rc;
}

static void pipe_end(struct fk_reader *r)
{
	struct pipe *p = r->pipe;
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->stop = true;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->thread, NULL);
	for (int i = 0; i < PIPE_BLOCKS; i++)
		free(p->data[i]);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->cond);
	free(p);
	r->pipe = NULL;
}

enum fk_code fk_reader_read(struct fk_reader *r, char *out, size_t cap, size_t *got,
                            struct fk_err *err)
{
	if (r->pipe)
		return pipe_read(r->pipe, out, cap, got, err);
	enum fk_code rc = read_direct(r, out, cap, got, err);
	/* Once a compressed input is recognised, the rest is decompressed by a second thread. */
	if (!rc && *got && r->kind != PLAIN)
		pipe_start(r);
	return rc;
}

void fk_reader_release(struct fk_reader *r)
{
	pipe_end(r);
	if (r->z) {
		inflateEnd(r->z);
		free(r->z);
	}
	if (r->zs)
		ZSTD_freeDStream(r->zs);
	EVP_MD_CTX_free(r->sha);
	free(r->in);
	memset(r, 0, sizeof *r);
}
