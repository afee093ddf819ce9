/*
 * scan.c - the scan loop: large page-aligned reads, lines found with memchr, one parse and
 * one hash-table update per line; memory bounded by the number of groups.
 */
#include "fukkyu/common.h"
#include "fukkyu/logscan.h"
#include "util/hash.h"
#include "util/time.h"

#define CHUNK    (4u << 20) /* bytes per read */
#define MAX_LINE (1u << 20) /* longer lines are malformed */

struct entry {
	char *key; /* the grouped fields, separated by \x1f */
	size_t len;
	uint64_t hash;
	int64_t count, bytes, first, last;
};

struct table {
	struct entry *e;
	size_t cap, n;
};

void fk_scan_result_init(struct fk_scan_result *r)
{
	memset(r, 0, sizeof *r);
	fk_buf_init(&r->malformed_at, 0);
	r->table = fk_xcalloc(1, sizeof(struct table));
}

void fk_scan_result_release(struct fk_scan_result *r)
{
	struct table *t = r->table;
	if (t) {
		for (size_t i = 0; i < t->cap; i++)
			free(t->e[i].key);
		free(t->e);
		free(t);
	}
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

static void add(struct table *t, const char *key, size_t n, const struct fk_log_record *r)
{
	if (2 * (t->n + 1) > t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 1024;
		struct entry *e = fk_xcalloc(cap, sizeof *e);
		for (size_t i = 0; i < t->cap; i++) {
			if (!t->e[i].key)
				continue;
			size_t j = t->e[i].hash & (cap - 1);
			while (e[j].key)
				j = (j + 1) & (cap - 1);
			e[j] = t->e[i];
		}
		free(t->e);
		t->e = e;
		t->cap = cap;
	}
	uint64_t h = fk_hash_bytes(key, n);
	size_t j = h & (t->cap - 1);
	for (; t->e[j].key; j = (j + 1) & (t->cap - 1)) {
		struct entry *e = &t->e[j];
		if (e->hash == h && e->len == n && !memcmp(e->key, key, n)) {
			e->count++;
			e->bytes += r->bytes > 0 ? r->bytes : 0;
			e->first = r->time < e->first ? r->time : e->first;
			e->last = r->time > e->last ? r->time : e->last;
			return;
		}
	}
	t->e[j] = (struct entry){.key = fk_xstrndup(key, n),
	                         .len = n,
	                         .hash = h,
	                         .count = 1,
	                         .bytes = r->bytes > 0 ? r->bytes : 0,
	                         .first = r->time,
	                         .last = r->time};
	t->n++;
}

static bool slice_is(struct fk_slice s, const char *v)
{
	return strlen(v) == s.n && (!s.n || !memcmp(s.p, v, s.n));
}

/* The hour or day text of the last line: logs are in time order, so formatting it once per
 * hour saves a snprintf per line. */
struct time_key {
	int64_t unit; /* hour or day number of text, -1 when none */
	char text[32];
};

/* Applies the filters and, if the line matches, counts it in its group. */
static void take(const struct fk_scan_query *q, struct fk_scan_result *r,
                 const struct fk_log_record *rec, char *key, struct time_key *tk)
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
	const struct fk_slice parts[] = {rec->client, rec->user, rec->dest};
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
		int64_t unit = rec->time >= 0 ? rec->time / 3600 : -1;
		if (unit != tk->unit) {
			fk_time_utc(rec->time, tk->text); /* 2026-09-01T10:00:00Z */
			tk->unit = unit;
		}
		size_t len = q->group & FK_GROUP_HOUR ? 13 : 10;
		memcpy(key + n, tk->text, len);
		n += len;
		key[n++] = '\x1f';
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
	int64_t offset; /* bytes of the file before the current block */
	bool prefilter; /* only lines holding a target literal are parsed */
	struct time_key tk;
	char key[3 * 1001 + 32];
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
	if (++r->malformed <= FK_SCAN_MALFORMED_SHOWN) {
		if (fs->prefilter) /* lines are not counted one by one: say the byte offset */
			(void)fk_buf_addf(&r->malformed_at, "%s%s@%lld",
			                  r->malformed_at.len ? ", " : "", fs->origin,
			                  (long long)fs->offset);
		else
			(void)fk_buf_addf(&r->malformed_at, "%s%s:%lld",
			                  r->malformed_at.len ? ", " : "", fs->origin,
			                  (long long)fs->lineno);
	}
	return FK_OK;
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
	take(fs->q, fs->r, &rec, fs->key, &fs->tk);
	return FK_OK;
}

/* The lines of the n bytes at p (which end with a newline), eight bytes at a time: a byte
 * is zero after the XOR exactly when it was the byte looked for, and the masks then set its
 * high bit. */
static int64_t count_lines(const char *p, size_t n)
{
	/* Like the full parse, count neither empty lines nor '#' comment lines: a line is
	 * a newline, less those right after another newline (or at the start), less the '#'
	 * bytes right after a newline (or at the start). */
	const uint64_t nl8 = 0x0a0a0a0a0a0a0a0aULL, hash8 = 0x2323232323232323ULL,
	               low7 = 0x7f7f7f7f7f7f7f7fULL, ones = 0x0101010101010101ULL;
	int64_t lines = 0, skip = p[0] == '\n' || p[0] == '#';
	bool prev_nl = false; /* the byte before the word was a newline */
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

/* A target literal ends at end: parse its line once. */
static int on_hit(size_t end, void *vctx)
{
	struct prefilter_ctx *c = vctx;
	if (end <= c->done)
		return 0;
	size_t start = end;
	while (start && c->base[start - 1] != '\n')
		start--;
	const char *nl = memchr(c->base + end, '\n', c->n - end);
	size_t stop = nl ? (size_t)(nl - c->base) : c->n;
	int64_t at = c->fs->offset;
	c->fs->offset += (int64_t)start;
	c->rc = one_line(c->fs, c->base + start, stop - start, false, c->err);
	c->fs->offset = at;
	c->done = stop + 1;
	return c->rc ? 1 : 0;
}

enum fk_code fk_scan_file(const struct fk_scan_query *q, FILE *f, const char *origin,
                          struct fk_scan_result *r, struct fk_err *err)
{
	char *buf = NULL;
	/* Page-aligned: a read() into a buffer 16 bytes past a page boundary was 4-5x slower
	 * here (issue 4). */
	if (posix_memalign((void **)&buf, 4096, CHUNK))
		abort();
	struct file_scan *fs = fk_xcalloc(1, sizeof *fs);
	*fs = (struct file_scan){.q = q, .r = r, .origin = origin};
	fs->tk.unit = -2;
	for (int i = 0; i < FK_LF_COUNT; i++)
		fs->layout.idx[i] = -1;
	size_t carry = 0, got;
	bool skipping = false; /* inside an over-long line */
	enum fk_code rc = FK_OK;
	struct fk_reader rd;
	void *scratch = NULL;
	fk_reader_init(&rd, f, origin);
	if (q->hash_files)
		fk_reader_hash(&rd);
	fs->format = q->format != FK_LOG_AUTO ? q->format : r->format;
	while (!rc && !(rc = fill(&rd, buf, carry, &got, err))) {
		size_t len = carry + got;
		if (!len)
			break;
		if (fs->format == FK_LOG_AUTO) {
			fs->format = fk_log_detect(buf, len);
			if (fs->format == FK_LOG_AUTO) {
				rc = FK_ERR(
				    err, FK_EINVAL, origin,
				    "%s: the format is not recognised: give --format squid, "
				    "combined, w3c or zeek",
				    "%s: 形式を判別できません: --format squid, combined, w3c, zeek "
				    "のいずれかを指定してください",
				    origin);
				break;
			}
		}
		r->format = fs->format;
		const char *p = buf, *end = buf + len, *nl;
		fs->prefilter = q->targets && fk_targets_prefilter(q->targets) && !q->strict &&
		                (fs->format == FK_LOG_SQUID || fs->format == FK_LOG_COMBINED);
		const char *last = fs->prefilter && !skipping ? last_newline(buf, len) : NULL;
		if (last) {
			/* Count every line, parse only those holding a target literal. */
			size_t region = (size_t)(last + 1 - buf);
			if (!scratch)
				scratch = fk_targets_scratch(q->targets);
			r->lines += count_lines(buf, region);
			struct prefilter_ctx pc = {fs, buf, region, 0, err, FK_OK};
			fk_targets_scan(q->targets, scratch, buf, region, on_hit, &pc);
			rc = pc.rc;
			p = buf + region;
		}
		while (!rc && (nl = memchr(p, '\n', (size_t)(end - p)))) {
			if (skipping) { /* the rest of an over-long line, counted already */
				skipping = false;
				fs->lineno++;
			} else {
				rc = one_line(fs, p, (size_t)(nl - p), true, err);
			}
			p = nl + 1;
		}
		carry = (size_t)(end - p);
		fs->offset += (int64_t)(p - buf);
		if (rc)
			break;
		if (got == 0) { /* the last line, without its newline */
			if (carry && !skipping)
				rc = one_line(fs, p, carry, true, err);
			break;
		}
		if (carry >= MAX_LINE) { /* an over-long line: malformed, skip to its end */
			fs->lineno++;
			r->lines++;
			rc = malformed(fs, err);
			fs->lineno--; /* the skipped rest counts the line when its newline comes */
			carry = 0;
			skipping = true;
			continue;
		}
		memmove(buf, p, carry);
	}
	if (!rc && q->hash_files) {
		r->files = fk_xrealloc(r->files, (r->n_files + 1) * sizeof *r->files);
		struct fk_scan_file_info *fi = &r->files[r->n_files++];
		fi->name = fk_xstrdup(origin);
		fi->size = rd.raw_bytes;
		fk_reader_digest(&rd, fi->sha256);
	}
	fk_reader_release(&rd);
	if (scratch)
		fk_targets_scratch_free(scratch);
	free(fs);
	free(buf);
	return rc;
}

static int cmp_group(const void *a, const void *b)
{
	const struct fk_scan_group *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	for (int k = 0; k < 5; k++) {
		int c = strcmp(x->key[k] ? x->key[k] : "", y->key[k] ? y->key[k] : "");
		if (c)
			return c;
	}
	return 0;
}

void fk_scan_finish(struct fk_scan_result *r, unsigned group)
{
	struct table *t = r->table;
	r->groups = fk_xcalloc(t->n ? t->n : 1, sizeof *r->groups);
	for (size_t i = 0; i < t->cap; i++) {
		struct entry *e = &t->e[i];
		if (!e->key)
			continue;
		struct fk_scan_group *g = &r->groups[r->n_groups++];
		g->count = e->count;
		g->bytes = e->bytes;
		g->first = e->first;
		g->last = e->last;
		const char *p = e->key;
		for (int k = 0; k < 5; k++) {
			if (!(group & (1u << k)) || (k == 4 && (group & FK_GROUP_HOUR)))
				continue;
			const char *sep = strchr(p, '\x1f');
			g->key[k] = fk_xstrndup(p, sep ? (size_t)(sep - p) : strlen(p));
			p = sep ? sep + 1 : p + strlen(p);
		}
	}
	qsort(r->groups, r->n_groups, sizeof *r->groups, cmp_group);
}
