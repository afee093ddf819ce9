/*
 * parse.c - zero-copy parsers for Squid native and Apache/nginx combined/common lines.
 *
 * Real logs are dirty (runs of spaces, escaped quotes, garbage request lines): a line that
 * does not fit is reported as malformed by the caller, never guessed at.
 */
#include "fukkyu/common.h"
#include "fukkyu/logscan.h"
#include "util/time.h"
#include "simd.h"

const char *const fk_log_formats[FK_LOG_COUNT] = {"auto", "squid", "combined", "w3c", "zeek"};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Splits on runs of spaces into at most max fields; returns the count, or 0 for an unclosed
 * quote. With quotes, a field starting with '"' runs to the next '"' (W3C values with
 * spaces). Token ends are found with memchr (vectorised): URLs and user agents are long. */
static size_t split_portable(const char *p, size_t n, struct fk_slice *f, size_t max, bool quotes)
{
	const char *q = p, *end = p + n;
	size_t k = 0;
	while (q < end && k < max) {
		while (q < end && *q == ' ')
			q++;
		if (q == end)
			break;
		if (quotes && *q == '"') {
			const char *close = memchr(q + 1, '"', (size_t)(end - q - 1));
			if (!close)
				return 0;
			f[k++] = (struct fk_slice){q + 1, (size_t)(close - q - 1)};
			q = close + 1;
			continue;
		}
		const char *sp = memchr(q, ' ', (size_t)(end - q));
		if (!sp)
			sp = end;
		f[k++] = (struct fk_slice){q, (size_t)(sp - q)};
		q = sp;
	}
	return k;
}

#ifdef FK_HAVE_AVX2
/* The same split without quotes, 64 bytes at a time: a mask of the spaces gives every field
 * start (a non-space after a space) and end (a space after a non-space), taken in order
 * with count-trailing-zeros. A memchr call per field cost more than the whole of this for
 * the ~12 short fields of a Squid line (issue 4's benchmark). The tail is copied into a
 * block padded with spaces: nothing past the line is read. */
FK_AVX2 static size_t split_avx2(const char *p, size_t n, struct fk_slice *f, size_t max)
{
	size_t k = 0, start = 0;
	bool open = false;
	uint64_t prev_ns = 0; /* the byte before the block was not a space */
	char tail[64];
	for (size_t i = 0; i < n; i += 64) {
		const char *b = p + i;
		if (n - i < 64) {
			memset(tail, ' ', sizeof tail);
			memcpy(tail, b, n - i);
			b = tail;
		}
		uint64_t ns = ~fk_mask64(b, ' ');
		uint64_t events = (ns ^ ((ns << 1) | prev_ns)); /* starts and ends, alternating */
		prev_ns = ns >> 63;
		while (events) {
			size_t at = i + (size_t)__builtin_ctzll(events);
			events &= events - 1;
			if (open) {
				f[k++] = (struct fk_slice){p + start, at - start};
				if (k == max)
					return k;
			} else {
				start = at;
			}
			open = !open;
		}
	}
	if (open) /* the line ends inside a field (n is a multiple of 64) */
		f[k++] = (struct fk_slice){p + start, n - start};
	return k;
}
#endif

static size_t split(const char *p, size_t n, struct fk_slice *f, size_t max, bool quotes)
{
#ifdef FK_HAVE_AVX2
	if (!quotes && fk_cpu_avx2())
		return split_avx2(p, n, f, max);
#endif
	return split_portable(p, n, f, max, quotes);
}

/* Digits of s as a number (at most 18 digits); false if s is not all digits. */
static bool number(struct fk_slice s, int64_t *out)
{
	int64_t v = 0;
	if (!s.n || s.n > 18)
		return false;
	for (size_t i = 0; i < s.n; i++) {
		if (!is_digit(s.p[i]))
			return false;
		v = v * 10 + (s.p[i] - '0');
	}
	*out = v;
	return true;
}

struct fk_slice fk_url_host(struct fk_slice url)
{
	const char *p = url.p, *end = url.p + url.n;
	for (const char *q = p; q + 2 < end && q < p + 16; q++) {
		if (q[0] == ':' && q[1] == '/' && q[2] == '/') {
			p = q + 3;
			break;
		}
		if (q[0] == '/')
			break;
	}
	/* One pass over the authority (up to / ? #): user-info ends at its last '@', the port
	 * starts at the first ':' after it; an IPv6 literal is in brackets. */
	const char *host = p, *colon = NULL, *q = p;
	for (; q < end && *q != '/' && *q != '?' && *q != '#'; q++) {
		if (*q == '@')
			host = q + 1, colon = NULL;
		else if (*q == ':' && !colon)
			colon = q;
	}
	if (host < q && *host == '[') {
		const char *close = memchr(host, ']', (size_t)(q - host));
		if (!close)
			return (struct fk_slice){host, 0};
		return (struct fk_slice){host + 1, (size_t)(close - host - 1)};
	}
	const char *h_end = colon ? colon : q;
	while (h_end > host && h_end[-1] == '.')
		h_end--;
	return (struct fk_slice){host, (size_t)(h_end - host)};
}

struct fk_slice fk_log_dest(struct fk_log_record *r)
{
	if (r->dest_from_url) {
		r->dest_ = fk_url_host(r->url);
		r->dest_from_url = false;
	}
	return r->dest_;
}

bool fk_log_parse_squid(const char *line, size_t n, struct fk_log_record *r)
{
	struct fk_slice f[11];
	size_t k = split(line, n, f, 11, false);
	if (k < 9 || k > 10)
		return false;
	/* 1: time "1700000000.123" (seconds with milliseconds) */
	const char *dot = memchr(f[0].p, '.', f[0].n);
	int64_t secs, v;
	if (!number((struct fk_slice){f[0].p, dot ? (size_t)(dot - f[0].p) : f[0].n}, &secs))
		return false;
	if (dot && !number((struct fk_slice){dot + 1, f[0].n - (size_t)(dot + 1 - f[0].p)}, &v))
		return false;
	if (!number(f[1], &v)) /* elapsed ms */
		return false;
	/* 4: TAG/status */
	const char *slash = memchr(f[3].p, '/', f[3].n);
	int64_t status;
	if (!slash ||
	    !number((struct fk_slice){slash + 1, f[3].n - (size_t)(slash + 1 - f[3].p)}, &status))
		return false;
	if (!number(f[4], &r->bytes))
		return false;
	/* 9: HIERARCHY/peer */
	const char *ps = memchr(f[8].p, '/', f[8].n);
	if (!ps)
		return false;
	r->peer = (struct fk_slice){ps + 1, f[8].n - (size_t)(ps + 1 - f[8].p)};
	if (r->peer.n == 1 && r->peer.p[0] == '-')
		r->peer.n = 0;
	r->time = secs;
	r->client = f[2];
	r->status = (int)status;
	r->method = f[5];
	r->url = f[6];
	r->user = f[7];
	if (r->user.n == 1 && r->user.p[0] == '-')
		r->user.n = 0;
	r->dest_ = (struct fk_slice){NULL, 0};
	r->dest_from_url = true;
	return r->client.n > 0;
}

/* "[10/Oct/2000:13:55:36 -0700]" at p (n bytes from p); returns the bytes used or 0. */
static size_t apache_time(const char *p, size_t n, int64_t *out)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	if (n < 28 || p[0] != '[' || p[27] != ']' || p[3] != '/' || p[7] != '/' || p[12] != ':' ||
	    p[15] != ':' || p[18] != ':' || p[21] != ' ' || (p[22] != '+' && p[22] != '-'))
		return 0;
	int64_t d, y, h, mi, s, oh, om;
	if (!number((struct fk_slice){p + 1, 2}, &d) || !number((struct fk_slice){p + 8, 4}, &y) ||
	    !number((struct fk_slice){p + 13, 2}, &h) ||
	    !number((struct fk_slice){p + 16, 2}, &mi) ||
	    !number((struct fk_slice){p + 19, 2}, &s) ||
	    !number((struct fk_slice){p + 23, 2}, &oh) ||
	    !number((struct fk_slice){p + 25, 2}, &om))
		return 0;
	const char *m = NULL;
	for (int i = 0; i < 12 && !m; i++)
		if (!memcmp(months + 3 * i, p + 4, 3))
			m = months + 3 * i;
	if (!m || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60 || y < 1970)
		return 0;
	int64_t off = (oh * 3600 + om * 60) * (p[22] == '-' ? -1 : 1);
	*out = fk_days_from_civil(y, (unsigned)((m - months) / 3 + 1), (unsigned)d) * 86400 +
	       h * 3600 + mi * 60 + s - off;
	return 28;
}

bool fk_log_parse_combined(const char *line, size_t n, struct fk_log_record *r)
{
	const char *end = line + n, *br = memchr(line, '[', n);
	if (!br)
		return false;
	struct fk_slice f[5];
	size_t k = split(line, (size_t)(br - line), f, 5, false);
	if (k != 3 && k != 4)
		return false;
	memset(r, 0, sizeof *r);
	if (k == 4) { /* vhost_combined: "host:port client ident user" */
		r->dest_ = fk_url_host(f[0]);
		r->client = f[1];
		r->user = f[3];
	} else {
		r->client = f[0];
		r->user = f[2];
	}
	if (r->user.n == 1 && r->user.p[0] == '-')
		r->user.n = 0;
	size_t used = apache_time(br, (size_t)(end - br), &r->time);
	if (!used)
		return false;
	const char *p = br + used;
	if (p + 2 > end || p[0] != ' ' || p[1] != '"')
		return false;
	p += 2;
	/* The request ends at the quote followed by " NNN" (the status): servers that do not
	 * escape quotes inside the request (real logs have them) still parse. */
	const char *q = p;
	while (q < end && !(q[0] == '"' && q + 5 <= end && q[1] == ' ' && is_digit(q[2]) &&
	                    is_digit(q[3]) && is_digit(q[4]) && (q + 5 == end || q[5] == ' ')))
		q++;
	if (q >= end)
		return false;
	struct fk_slice req[3];
	size_t rk = split(p, (size_t)(q - p), req, 3, false);
	if (rk >= 2) {
		r->method = req[0];
		r->url = req[1];
	}
	struct fk_slice tail[2];
	if (split(q + 1, (size_t)(end - q - 1), tail, 2, false) < 2)
		return false;
	int64_t status;
	if (!number(tail[0], &status) || status < 100 || status > 999)
		return false;
	r->status = (int)status;
	if (tail[1].n == 1 && tail[1].p[0] == '-')
		r->bytes = 0;
	else if (!number(tail[1], &r->bytes))
		return false;
	return true;
}

bool fk_log_header(int format, const char *line, size_t n, struct fk_log_layout *l)
{
	static const struct {
		const char *name;
		int field;
	} names[] = {
	    /* W3C (IIS, Blue Coat, other proxies) */
	    {"date", FK_LF_DATE},
	    {"time", FK_LF_TIME},
	    {"c-ip", FK_LF_CLIENT},
	    {"cs-username", FK_LF_USER},
	    {"cs-method", FK_LF_METHOD},
	    {"cs-uri-stem", FK_LF_STEM},
	    {"cs-uri-query", FK_LF_QUERY},
	    {"cs-host", FK_LF_HOST},
	    {"cs-uri-port", FK_LF_PORT},
	    {"s-ip", FK_LF_SERVER},
	    {"sc-status", FK_LF_STATUS},
	    {"sc-bytes", FK_LF_BYTES},
	    {"cs-uri", FK_LF_STEM},
	    {"r-ip", FK_LF_SERVER},
	    {"s-port", FK_LF_PORT},
	    /* Zeek http.log, conn.log, ssl.log */
	    {"ts", FK_LF_TS},
	    {"id.orig_h", FK_LF_CLIENT},
	    {"username", FK_LF_USER},
	    {"method", FK_LF_METHOD},
	    {"uri", FK_LF_STEM},
	    {"host", FK_LF_HOST},
	    {"id.resp_p", FK_LF_PORT},
	    {"id.resp_h", FK_LF_SERVER},
	    {"status_code", FK_LF_STATUS},
	    {"resp_body_len", FK_LF_BYTES},
	    {"resp_bytes", FK_LF_BYTES},
	    {"server_name", FK_LF_SNI},
	};
	const char *prefix = format == FK_LOG_W3C ? "#Fields:" : "#fields";
	size_t pl = strlen(prefix);
	if (n < pl || memcmp(line, prefix, pl))
		return false;
	for (int i = 0; i < FK_LF_COUNT; i++)
		l->idx[i] = -1;
	const char *p = line + pl, *end = line + n;
	char sep = format == FK_LOG_W3C ? ' ' : '\t';
	int col = 0;
	while (p < end) {
		while (p < end && (*p == sep || *p == ' '))
			p++;
		if (p == end)
			break;
		const char *e = p;
		while (e < end && *e != sep && !(format == FK_LOG_W3C && *e == ' '))
			e++;
		for (size_t k = 0; k < FK_ARRAY_LEN(names); k++)
			if (strlen(names[k].name) == (size_t)(e - p) &&
			    !memcmp(names[k].name, p, (size_t)(e - p)) &&
			    l->idx[names[k].field] < 0)
				l->idx[names[k].field] = col;
		col++;
		p = e;
	}
	l->columns = col;
	l->ready = col > 0;
	return true;
}

/* Splits a W3C line (spaces; "quoted values") or a Zeek line (tabs) into at most max
 * fields. */
static size_t split_fields(int format, const char *p, size_t n, struct fk_slice *f, size_t max)
{
	const char *q = p, *end = p + n;
	size_t k = 0;
	if (format == FK_LOG_ZEEK) {
		while (k < max) {
			const char *t = memchr(q, '\t', (size_t)(end - q));
			f[k++] = (struct fk_slice){q, (size_t)((t ? t : end) - q)};
			if (!t)
				break;
			q = t + 1;
		}
		return k;
	}
	return split(p, n, f, max, true);
}

static struct fk_slice field(const struct fk_log_layout *l, const struct fk_slice *f, size_t k,
                             int which)
{
	int i = l->idx[which];
	if (i < 0 || (size_t)i >= k)
		return (struct fk_slice){"", 0};
	struct fk_slice s = f[i];
	if ((s.n == 1 && s.p[0] == '-') || (s.n == 7 && !memcmp(s.p, "(empty)", 7)))
		s.n = 0;
	return s;
}

bool fk_log_parse_fields(int format, const struct fk_log_layout *l, const char *line, size_t n,
                         struct fk_log_record *r)
{
	struct fk_slice f[64];
	if (!l->ready)
		return false;
	size_t k = split_fields(format, line, n, f, 64);
	if ((int)k != l->columns)
		return false;
	memset(r, 0, sizeof *r);
	int64_t v;
	if (format == FK_LOG_ZEEK) {
		struct fk_slice ts = field(l, f, k, FK_LF_TS);
		const char *dot = memchr(ts.p, '.', ts.n);
		if (!number((struct fk_slice){ts.p, dot ? (size_t)(dot - ts.p) : ts.n}, &r->time))
			return false;
	} else {
		/* "2022-01-01" "00:01:24" in UTC */
		struct fk_slice d = field(l, f, k, FK_LF_DATE), t = field(l, f, k, FK_LF_TIME);
		int64_t y, mo, dd, h, mi, se;
		if (d.n != 10 || t.n < 8 || !number((struct fk_slice){d.p, 4}, &y) ||
		    !number((struct fk_slice){d.p + 5, 2}, &mo) ||
		    !number((struct fk_slice){d.p + 8, 2}, &dd) ||
		    !number((struct fk_slice){t.p, 2}, &h) ||
		    !number((struct fk_slice){t.p + 3, 2}, &mi) ||
		    !number((struct fk_slice){t.p + 6, 2}, &se) || mo < 1 || mo > 12 || dd < 1 ||
		    dd > 31 || y < 1970 || h > 23 || mi > 59 || se > 60)
			return false;
		r->time = fk_days_from_civil(y, (unsigned)mo, (unsigned)dd) * 86400 + h * 3600 +
		          mi * 60 + se;
	}
	r->client = field(l, f, k, FK_LF_CLIENT);
	r->user = field(l, f, k, FK_LF_USER);
	r->method = field(l, f, k, FK_LF_METHOD);
	r->url = field(l, f, k, FK_LF_STEM);
	struct fk_slice host = field(l, f, k, FK_LF_HOST);
	if (!host.n)
		host = field(l, f, k, FK_LF_SNI);
	r->dest_ = host.n ? fk_url_host(host) : host;
	r->peer = field(l, f, k, FK_LF_SERVER);
	if (format == FK_LOG_ZEEK && !r->dest_.n)
		r->dest_ = r->peer; /* conn.log: the responder is the destination */
	struct fk_slice st = field(l, f, k, FK_LF_STATUS), by = field(l, f, k, FK_LF_BYTES);
	r->status = st.n && number(st, &v) ? (int)v : 0;
	r->bytes = by.n && number(by, &v) ? v : -1;
	return r->client.n > 0;
}

int fk_log_detect(const char *sample, size_t n)
{
	/* Header-driven formats announce themselves. */
	if (n >= 8 && (!memcmp(sample, "#Software:", n < 10 ? n : 10) ||
	               !memcmp(sample, "#Version:", n < 9 ? n : 9) ||
	               !memcmp(sample, "#Fields:", 8) || !memcmp(sample, "#Date:", 6)))
		return FK_LOG_W3C;
	if (n >= 10 && (!memcmp(sample, "#separator", 10) || !memcmp(sample, "#fields\t", 8)))
		return FK_LOG_ZEEK;
	int votes[FK_LOG_COUNT] = {0};
	const char *p = sample, *end = sample + n;
	for (int lines = 0; p < end && lines < 20; lines++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct fk_log_record r;
		if (len && p[0] != '#') {
			votes[FK_LOG_SQUID] += fk_log_parse_squid(p, len, &r);
			votes[FK_LOG_COMBINED] += fk_log_parse_combined(p, len, &r);
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	if (!votes[FK_LOG_SQUID] && !votes[FK_LOG_COMBINED])
		return FK_LOG_AUTO;
	return votes[FK_LOG_SQUID] >= votes[FK_LOG_COMBINED] ? FK_LOG_SQUID : FK_LOG_COMBINED;
}
