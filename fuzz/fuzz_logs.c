/*
 * fuzz_logs.c - libFuzzer target for the log parsers (Squid, combined/common, W3C and Zeek
 * with a header from the input's first line), the URL host
 * extraction, format detection and the targets-file reader. Parsed slices must lie inside
 * the line; a refused targets file must say where.
 */
#include "fukkyu/common.h"
#include "fukkyu/logscan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void inside(struct fk_slice s, const char *p, size_t n)
{
	if (s.n && (s.p < p || s.p + s.n > p + n))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data;
	struct fk_log_record r;
	if (fk_log_parse_squid(p, size, &r)) {
		inside(r.client, p, size), inside(r.url, p, size), inside(fk_log_dest(&r), p, size);
		inside(r.peer, p, size), inside(r.user, p, size), inside(r.method, p, size);
	}
	if (fk_log_parse_combined(p, size, &r)) {
		inside(r.client, p, size), inside(r.url, p, size), inside(fk_log_dest(&r), p, size);
		inside(r.user, p, size), inside(r.method, p, size);
	}
	inside(fk_url_host((struct fk_slice){p, size}), p, size);
	/* Header-driven formats: the first line as the header, the rest as one data line. */
	const char *nl = memchr(p, '\n', size);
	for (int fmt = FK_LOG_W3C; nl && fmt <= FK_LOG_ZEEK; fmt++) {
		struct fk_log_layout l;
		for (int i = 0; i < FK_LF_COUNT; i++)
			l.idx[i] = -1;
		l.columns = 0;
		l.ready = false;
		const char *rest = nl + 1;
		size_t rn = size - (size_t)(rest - p);
		if (fk_log_header(fmt, p, (size_t)(nl - p), &l) &&
		    fk_log_parse_fields(fmt, &l, rest, rn, &r)) {
			inside(r.client, rest, rn), inside(fk_log_dest(&r), rest, rn),
			    inside(r.url, rest, rn);
			inside(r.peer, rest, rn), inside(r.user, rest, rn);
		}
	}
	(void)fk_log_detect(p, size);
	static char empty[1];
	FILE *f = size ? fmemopen((void *)data, size, "rb") : fmemopen(empty, 1, "r");
	if (!f)
		return 0;
	if (!size)
		(void)fgetc(f);
	struct fk_targets *t;
	struct fk_err err;
	if (fk_targets_load(f, "t.txt", &t, &err) == FK_OK) {
		memset(&r, 0, sizeof r);
		r.dest_ = (struct fk_slice){"www.example.com", 15};
		(void)fk_targets_match(t, &r);
		fk_targets_free(t);
	} else if (!err.en[0]) {
		abort();
	}
	fclose(f);
	return 0;
}
