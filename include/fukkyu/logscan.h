/*
 * logscan.h - root-cause log analysis: parse proxy and web server logs, match destinations
 * against a targets file, filter, and group (source document phase 3, case study 1: "who
 * inside reached the complaining company, and did anyone reach others?").
 *
 * Parsing is zero-copy: a record's fields are slices of the line being scanned.
 */
#ifndef FK_LOGSCAN_H
#define FK_LOGSCAN_H

#include "fukkyu/common.h"
#include "util/buf.h"
#include "util/err.h"

struct fk_slice {
	const char *p;
	size_t n;
};

enum fk_log_format {
	FK_LOG_AUTO,
	FK_LOG_SQUID,
	FK_LOG_COMBINED,
	FK_LOG_W3C,
	FK_LOG_ZEEK,
	FK_LOG_COUNT
};
extern const char *const fk_log_formats[FK_LOG_COUNT];

/* One parsed line. The destination host or address (fk_log_dest: lower-case not
 * guaranteed, compare case-insensitively) is without user-info, port or trailing dot; peer
 * is the server address the proxy contacted when the format has one (else empty). */
struct fk_log_record {
	int64_t time; /* seconds since the epoch, UTC */
	struct fk_slice client, user, method, url, peer;
	struct fk_slice dest_; /* read it with fk_log_dest */
	bool dest_from_url;    /* dest_ is still to be taken from url (a Squid line) */
	int status;            /* HTTP status, 0 when none */
	int64_t bytes;         /* -1 when unknown */
};

/* The destination of r, taken from its URL on first use: a scan that neither groups by
 * destination nor has targets never needs it (8 % of a full Squid scan). */
struct fk_slice fk_log_dest(struct fk_log_record *r);

/* Parse one line (without its newline); false when the line is malformed. */
bool fk_log_parse_squid(const char *line, size_t n, struct fk_log_record *r);
/* Apache/nginx combined or common, with an optional vhost_combined "host:port " prefix. */
bool fk_log_parse_combined(const char *line, size_t n, struct fk_log_record *r);
/*
 * Header-driven formats: W3C extended (#Fields:, values separated by spaces, "quoted"
 * values allowed, '-' empty) and Zeek TSV (#fields, tab-separated, '-' unset). A header line
 * (starting with '#') updates the layout, also in the middle of a file.
 */
enum {
	FK_LF_DATE,
	FK_LF_TIME,
	FK_LF_TS,
	FK_LF_CLIENT,
	FK_LF_USER,
	FK_LF_METHOD,
	FK_LF_STEM,
	FK_LF_QUERY,
	FK_LF_HOST,
	FK_LF_PORT,
	FK_LF_SERVER,
	FK_LF_STATUS,
	FK_LF_BYTES,
	FK_LF_SNI,
	FK_LF_COUNT
};
struct fk_log_layout {
	int idx[FK_LF_COUNT]; /* column of each field, -1 when absent */
	int columns;
	bool ready; /* a #Fields / #fields header was seen */
};
/* Reads a header line into the layout; false when it is not a fields header. */
bool fk_log_header(int format, const char *line, size_t n, struct fk_log_layout *l);
/* Parses a data line with the layout (which must be ready). */
bool fk_log_parse_fields(int format, const struct fk_log_layout *l, const char *line, size_t n,
                         struct fk_log_record *r);

/* The format of a sample of lines (FK_LOG_AUTO when none fits). */
int fk_log_detect(const char *sample, size_t n);

/* The destination of a URL: host without scheme, user-info, port or trailing dot;
 * "host:port" (CONNECT) gives host. */
struct fk_slice fk_url_host(struct fk_slice url);

/* ---- targets ------------------------------------------------------------------------ */

struct fk_targets;
/*
 * Reads a targets file: one target per line, '#' comments and blank lines ignored:
 * host names (exact), "*.example.com" (the domain and every subdomain), IPv4 and IPv6
 * addresses, CIDR ranges, and "url:SUBSTRING". A bad line is refused naming file:line.
 */
enum fk_code fk_targets_load(FILE *f, const char *origin, struct fk_targets **out,
                             struct fk_err *err) FK_WUR;
void fk_targets_free(struct fk_targets *t);
/* Calls fn with each target: kind "host", "domain" (for *.domain, without the "*."),
 * "ipv4", "ipv6", "ipv4-net", "ipv6-net" (CIDR text) or "url" (the substring). */
void fk_targets_each(const struct fk_targets *t,
                     void (*fn)(void *ctx, const char *kind, const char *value), void *ctx);
size_t fk_targets_count(const struct fk_targets *t);
/*
 * A literal prefilter over raw text (vectorscan), built when every target is a host, a
 * domain or a URL part: a line that contains none of them cannot match, so it need not be
 * parsed. Returns false when the targets need every line parsed (addresses, CIDR ranges).
 */
/* How many literals the prefilter looks for (0 without a prefilter). */
size_t fk_targets_literals(const struct fk_targets *t);
bool fk_targets_prefilter(const struct fk_targets *t);
/* Calls on_hit with the end offset of every literal occurrence in data; on_hit returns 0
 * to go on. scratch comes from fk_targets_scratch (free with fk_targets_scratch_free). */
void *fk_targets_scratch(const struct fk_targets *t);
void fk_targets_scratch_free(void *scratch);
void fk_targets_scan(const struct fk_targets *t, void *scratch, const char *data, size_t n,
                     int (*on_hit)(size_t end, void *ctx), void *ctx);
/* True when the record's destination, peer address or URL matches a target. */
bool fk_targets_match(const struct fk_targets *t, struct fk_log_record *r);

/* An address or CIDR range ("10.0.0.0/8", "2001:db8::/32", "10.2.3.4"). */
struct fk_cidr {
	unsigned char addr[16];
	int family; /* 4 or 6 */
	int bits;
};
bool fk_cidr_parse(const char *s, size_t n, struct fk_cidr *out);
/* True when the text address a falls inside c. */
bool fk_cidr_contains(const struct fk_cidr *c, struct fk_slice a);

/* ---- input: plain, .gz, .zst (by their first bytes) ------------------------------------ */

struct fk_reader {
	FILE *f;
	const char *origin;
	unsigned char *in;
	size_t in_len, in_pos;
	int kind;
	bool started, mid_stream;
	void *z;   /* zlib stream */
	void *zs;  /* zstd stream */
	void *sha; /* SHA-256 of the raw bytes, when asked for (fk_reader_hash) */
	int64_t raw_bytes;
	void *pipe; /* a decompression thread feeding blocks (compressed inputs), or NULL */
};
/* Hashes the raw bytes read from now on (call before the first read). */
void fk_reader_hash(struct fk_reader *r);
/* The SHA-256 of the raw bytes as 64 hex digits (after the last read). */
void fk_reader_digest(struct fk_reader *r, char out[static 65]);
void fk_reader_init(struct fk_reader *r, FILE *f, const char *origin);
/* Reads up to cap decompressed bytes; *got is 0 at the end. A truncated compressed file is
 * an error, not an early end. */
enum fk_code fk_reader_read(struct fk_reader *r, char *out, size_t cap, size_t *got,
                            struct fk_err *err) FK_WUR;
void fk_reader_release(struct fk_reader *r);

/* ---- a scan ------------------------------------------------------------------------- */

enum {
	FK_GROUP_CLIENT = 1,
	FK_GROUP_USER = 2,
	FK_GROUP_DEST = 4,
	FK_GROUP_HOUR = 8,
	FK_GROUP_DAY = 16,
};
/* Parses "client,dest" into FK_GROUP_* bits. */
enum fk_code fk_group_parse(const char *s, unsigned *out, struct fk_err *err) FK_WUR;

struct fk_scan_query {
	int format;                       /* FK_LOG_*; AUTO detects from the first lines */
	const struct fk_targets *targets; /* NULL: every line */
	bool has_client;
	struct fk_cidr client;
	const char *user; /* NULL: any */
	const char *method;
	int status;       /* 0: any */
	int64_t from, to; /* FK_TIME_NONE: open */
	unsigned group;   /* FK_GROUP_* */
	bool hash_files;  /* record each file's size and SHA-256 (for evidence) */
	bool strict;      /* a malformed line is an error (file:line), not a count */
};

struct fk_scan_group {
	char *key[5]; /* client, user, dest, hour, day (NULL when not grouped) */
	int64_t count, bytes;
	int64_t first, last;
};

#define FK_SCAN_MALFORMED_SHOWN 5

struct fk_scan_file_info {
	char *name;
	int64_t size;
	char sha256[65];
};

struct fk_scan_result {
	int64_t lines, matched, malformed;
	struct fk_scan_file_info *files; /* with query hash_files */
	size_t n_files;
	int format;                 /* the format used (detected or given) */
	struct fk_buf malformed_at; /* "file:line" of the first few malformed lines */
	int malformed_shown;        /* how many malformed_at holds */
	struct fk_scan_group *groups;
	size_t n_groups;
	void *table; /* the group hash table while scanning */
};
void fk_scan_result_init(struct fk_scan_result *r);
void fk_scan_result_release(struct fk_scan_result *r);

/* Scans f (named origin) into r; may be called for several files in order. Lines longer
 * than 1 MiB count as malformed. */
enum fk_code fk_scan_file(const struct fk_scan_query *q, FILE *f, const char *origin,
                          struct fk_scan_result *r, struct fk_err *err) FK_WUR;
/* Ends a scan: the groups sorted by count descending, then key. */
void fk_scan_finish(struct fk_scan_result *r, unsigned group);

#endif
