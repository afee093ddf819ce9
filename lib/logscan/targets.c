/*
 * targets.c - the targets file: exact hosts and domain suffixes in hash sets (one probe per
 * label of the destination), addresses and CIDR ranges in a list, URL substrings.
 */
#include "fukkyu/common.h"
#include "fukkyu/logscan.h"
#include "util/hash.h"
#include "util/utf8.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <strings.h>
#include <hs.h>

struct str_set {
	char **slot;
	size_t *len; /* lengths of the slots' strings (no strlen while matching) */
	uint64_t *hash;
	size_t cap, n;
};

struct fk_targets {
	struct str_set hosts, domains;
	struct fk_cidr *nets;
	size_t n_nets;
	char **urls;
	size_t n_urls;
	size_t count;
	hs_database_t *db; /* the literal prefilter, or NULL */
	size_t n_literals; /* in the prefilter */
};

static bool set_has(const struct str_set *s, const char *p, size_t n)
{
	if (!s->n)
		return false;
	uint64_t h = fk_hash_bytes(p, n);
	for (size_t j = h & (s->cap - 1); s->slot[j]; j = (j + 1) & (s->cap - 1))
		if (s->hash[j] == h && s->len[j] == n && !memcmp(s->slot[j], p, n))
			return true;
	return false;
}

static void set_add(struct str_set *s, const char *p, size_t n)
{
	if (set_has(s, p, n))
		return;
	if (2 * (s->n + 1) > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		char **slot = fk_xcalloc(cap, sizeof *slot);
		size_t *len = fk_xcalloc(cap, sizeof *len);
		uint64_t *hash = fk_xcalloc(cap, sizeof *hash);
		for (size_t i = 0; i < s->cap; i++) {
			if (!s->slot[i])
				continue;
			size_t j = s->hash[i] & (cap - 1);
			while (slot[j])
				j = (j + 1) & (cap - 1);
			slot[j] = s->slot[i], len[j] = s->len[i], hash[j] = s->hash[i];
		}
		free(s->slot);
		free(s->len);
		free(s->hash);
		s->slot = slot, s->len = len, s->hash = hash;
		s->cap = cap;
	}
	uint64_t h = fk_hash_bytes(p, n);
	size_t j = h & (s->cap - 1);
	while (s->slot[j])
		j = (j + 1) & (s->cap - 1);
	s->slot[j] = fk_xstrndup(p, n);
	s->len[j] = n;
	s->hash[j] = h;
	s->n++;
}

static void set_free(struct str_set *s)
{
	for (size_t i = 0; i < s->cap; i++)
		free(s->slot[i]);
	free(s->slot);
	free(s->len);
	free(s->hash);
}

bool fk_cidr_parse(const char *s, size_t n, struct fk_cidr *out)
{
	char buf[64];
	const char *slash = memchr(s, '/', n);
	size_t an = slash ? (size_t)(slash - s) : n;
	if (an == 0 || an >= sizeof buf)
		return false;
	memcpy(buf, s, an);
	buf[an] = '\0';
	memset(out, 0, sizeof *out);
	if (inet_pton(AF_INET, buf, out->addr) == 1)
		out->family = 4;
	else if (inet_pton(AF_INET6, buf, out->addr) == 1)
		out->family = 6;
	else
		return false;
	int max = out->family == 4 ? 32 : 128;
	out->bits = max;
	if (slash) {
		const char *b = slash + 1;
		size_t bn = n - an - 1;
		if (!bn || bn > 3)
			return false;
		int bits = 0;
		for (size_t i = 0; i < bn; i++) {
			if (!isdigit((unsigned char)b[i]))
				return false;
			bits = bits * 10 + (b[i] - '0');
		}
		if (bits > max)
			return false;
		out->bits = bits;
	}
	return true;
}

bool fk_cidr_contains(const struct fk_cidr *c, struct fk_slice a)
{
	char buf[64];
	unsigned char addr[16];
	if (!a.n || a.n >= sizeof buf)
		return false;
	memcpy(buf, a.p, a.n);
	buf[a.n] = '\0';
	if (inet_pton(c->family == 4 ? AF_INET : AF_INET6, buf, addr) != 1)
		return false;
	int full = c->bits / 8, rest = c->bits % 8;
	if (memcmp(addr, c->addr, (size_t)full))
		return false;
	if (!rest)
		return true;
	unsigned char mask = (unsigned char)(0xFF << (8 - rest));
	return (addr[full] & mask) == (c->addr[full] & mask);
}

/* A host name: letters, digits, '-', '_' and dots, 1 to 253 bytes. */
static bool host_ok(const char *p, size_t n)
{
	if (!n || n > 253)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)p[i]) && !strchr("-_.", p[i]))
			return false;
	return true;
}

/* The part of a host name that names its organisation: the last two labels
 * ("example.net"), or three under a second-level domain of a country ("example.co.jp"); the
 * whole name when it has no more labels than that. */
static size_t org_suffix(const char *h, size_t n)
{
	static const char *const second[] = {"co", "ne", "or",  "ac",  "go",  "ed",  "gr",
	                                     "lg", "ad", "com", "net", "org", "gov", "edu"};
	size_t dots[3] = {0}, nd = 0; /* the positions of the last three dots */
	for (size_t i = n; i-- > 0 && nd < 3;)
		if (h[i] == '.')
			dots[nd++] = i;
	if (nd < 2)
		return 0;
	size_t labels = 2;
	if (n - dots[0] - 1 == 2) { /* a country's domain: is the label before it generic? */
		size_t sl = dots[0] - dots[1] - 1;
		for (size_t i = 0; i < FK_ARRAY_LEN(second); i++)
			if (strlen(second[i]) == sl && !strncasecmp(h + dots[1] + 1, second[i], sl))
				labels = 3;
	}
	if (nd < labels) /* no label before the suffix: the whole name */
		return 0;
	return dots[labels - 1] + 1;
}

struct lit {
	const char *p;
	size_t n;
	size_t org; /* offset of the organisation's suffix in p (0: the whole) */
};

static int cmp_lit_org(const void *a, const void *b)
{
	const struct lit *x = a, *y = b;
	size_t xn = x->n - x->org, yn = y->n - y->org;
	int c = strncasecmp(x->p + x->org, y->p + y->org, xn < yn ? xn : yn);
	return c ? c : (xn > yn) - (xn < yn);
}

/* Targets of one organisation at least this many share one prefilter literal, its suffix: a
 * literal matcher given fifty names that begin alike ran three times slower than with one
 * (vectorscan, issue 4's benchmark). Lines naming the organisation's other hosts then get
 * parsed and turned down by the exact match, which is the price. */
#define ORG_GROUP 4

/* Compiles the prefilter: a literal per host, domain (or organisation, above) and URL part;
 * none at all when there are address targets (an address need not appear as text). */
static void build_prefilter(struct fk_targets *t)
{
	size_t n = t->hosts.n + t->domains.n, k = 0, nl = 0;
	if (t->n_nets || !(n + t->n_urls) || n + t->n_urls > 100000)
		return;
	struct lit *names = fk_xcalloc(n ? n : 1, sizeof *names);
	const struct str_set *sets[2] = {&t->hosts, &t->domains};
	for (int s = 0; s < 2; s++)
		for (size_t i = 0; i < sets[s]->cap; i++)
			if (sets[s]->slot[i]) {
				names[k].p = sets[s]->slot[i], names[k].n = sets[s]->len[i];
				names[k].org = org_suffix(names[k].p, names[k].n);
				k++;
			}
	qsort(names, n, sizeof *names, cmp_lit_org);
	const char **lit = fk_xcalloc(n + t->n_urls, sizeof *lit);
	size_t *len = fk_xcalloc(n + t->n_urls, sizeof *len);
	unsigned *flags = fk_xcalloc(n + t->n_urls, sizeof *flags);
	unsigned *ids = fk_xcalloc(n + t->n_urls, sizeof *ids);
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && !cmp_lit_org(&names[i], &names[j]); j++)
			;
		bool group = j - i >= ORG_GROUP; /* all of the run end with its suffix */
		for (size_t m = i; m < (group ? i + 1 : j); m++) {
			size_t off = group ? names[m].org : 0;
			lit[nl] = names[m].p + off, len[nl] = names[m].n - off;
			flags[nl++] = HS_FLAG_CASELESS;
		}
	}
	for (size_t i = 0; i < t->n_urls; i++)
		lit[nl] = t->urls[i], len[nl++] = strlen(t->urls[i]);
	hs_compile_error_t *cerr = NULL;
	if (hs_compile_lit_multi(lit, flags, ids, len, (unsigned)nl, HS_MODE_BLOCK, NULL, &t->db,
	                         &cerr) != HS_SUCCESS) {
		t->db = NULL; /* no prefilter: every line is parsed, as without one */
		hs_free_compile_error(cerr);
	}
	t->n_literals = nl;
	free(names);
	free(lit);
	free(len);
	free(flags);
	free(ids);
}

size_t fk_targets_literals(const struct fk_targets *t)
{
	return t && t->db ? t->n_literals : 0;
}

bool fk_targets_prefilter(const struct fk_targets *t)
{
	return t && t->db;
}

void *fk_targets_scratch(const struct fk_targets *t)
{
	hs_scratch_t *s = NULL;
	if (hs_alloc_scratch(t->db, &s) != HS_SUCCESS)
		abort();
	return s;
}

void fk_targets_scratch_free(void *scratch)
{
	hs_free_scratch(scratch);
}

struct hit_ctx {
	int (*on_hit)(size_t end, void *ctx);
	void *ctx;
};

static int on_match(unsigned id, unsigned long long from, unsigned long long to, unsigned flags,
                    void *vctx)
{
	(void)id, (void)from, (void)flags;
	struct hit_ctx *h = vctx;
	return h->on_hit((size_t)to, h->ctx);
}

void fk_targets_scan(const struct fk_targets *t, void *scratch, const char *data, size_t n,
                     int (*on_hit)(size_t end, void *ctx), void *ctx)
{
	struct hit_ctx h = {on_hit, ctx};
	(void)hs_scan(t->db, data, (unsigned)n, 0, scratch, on_match, &h);
}

enum fk_code fk_targets_load(FILE *f, const char *origin, struct fk_targets **out,
                             struct fk_err *err)
{
	struct fk_targets *t = fk_xcalloc(1, sizeof *t);
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long lineno = 0;
	enum fk_code rc = FK_OK;
	while (!rc && (len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		char *p = line;
		size_t n = (size_t)len;
		while (n && (p[n - 1] == '\n' || p[n - 1] == '\r' || p[n - 1] == ' ' ||
		             p[n - 1] == '\t'))
			n--;
		while (n && (*p == ' ' || *p == '\t'))
			p++, n--;
		if (!n || *p == '#')
			continue;
		char where[600];
		snprintf(where, sizeof where, "%.500s:%ld", origin, lineno);
		if (n > 1000 || memchr(p, '\0', n) || !fk_utf8_valid(p, n)) {
			rc = FK_ERR(
			    err, FK_EINVAL, where,
			    "%s: not a target: expected a host, *.domain, an address, a CIDR "
			    "range or url:TEXT on one line of text",
			    "%s: 対象として読めません: "
			    "ホスト名、*.ドメイン、アドレス、CIDR、url:文字列 "
			    "のいずれかを1行で指定してください",
			    where);
			break;
		}
		bool is_url = n > 4 && !strncmp(p, "url:", 4);
		for (size_t i = 0; i < n && !is_url; i++) /* hosts compare case-insensitively */
			p[i] = (char)tolower((unsigned char)p[i]);
		struct fk_cidr c;
		if (is_url) {
			t->urls = fk_xrealloc(t->urls, (t->n_urls + 1) * sizeof *t->urls);
			t->urls[t->n_urls++] = fk_xstrndup(p + 4, n - 4);
		} else if (n > 2 && p[0] == '*' && p[1] == '.' && host_ok(p + 2, n - 2)) {
			set_add(&t->domains, p + 2, n - 2);
		} else if (fk_cidr_parse(p, n, &c)) {
			t->nets = fk_xrealloc(t->nets, (t->n_nets + 1) * sizeof *t->nets);
			t->nets[t->n_nets++] = c;
		} else if (memchr(p, '/', n) || (memchr(p, ':', n) && !memchr(p, '.', n))) {
			rc = FK_ERR(
			    err, FK_EINVAL, where,
			    "%s: '%.*s' is not an address or CIDR range: expected e.g. 10.0.0.0/8 "
			    "or 2001:db8::/32",
			    "%s: '%.*s' はアドレスや CIDR として読めません: 例 10.0.0.0/8、"
			    "2001:db8::/32",
			    where, (int)(n > 100 ? 100 : n), p);
			break;
		} else if (host_ok(p, n)) {
			while (n && p[n - 1] == '.')
				n--;
			set_add(&t->hosts, p, n);
		} else {
			rc = FK_ERR(
			    err, FK_EINVAL, where,
			    "%s: '%.*s' is not a target: expected a host name, *.domain, an "
			    "address, a CIDR range or url:TEXT",
			    "%s: '%.*s' は対象として読めません: ホスト名、*.ドメイン、アドレス、"
			    "CIDR、url:文字列 のいずれかを指定してください",
			    where, (int)(n > 100 ? 100 : n), p);
			break;
		}
		t->count++;
	}
	free(line);
	if (!rc && ferror(f))
		rc = FK_ERR(err, FK_EIO, origin, "cannot read '%s'", "'%s' を読めません", origin);
	if (rc) {
		fk_targets_free(t);
		return rc;
	}
	build_prefilter(t);
	*out = t;
	return FK_OK;
}

void fk_targets_each(const struct fk_targets *t,
                     void (*fn)(void *ctx, const char *kind, const char *value), void *ctx)
{
	const struct str_set *sets[2] = {&t->hosts, &t->domains};
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < sets[k]->cap; i++)
			if (sets[k]->slot[i])
				fn(ctx, k ? "domain" : "host", sets[k]->slot[i]);
	for (size_t i = 0; i < t->n_nets; i++) {
		char addr[INET6_ADDRSTRLEN], text[INET6_ADDRSTRLEN + 8];
		const struct fk_cidr *c = &t->nets[i];
		if (!inet_ntop(c->family == 4 ? AF_INET : AF_INET6, c->addr, addr, sizeof addr))
			continue;
		bool single = c->bits == (c->family == 4 ? 32 : 128);
		snprintf(text, sizeof text, single ? "%s" : "%s/%d", addr, c->bits);
		fn(ctx,
		   c->family == 4 ? (single ? "ipv4" : "ipv4-net") : (single ? "ipv6" : "ipv6-net"),
		   text);
	}
	for (size_t i = 0; i < t->n_urls; i++)
		fn(ctx, "url", t->urls[i]);
}

void fk_targets_free(struct fk_targets *t)
{
	if (!t)
		return;
	set_free(&t->hosts);
	set_free(&t->domains);
	free(t->nets);
	for (size_t i = 0; i < t->n_urls; i++)
		free(t->urls[i]);
	free(t->urls);
	if (t->db)
		hs_free_database(t->db);
	free(t);
}

size_t fk_targets_count(const struct fk_targets *t)
{
	return t->count;
}

bool fk_targets_match(const struct fk_targets *t, struct fk_log_record *r)
{
	struct fk_slice dest = fk_log_dest(r);
	char host[256];
	size_t n = dest.n < sizeof host ? dest.n : 0;
	for (size_t i = 0; i < n; i++)
		host[i] = (char)tolower((unsigned char)dest.p[i]);
	if (n && (set_has(&t->hosts, host, n) || set_has(&t->domains, host, n)))
		return true;
	for (size_t i = 0; i < n && t->domains.n; i++)
		if (host[i] == '.' && set_has(&t->domains, host + i + 1, n - i - 1))
			return true;
	for (size_t i = 0; i < t->n_nets; i++)
		if (fk_cidr_contains(&t->nets[i], dest) || fk_cidr_contains(&t->nets[i], r->peer))
			return true;
	for (size_t i = 0; i < t->n_urls; i++) {
		size_t un = strlen(t->urls[i]);
		for (size_t k = 0; r->url.n >= un && k + un <= r->url.n; k++)
			if (!memcmp(r->url.p + k, t->urls[i], un))
				return true;
	}
	return false;
}
