/*
 * scan.c - the scan loop: large page-aligned reads, lines found with memchr, one parse and
 * one hash-table update per line; memory bounded by the number of groups.
 */
#define _DEFAULT_SOURCE /* madvise, MAP_POPULATE */
#include "fukkyu/common.h"
#include "fukkyu/logscan.h"
#include "util/hash.h"
#include "util/time.h"
#include "simd.h"

#include <pthread.h>
#include <sys/mman.h>
#include <sys/stat.h>

#define CHUNK    (4u << 20) /* bytes per read */
#define MAX_LINE (1u << 20) /* longer lines are malformed */

/* The group table: open addressing over entries of one cache line each, with keys of up to
 * KEY_INLINE bytes (an IPv4 client and an hour: "10.1.2.3\x1f" and four bytes) in the entry. A
 * line's group is counted one line late: its slot is prefetched when the line is taken and updated
 * after the next line is parsed, so the cache miss overlaps useful work. A table of 56-byte entries
 * with the key elsewhere spent most of a full scan waiting on memory (issue 4's benchmark). */
#define KEY_INLINE 24
#define KEY_MAX    (3 * 1001 + 4) /* three parts of up to 1000 bytes and a time unit */

struct entry {
	uint32_t hash; /* the low half of the key's hash (the slot comes from it too) */
	uint32_t len;
	int64_t count, bytes, first, last; /* count 0: an empty slot */
	union {
		char in[KEY_INLINE]; /* len <= KEY_INLINE */
		char *heap;          /* longer keys */
	} k;
};

static inline const char *entry_key(const struct entry *e)
{
	return e->len <= KEY_INLINE ? e->k.in : e->k.heap;
}

struct table {
	struct entry *e; /* cap slots, cache-line aligned */
	size_t cap, n;   /* cap a power of two */
	/* the line waiting to be counted */
	bool pending;
	uint32_t p_hash;
	int64_t p_bytes, p_time;
	size_t p_len;
	char p_key[KEY_MAX];
};

void fk_scan_result_init(struct fk_scan_result *r)
{
	memset(r, 0, sizeof *r);
	fk_buf_init(&r->malformed_at, 0);
	r->table = fk_xcalloc(1, sizeof(struct table));
}

static void table_free(struct table *t)
{
	for (size_t i = 0; i < t->cap; i++)
		if (t->e[i].count && t->e[i].len > KEY_INLINE)
			free(t->e[i].k.heap);
	free(t->e);
	free(t);
}

void fk_scan_result_release(struct fk_scan_result *r)
{
	if (r->table)
		table_free(r->table);
	for (size_t i = 0; i < r->n_groups; i++)
		for (int k = 0; k < 5; k++)
			free(r->groups[i].key[k]);
	free(r->groups);
	for (size_t i = 0; i < r->n_files; i++)
		free(r->files[i].name);
	free(r->files);
	fk_buf_release(&r->malformed_at);
	memset(r, 0, sizeof *r);
}

enum fk_code fk_group_parse(const char *s, unsigned *out, struct fk_err *err)
{
	static const char *const names[] = {"client", "user", "dest", "hour", "day"};
	*out = 0;
	while (*s) {
		const char *e = strchr(s, ',');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		unsigned bit = 0;
		for (size_t i = 0; i < FK_ARRAY_LEN(names); i++)
			if (strlen(names[i]) == n && !strncmp(names[i], s, n))
				bit = 1u << i;
		if (!bit)
			return FK_ERR(
			    err, FK_EUSAGE, "--group-by",
			    "unknown group '%.*s': expected client, user, dest, hour or day",
			    "グループ '%.*s' は不明です: client, user, dest, hour, day のいずれか",
			    (int)n, s);
		*out |= bit;
		s += n + (e != NULL);
	}
	return FK_OK;
}

static struct entry *slots(size_t cap)
{
	struct entry *e = NULL;
	if (posix_memalign((void **)&e, 64, cap * sizeof *e))
		abort();
	memset(e, 0, cap * sizeof *e);
	return e;
}

static void grow(struct table *t)
{
	size_t cap = t->cap ? t->cap * 2 : 1024;
	struct entry *e = slots(cap);
	for (size_t i = 0; i < t->cap; i++) {
		if (!t->e[i].count)
			continue;
		size_t j = t->e[i].hash & (cap - 1);
		while (e[j].count)
			j = (j + 1) & (cap - 1);
		e[j] = t->e[i];
	}
	free(t->e);
	t->e = e;
	t->cap = cap;
}

/* Adds count lines of bytes, seen from first to last, to the group of key (hash h). */
static void add_counts(struct table *t, const char *key, size_t n, uint32_t h, int64_t count,
                       int64_t bytes, int64_t first, int64_t last)
{
	if (2 * (t->n + 1) > t->cap)
		grow(t);
	size_t j = h & (t->cap - 1);
	struct entry *e;
	for (; (e = &t->e[j])->count; j = (j + 1) & (t->cap - 1))
		if (e->hash == h && e->len == n && !memcmp(entry_key(e), key, n)) {
			e->count += count;
			e->bytes += bytes;
			e->first = first < e->first ? first : e->first;
			e->last = last > e->last ? last : e->last;
			return;
		}
	*e = (struct entry){.hash = h,
	                    .len = (uint32_t)n,
	                    .count = count,
	                    .bytes = bytes,
	                    .first = first,
	                    .last = last};
	if (n > KEY_INLINE)
		e->k.heap = fk_xmalloc(n);
	memcpy(n > KEY_INLINE ? e->k.heap : e->k.in, key, n);
	t->n++;
}

/* Counts the line waiting, if any. */
static void flush(struct table *t)
{
	if (t->pending)
		add_counts(t, t->p_key, t->p_len, t->p_hash, 1, t->p_bytes, t->p_time, t->p_time);
	t->pending = false;
}

/* Counts a line in the group of key, one line late (above). */
static void add(struct table *t, const char *key, size_t n, const struct fk_log_record *r)
{
	uint32_t h = (uint32_t)fk_hash_bytes(key, n);
	if (t->cap)
		__builtin_prefetch(&t->e[h & (t->cap - 1)]);
	flush(t);
	memcpy(t->p_key, key, n);
	t->p_len = n;
	t->p_hash = h;
	t->p_bytes = r->bytes > 0 ? r->bytes : 0;
	t->p_time = r->time;
	t->pending = true;
}

static bool slice_is(struct fk_slice s, const char *v)
{
	return strlen(v) == s.n && (!s.n || !memcmp(s.p, v, s.n));
}

/* Applies the filters and, if the line matches, counts it in its group. */
static void take(const struct fk_scan_query *q, struct fk_scan_result *r, struct fk_log_record *rec,
                 char *key)
{
	if ((q->from != FK_TIME_NONE && rec->time < q->from) ||
	    (q->to != FK_TIME_NONE && rec->time > q->to) ||
	    (q->status && rec->status != q->status) || (q->user && !slice_is(rec->user, q->user)) ||
	    (q->method && !slice_is(rec->method, q->method)) ||
	    (q->has_client && !fk_cidr_contains(&q->client, rec->client)) ||
	    (q->targets && !fk_targets_match(q->targets, rec)))
		return;
	r->matched++;
	size_t n = 0;
	const struct fk_slice parts[] = {rec->client, rec->user,
	                                 q->group & FK_GROUP_DEST ? fk_log_dest(rec) : rec->user};
	for (int k = 0; k < 3; k++) {
		if (!(q->group & (1u << k)))
			continue;
		size_t len = parts[k].n < 1000 ? parts[k].n : 1000;
		if (len) /* an empty slice may have no pointer */
			memcpy(key + n, parts[k].p, len);
		n += len;
		key[n++] = '\x1f';
	}
	if (q->group & (FK_GROUP_HOUR | FK_GROUP_DAY)) {
		/* The hour or day number, big-endian (keys sort in time order), four bytes: the
		 * key of a client and an hour stays within an entry. Written as text at the end. */
		int64_t unit = rec->time / (q->group & FK_GROUP_HOUR ? 3600 : 86400);
		uint32_t u = rec->time >= 0 && unit < UINT32_MAX ? (uint32_t)unit : UINT32_MAX;
		for (int i = 0; i < 4; i++)
			key[n++] = (char)(u >> (24 - 8 * i));
	}
	add(r->table, key, n, rec);
}

/* Reads a chunk into buf after the carried bytes; *got is 0 at the end. */
static enum fk_code fill(struct fk_reader *rd, char *buf, size_t off, size_t *got,
                         struct fk_err *err)
{
	size_t n = 0;
	enum fk_code rc = FK_OK;
	*got = 0;
	/* Fill the block (decompressors hand out less than asked). */
	while (off + *got < CHUNK &&
	       !(rc = fk_reader_read(rd, buf + off + *got, CHUNK - off - *got, &n, err)) && n)
		*got += n;
	return rc;
}

/* The state of one file's scan. */
struct file_scan {
	const struct fk_scan_query *q;
	struct fk_scan_result *r;
	const char *origin;
	int format;
	struct fk_log_layout layout;
	int64_t lineno;
	int64_t offset;                /* bytes of the file before the current block */
	bool prefilter;                /* only lines holding a target literal are parsed */
	bool skipping;                 /* inside an over-long line */
	void *scratch;                 /* the prefilter's */
	struct fk_scan_file_info info; /* size and SHA-256, with hash_files */
	struct {
		int64_t at;
		bool offset; /* at is a byte offset (lines are not numbered under the prefilter) */
	} bad[FK_SCAN_MALFORMED_SHOWN]; /* the first malformed lines of this scan */
	int n_bad;
	char key[KEY_MAX];
};

static enum fk_code malformed(struct file_scan *fs, struct fk_err *err)
{
	struct fk_scan_result *r = fs->r;
	if (fs->q->strict)
		return FK_ERR(
		    err, FK_EINVAL, fs->origin,
		    "%s:%lld: the line is not a %s log line (--strict stops at the first)",
		    "%s:%lld: %s 形式の行として読めません (--strict は最初の1行で止まります)",
		    fs->origin, (long long)fs->lineno, fk_log_formats[fs->format]);
	r->malformed++;
	if (fs->n_bad < FK_SCAN_MALFORMED_SHOWN) {
		fs->bad[fs->n_bad].offset = fs->prefilter;
		fs->bad[fs->n_bad++].at = fs->prefilter ? fs->offset : fs->lineno;
	}
	return FK_OK;
}

/* Adds the first malformed lines of a file's scan to the result's list; line numbers are
 * shifted by base (the lines before the part this scan read). */
static void report_bad(const struct file_scan *fs, int64_t base, struct fk_scan_result *r)
{
	for (int i = 0; i < fs->n_bad && r->malformed_shown < FK_SCAN_MALFORMED_SHOWN; i++) {
		r->malformed_shown++;
		(void)fk_buf_addf(&r->malformed_at, "%s%s%c%lld", r->malformed_at.len ? ", " : "",
		                  fs->origin, fs->bad[i].offset ? '@' : ':',
		                  (long long)(fs->bad[i].at + (fs->bad[i].offset ? 0 : base)));
	}
}

/* One line (without its newline); counted is false when the prefilter counted it. */
static enum fk_code one_line(struct file_scan *fs, const char *p, size_t n, bool counted,
                             struct fk_err *err)
{
	fs->lineno += counted;
	if (n && p[n - 1] == '\r')
		n--;
	if (!n)
		return FK_OK;
	bool header_driven = fs->format == FK_LOG_W3C || fs->format == FK_LOG_ZEEK;
	if (p[0] == '#') {
		if (header_driven)
			(void)fk_log_header(fs->format, p, n, &fs->layout);
		return FK_OK;
	}
	if (header_driven && !fs->layout.ready)
		return FK_ERR(
		    err, FK_EINVAL, fs->origin,
		    "%s:%lld: a %s log line before any %s header: the file needs its "
		    "field list",
		    "%s:%lld: %s 形式のデータ行の前に %s 行がありません: フィールド一覧が必要"
		    "です",
		    fs->origin, (long long)fs->lineno, fk_log_formats[fs->format],
		    fs->format == FK_LOG_W3C ? "#Fields:" : "#fields");
	struct fk_log_record rec;
	fs->r->lines += counted;
	bool ok = fs->format == FK_LOG_SQUID ? fk_log_parse_squid(p, n, &rec)
	          : fs->format == FK_LOG_COMBINED
	              ? fk_log_parse_combined(p, n, &rec)
	              : fk_log_parse_fields(fs->format, &fs->layout, p, n, &rec);
	if (!ok)
		return malformed(fs, err);
	take(fs->q, fs->r, &rec, fs->key);
	return FK_OK;
}

/* Lines are counted like the full parse counts them: neither empty lines nor '#' comment
 * lines. A line is a newline, less those right after another newline (or at the start),
 * less the '#' bytes right after a newline (or at the start). prev_nl says whether the byte
 * before p was a newline (true at the start of a block). */

/* Eight bytes at a time: a byte is zero after the XOR exactly when it was the byte looked
 * for, and the masks then set its high bit. */
static int64_t count_lines_swar(const char *p, size_t n, bool prev_nl)
{
	const uint64_t nl8 = 0x0a0a0a0a0a0a0a0aULL, hash8 = 0x2323232323232323ULL,
	               low7 = 0x7f7f7f7f7f7f7f7fULL, ones = 0x0101010101010101ULL;
	int64_t lines = 0, skip = 0;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		uint64_t x = w ^ nl8, y = w ^ hash8;
		uint64_t m = ~(((x & low7) + low7) | x) & ~low7;   /* bit 7 of each '\n' byte */
		uint64_t h = ~(((y & low7) + low7) | y) & ~low7;   /* bit 7 of each '#' byte */
		uint64_t starts = (m << 8) | (prev_nl ? 0x80 : 0); /* bytes right after a newline */
		/* one bit per byte at bit 7: shift to bit 0 and sum the bytes with a multiply
		 * (no popcount instruction is assumed) */
		lines += (int64_t)(((m >> 7) * ones) >> 56);
		skip += (int64_t)((((starts & (m | h)) >> 7) * ones) >> 56);
		prev_nl = m >> 63;
	}
	for (; i < n; i++) {
		bool nl = p[i] == '\n';
		lines += nl;
		skip += prev_nl && (nl || p[i] == '#');
		prev_nl = nl;
	}
	return lines - skip;
}

#ifdef FK_HAVE_AVX2
/* 64 bytes at a time: one bit per byte in a mask, then popcount (about 4x the eight-byte
 * loop here, issue 4's benchmark). */
FK_AVX2 static int64_t count_lines_avx2(const char *p, size_t n)
{
	int64_t lines = 0, skip = 0;
	uint64_t prev_nl = 1; /* the start counts as right after a newline */
	size_t i = 0;
	for (; i + 64 <= n; i += 64) {
		uint64_t m = fk_mask64(p + i, '\n'), h = fk_mask64(p + i, '#');
		uint64_t starts = (m << 1) | prev_nl;
		lines += __builtin_popcountll(m);
		if (starts & (m | h))
			skip += __builtin_popcountll(starts & (m | h));
		prev_nl = m >> 63;
	}
	return lines - skip + count_lines_swar(p + i, n - i, prev_nl != 0);
}
#endif

static int64_t count_lines(const char *p, size_t n)
{
#ifdef FK_HAVE_AVX2
	if (fk_cpu_avx2())
		return count_lines_avx2(p, n);
#endif
	return count_lines_swar(p, n, true);
}

/* The last newline of the n bytes at p, or NULL (memrchr is not POSIX). */
static const char *last_newline(const char *p, size_t n)
{
	while (n && p[n - 1] != '\n')
		n--;
	return n ? p + n - 1 : NULL;
}

struct prefilter_ctx {
	struct file_scan *fs;
	const char *base;
	size_t n, done; /* bytes of the block, and up to where lines were taken */
	struct fk_err *err;
	enum fk_code rc;
};

/* The start of the line holding the byte before end: the byte after the last newline in
 * [lo, end), or lo (a line start) when there is none. */
static size_t line_start_portable(const char *p, size_t lo, size_t end)
{
	while (end > lo && p[end - 1] != '\n')
		end--;
	return end;
}

#ifdef FK_HAVE_AVX2
FK_AVX2 static size_t line_start_avx2(const char *p, size_t lo, size_t end)
{
	const __m256i nl = _mm256_set1_epi8('\n');
	while (end - lo >= 32) {
		__m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(p + end - 32));
		unsigned m = (unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, nl));
		if (m)
			return end - 32 + (size_t)(32 - __builtin_clz(m));
		end -= 32;
	}
	return line_start_portable(p, lo, end);
}
#endif

static size_t line_start(const char *p, size_t lo, size_t end)
{
#ifdef FK_HAVE_AVX2
	if (fk_cpu_avx2())
		return line_start_avx2(p, lo, end);
#endif
	return line_start_portable(p, lo, end);
}

/* A target literal ends at end: parse its line once. */
static int on_hit(size_t end, void *vctx)
{
	struct prefilter_ctx *c = vctx;
	if (end <= c->done)
		return 0;
	size_t start = line_start(c->base, c->done, end);
	const char *nl = memchr(c->base + end, '\n', c->n - end);
	size_t stop = nl ? (size_t)(nl - c->base) : c->n;
	int64_t at = c->fs->offset;
	c->fs->offset += (int64_t)start;
	c->rc = one_line(c->fs, c->base + start, stop - start, false, c->err);
	c->fs->offset = at;
	c->done = stop + 1;
	return c->rc ? 1 : 0;
}

/* Takes the lines of the len bytes at buf; *rest is set to the bytes of an unfinished last
 * line (left for the next block), which is taken too when eof. */
static enum fk_code scan_block(struct file_scan *fs, const char *buf, size_t len, bool eof,
                               size_t *rest, struct fk_err *err)
{
	const struct fk_scan_query *q = fs->q;
	struct fk_scan_result *r = fs->r;
	enum fk_code rc = FK_OK;
	*rest = 0;
	if (fs->format == FK_LOG_AUTO) {
		fs->format = fk_log_detect(buf, len);
		if (fs->format == FK_LOG_AUTO)
			return FK_ERR(
			    err, FK_EINVAL, fs->origin,
			    "%s: the format is not recognised: give --format squid, "
			    "combined, w3c or zeek",
			    "%s: 形式を判別できません: --format squid, combined, w3c, zeek "
			    "のいずれかを指定してください",
			    fs->origin);
	}
	r->format = fs->format;
	const char *p = buf, *end = buf + len, *nl;
	fs->prefilter = q->targets && fk_targets_prefilter(q->targets) && !q->strict &&
	                (fs->format == FK_LOG_SQUID || fs->format == FK_LOG_COMBINED);
	const char *last = fs->prefilter && !fs->skipping ? last_newline(buf, len) : NULL;
	if (last) {
		/* Count every line, parse only those holding a target literal. */
		size_t region = (size_t)(last + 1 - buf);
		if (!fs->scratch)
			fs->scratch = fk_targets_scratch(q->targets);
		r->lines += count_lines(buf, region);
		struct prefilter_ctx pc = {fs, buf, region, 0, err, FK_OK};
		fk_targets_scan(q->targets, fs->scratch, buf, region, on_hit, &pc);
		rc = pc.rc;
		p = buf + region;
	}
	while (!rc && (nl = memchr(p, '\n', (size_t)(end - p)))) {
		if (fs->skipping) { /* the rest of an over-long line, counted already */
			fs->skipping = false;
			fs->lineno++;
		} else {
			rc = one_line(fs, p, (size_t)(nl - p), true, err);
		}
		p = nl + 1;
	}
	size_t carry = (size_t)(end - p);
	fs->offset += (int64_t)(p - buf);
	if (rc)
		return rc;
	if (eof) { /* the last line, without its newline */
		if (carry && !fs->skipping)
			rc = one_line(fs, p, carry, true, err);
		return rc;
	}
	if (carry >= MAX_LINE) { /* an over-long line: malformed, skip to its end */
		fs->lineno++;
		r->lines++;
		rc = malformed(fs, err);
		fs->lineno--; /* the skipped rest counts the line when its newline comes */
		fs->offset += (int64_t)carry;
		fs->skipping = true;
		return rc;
	}
	*rest = carry;
	return FK_OK;
}

/* Reads f in page-aligned blocks (compressed inputs, pipes, standard input). */
static enum fk_code scan_read(struct file_scan *fs, FILE *f, struct fk_err *err)
{
	char *buf = NULL;
	/* Page-aligned: a read() into a buffer 16 bytes past a page boundary was 4-5x slower
	 * here (issue 4). */
	if (posix_memalign((void **)&buf, 4096, CHUNK))
		abort();
	size_t carry = 0, got, rest;
	enum fk_code rc;
	struct fk_reader rd;
	fk_reader_init(&rd, f, fs->origin);
	if (fs->q->hash_files)
		fk_reader_hash(&rd);
	while (!(rc = fill(&rd, buf, carry, &got, err))) {
		size_t len = carry + got;
		if (!len)
			break;
		if ((rc = scan_block(fs, buf, len, got == 0, &rest, err)) || got == 0)
			break;
		memmove(buf, buf + len - rest, rest);
		carry = rest;
	}
	if (!rc && fs->q->hash_files) {
		fs->info.size = rd.raw_bytes;
		fk_reader_digest(&rd, fs->info.sha256);
	}
	fk_reader_release(&rd);
	free(buf);
	return rc;
}

/* A plain file mapped whole: no copy into a buffer (read()'s copy was 15 % of a target
 * query). Its SHA-256, when asked for, is computed by a second thread over the same pages
 * while this one scans. */
struct map_hash {
	const char *data;
	size_t size;
	char hex[65];
};

static void *hash_map(void *arg)
{
	struct map_hash *h = arg;
	fk_sha256_hex(h->data, h->size, h->hex);
	return NULL;
}

/* Scans the size bytes at base (which start a line) in windows of about WINDOW bytes that
 * end at a newline. The line count and the prefilter each read a window, and the second
 * read comes from the L2 cache (with 4 MiB blocks the group table was pushed out of it). */
#define WINDOW (256u << 10)

static enum fk_code scan_range(struct file_scan *fs, const char *base, size_t size,
                               struct fk_err *err)
{
	enum fk_code rc = FK_OK;
	size_t pos = 0, rest, dropped = 0;
	while (pos < size) {
		size_t len = size - pos < WINDOW ? size - pos : WINDOW;
		if (pos + len < size) { /* on to the end of the line, or past MAX_LINE */
			size_t more = size - pos - len < MAX_LINE ? size - pos - len : MAX_LINE;
			const char *nl = memchr(base + pos + len, '\n', more);
			len = nl ? (size_t)(nl + 1 - (base + pos)) : len + more;
		}
		bool eof = pos + len == size;
		if ((rc = scan_block(fs, base + pos, len, eof, &rest, err)) || eof)
			break;
		pos += len - rest;
		/* Let go of the pages read (they stay in the page cache): the memory used stays
		 * bounded by the groups, not the size of the file. */
		uintptr_t from = ((uintptr_t)base + dropped) & ~(uintptr_t)4095,
		          to = ((uintptr_t)base + pos) & ~(uintptr_t)4095;
		if (to - from >= 16 * WINDOW) {
			(void)madvise((void *)from, to - from, MADV_DONTNEED);
			dropped = (size_t)(to - (uintptr_t)base);
		}
	}
	return rc;
}

/* The second half of a large file, scanned by a second thread into its own result. */
struct half {
	struct file_scan fs;
	struct fk_scan_result r;
	const char *base;
	size_t size;
	enum fk_code rc;
	struct fk_err err;
};

static void *scan_half(void *arg)
{
	struct half *h = arg;
	fk_err_clear(&h->err);
	h->rc = scan_range(&h->fs, h->base, h->size, &h->err);
	return NULL;
}

/* Adds a second half's counts and groups to the first's. */
static void merge(struct fk_scan_result *r, const struct fk_scan_result *h)
{
	struct table *t = h->table;
	r->lines += h->lines;
	r->matched += h->matched;
	r->malformed += h->malformed;
	flush(t);
	for (size_t i = 0; i < t->cap; i++) {
		const struct entry *e = &t->e[i];
		if (e->count)
			add_counts(r->table, entry_key(e), e->len, e->hash, e->count, e->bytes,
			           e->first, e->last);
	}
}

/* Files at least this large are split in two at a line boundary and scanned by two threads
 * (the machine the goals are set on has two cores). Formats whose meaning depends on a
 * header line (W3C, Zeek) and --strict (which names the first bad line) stay whole.
 * FUKKYU_SPLIT_MIN=BYTES in the environment changes the size (the tests split small files). */
#define SPLIT_MIN (64u << 20)

static size_t split_min(void)
{
	const char *v = getenv("FUKKYU_SPLIT_MIN");
	char *end;
	unsigned long long n = v && *v ? strtoull(v, &end, 10) : 0;
	return v && *v && !*end ? (size_t)n : SPLIT_MIN;
}

static enum fk_code scan_map(struct file_scan *fs, const char *map, size_t size, struct fk_err *err)
{
	struct map_hash h = {map, size, ""};
	pthread_t hasher, second;
	bool hashing = fs->q->hash_files && !pthread_create(&hasher, NULL, hash_map, &h);
	if (fs->q->hash_files && !hashing) /* no thread: hash here */
		hash_map(&h);
	if (fs->format == FK_LOG_AUTO)
		fs->format = fk_log_detect(map, size < CHUNK ? size : CHUNK);
	const char *mid = size >= split_min() && size >= 2 && !fs->q->strict &&
	                          (fs->format == FK_LOG_SQUID || fs->format == FK_LOG_COMBINED)
	                      ? memchr(map + size / 2, '\n', size - size / 2)
	                      : NULL;
	size_t first = mid ? (size_t)(mid + 1 - map) : size;
	struct half *half = NULL;
	if (first < size) {
		half = fk_xcalloc(1, sizeof *half);
		fk_scan_result_init(&half->r);
		half->fs = *fs;
		half->fs.r = &half->r;
		half->fs.offset = (int64_t)first;
		half->fs.scratch = NULL;
		half->base = map + first;
		half->size = size - first;
		if (pthread_create(&second, NULL, scan_half, half)) {
			fk_scan_result_release(&half->r);
			free(half);
			half = NULL;
			first = size;
		}
	}
	enum fk_code rc = scan_range(fs, map, first, err);
	if (half) {
		pthread_join(second, NULL);
		if (!rc && half->rc) {
			rc = half->rc;
			*err = half->err;
		}
		if (!rc) {
			merge(fs->r, &half->r);
			fs->r->format = fs->format;
			report_bad(fs, 0, fs->r);
			report_bad(&half->fs, fs->lineno, fs->r);
			fs->n_bad = 0; /* reported */
		}
		if (half->fs.scratch)
			fk_targets_scratch_free(half->fs.scratch);
		fk_scan_result_release(&half->r);
		free(half);
	}
	if (hashing)
		pthread_join(hasher, NULL);
	if (!rc && fs->q->hash_files) {
		fs->info.size = (int64_t)size;
		memcpy(fs->info.sha256, h.hex, sizeof h.hex);
	}
	return rc;
}

/* The whole of f when it is a non-empty regular file that is not compressed, else NULL. */
static const char *map_plain(FILE *f, size_t *size)
{
	struct stat st;
	int fd = fileno(f);
	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size < 4 ||
	    (uint64_t)st.st_size > SIZE_MAX / 2)
		return NULL;
	void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (m == MAP_FAILED)
		return NULL;
	const unsigned char *b = m;
	if ((b[0] == 0x1f && b[1] == 0x8b) ||
	    (b[0] == 0x28 && b[1] == 0xb5 && b[2] == 0x2f && b[3] == 0xfd)) {
		munmap(m, (size_t)st.st_size);
		return NULL;
	}
	(void)posix_madvise(m, (size_t)st.st_size, POSIX_MADV_SEQUENTIAL);
	*size = (size_t)st.st_size;
	return m;
}

enum fk_code fk_scan_file(const struct fk_scan_query *q, FILE *f, const char *origin,
                          struct fk_scan_result *r, struct fk_err *err)
{
	struct file_scan *fs = fk_xcalloc(1, sizeof *fs);
	*fs = (struct file_scan){.q = q, .r = r, .origin = origin};
	for (int i = 0; i < FK_LF_COUNT; i++)
		fs->layout.idx[i] = -1;
	fs->format = q->format != FK_LOG_AUTO ? q->format : r->format;
	size_t size = 0;
	const char *map = map_plain(f, &size);
	enum fk_code rc = map ? scan_map(fs, map, size, err) : scan_read(fs, f, err);
	if (map)
		munmap((void *)(uintptr_t)map, size);
	report_bad(fs, 0, r);
	if (!rc && q->hash_files) {
		r->files = fk_xrealloc(r->files, (r->n_files + 1) * sizeof *r->files);
		struct fk_scan_file_info *fi = &r->files[r->n_files++];
		*fi = fs->info;
		fi->name = fk_xstrdup(origin);
	}
	if (fs->scratch)
		fk_targets_scratch_free(fs->scratch);
	free(fs);
	return rc;
}

/* Count descending, then the key. Comparing the raw keys (parts ending with \x1f) orders
 * them as comparing part by part would, except for parts holding bytes below \x1f. */
static int cmp_entry(const void *a, const void *b)
{
	const struct entry *x = *(const struct entry *const *)a,
	                   *y = *(const struct entry *const *)b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	int c = memcmp(entry_key(x), entry_key(y), x->len < y->len ? x->len : y->len);
	return c ? c : (x->len > y->len) - (x->len < y->len);
}

void fk_scan_finish(struct fk_scan_result *r, unsigned group)
{
	struct table *t = r->table;
	flush(t);
	r->groups = fk_xcalloc(t->n ? t->n : 1, sizeof *r->groups);
	struct entry **order = fk_xcalloc(t->n ? t->n : 1, sizeof *order);
	for (size_t i = 0, k = 0; i < t->cap; i++)
		if (t->e[i].count)
			order[k++] = &t->e[i];
	qsort(order, t->n, sizeof *order, cmp_entry);
	for (size_t i = 0; i < t->n; i++) {
		const struct entry *e = order[i];
		struct fk_scan_group *g = &r->groups[r->n_groups++];
		g->count = e->count;
		g->bytes = e->bytes;
		g->first = e->first;
		g->last = e->last;
		/* text parts ending with \x1f, then the time unit (above) */
		const char *p = entry_key(e), *end = p + e->len;
		bool timed = group & (FK_GROUP_HOUR | FK_GROUP_DAY);
		if (timed)
			end -= 4;
		for (int k = 0; k < 3; k++) {
			if (!(group & (1u << k)))
				continue;
			const char *sep = memchr(p, '\x1f', (size_t)(end - p));
			size_t n = sep ? (size_t)(sep - p) : (size_t)(end - p);
			g->key[k] = fk_xstrndup(p, n);
			p += n + (sep != NULL);
		}
		if (timed) {
			const unsigned char *u = (const unsigned char *)end;
			uint32_t unit = (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 |
			                (uint32_t)u[2] << 8 | u[3];
			bool hour = group & FK_GROUP_HOUR;
			char text[32] = "-";
			if (unit != UINT32_MAX) /* 2026-09-01T10:00:00Z: the hour or the day */
				fk_time_utc((int64_t)unit * (hour ? 3600 : 86400), text);
			g->key[hour ? 3 : 4] = fk_xstrndup(text, unit == UINT32_MAX ? 1
			                                         : hour             ? 13
			                                                            : 10);
		}
	}
	free(order);
}
