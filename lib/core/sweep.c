/*
 * sweep.c - inventory import, the company-wide sweep, countermeasures and their rollout.
 */
#include "fukkyu/common.h"
#include "util/ident.h"
#include "core_int.h"
#include "fukkyu/sweep.h"
#include "util/csv.h"
#include "util/hash.h"
#include "util/time.h"
#include "util/utf8.h"

#include <arpa/inet.h>
#include <sys/stat.h>
#include <jansson.h>

#define FIELD_MAX 1000 /* bytes per inventory field */

static void report_init(struct fk_import_report *r)
{
	memset(r, 0, sizeof *r);
	fk_buf_init(&r->errors_en, 0);
	fk_buf_init(&r->errors_ja, 0);
}

void fk_import_report_release(struct fk_import_report *r)
{
	fk_buf_release(&r->errors_en);
	fk_buf_release(&r->errors_ja);
	report_init(r);
}

/* Adds one error line "origin:line:column: what" in each language. */
void fk_core_report_error(struct fk_import_report *r, const char *origin, long line, int column,
                          const char *en, const char *ja)
{
	if (r->n_errors++ >= FK_IMPORT_MAX_ERRORS)
		return;
	(void)fk_buf_addf(&r->errors_en, "%s:%ld:%d: %s\n", origin, line, column, en);
	(void)fk_buf_addf(&r->errors_ja, "%s:%ld:%d: %s\n", origin, line, column, ja);
}

enum fk_code fk_core_finish(struct fk_ctx *c, enum fk_code rc, struct fk_err *err)
{
	if (!rc)
		return fk_store_commit(c->st, err);
	fk_store_rollback(c->st);
	return rc;
}

/* ---- a set of names seen in one file (duplicate detection without a database round trip) */

struct name_set {
	struct {
		uint64_t hash;
		long line;
	} * slot;
	size_t cap, n;
	int backup_col; /* the file's backup_of column, for errors found after the rows */
};

static uint64_t hash_name(const char *s)
{
	uint64_t h = fk_hash_bytes(s, strlen(s));
	return h ? h : 1; /* 0 marks an empty slot */
}

/* The line name was seen on, or 0. */
static long name_set_find(const struct name_set *s, const char *name)
{
	uint64_t h = hash_name(name);
	for (size_t j = s->cap ? h & (s->cap - 1) : 0; s->cap && s->slot[j].hash;
	     j = (j + 1) & (s->cap - 1))
		if (s->slot[j].hash == h)
			return s->slot[j].line;
	return 0;
}

/* Returns the line the name was first seen on, or 0 after adding it. A 64-bit hash: two
 * different names collide with probability about n^2 / 2^65 (3e-8 for a million). */
static long name_set_add(struct name_set *s, const char *name, long line)
{
	if (2 * (s->n + 1) > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1024;
		__typeof__(s->slot) slot = fk_xcalloc(cap, sizeof *slot);
		for (size_t i = 0; i < s->cap; i++) {
			if (!s->slot[i].hash)
				continue;
			size_t j = s->slot[i].hash & (cap - 1);
			while (slot[j].hash)
				j = (j + 1) & (cap - 1);
			slot[j] = s->slot[i];
		}
		free(s->slot);
		s->slot = slot;
		s->cap = cap;
	}
	uint64_t h = hash_name(name);
	size_t j = h & (s->cap - 1);
	for (; s->slot[j].hash; j = (j + 1) & (s->cap - 1))
		if (s->slot[j].hash == h)
			return s->slot[j].line;
	s->slot[j].hash = h;
	s->slot[j].line = line;
	s->n++;
	return 0;
}

/* ---- one inventory row ------------------------------------------------------------------ */

static bool parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = {"true", "yes", "1", "TRUE", "Yes", "YES", "True"};
	static const char *const no[] = {"false", "no", "0", "FALSE", "No", "NO", "False", ""};
	for (size_t i = 0; i < FK_ARRAY_LEN(yes); i++)
		if (!strcmp(v, yes[i]))
			return *out = true;
	for (size_t i = 0; i < FK_ARRAY_LEN(no); i++)
		if (!strcmp(v, no[i]))
			return !(*out = false);
	return false;
}

/*
 * Validates vals (by column; NULL when absent) into a; errors go to r with the column
 * number of each field (colno[i], 0 when absent). Returns true when the row is good.
 * a's texts are borrowed from vals (no copies: a million rows would mean 13 million
 * allocations): do not release a.
 */
static bool check_row(const char *origin, long line, const char *const vals[FK_ACOL_COUNT],
                      const int colno[FK_ACOL_COUNT], struct fk_asset *a,
                      struct fk_import_report *r)
{
	size_t before = r->n_errors;
	char en[512], ja[512];
	memset(a, 0, sizeof *a);
	a->role = FK_AROLE_OTHER;
	for (int i = 0; i < FK_ACOL_COUNT; i++)
		a->present |= colno[i] ? 1u << i : 0;
	for (int i = 0; i < FK_ACOL_COUNT; i++) {
		const char *v = vals[i];
		if (!v || !*v)
			continue;
		struct fk_err e;
		if (strlen(v) > FIELD_MAX || fk_text_check(v, fk_asset_cols[i], &e) ||
		    strpbrk(v, "\n\t")) {
			snprintf(
			    en, sizeof en,
			    "%s: not a one-line UTF-8 text of at most %d bytes without control "
			    "characters",
			    fk_asset_cols[i], FIELD_MAX);
			snprintf(
			    ja, sizeof ja,
			    "%s: 制御文字を含まない %d バイト以内の1行の UTF-8 テキストが必要です",
			    fk_asset_cols[i], FIELD_MAX);
			fk_core_report_error(r, origin, line, colno[i], en, ja);
			continue;
		}
		a->col[i] = (char *)v;
	}
	/* A missing name column was reported once at the header; a bad name above already. */
	bool name_given = vals[FK_ACOL_NAME] && *vals[FK_ACOL_NAME];
	if (!a->col[FK_ACOL_NAME] && colno[FK_ACOL_NAME] && !name_given)
		fk_core_report_error(r, origin, line, colno[FK_ACOL_NAME],
		                     "name: missing: every asset needs a unique name",
		                     "name: ありません: 資産には一意の名前が必要です");
	const char *ip = a->col[FK_ACOL_IP];
	unsigned char addr[16];
	if (ip && inet_pton(AF_INET, ip, addr) != 1 && inet_pton(AF_INET6, ip, addr) != 1) {
		snprintf(en, sizeof en, "ip: '%.200s' is not an IPv4 or IPv6 address", ip);
		snprintf(ja, sizeof ja, "ip: '%.200s' は IPv4/IPv6 アドレスではありません", ip);
		fk_core_report_error(r, origin, line, colno[FK_ACOL_IP], en, ja);
	}
	const char *role = a->col[FK_ACOL_ROLE];
	if (role && fk_enum_parse(fk_asset_roles, FK_AROLE_COUNT, role, "role", &a->role, NULL)) {
		snprintf(en, sizeof en, "role: '%.200s': expected server, client, network or other",
		         role);
		snprintf(ja, sizeof ja,
		         "role: '%.200s': server, client, network, other のいずれかが必要です",
		         role);
		fk_core_report_error(r, origin, line, colno[FK_ACOL_ROLE], en, ja);
	}
	const char *crit = a->col[FK_ACOL_CRITICALITY];
	int sev;
	if (crit && fk_enum_parse(fk_severities, FK_SEV_COUNT, crit, "criticality", &sev, NULL)) {
		snprintf(en, sizeof en,
		         "criticality: '%.200s': expected low, medium, high or critical", crit);
		snprintf(ja, sizeof ja,
		         "criticality: '%.200s': low, medium, high, critical のいずれかが必要です",
		         crit);
		fk_core_report_error(r, origin, line, colno[FK_ACOL_CRITICALITY], en, ja);
	}
	const char *spare = a->col[FK_ACOL_SPARE] ? a->col[FK_ACOL_SPARE] : "";
	if (!parse_bool(spare, &a->spare)) {
		snprintf(en, sizeof en,
		         "spare: '%.200s' is not a boolean: expected true/false, "
		         "yes/no or 1/0",
		         spare);
		snprintf(ja, sizeof ja,
		         "spare: '%.200s' は真偽値ではありません: true/false, yes/no, "
		         "1/0 のいずれかが必要です",
		         spare);
		fk_core_report_error(r, origin, line, colno[FK_ACOL_SPARE], en, ja);
	}
	a->col[FK_ACOL_SPARE] = NULL;
	return r->n_errors == before;
}

/* Checks a row, detects duplicates and writes it while the file is still clean. */
static enum fk_code take_row(struct fk_ctx *c, const char *origin, long line,
                             const char *const vals[FK_ACOL_COUNT], const int colno[FK_ACOL_COUNT],
                             struct name_set *seen, struct fk_import_report *r, struct fk_err *err)
{
	struct fk_asset a;
	enum fk_code rc = FK_OK;
	r->rows++;
	bool good = check_row(origin, line, vals, colno, &a, r);
	long first = a.col[FK_ACOL_NAME] ? name_set_add(seen, a.col[FK_ACOL_NAME], line) : 0;
	if (first) {
		char en[512], ja[512];
		snprintf(en, sizeof en,
		         "name: '%.200s' also appears on line %ld: names must be unique",
		         a.col[FK_ACOL_NAME], first);
		snprintf(ja, sizeof ja,
		         "name: '%.200s' は %ld 行目にもあります: 名前は一意にしてください",
		         a.col[FK_ACOL_NAME], first);
		fk_core_report_error(r, origin, line, colno[FK_ACOL_NAME], en, ja);
		good = false;
	}
	if (good && !r->n_errors) {
		bool inserted;
		rc = fk_store_asset_upsert(c->st, &a, &inserted, err);
		r->inserted += inserted;
		r->updated += !inserted;
	}
	return rc; /* a borrows from vals: nothing to release */
}

static enum fk_code import_csv(struct fk_ctx *c, FILE *f, const char *origin, struct name_set *seen,
                               struct fk_import_report *r, struct fk_err *err)
{
	struct fk_csv csv;
	bool got;
	int map[FK_CSV_MAX_FIELDS]; /* csv column -> asset column */
	int colno[FK_ACOL_COUNT] = {0};
	size_t ncols = 0;
	fk_csv_init(&csv, f, origin);
	enum fk_code rc = fk_csv_next(&csv, &got, err);
	if (!rc && !got)
		rc = FK_ERR(
		    err, FK_EINVAL, origin,
		    "%s: the file is empty: expected a header row (name,ip,os,...) and assets",
		    "%s: ファイルが空です: 見出し行 (name,ip,os,...) と資産の行が必要です", origin);
	if (!rc) {
		ncols = csv.n;
		for (size_t i = 0; i < ncols; i++) {
			const char *h = fk_csv_field(&csv, i);
			map[i] = -1;
			for (int k = 0; k < FK_ACOL_COUNT; k++)
				if (!strcmp(h, fk_asset_cols[k]))
					map[i] = k;
			char en[512], ja[512];
			if (map[i] < 0) {
				snprintf(
				    en, sizeof en,
				    "unknown column '%.100s': expected name, ip, os, os_version, "
				    "software, department, owner, role, criticality, location, "
				    "spare, "
				    "backup_of, tags",
				    h);
				snprintf(
				    ja, sizeof ja,
				    "列 '%.100s' は不明です: 使える列は name, ip, os, "
				    "os_version, software, department, owner, role, criticality, "
				    "location, spare, backup_of, tags",
				    h);
				fk_core_report_error(r, origin, 1, (int)i + 1, en, ja);
			} else if (colno[map[i]]) {
				snprintf(en, sizeof en, "column '%s' appears twice", h);
				snprintf(ja, sizeof ja, "列 '%s' が2回あります", h);
				fk_core_report_error(r, origin, 1, (int)i + 1, en, ja);
			} else {
				colno[map[i]] = (int)i + 1;
			}
		}
		if (!colno[FK_ACOL_NAME])
			fk_core_report_error(r, origin, 1, 1, "no 'name' column: it is required",
			                     "'name' 列がありません: 必須です");
		seen->backup_col = colno[FK_ACOL_BACKUP_OF];
	}
	/* One loop: rows are written while the file is clean; after the first error they are
	 * only checked, so that every error is counted (and the first 50 listed). */
	while (!rc && !(rc = fk_csv_next(&csv, &got, err)) && got) {
		if (csv.n == 1 && !fk_csv_len(&csv, 0))
			continue; /* a blank line */
		const char *vals[FK_ACOL_COUNT] = {0};
		if (csv.n != ncols) {
			char en[256], ja[256];
			snprintf(en, sizeof en, "%zu fields, expected %zu as in the header", csv.n,
			         ncols);
			snprintf(ja, sizeof ja,
			         "フィールドが %zu 個です: 見出しと同じ %zu 個が必要です", csv.n,
			         ncols);
			fk_core_report_error(r, origin, csv.line,
			                     (int)(csv.n < ncols ? csv.n : ncols), en, ja);
			r->rows++;
			continue;
		}
		bool nul = false;
		for (size_t i = 0; i < csv.n; i++) {
			nul = nul || memchr(fk_csv_field(&csv, i), '\0', fk_csv_len(&csv, i));
			if (map[i] >= 0)
				vals[map[i]] = fk_csv_field(&csv, i);
		}
		if (nul) {
			fk_core_report_error(
			    r, origin, csv.line, 1, "a NUL byte: this is not a text file",
			    "NUL バイトがあります: テキストファイルではありません");
			continue;
		}
		rc = take_row(c, origin, csv.line, vals, colno, seen, r, err);
	}
	fk_csv_release(&csv);
	return rc;
}

static enum fk_code import_jsonl(struct fk_ctx *c, FILE *f, const char *origin,
                                 struct name_set *seen, struct fk_import_report *r,
                                 struct fk_err *err)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long lineno = 0;
	enum fk_code rc = FK_OK;
	int colno[FK_ACOL_COUNT]; /* per line: 1 for the keys it has (errors say column 1) */
	while (!rc && (len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		if (len == 0 || (len == 1 && line[0] == '\n'))
			continue;
		if ((size_t)len > FK_CSV_MAX_RECORD) {
			fk_core_report_error(r, origin, lineno, 1, "the line is longer than 1 MiB",
			                     "行が 1 MiB を超えています");
			continue;
		}
		json_error_t je;
		json_t *o = json_loadb(line, (size_t)len, JSON_REJECT_DUPLICATES, &je);
		char en[512], ja[512];
		if (!o || !json_is_object(o)) {
			snprintf(en, sizeof en, "not a JSON object: %s",
			         o ? "another JSON value" : je.text);
			snprintf(ja, sizeof ja, "JSON オブジェクトではありません: %s",
			         o ? "別の JSON 値" : je.text);
			fk_core_report_error(r, origin, lineno, o || je.column < 1 ? 1 : je.column,
			                     en, ja);
			json_decref(o);
			continue;
		}
		const char *vals[FK_ACOL_COUNT] = {0};
		char *owned[FK_ACOL_COUNT] = {0};
		memset(colno, 0, sizeof colno);
		colno[FK_ACOL_NAME] = 1;
		const char *k;
		json_t *v;
		bool ok = true;
		json_object_foreach(o, k, v)
		{
			int col = -1;
			for (int i = 0; i < FK_ACOL_COUNT; i++)
				if (!strcmp(k, fk_asset_cols[i]))
					col = i;
			if (col < 0 || !(json_is_string(v) || json_is_boolean(v) ||
			                 json_is_integer(v) || json_is_null(v))) {
				snprintf(
				    en, sizeof en,
				    col < 0 ? "unknown key '%.100s': expected the inventory columns"
				            : "'%.100s' must be a string, a boolean or null",
				    k);
				snprintf(
				    ja, sizeof ja,
				    col < 0
				        ? "キー '%.100s' は不明です: 資産台帳の列名が必要です"
				        : "'%.100s' は文字列・真偽値・null のいずれかが必要です",
				    k);
				fk_core_report_error(r, origin, lineno, 1, en, ja);
				ok = false;
				continue;
			}
			colno[col] = 1;
			if (json_is_string(v))
				vals[col] = json_string_value(v);
			else if (json_is_boolean(v))
				vals[col] = json_is_true(v) ? "true" : "false";
			else if (json_is_integer(v)) {
				char num[32];
				snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
				vals[col] = owned[col] = fk_xstrdup(num);
			}
		}
		if (ok)
			rc = take_row(c, origin, lineno, vals, colno, seen, r, err);
		for (int i = 0; i < FK_ACOL_COUNT; i++)
			free(owned[i]);
		json_decref(o);
	}
	free(line);
	if (!rc && ferror(f))
		rc = FK_ERR(err, FK_EIO, origin, "cannot read '%s'", "'%s' を読めません", origin);
	return rc;
}

struct dangling_ctx {
	const struct name_set *seen;
	struct fk_import_report *r;
	const char *origin;
};

/* Reports a backup_of naming no asset at the row that wrote it. */
static void report_dangling(void *vctx, const char *name, const char *backup_of)
{
	struct dangling_ctx *d = vctx;
	char en[512], ja[512];
	long line = name_set_find(d->seen, name);
	snprintf(en, sizeof en,
	         "backup_of: '%.200s' (of '%.100s') names no asset of the inventory: expected the "
	         "name of an asset in this file or already imported",
	         backup_of, name);
	snprintf(
	    ja, sizeof ja,
	    "backup_of: '%.200s' ('%.100s' の) は資産台帳にありません: このファイルか取り込み済み"
	    "の資産の名前が必要です",
	    backup_of, name);
	fk_core_report_error(d->r, d->origin, line ? line : 1,
	                     d->seen->backup_col ? d->seen->backup_col : 1, en, ja);
}

enum fk_code fk_asset_import(struct fk_ctx *c, FILE *f, const char *origin, int format,
                             struct fk_import_report *r, struct fk_err *err)
{
	struct name_set seen = {0};
	report_init(r);
	enum fk_code rc = fk_store_begin(c->st, c->actor, c->now, err);
	if (rc)
		return rc;
	/* A large file (over 16 MiB: ~150,000 assets) is imported in bulk mode. */
	struct stat sb;
	bool bulk = !fstat(fileno(f), &sb) && S_ISREG(sb.st_mode) && sb.st_size > (16 << 20);
	if (bulk)
		rc = fk_store_asset_bulk(c->st, true, err);
	if (!rc)
		rc = format == FK_IMPORT_JSONL ? import_jsonl(c, f, origin, &seen, r, err)
		                               : import_csv(c, f, origin, &seen, r, err);
	if (!rc && bulk && !r->n_errors)
		rc = fk_store_asset_bulk(c->st, false, err);
	if (!rc && !r->n_errors && !r->rows)
		fk_core_report_error(r, origin, 1, 1, "no assets in the file",
		                     "ファイルに資産がありません");
	if (!rc && !r->n_errors) {
		/* backup_of must name an asset of the inventory (this file or earlier ones). */
		struct dangling_ctx d = {&seen, r, origin};
		rc = fk_store_asset_dangling(c->st, report_dangling, &d, err);
	}
	free(seen.slot); /* after the check above: it reports each error at its row */
	if (!rc && r->n_errors)
		rc = FK_ERR(err, FK_EINVAL, origin,
		            "%s: %zu error(s), nothing was imported (the errors are listed above)",
		            "%s: エラー %zu 件のため何も取り込んでいません (エラーは上に表示)",
		            origin, r->n_errors);
	if (!rc && r->updated)
		rc = fk_store_sweep_sync(c->st, err);
	if (!rc) {
		char what[96];
		snprintf(what, sizeof what, "%lld rows (%lld new, %lld updated)",
		         (long long)r->rows, (long long)r->inserted, (long long)r->updated);
		rc = fk_store_note_change(c->st, 0, "inventory", "import", what, err);
	}
	return fk_core_finish(c, rc, err);
}

/* ---- incident assets and the sweep ------------------------------------------------------ */

/* Begins a transaction on an incident that is not closed (a closed incident's sweep and
 * rollout are its record: reopen it to change them). */
enum fk_code fk_core_begin_open(struct fk_ctx *c, const char *id, struct fk_incident *inc,
                                struct fk_err *err)
{
	enum fk_code rc = fk_store_begin(c->st, c->actor, c->now, err);
	if (!rc && (rc = fk_store_incident_find(c->st, id, inc, err)))
		fk_store_rollback(c->st);
	else if (!rc && inc->state == FK_STATE_CLOSED) {
		rc = FK_ERR(
		    err, FK_EREFUSED, "state",
		    "%s is closed: reopen it first ('fukkyu incident advance %s --to reopened')",
		    "%s は完了しています: 先に再開してください ('fukkyu incident advance %s --to "
		    "reopened')",
		    inc->ref, inc->ref);
		fk_store_rollback(c->st);
		fk_incident_release(inc);
	}
	return rc;
}

enum fk_code fk_incident_assets_add(struct fk_ctx *c, const char *id, char *const *names, size_t n,
                                    size_t *added, struct fk_err *err)
{
	struct fk_incident inc;
	*added = 0;
	enum fk_code rc = fk_core_begin_open(c, id, &inc, err);
	if (rc)
		return rc;
	for (size_t i = 0; !rc && i < n; i++) {
		struct fk_asset a;
		bool was_added;
		if ((rc = fk_store_asset_find(c->st, names[i], &a, err)))
			break;
		rc = fk_store_incident_asset_add(c->st, inc.id, &a, &was_added, err);
		*added += was_added;
		fk_asset_release(&a);
	}
	rc = fk_core_finish(c, rc, err);
	fk_incident_release(&inc);
	return rc;
}

enum fk_code fk_sweep_start(struct fk_ctx *c, const char *id, char *const *criteria, size_t n,
                            int64_t *added, struct fk_err *err)
{
	struct fk_incident inc;
	struct fk_criterion *crit = fk_xcalloc(n ? n : 1, sizeof *crit);
	struct fk_buf all = FK_BUF_INIT;
	enum fk_code rc = FK_OK;
	size_t parsed = 0;
	*added = 0;
	for (; !rc && parsed < n; parsed++)
		rc = fk_criterion_parse(criteria[parsed], &crit[parsed], err);
	if (rc)
		parsed--;
	if (!rc && !n)
		rc = FK_ERR0(
		    err, FK_EUSAGE, "--match",
		    "no criterion: give at least one --match (os, os_version, software:NAME, "
		    "software:NAME@VERSION, tag:T, department:D)",
		    "条件がありません: --match を1つ以上指定してください (os, os_version, "
		    "software:NAME, software:NAME@VERSION, tag:T, department:D)");
	if (!rc && !(rc = fk_core_begin_open(c, id, &inc, err))) {
		struct fk_sweep sw;
		bool exists;
		rc = fk_store_sweep_get(c->st, inc.id, &sw, &exists, err);
		/* The criteria accumulate: a re-run adds to the earlier ones. */
		if (!rc && exists)
			(void)fk_buf_adds(&all, sw.criteria);
		for (size_t i = 0; !rc && i < n; i++) {
			const char *t = crit[i].text;
			bool dup = false;
			for (const char *p = all.ptr; *p && !dup;) {
				const char *e = strchr(p, ',');
				size_t l = e ? (size_t)(e - p) : strlen(p);
				dup = l == strlen(t) && !strncmp(p, t, l);
				p += l + (e != NULL);
			}
			if (!dup)
				(void)fk_buf_addf(&all, "%s%s", all.len ? "," : "", t);
		}
		if (!rc) {
			free(sw.criteria);
			sw.criteria = fk_xstrdup(all.ptr);
			rc = fk_store_sweep_put(c->st, inc.id, &sw, err);
		}
		fk_sweep_release(&sw);
		int64_t k;
		if (!rc && !exists) {
			/* First run: one pass over the inventory for every criterion. */
			rc = fk_store_sweep_first(c->st, inc.id, crit, n, added, err);
		} else {
			/* A re-run applies every criterion so far (systems imported or marked
			 * affected since are caught too), adds new matches and appends reasons;
			 * it never resets a state. */
			if (!rc && !(rc = fk_store_sweep_add_affected(c->st, inc.id, &k, err)))
				*added += k;
			for (const char *p = all.ptr; !rc && *p;) {
				const char *e = strchr(p, ',');
				char *text = fk_xstrndup(p, e ? (size_t)(e - p) : strlen(p));
				struct fk_criterion one;
				if (!(rc = fk_criterion_parse(text, &one, err))) {
					if (!(rc = fk_store_sweep_match(c->st, inc.id, &one, &k,
					                                err)))
						*added += k;
					fk_criterion_release(&one);
				}
				free(text);
				p = e ? e + 1 : p + strlen(p);
			}
		}
		if (!rc) {
			char what[64];
			snprintf(what, sizeof what, "%lld", (long long)*added);
			rc = fk_store_note_change(c->st, inc.id, "sweep", "added", what, err);
		}
		rc = fk_core_finish(c, rc, err);
		fk_incident_release(&inc);
	}
	for (size_t i = 0; i < parsed; i++)
		fk_criterion_release(&crit[i]);
	free(crit);
	fk_buf_release(&all);
	return rc;
}

/* True if to can be reached from from by allowed transitions (retired aside). */
static bool sweep_reachable(int from, int to)
{
	bool seen[FK_SW_COUNT] = {false};
	int queue[FK_SW_COUNT], head = 0, tail = 0;
	queue[tail++] = from;
	seen[from] = true;
	while (head < tail) {
		int s = queue[head++];
		for (int t = 0; t < FK_SW_COUNT; t++) {
			if (seen[t] || t == FK_SW_RETIRED || !fk_sweep_allowed(s, t))
				continue;
			if (t == to)
				return true;
			seen[t] = true;
			queue[tail++] = t;
		}
	}
	return false;
}

/* Moves entry e to state, refusing transitions the state machine does not allow. */
static enum fk_code move_entry(struct fk_ctx *c, int64_t incident, const struct fk_sweep_entry *e,
                               int state, const char *note, struct fk_err *err)
{
	if (state != e->state && !fk_sweep_allowed(e->state, state)) {
		struct fk_buf list = FK_BUF_INIT;
		for (int s = 0; s < FK_SW_COUNT; s++)
			if (fk_sweep_allowed(e->state, s))
				(void)fk_buf_addf(&list, "%s%s", list.len ? ", " : "",
				                  fk_sweep_states[s].key);
		if (!list.len)
			(void)fk_buf_adds(&list, "none (retired is final)");
		enum fk_code rc = FK_ERR(err, FK_EREFUSED, "--state",
		                         "'%s' cannot go from %s to %s: allowed are %s",
		                         "'%s' は %s から %s へ移れません: 移れる状態は %s です",
		                         e->asset.col[FK_ACOL_NAME], fk_sweep_states[e->state].key,
		                         fk_sweep_states[state].key, list.ptr);
		fk_buf_release(&list);
		return rc;
	}
	if (state == e->state && !note)
		return FK_OK;
	return fk_store_sweep_entry_set(c->st, incident, e, state, note, err);
}

static enum fk_code check_note(const char *note, struct fk_err *err)
{
	if (note && strlen(note) > FK_TEXT_MAX)
		return FK_ERR(err, FK_ETOOBIG, "--note", "--note is longer than %d bytes",
		              "--note が %d バイトを超えています", FK_TEXT_MAX);
	return note ? fk_text_check(note, "--note", err) : FK_OK;
}

enum fk_code fk_sweep_set(struct fk_ctx *c, const char *id, const char *asset, int state,
                          const char *note, struct fk_err *err)
{
	struct fk_incident inc;
	struct fk_sweep_entry e;
	if (state < 0 || state >= FK_SW_COUNT)
		return FK_ERR(err, FK_EUSAGE, "--state", "--state: value %d is out of range",
		              "--state: 値 %d は範囲外です", state);
	enum fk_code rc = check_note(note, err);
	if (rc || (rc = fk_core_begin_open(c, id, &inc, err)))
		return rc;
	if (!(rc = fk_store_sweep_entry_get(c->st, inc.id, asset, &e, err))) {
		rc = move_entry(c, inc.id, &e, state, note, err);
		fk_sweep_entry_release(&e);
	}
	if (!rc)
		rc = fk_store_touch(c->st, inc.id, err);
	rc = fk_core_finish(c, rc, err);
	fk_incident_release(&inc);
	return rc;
}

enum fk_code fk_sweep_instruct(struct fk_ctx *c, const char *id, const struct fk_sweep *in,
                               struct fk_sweep *out, struct fk_err *err)
{
	struct fk_incident inc;
	bool exists;
	const char *texts[] = {in->procedure, in->countermeasure, in->reconnect, in->reply_to};
	static const char *const fields[] = {"--procedure", "--countermeasure", "--reconnect",
	                                     "--reply-to"};
	enum fk_code rc = FK_OK;
	for (size_t i = 0; !rc && i < FK_ARRAY_LEN(texts); i++)
		if (texts[i])
			rc = strlen(texts[i]) > FK_TEXT_MAX
			         ? FK_ERR(err, FK_ETOOBIG, fields[i], "%s is too long",
			                  "%s が長すぎます", fields[i])
			         : fk_text_check(texts[i], fields[i], err);
	if (rc || (rc = fk_core_begin_open(c, id, &inc, err)))
		return rc;
	rc = fk_store_sweep_get(c->st, inc.id, out, &exists, err);
	if (!rc && !exists)
		rc = FK_ERR(
		    err, FK_EREFUSED, "sweep",
		    "%s has no sweep yet: start one with 'fukkyu sweep start %s --match ...'",
		    "%s の調査はまだ開始されていません: 'fukkyu sweep start %s --match ...' で"
		    "開始してください",
		    inc.ref, inc.ref);
	if (!rc) {
		char **dst[] = {&out->procedure, &out->countermeasure, &out->reconnect,
		                &out->reply_to};
		for (size_t i = 0; i < FK_ARRAY_LEN(dst); i++) {
			if (!texts[i])
				continue;
			free(*dst[i]);
			*dst[i] = fk_xstrdup(texts[i]);
		}
		if (in->deadline != FK_TIME_NONE)
			out->deadline = in->deadline;
		rc = fk_store_sweep_put(c->st, inc.id, out, err);
	}
	rc = fk_core_finish(c, rc, err);
	if (rc)
		fk_sweep_release(out);
	fk_incident_release(&inc);
	return rc;
}

/* Sheets neutralise spreadsheet formulas with a leading apostrophe: take it off again. */
static const char *unformula(const char *v)
{
	return v[0] == '\'' && v[1] && strchr("=+-@\t\r", v[1]) ? v + 1 : v;
}

/* Columns a returned sheet may hold: the ones fukkyu wrote, of which state and note are read. */
static const char *const sheet_cols[] = {"name",  "ip",       "os",      "os_version", "department",
                                         "owner", "location", "reasons", "state",      "note"};

enum fk_code fk_sweep_import(struct fk_ctx *c, const char *id, FILE *f, const char *origin,
                             struct fk_import_report *r, struct fk_err *err)
{
	struct fk_incident inc;
	struct fk_csv csv;
	struct name_set seen = {0};
	bool got;
	int col_name = -1, col_state = -1, col_note = -1;
	report_init(r);
	enum fk_code rc = fk_core_begin_open(c, id, &inc, err);
	if (rc)
		return rc;
	fk_csv_init(&csv, f, origin);
	rc = fk_csv_next(&csv, &got, err);
	if (!rc && !got)
		fk_core_report_error(r, origin, 1, 1,
		                     "the file is empty: expected the sheet's header row",
		                     "ファイルが空です: シートの見出し行が必要です");
	for (size_t i = 0; !rc && got && i < csv.n; i++) {
		const char *h = fk_csv_field(&csv, i);
		bool known = false;
		for (size_t k = 0; k < FK_ARRAY_LEN(sheet_cols); k++)
			known = known || !strcmp(h, sheet_cols[k]);
		if (!known) {
			char en[256], ja[256];
			snprintf(en, sizeof en,
			         "unknown column '%.100s': expected the sheet's columns "
			         "(name, state, note ...)",
			         h);
			snprintf(ja, sizeof ja,
			         "列 '%.100s' は不明です: シートの列 (name, state, note など) "
			         "が必要です",
			         h);
			fk_core_report_error(r, origin, 1, (int)i + 1, en, ja);
		}
		col_name = !strcmp(h, "name") ? (int)i : col_name;
		col_state = !strcmp(h, "state") ? (int)i : col_state;
		col_note = !strcmp(h, "note") ? (int)i : col_note;
	}
	size_t ncols = got ? csv.n : 0;
	if (!rc && got && (col_name < 0 || col_state < 0))
		fk_core_report_error(r, origin, 1, 1, "the sheet needs the columns name and state",
		                     "シートには name 列と state 列が必要です");
	while (!rc && !(rc = fk_csv_next(&csv, &got, err)) && got && col_name >= 0 &&
	       col_state >= 0) {
		if (csv.n == 1 && !fk_csv_len(&csv, 0))
			continue;
		r->rows++;
		if (csv.n != ncols) {
			fk_core_report_error(r, origin, csv.line, 1,
			                     "wrong number of fields for the header",
			                     "フィールドの数が見出しと違います");
			continue;
		}
		const char *name = unformula(fk_csv_field(&csv, (size_t)col_name));
		const char *st = fk_csv_field(&csv, (size_t)col_state);
		const char *note =
		    col_note >= 0 ? unformula(fk_csv_field(&csv, (size_t)col_note)) : NULL;
		if (!*st)
			continue; /* not checked yet: the department left it blank */
		int state;
		struct fk_err e;
		struct fk_sweep_entry entry;
		/* Check the text before it reaches a message (a hostile sheet must not put
		 * terminal escapes into our errors). */
		if (fk_text_check(name, "name", &e) || fk_text_check(st, "state", &e)) {
			fk_core_report_error(r, origin, csv.line, 1, e.en, e.ja);
			continue;
		}
		long first = name_set_add(&seen, name, csv.line);
		if (first) {
			fk_core_report_error(r, origin, csv.line, col_name + 1,
			                     "the system appears twice in the sheet",
			                     "同じシステムがシートに2回あります");
		} else if (fk_enum_parse(fk_sweep_states, FK_SW_COUNT, st, "state", &state, &e)) {
			fk_core_report_error(r, origin, csv.line, col_state + 1, e.en, e.ja);
		} else if (note && *note && check_note(note, &e)) {
			fk_core_report_error(r, origin, csv.line, col_note + 1, e.en, e.ja);
		} else if (fk_store_sweep_entry_get(c->st, inc.id, name, &entry, &e)) {
			if (e.code != FK_ENOTFOUND)
				rc = fk_err_set(err, e.code, e.field, e.en, e.ja);
			else
				fk_core_report_error(r, origin, csv.line, col_name + 1, e.en, e.ja);
		} else if (state != entry.state && !fk_sweep_allowed(entry.state, state) &&
		           sweep_reachable(state, entry.state)) {
			/* The sheet is behind: the system moved on since it was written. */
			fk_sweep_entry_release(&entry);
		} else {
			if (move_entry(c, inc.id, &entry, state, note && *note ? note : NULL, &e)) {
				if (e.code != FK_EREFUSED)
					rc = fk_err_set(err, e.code, e.field, e.en, e.ja);
				else
					fk_core_report_error(r, origin, csv.line, col_state + 1,
					                     e.en, e.ja);
			} else {
				r->updated++;
			}
			fk_sweep_entry_release(&entry);
		}
	}
	fk_csv_release(&csv);
	free(seen.slot);
	if (!rc && r->n_errors)
		rc = FK_ERR(err, FK_EINVAL, origin,
		            "%s: %zu error(s), nothing was recorded (the errors are listed above)",
		            "%s: エラー %zu 件のため何も記録していません (エラーは上に表示)",
		            origin, r->n_errors);
	if (!rc) {
		char what[64];
		snprintf(what, sizeof what, "%lld systems from %s", (long long)r->updated, origin);
		rc = fk_store_note_change(c->st, inc.id, "sweep", "import", what, err);
	}
	if (!rc)
		rc = fk_store_touch(c->st, inc.id, err);
	rc = fk_core_finish(c, rc, err);
	fk_incident_release(&inc);
	return rc;
}

/* ---- countermeasures ------------------------------------------------------------------- */

enum fk_code fk_measure_find(struct fk_ctx *c, int64_t incident, const char *code,
                             struct fk_measure *out, struct fk_err *err)
{
	struct fk_measure *all;
	size_t n;
	int64_t no = fk_ident_no(code, 'M');
	enum fk_code rc = fk_store_measures(c->st, incident, &all, &n, err);
	if (rc)
		return rc;
	rc = FK_ERR(err, FK_ENOTFOUND, "measure",
	            "no countermeasure '%s': see 'fukkyu measure list'",
	            "再発防止策 '%s' はありません: 'fukkyu measure list' で確認してください", code);
	for (size_t i = 0; no && i < n; i++) {
		if (all[i].no != no)
			continue;
		*out = all[i];
		memset(&all[i], 0, sizeof all[i]);
		fk_err_clear(err);
		rc = FK_OK;
	}
	FK_FREE_ARRAY(all, n, fk_measure_release);
	return rc;
}

enum fk_code fk_measure_add(struct fk_ctx *c, const char *id, struct fk_measure *m,
                            struct fk_err *err)
{
	struct fk_incident inc;
	enum fk_code rc = FK_OK;
	if (m->kind < 0 || m->kind >= FK_MK_COUNT)
		return FK_ERR0(err, FK_EUSAGE, "--kind",
		               "--kind: expected technical, operational or legal",
		               "--kind: technical, operational, legal のいずれかが必要です");
	if (!m->title || !*m->title || strlen(m->title) > FK_TITLE_MAX || strpbrk(m->title, "\n\t"))
		return FK_ERR(err, FK_EINVAL, "--title",
		              "--title must be one line of 1 to %d bytes",
		              "--title は 1〜%d バイトの1行で指定してください", FK_TITLE_MAX);
	const char *texts[] = {m->title, m->target_level, m->owner};
	for (size_t i = 0; !rc && i < FK_ARRAY_LEN(texts); i++)
		if (texts[i])
			rc = fk_text_check(
			    texts[i], i ? (i == 1 ? "--target-level" : "--owner") : "--title", err);
	if (rc || (rc = fk_core_begin_open(c, id, &inc, err)))
		return rc;
	rc = fk_store_measure_insert(c->st, inc.id, m, err);
	rc = fk_core_finish(c, rc, err);
	fk_incident_release(&inc);
	return rc;
}

enum fk_code fk_measure_approve(struct fk_ctx *c, const char *id, const char *code,
                                struct fk_err *err)
{
	struct fk_incident inc;
	struct fk_measure m;
	struct fk_person *people = NULL;
	size_t n = 0;
	enum fk_code rc = fk_core_begin_open(c, id, &inc, err);
	if (rc)
		return rc;
	if (!(rc = fk_measure_find(c, inc.id, code, &m, err))) {
		bool ok = false;
		struct fk_buf names = FK_BUF_INIT;
		rc = fk_store_roles_get(c->st, inc.id, &people, &n, err);
		for (size_t i = 0; !rc && i < n; i++) {
			if (people[i].role != FK_ROLE_APPROVER)
				continue;
			ok = ok || !strcmp(people[i].name, c->actor);
			(void)fk_buf_addf(&names, "%s%s", names.len ? ", " : "", people[i].name);
		}
		if (!rc && !ok)
			rc = FK_ERR(
			    err, FK_EREFUSED, "--as",
			    "'%s' is not an approver of %s (approvers: %s): an approver approves "
			    "with --as NAME",
			    "'%s' は %s の承認者ではありません (承認者: %s): 承認者が --as NAME で"
			    "承認してください",
			    c->actor, inc.ref, names.len ? names.ptr : "-");
		if (!rc)
			rc = fk_store_measure_approve(c->st, inc.id, &m, err);
		fk_buf_release(&names);
		fk_measure_release(&m);
	}
	rc = fk_core_finish(c, rc, err);
	FK_FREE_ARRAY(people, n, fk_person_release);
	fk_incident_release(&inc);
	return rc;
}

enum fk_code fk_measure_rollout(struct fk_ctx *c, const char *id, const char *code, unsigned scope,
                                int64_t *added, struct fk_err *err)
{
	struct fk_incident inc;
	struct fk_measure m;
	*added = 0;
	enum fk_code rc = fk_core_begin_open(c, id, &inc, err);
	if (rc)
		return rc;
	if (!(rc = fk_measure_find(c, inc.id, code, &m, err))) {
		rc = fk_store_rollout_create(c->st, inc.id, &m, scope, added, err);
		fk_measure_release(&m);
	}
	rc = fk_core_finish(c, rc, err);
	fk_incident_release(&inc);
	return rc;
}

enum fk_code fk_measure_set(struct fk_ctx *c, const char *id, const char *code, const char *asset,
                            int state, const char *reason, const char *accepted_by,
                            struct fk_err *err)
{
	struct fk_incident inc;
	struct fk_measure m;
	struct fk_rollout_entry e;
	if (state < 0 || state >= FK_RO_COUNT)
		return FK_ERR0(err, FK_EUSAGE, "--state", "--state is out of range",
		               "--state が範囲外です");
	if (state == FK_RO_EXCEPTION && (!reason || !*reason || !accepted_by || !*accepted_by))
		return FK_ERR0(
		    err, FK_EUSAGE, "--reason",
		    "an exception needs --reason (why it cannot be applied) and "
		    "--accepted-by (who accepted the risk)",
		    "例外には --reason (実施できない理由) と --accepted-by (リスクを受容した人) "
		    "が必要です");
	enum fk_code rc = FK_OK;
	if (reason && (rc = fk_text_check(reason, "--reason", err)))
		return rc;
	if (accepted_by && (rc = fk_text_check(accepted_by, "--accepted-by", err)))
		return rc;
	if ((rc = fk_core_begin_open(c, id, &inc, err)))
		return rc;
	if (!(rc = fk_measure_find(c, inc.id, code, &m, err))) {
		if (!(rc = fk_store_rollout_entry_get(c->st, &m, asset, &e, err))) {
			if (!fk_rollout_allowed(e.state, state))
				rc = FK_ERR(
				    err, FK_EREFUSED, "--state",
				    "'%s' cannot go from %s to %s (pending → applied → verified; "
				    "pending or applied → exception; exception → pending)",
				    "'%s' は %s から %s へ移れません (pending → applied → "
				    "verified、"
				    "pending/applied → exception、exception → pending)",
				    asset, fk_rollout_states[e.state].key,
				    fk_rollout_states[state].key);
			else
				rc = fk_store_rollout_entry_set(
				    c->st, inc.id, &m, &e, state,
				    state == FK_RO_EXCEPTION ? reason : NULL,
				    state == FK_RO_EXCEPTION ? accepted_by : NULL, err);
			fk_rollout_entry_release(&e);
		}
		fk_measure_release(&m);
	}
	if (!rc)
		rc = fk_store_touch(c->st, inc.id, err);
	rc = fk_core_finish(c, rc, err);
	fk_incident_release(&inc);
	return rc;
}
