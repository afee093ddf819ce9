/*
 * store_assets.c - the inventory, the sweep, countermeasures and their rollout (store.h).
 *
 * Bulk paths (import, sweep start, rollout) use cached statements and set-based SQL: one
 * INSERT ... SELECT per sweep criterion, never a round trip per asset.
 */
#include "fukkyu/common.h"
#include "store/store_int.h"
#include "util/buf.h"

#define ASSET_COLS                                                                                 \
	"a.id, a.name, a.ip, a.os, a.os_version, a.software, a.department, a.owner, a.role, "      \
	"a.criticality, a.location, a.spare, a.backup_of, a.tags, a.updated_at"
#define ASSET_NCOLS 15

/* Reads ASSET_COLS starting at column c0. */
static void read_asset(struct fk_stmt *s, int c0, struct fk_asset *a)
{
	memset(a, 0, sizeof *a);
	a->id = col_int(s, c0);
	for (int i = 0; i < FK_ACOL_COUNT; i++)
		a->col[i] = col_dup(s, c0 + 1 + i);
	free(a->col[FK_ACOL_SPARE]);
	a->spare = col_int(s, c0 + 1 + FK_ACOL_SPARE) != 0;
	a->col[FK_ACOL_SPARE] = fk_xstrdup(a->spare ? "true" : "false");
	a->role = col_enum(s, c0 + 1 + FK_ACOL_ROLE, fk_asset_roles, FK_AROLE_COUNT);
	a->updated_at = col_time(s, c0 + 1 + FK_ACOL_COUNT);
}

enum fk_code fk_store_touch(struct fk_store *st, int64_t incident, struct fk_err *err)
{
	enum fk_code rc = need_tx(st, err);
	return rc ? rc : fk_st_touch(st, incident, err);
}

enum fk_code fk_store_note_change(struct fk_store *st, int64_t incident, const char *entity,
                                  const char *field, const char *value, struct fk_err *err)
{
	enum fk_code rc = need_tx(st, err);
	return rc ? rc : fk_st_record(st, incident, entity, NULL, field, NULL, value, err);
}

static const char SQL_ASSET_INSERT[] =
    "INSERT INTO assets (name, ip, os, os_version, software, department, owner, role, "
    "criticality, location, spare, backup_of, tags, updated_at) VALUES ($1, $2, $3, $4, $5, "
    "$6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT (name) DO NOTHING";
static const char SQL_ASSET_APPEND[] =
    "INSERT INTO assets (name, ip, os, os_version, software, department, owner, role, "
    "criticality, location, spare, backup_of, tags, updated_at) VALUES ($1, $2, $3, $4, $5, "
    "$6, $7, $8, $9, $10, $11, $12, $13, $14)";

/* Each column is set only when its bit is in $15 (the columns the file has). */
static const char SQL_ASSET_UPDATE[] =
    "UPDATE assets SET "
    "ip = CASE WHEN ($15 & 2) <> 0 THEN $2 ELSE ip END, "
    "os = CASE WHEN ($15 & 4) <> 0 THEN $3 ELSE os END, "
    "os_version = CASE WHEN ($15 & 8) <> 0 THEN $4 ELSE os_version END, "
    "software = CASE WHEN ($15 & 16) <> 0 THEN $5 ELSE software END, "
    "department = CASE WHEN ($15 & 32) <> 0 THEN $6 ELSE department END, "
    "owner = CASE WHEN ($15 & 64) <> 0 THEN $7 ELSE owner END, "
    "role = CASE WHEN ($15 & 128) <> 0 THEN $8 ELSE role END, "
    "criticality = CASE WHEN ($15 & 256) <> 0 THEN $9 ELSE criticality END, "
    "location = CASE WHEN ($15 & 512) <> 0 THEN $10 ELSE location END, "
    "spare = CASE WHEN ($15 & 1024) <> 0 THEN $11 ELSE spare END, "
    "backup_of = CASE WHEN ($15 & 2048) <> 0 THEN $12 ELSE backup_of END, "
    "tags = CASE WHEN ($15 & 4096) <> 0 THEN $13 ELSE tags END, "
    "updated_at = $14 WHERE name = $1";
static void bind_asset(struct fk_store *st, struct fk_stmt *s, const struct fk_asset *a)
{
	/* a and st->now_text outlive the step that follows: bind without copying. */
	for (int i = 0; i < FK_ACOL_COUNT; i++)
		s->ops->bind_text_ref(s, i + 1, a->col[i]);
	s->ops->bind_text_ref(s, 1 + FK_ACOL_ROLE, fk_asset_roles[a->role].key);
	bind_int(s, 1 + FK_ACOL_SPARE, a->spare);
	s->ops->bind_text_ref(s, 14, st->now_text);
}

enum fk_code fk_store_asset_upsert(struct fk_store *st, struct fk_asset *a, bool *inserted,
                                   struct fk_err *err)
{
	struct fk_stmt *s;
	enum fk_code rc = need_tx(st, err);
	/* Insert first (the common case of a first import); update when the name exists. No
	 * RETURNING: it costs a temporary table per row, and callers do not need the id. */
	if (!rc)
		rc = fk_st_cached(st, st->bulk_append ? SQL_ASSET_APPEND : SQL_ASSET_INSERT, &s,
		                  err);
	if (rc)
		return rc;
	bind_asset(st, s, a);
	rc = step_done(s, err);
	*inserted = !rc && OPS(st)->changes(st->db) > 0;
	if (!rc && !*inserted && !(rc = fk_st_cached(st, SQL_ASSET_UPDATE, &s, err))) {
		bind_asset(st, s, a);
		bind_int(s, 15, a->present ? a->present : (1u << FK_ACOL_COUNT) - 1);
		rc = step_done(s, err);
	}
	return rc;
}

/* The inventory's indexes: dropped for a bulk import and built again at its end (a sorted
 * build is several times faster than a million random inserts into each). The unique index
 * on name is dropped only when the inventory is empty: then nothing can conflict with the
 * file, whose own duplicates the caller has already refused. */
static const char *const asset_indexes[][2] = {
    {"assets_name", "CREATE UNIQUE INDEX assets_name ON assets (name)"},
    {"assets_backup_of",
     "CREATE INDEX assets_backup_of ON assets (backup_of) WHERE backup_of IS NOT NULL"},
};

enum fk_code fk_store_asset_bulk(struct fk_store *st, bool begin, struct fk_err *err)
{
	enum fk_code rc = need_tx(st, err);
	int64_t n = 0;
	if (!rc && begin)
		rc = fk_store_asset_count(st, &n, err);
	if (!rc && begin)
		st->bulk_append = n == 0;
	for (size_t i = st->bulk_append ? 0 : 1; !rc && i < FK_ARRAY_LEN(asset_indexes); i++) {
		char sql[128];
		snprintf(sql, sizeof sql, "DROP INDEX IF EXISTS %s", asset_indexes[i][0]);
		rc = OPS(st)->exec(st->db, begin ? sql : asset_indexes[i][1], err);
	}
	if (!begin)
		st->bulk_append = false;
	return rc;
}

enum fk_code fk_store_asset_find(struct fk_store *st, const char *name, struct fk_asset *out,
                                 struct fk_err *err)
{
	struct fk_stmt *s;
	bool row = false;
	enum fk_code rc =
	    prep(st, "SELECT " ASSET_COLS " FROM assets a WHERE a.name = $1", &s, err);
	if (rc)
		return rc;
	bind_text(s, 1, name);
	rc = step(s, &row, err);
	if (!rc && row)
		read_asset(s, 0, out);
	finalize(s);
	if (!rc && !row)
		rc = FK_ERR(err, FK_ENOTFOUND, "asset",
		            "no asset '%s' in the inventory: see 'fukkyu asset list'",
		            "資産台帳に '%s' はありません: 'fukkyu asset list' で確認してください",
		            name);
	return rc;
}

enum fk_code fk_store_asset_each(struct fk_store *st, const char *department, fk_asset_cb cb,
                                 void *ctx, struct fk_err *err)
{
	struct fk_stmt *s;
	bool row;
	enum fk_code rc =
	    prep(st,
	         "SELECT " ASSET_COLS " FROM assets a WHERE CAST($1 AS TEXT) IS NULL OR "
	         "a.department = $1 ORDER BY a.name",
	         &s, err);
	if (rc)
		return rc;
	bind_text(s, 1, department);
	while (!(rc = step(s, &row, err)) && row) {
		struct fk_asset a;
		read_asset(s, 0, &a);
		rc = cb(ctx, &a);
		fk_asset_release(&a);
		if (rc)
			break;
	}
	finalize(s);
	return rc;
}

enum fk_code fk_store_sweep_sync(struct fk_store *st, struct fk_err *err)
{
	enum fk_code rc = need_tx(st, err);
	return rc ? rc
	          : OPS(st)->exec(
	                st->db,
	                "UPDATE sweep_entries SET department = COALESCE((SELECT "
	                "a.department FROM assets a WHERE a.id = sweep_entries.asset_id), "
	                "'') WHERE department <> COALESCE((SELECT a.department FROM assets "
	                "a WHERE a.id = sweep_entries.asset_id), '')",
	                err);
}

enum fk_code fk_store_asset_count(struct fk_store *st, int64_t *n, struct fk_err *err)
{
	return fk_store_asset_count_in(st, NULL, n, err);
}

enum fk_code fk_store_asset_count_in(struct fk_store *st, const char *department, int64_t *n,
                                     struct fk_err *err)
{
	struct fk_stmt *s;
	bool row = false;
	enum fk_code rc = prep(
	    st, "SELECT COUNT(*) FROM assets WHERE CAST($1 AS TEXT) IS NULL OR department = $1", &s,
	    err);
	if (rc)
		return rc;
	bind_text(s, 1, department);
	if (!(rc = step(s, &row, err)) && row)
		*n = col_int(s, 0);
	finalize(s);
	return rc;
}

enum fk_code fk_store_asset_dangling(struct fk_store *st, fk_dangling_cb cb, void *ctx,
                                     struct fk_err *err)
{
	struct fk_stmt *s;
	bool row;
	enum fk_code rc = prep(st,
	                       "SELECT a.name, a.backup_of FROM assets a WHERE a.backup_of IS NOT "
	                       "NULL AND NOT EXISTS (SELECT 1 FROM assets b WHERE b.name = "
	                       "a.backup_of) ORDER BY a.name",
	                       &s, err);
	if (rc)
		return rc;
	while (!(rc = step(s, &row, err)) && row)
		cb(ctx, col_text(s, 0), col_text(s, 1));
	finalize(s);
	return rc;
}

/* ---- incident assets ------------------------------------------------------------------ */

enum fk_code fk_store_incident_asset_add(struct fk_store *st, int64_t incident,
                                         const struct fk_asset *a, bool *added, struct fk_err *err)
{
	struct fk_stmt *s;
	bool row = false;
	enum fk_code rc = need_tx(st, err);
	if (!rc)
		rc = prep(st,
		          "INSERT INTO incident_assets (incident_id, asset_id) VALUES ($1, $2) ON "
		          "CONFLICT DO NOTHING RETURNING asset_id",
		          &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, incident);
	bind_int(s, 2, a->id);
	rc = step(s, &row, err);
	finalize(s);
	*added = row;
	if (!rc && row)
		rc = fk_st_record(st, incident, "affected", a->col[FK_ACOL_NAME], "asset", NULL,
		                  a->col[FK_ACOL_NAME], err);
	if (!rc && row)
		rc = fk_st_touch(st, incident, err);
	return rc;
}

static void row_incident_assets(struct fk_stmt *s, void *elem)
{
	read_asset(s, 0, elem);
}

enum fk_code fk_store_incident_assets(struct fk_store *st, int64_t incident, struct fk_asset **out,
                                      size_t *n, struct fk_err *err)
{
	return FK_ST_LIST(st,
	                  "SELECT " ASSET_COLS " FROM incident_assets i JOIN assets a ON a.id "
	                  "= i.asset_id WHERE i.incident_id = $1 ORDER BY a.name",
	                  incident, out, n, row_incident_assets, err);
}

/* ---- sweep ---------------------------------------------------------------------------- */

enum fk_code fk_store_sweep_get(struct fk_store *st, int64_t incident, struct fk_sweep *out,
                                bool *exists, struct fk_err *err)
{
	struct fk_stmt *s;
	bool row = false;
	memset(out, 0, sizeof *out);
	out->deadline = FK_TIME_NONE;
	enum fk_code rc =
	    prep(st,
	         "SELECT criteria, procedure, countermeasure, reconnect, reply_to, "
	         "deadline, started_at, started_by FROM sweeps WHERE incident_id = $1",
	         &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, incident);
	rc = step(s, &row, err);
	*exists = row;
	if (!rc && row) {
		out->criteria = col_dup(s, 0);
		out->procedure = col_dup(s, 1);
		out->countermeasure = col_dup(s, 2);
		out->reconnect = col_dup(s, 3);
		out->reply_to = col_dup(s, 4);
		out->deadline = col_time(s, 5);
		out->started_at = col_time(s, 6);
		out->started_by = col_dup(s, 7);
	}
	finalize(s);
	return rc;
}

enum fk_code fk_store_sweep_put(struct fk_store *st, int64_t incident, const struct fk_sweep *w,
                                struct fk_err *err)
{
	struct fk_sweep before;
	bool exists;
	enum fk_code rc = need_tx(st, err);
	if (!rc)
		rc = fk_store_sweep_get(st, incident, &before, &exists, err);
	if (rc)
		return rc;
	static const char *const names[] = {"criteria", "procedure", "countermeasure", "reconnect",
	                                    "reply_to"};
	const char *a[] = {before.criteria, before.procedure, before.countermeasure,
	                   before.reconnect, before.reply_to};
	const char *b[] = {w->criteria, w->procedure, w->countermeasure, w->reconnect, w->reply_to};
	for (size_t i = 0; !rc && i < FK_ARRAY_LEN(names); i++)
		rc = fk_st_diff_text(st, incident, "sweep", NULL, names[i], a[i], b[i], err);
	if (!rc && before.deadline != w->deadline) {
		char t[32] = "";
		if (w->deadline != FK_TIME_NONE)
			fk_time_utc(w->deadline, t);
		rc = fk_st_record(st, incident, "sweep", NULL, "deadline", NULL, t[0] ? t : NULL,
		                  err);
	}
	fk_sweep_release(&before);
	struct fk_stmt *s;
	if (!rc)
		rc = prep(
		    st,
		    "INSERT INTO sweeps (incident_id, criteria, procedure, countermeasure, "
		    "reconnect, reply_to, deadline, started_at, started_by) VALUES ($1, $2, $3, "
		    "$4, $5, $6, $7, $8, $9) ON CONFLICT (incident_id) DO UPDATE SET criteria = "
		    "$2, procedure = $3, countermeasure = $4, reconnect = $5, reply_to = $6, "
		    "deadline = $7",
		    &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, incident);
	bind_text(s, 2, w->criteria);
	bind_text(s, 3, w->procedure);
	bind_text(s, 4, w->countermeasure);
	bind_text(s, 5, w->reconnect);
	bind_text(s, 6, w->reply_to);
	bind_time(s, 7, w->deadline);
	bind_time(s, 8, st->now);
	bind_text(s, 9, st->actor);
	rc = step_done(s, err);
	finalize(s);
	if (!rc)
		rc = fk_st_touch(st, incident, err);
	return rc;
}

/* Inserts entries for the assets selected by select_sql (instr() is SQLite's; the PostgreSQL
 * backend defines it as a function over strpos) (which yields asset ids and takes
 * its own parameters from $3 on), appending reason to existing entries. */
static enum fk_code add_entries(struct fk_store *st, int64_t incident, const char *reason,
                                const char *select_sql, const char *p3, const char *p4,
                                int64_t *added, struct fk_err *err)
{
	struct fk_buf sql = FK_BUF_INIT;
	struct fk_stmt *s;
	int64_t before = 0, after = 0;
	bool row;
	/* Count, then insert-or-append: two statements both backends understand. */
	enum fk_code rc =
	    prep(st, "SELECT COUNT(*) FROM sweep_entries WHERE incident_id = $1", &s, err);
	if (!rc) {
		bind_int(s, 1, incident);
		if (!(rc = step(s, &row, err)) && row)
			before = col_int(s, 0);
		finalize(s);
	}
	(void)fk_buf_addf(
	    &sql,
	    "INSERT INTO sweep_entries (incident_id, asset_id, state, reasons, "
	    "department) SELECT $1, x.id, 'unchecked', $2, COALESCE((SELECT "
	    "d.department FROM assets d WHERE d.id = x.id), '') FROM (%s) x WHERE "
	    "true ON CONFLICT "
	    "(incident_id, asset_id) DO UPDATE SET reasons = sweep_entries.reasons || "
	    "',' || $2 WHERE instr(',' || sweep_entries.reasons || ',', ',' || $2 || "
	    "',') = 0",
	    select_sql);
	if (!rc)
		rc = prep(st, sql.ptr, &s, err);
	fk_buf_release(&sql);
	if (rc)
		return rc;
	bind_int(s, 1, incident);
	bind_text(s, 2, reason);
	if (p3)
		bind_text(s, 3, p3);
	if (p4)
		bind_text(s, 4, p4);
	rc = step_done(s, err);
	finalize(s);
	if (!rc)
		rc = prep(st, "SELECT COUNT(*) FROM sweep_entries WHERE incident_id = $1", &s, err);
	if (!rc) {
		bind_int(s, 1, incident);
		if (!(rc = step(s, &row, err)) && row)
			after = col_int(s, 0);
		finalize(s);
	}
	*added = after - before;
	return rc;
}

/* The SQL condition of one criterion over assets a; p is its first parameter number (name
 * $p, version $p+1). */
static void criterion_sql(struct fk_store *st, struct fk_buf *b, const struct fk_criterion *c,
                          int p)
{
	const char *like = OPS(st)->like_ascii_ci;
	switch (c->kind) {
	case FK_CRIT_OS:
		(void)fk_buf_adds(b, "a.os IN (SELECT b.os FROM incident_assets i JOIN assets b ON "
		                     "b.id = i.asset_id WHERE i.incident_id = $1)");
		break;
	case FK_CRIT_OS_VERSION:
		(void)fk_buf_adds(
		    b, "(a.os, COALESCE(a.os_version, '')) IN (SELECT b.os, "
		       "COALESCE(b.os_version, '') FROM incident_assets i JOIN assets b ON "
		       "b.id = i.asset_id WHERE i.incident_id = $1)");
		break;
	case FK_CRIT_SOFTWARE:
		/* A LIKE on the raw text first (no allocation per row, ASCII case-insensitive)
		 * keeps the exact, normalising comparison for the few candidates. */
		if (c->version)
			(void)fk_buf_addf(
			    b,
			    "(a.software %s '%%' || CAST($%d AS TEXT) || ' ' || CAST($%d AS TEXT) "
			    "|| "
			    "'%%' AND instr(';' || replace(lower(a.software), '; ', ';') || ';', "
			    "';' || $%d || ' ' || $%d || ';') > 0)",
			    like, p, p + 1, p, p + 1);
		else
			(void)fk_buf_addf(
			    b,
			    "(a.software %s '%%' || CAST($%d AS TEXT) || '%%' AND (instr(';' || "
			    "replace(lower(a.software), '; ', ';'), ';' || $%d || ' ') > 0 OR "
			    "instr(';' || replace(lower(a.software), '; ', ';') || ';', ';' || "
			    "$%d || ';') > 0))",
			    like, p, p, p);
		break;
	case FK_CRIT_TAG:
		(void)fk_buf_addf(
		    b,
		    "(a.tags %s '%%' || CAST($%d AS TEXT) || '%%' AND instr(';' || replace(a.tags, "
		    "'; ', ';') || ';', ';' || $%d || ';') > 0)",
		    like, p, p);
		break;
	default:
		(void)fk_buf_addf(b, "a.department = $%d", p);
		break;
	}
}

enum fk_code fk_store_sweep_match(struct fk_store *st, int64_t incident,
                                  const struct fk_criterion *c, int64_t *added, struct fk_err *err)
{
	struct fk_buf sel = FK_BUF_INIT;
	enum fk_code rc = need_tx(st, err);
	if (rc)
		return rc;
	(void)fk_buf_adds(&sel, "SELECT a.id FROM assets a WHERE ");
	criterion_sql(st, &sel, c, 3);
	rc = add_entries(st, incident, c->text, sel.ptr,
	                 c->kind >= FK_CRIT_SOFTWARE ? c->name : NULL,
	                 c->kind == FK_CRIT_SOFTWARE ? c->version : NULL, added, err);
	fk_buf_release(&sel);
	return rc;
}

enum fk_code fk_store_sweep_first(struct fk_store *st, int64_t incident,
                                  const struct fk_criterion *crit, size_t n, int64_t *added,
                                  struct fk_err *err)
{
	/* One scan of the inventory for the affected systems and every criterion; each
	 * criterion takes three parameters: its text (the reason), name and version. */
	struct fk_buf reasons = FK_BUF_INIT, where = FK_BUF_INIT, sql = FK_BUF_INIT;
	struct fk_stmt *s;
	enum fk_code rc = need_tx(st, err);
	if (!rc && n > 10)
		rc = FK_ERR0(err, FK_EUSAGE, "--match", "at most 10 criteria in one sweep start",
		             "1回の sweep start の条件は 10 個までです");
	if (rc)
		return rc;
	(void)fk_buf_adds(&reasons, "CASE WHEN a.id IN (SELECT asset_id FROM incident_assets WHERE "
	                            "incident_id = $1) THEN ',affected' ELSE '' END");
	(void)fk_buf_adds(&where, "a.id IN (SELECT asset_id FROM incident_assets WHERE "
	                          "incident_id = $1)");
	for (size_t i = 0; i < n; i++) {
		int p = 2 + 3 * (int)i;
		struct fk_buf cond = FK_BUF_INIT;
		criterion_sql(st, &cond, &crit[i], p + 1);
		(void)fk_buf_addf(&reasons,
		                  " || CASE WHEN %s THEN ',' || CAST($%d AS TEXT) ELSE '' END",
		                  cond.ptr, p);
		(void)fk_buf_addf(&where, " OR %s", cond.ptr);
		fk_buf_release(&cond);
	}
	(void)fk_buf_addf(&sql,
	                  "INSERT INTO sweep_entries (incident_id, asset_id, state, reasons, "
	                  "department) SELECT $1, a.id, 'unchecked', substr(%s, 2), "
	                  "COALESCE(a.department, '') FROM assets a WHERE %s",
	                  reasons.ptr, where.ptr);
	rc = prep(st, sql.ptr, &s, err);
	fk_buf_release(&reasons);
	fk_buf_release(&where);
	fk_buf_release(&sql);
	if (rc)
		return rc;
	bind_int(s, 1, incident);
	for (size_t i = 0; i < n; i++) {
		int p = 2 + 3 * (int)i;
		bind_text(s, p, crit[i].text);
		if (crit[i].kind >= FK_CRIT_SOFTWARE)
			bind_text(s, p + 1, crit[i].name);
		if (crit[i].kind == FK_CRIT_SOFTWARE && crit[i].version)
			bind_text(s, p + 2, crit[i].version);
	}
	rc = step_done(s, err);
	*added = rc ? 0 : OPS(st)->changes(st->db);
	finalize(s);
	return rc;
}

enum fk_code fk_store_sweep_add_affected(struct fk_store *st, int64_t incident, int64_t *added,
                                         struct fk_err *err)
{
	enum fk_code rc = need_tx(st, err);
	return rc ? rc
	          : add_entries(st, incident, "affected",
	                        "SELECT i.asset_id AS id FROM incident_assets i WHERE "
	                        "i.incident_id = $1",
	                        NULL, NULL, added, err);
}

#define ENTRY_COLS ASSET_COLS ", e.state, e.reasons, e.note, e.updated_at, e.updated_by"

static void read_entry(struct fk_stmt *s, struct fk_sweep_entry *e)
{
	read_asset(s, 0, &e->asset);
	e->state = col_enum(s, ASSET_NCOLS, fk_sweep_states, FK_SW_COUNT);
	e->reasons = col_dup(s, ASSET_NCOLS + 1);
	e->note = col_dup(s, ASSET_NCOLS + 2);
	e->updated_at = col_time(s, ASSET_NCOLS + 3);
	e->updated_by = col_dup(s, ASSET_NCOLS + 4);
}

enum fk_code fk_store_sweep_entry_get(struct fk_store *st, int64_t incident, const char *asset,
                                      struct fk_sweep_entry *out, struct fk_err *err)
{
	static const char sql[] = "SELECT " ENTRY_COLS " FROM sweep_entries e JOIN assets a ON "
	                          "a.id = e.asset_id WHERE e.incident_id = $1 AND a.name = $2";
	struct fk_stmt *s;
	bool row = false;
	enum fk_code rc = fk_st_cached(st, sql, &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, incident);
	bind_text(s, 2, asset);
	rc = step(s, &row, err);
	if (!rc && row)
		read_entry(s, out);
	s->ops->reset(s);
	if (!rc && !row)
		rc = FK_ERR(
		    err, FK_ENOTFOUND, "asset",
		    "'%s' is not in the sweep of this incident: see 'fukkyu sweep status'",
		    "'%s' はこのインシデントの調査対象にありません: 'fukkyu sweep status' で確認"
		    "してください",
		    asset);
	return rc;
}

enum fk_code fk_store_sweep_entry_set(struct fk_store *st, int64_t incident,
                                      const struct fk_sweep_entry *e, int state, const char *note,
                                      struct fk_err *err)
{
	static const char sql[] =
	    "UPDATE sweep_entries SET state = $3, note = $4, updated_at = $5, "
	    "updated_by = $6 WHERE incident_id = $1 AND asset_id = $2";
	const char *name = e->asset.col[FK_ACOL_NAME];
	struct fk_stmt *s;
	enum fk_code rc = need_tx(st, err);
	if (!rc && state != e->state)
		rc = fk_st_record(st, incident, "sweep", name, "state",
		                  fk_sweep_states[e->state].key, fk_sweep_states[state].key, err);
	if (!rc && note)
		rc = fk_st_diff_text(st, incident, "sweep", name, "note", e->note, note, err);
	if (!rc)
		rc = fk_st_cached(st, sql, &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, incident);
	bind_int(s, 2, e->asset.id);
	bind_text(s, 3, fk_sweep_states[state].key);
	bind_text(s, 4, note ? note : e->note);
	bind_time(s, 5, st->now);
	bind_text(s, 6, st->actor);
	return step_done(s, err);
}

enum fk_code fk_store_sweep_each(struct fk_store *st, int64_t incident, int state,
                                 const char *department, fk_sweep_cb cb, void *ctx,
                                 struct fk_err *err)
{
	struct fk_stmt *s;
	bool row;
	enum fk_code rc =
	    prep(st,
	         "SELECT " ENTRY_COLS " FROM sweep_entries e JOIN assets a ON a.id = "
	         "e.asset_id WHERE e.incident_id = $1 AND (CAST($2 AS TEXT) IS NULL OR e.state = "
	         "$2) AND (CAST($3 AS TEXT) IS NULL OR e.department = $3) ORDER BY e.department, "
	         "a.name",
	         &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, incident);
	bind_text(s, 2, state >= 0 ? fk_sweep_states[state].key : NULL);
	bind_text(s, 3, department);
	while (!(rc = step(s, &row, err)) && row) {
		struct fk_sweep_entry e;
		read_entry(s, &e);
		rc = cb(ctx, &e);
		fk_sweep_entry_release(&e);
		if (rc)
			break;
	}
	finalize(s);
	return rc;
}

enum fk_code fk_store_sweep_counts(struct fk_store *st, int64_t incident,
                                   struct fk_sweep_count **out, size_t *n, struct fk_err *err)
{
	struct fk_stmt *s;
	bool row;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	enum fk_code rc = prep(st,
	                       "SELECT department, state, COUNT(*) FROM sweep_entries WHERE "
	                       "incident_id = $1 GROUP BY department, state ORDER BY department, "
	                       "state",
	                       &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, incident);
	while (!(rc = step(s, &row, err)) && row) {
		const char *dept = col_text(s, 0);
		if (!*n || strcmp((*out)[*n - 1].department, dept)) {
			if (*n == cap) {
				cap = cap ? cap * 2 : 16;
				*out = fk_xrealloc(*out, cap * sizeof **out);
			}
			memset(&(*out)[*n], 0, sizeof **out);
			(*out)[(*n)++].department = fk_xstrdup(dept);
		}
		int state = col_enum(s, 1, fk_sweep_states, FK_SW_COUNT);
		(*out)[*n - 1].by_state[state] += col_int(s, 2);
	}
	finalize(s);
	return rc;
}

/* ---- measures and rollout ------------------------------------------------------------- */

#define MEASURE_COLS                                                                               \
	"id, no, kind, title, target_level, cost, owner, due_at, approved_by, approved_at, "       \
	"created_at, created_by"

enum fk_code fk_store_measure_insert(struct fk_store *st, int64_t incident, struct fk_measure *m,
                                     struct fk_err *err)
{
	struct fk_stmt *s;
	bool row = false;
	enum fk_code rc = need_tx(st, err);
	if (!rc)
		rc = prep(
		    st,
		    "INSERT INTO measures (incident_id, no, kind, title, target_level, cost, "
		    "owner, due_at, created_at, created_by) SELECT $1, COALESCE(MAX(no), 0) + 1, "
		    "$2, $3, $4, $5, $6, $7, $8, $9 FROM measures WHERE incident_id = $1 "
		    "RETURNING id, no",
		    &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, incident);
	bind_text(s, 2, fk_measure_kinds[m->kind].key);
	bind_text(s, 3, m->title);
	bind_text(s, 4, m->target_level);
	if (m->cost >= 0)
		bind_int(s, 5, m->cost);
	else
		bind_text(s, 5, NULL);
	bind_text(s, 6, m->owner);
	bind_time(s, 7, m->due_at);
	bind_time(s, 8, st->now);
	bind_text(s, 9, st->actor);
	rc = step(s, &row, err);
	if (!rc && row) {
		m->id = col_int(s, 0);
		m->no = (int)col_int(s, 1);
	}
	finalize(s);
	char key[16];
	snprintf(key, sizeof key, "M%d", m->no);
	m->created_at = st->now;
	free(m->created_by);
	m->created_by = fk_xstrdup(st->actor);
	if (!rc)
		rc = fk_st_record(st, incident, "measure", key, "title", NULL, m->title, err);
	if (!rc)
		rc = fk_st_touch(st, incident, err);
	return rc;
}

static void row_measures(struct fk_stmt *s, void *elem)
{
	struct fk_measure *m = elem;
	m->id = col_int(s, 0);
	m->no = (int)col_int(s, 1);
	m->kind = col_enum(s, 2, fk_measure_kinds, FK_MK_COUNT);
	m->title = col_dup(s, 3);
	m->target_level = col_dup(s, 4);
	m->cost = s->ops->col_null(s, 5) ? -1 : col_int(s, 5);
	m->owner = col_dup(s, 6);
	m->due_at = col_time(s, 7);
	m->approved_by = col_dup(s, 8);
	m->approved_at = col_time(s, 9);
	m->created_at = col_time(s, 10);
	m->created_by = col_dup(s, 11);
}

enum fk_code fk_store_measures(struct fk_store *st, int64_t incident, struct fk_measure **out,
                               size_t *n, struct fk_err *err)
{
	return FK_ST_LIST(st,
	                  "SELECT " MEASURE_COLS " FROM measures WHERE incident_id = $1 ORDER "
	                  "BY no",
	                  incident, out, n, row_measures, err);
}

enum fk_code fk_store_measure_approve(struct fk_store *st, int64_t incident,
                                      const struct fk_measure *m, struct fk_err *err)
{
	struct fk_stmt *s;
	char key[16];
	snprintf(key, sizeof key, "M%d", m->no);
	enum fk_code rc = need_tx(st, err);
	if (!rc)
		rc = fk_st_record(st, incident, "measure", key, "approved_by", m->approved_by,
		                  st->actor, err);
	if (!rc)
		rc =
		    prep(st, "UPDATE measures SET approved_by = $2, approved_at = $3 WHERE id = $1",
		         &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, m->id);
	bind_text(s, 2, st->actor);
	bind_time(s, 3, st->now);
	rc = step_done(s, err);
	finalize(s);
	return rc ? rc : fk_st_touch(st, incident, err);
}

/* Adds pending entries for the assets of select_sql ($1 incident, $2 measure id). */
static enum fk_code add_rollout(struct fk_store *st, const char *scope, const char *select_sql,
                                int64_t incident, int64_t measure, struct fk_err *err)
{
	struct fk_buf sql = FK_BUF_INIT;
	struct fk_stmt *s;
	(void)fk_buf_addf(&sql,
	                  "INSERT INTO rollout_entries (measure_id, asset_id, scope, state) SELECT "
	                  "$2, x.id, $3, 'pending' FROM (%s) x WHERE x.id NOT IN (SELECT asset_id "
	                  "FROM sweep_entries WHERE incident_id = $1 AND state = 'retired') ON "
	                  "CONFLICT (measure_id, asset_id) DO NOTHING",
	                  select_sql);
	enum fk_code rc = prep(st, sql.ptr, &s, err);
	fk_buf_release(&sql);
	if (rc)
		return rc;
	bind_int(s, 1, incident);
	bind_int(s, 2, measure);
	bind_text(s, 3, scope);
	rc = step_done(s, err);
	finalize(s);
	return rc;
}

static enum fk_code rollout_count(struct fk_store *st, int64_t measure, int64_t *n,
                                  struct fk_err *err)
{
	struct fk_stmt *s;
	bool row = false;
	enum fk_code rc =
	    prep(st, "SELECT COUNT(*) FROM rollout_entries WHERE measure_id = $1", &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, measure);
	if (!(rc = step(s, &row, err)) && row)
		*n = col_int(s, 0);
	finalize(s);
	return rc;
}

enum fk_code fk_store_rollout_create(struct fk_store *st, int64_t incident,
                                     const struct fk_measure *m, unsigned scope, int64_t *added,
                                     struct fk_err *err)
{
	int64_t before = 0, after = 0;
	enum fk_code rc = need_tx(st, err);
	if (!rc)
		rc = rollout_count(st, m->id, &before, err);
	/* The first scope to add an asset names it: affected, then spares and backups (so they
	 * show as such), then the rest of the sweep, then everything. */
	if (!rc && (scope & FK_SCOPE_AFFECTED))
		rc =
		    add_rollout(st, "affected",
		                "SELECT asset_id AS id FROM incident_assets WHERE incident_id = $1",
		                incident, m->id, err);
	if (!rc && (scope & FK_SCOPE_SPARES))
		/* Spares, standby and DR systems, backups and golden images of any system in the
		 * incident or its sweep, and spares the sweep itself found. */
		rc = add_rollout(
		    st, "spare",
		    "SELECT b.id FROM assets b WHERE b.backup_of IN (SELECT a.name FROM "
		    "assets a WHERE a.id IN (SELECT asset_id FROM incident_assets WHERE "
		    "incident_id = $1) OR a.id IN (SELECT asset_id FROM sweep_entries WHERE "
		    "incident_id = $1)) UNION SELECT e.asset_id FROM sweep_entries e JOIN "
		    "assets c ON c.id = e.asset_id WHERE e.incident_id = $1 AND c.spare = 1",
		    incident, m->id, err);
	if (!rc && (scope & FK_SCOPE_SIMILAR))
		rc = add_rollout(
		    st, "similar",
		    "SELECT asset_id AS id FROM sweep_entries WHERE incident_id = $1 AND "
		    "state <> 'retired'",
		    incident, m->id, err);
	if (!rc && (scope & FK_SCOPE_ALL))
		rc = add_rollout(st, "all", "SELECT id FROM assets WHERE $1 = $1", incident, m->id,
		                 err);
	if (!rc)
		rc = rollout_count(st, m->id, &after, err);
	*added = after - before;
	if (!rc) {
		char key[16], count[32];
		snprintf(key, sizeof key, "M%d", m->no);
		snprintf(count, sizeof count, "%lld", (long long)*added);
		rc = fk_st_record(st, incident, "measure", key, "rollout", NULL, count, err);
	}
	return rc ? rc : fk_st_touch(st, incident, err);
}

#define ROLLOUT_COLS                                                                               \
	ASSET_COLS ", r.scope, r.state, r.reason, r.accepted_by, r.updated_at, r.updated_by"

static void read_rollout(struct fk_stmt *s, struct fk_rollout_entry *e)
{
	read_asset(s, 0, &e->asset);
	e->scope = col_dup(s, ASSET_NCOLS);
	e->state = col_enum(s, ASSET_NCOLS + 1, fk_rollout_states, FK_RO_COUNT);
	e->reason = col_dup(s, ASSET_NCOLS + 2);
	e->accepted_by = col_dup(s, ASSET_NCOLS + 3);
	e->updated_at = col_time(s, ASSET_NCOLS + 4);
	e->updated_by = col_dup(s, ASSET_NCOLS + 5);
}

enum fk_code fk_store_rollout_entry_get(struct fk_store *st, const struct fk_measure *m,
                                        const char *asset, struct fk_rollout_entry *out,
                                        struct fk_err *err)
{
	static const char sql[] = "SELECT " ROLLOUT_COLS " FROM rollout_entries r JOIN assets a ON "
	                          "a.id = r.asset_id WHERE r.measure_id = $1 AND a.name = $2";
	struct fk_stmt *s;
	bool row = false;
	enum fk_code rc = fk_st_cached(st, sql, &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, m->id);
	bind_text(s, 2, asset);
	rc = step(s, &row, err);
	if (!rc && row)
		read_rollout(s, out);
	s->ops->reset(s);
	if (!rc && !row)
		rc = FK_ERR(err, FK_ENOTFOUND, "asset",
		            "'%s' is not in the rollout of M%d: see 'fukkyu measure status'",
		            "'%s' は M%d の展開対象にありません: 'fukkyu measure status' "
		            "で確認してください",
		            asset, m->no);
	return rc;
}

enum fk_code fk_store_rollout_entry_set(struct fk_store *st, int64_t incident,
                                        const struct fk_measure *m,
                                        const struct fk_rollout_entry *e, int state,
                                        const char *reason, const char *accepted_by,
                                        struct fk_err *err)
{
	static const char sql[] =
	    "UPDATE rollout_entries SET state = $3, reason = $4, accepted_by = "
	    "$5, updated_at = $6, updated_by = $7 WHERE measure_id = $1 AND "
	    "asset_id = $2";
	char key[300];
	struct fk_stmt *s;
	snprintf(key, sizeof key, "M%d %s", m->no, e->asset.col[FK_ACOL_NAME]);
	enum fk_code rc = need_tx(st, err);
	if (!rc && state != e->state)
		rc = fk_st_record(st, incident, "rollout", key, "state",
		                  fk_rollout_states[e->state].key, fk_rollout_states[state].key,
		                  err);
	if (!rc)
		rc =
		    fk_st_diff_text(st, incident, "rollout", key, "reason", e->reason, reason, err);
	if (!rc)
		rc = fk_st_diff_text(st, incident, "rollout", key, "accepted_by", e->accepted_by,
		                     accepted_by, err);
	if (!rc)
		rc = fk_st_cached(st, sql, &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, m->id);
	bind_int(s, 2, e->asset.id);
	bind_text(s, 3, fk_rollout_states[state].key);
	bind_text(s, 4, reason);
	bind_text(s, 5, accepted_by);
	bind_time(s, 6, st->now);
	bind_text(s, 7, st->actor);
	return step_done(s, err);
}

enum fk_code fk_store_rollout_each(struct fk_store *st, const struct fk_measure *m, int state,
                                   fk_rollout_cb cb, void *ctx, struct fk_err *err)
{
	struct fk_stmt *s;
	bool row;
	enum fk_code rc =
	    prep(st,
	         "SELECT " ROLLOUT_COLS " FROM rollout_entries r JOIN assets a ON a.id "
	         "= r.asset_id WHERE r.measure_id = $1 AND (CAST($2 AS TEXT) IS NULL OR r.state = "
	         "$2) ORDER BY a.name",
	         &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, m->id);
	bind_text(s, 2, state >= 0 ? fk_rollout_states[state].key : NULL);
	while (!(rc = step(s, &row, err)) && row) {
		struct fk_rollout_entry e;
		read_rollout(s, &e);
		rc = cb(ctx, &e);
		fk_rollout_entry_release(&e);
		if (rc)
			break;
	}
	finalize(s);
	return rc;
}

enum fk_code fk_store_rollout_counts(struct fk_store *st, const struct fk_measure *m,
                                     int64_t by_state[FK_RO_COUNT], struct fk_err *err)
{
	struct fk_stmt *s;
	bool row;
	memset(by_state, 0, sizeof(int64_t) * FK_RO_COUNT);
	enum fk_code rc = prep(st,
	                       "SELECT state, COUNT(*) FROM rollout_entries WHERE measure_id = $1 "
	                       "GROUP BY state",
	                       &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, m->id);
	while (!(rc = step(s, &row, err)) && row)
		by_state[col_enum(s, 0, fk_rollout_states, FK_RO_COUNT)] += col_int(s, 1);
	finalize(s);
	return rc;
}

enum fk_code fk_store_rollout_pending(struct fk_store *st, int64_t incident, size_t max,
                                      struct fk_buf *list, size_t *n, struct fk_err *err)
{
	struct fk_stmt *s;
	bool row;
	*n = 0;
	enum fk_code rc =
	    prep(st,
	         "SELECT m.no, a.name FROM rollout_entries r JOIN measures m ON m.id = "
	         "r.measure_id JOIN assets a ON a.id = r.asset_id WHERE m.incident_id "
	         "= $1 AND r.state = 'pending' ORDER BY m.no, a.name",
	         &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, incident);
	while (!(rc = step(s, &row, err)) && row)
		if ((*n)++ < max)
			(void)fk_buf_addf(list, "%sM%lld %s", list->len ? ", " : "",
			                  (long long)col_int(s, 0), col_text(s, 1));
	finalize(s);
	return rc;
}

enum fk_code fk_store_sweep_summaries(struct fk_store *st, struct fk_sweep_summary **out, size_t *n,
                                      struct fk_err *err)
{
	struct fk_stmt *s;
	bool row;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	enum fk_code rc = prep(
	    st,
	    "SELECT incident_id, SUM(t), SUM(c), SUM(rt), SUM(rd) FROM ("
	    "SELECT incident_id, COUNT(*) AS t, SUM(CASE WHEN state IN ('unchecked', 'checking') "
	    "THEN 0 ELSE 1 END) AS c, 0 AS rt, 0 AS rd FROM sweep_entries GROUP BY incident_id "
	    "UNION ALL SELECT m.incident_id, 0, 0, COUNT(*), SUM(CASE WHEN r.state = 'pending' "
	    "THEN 0 ELSE 1 END) FROM rollout_entries r JOIN measures m ON m.id = r.measure_id "
	    "GROUP "
	    "BY m.incident_id) x GROUP BY incident_id ORDER BY incident_id",
	    &s, err);
	if (rc)
		return rc;
	while (!(rc = step(s, &row, err)) && row) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*out = fk_xrealloc(*out, cap * sizeof **out);
		}
		(*out)[(*n)++] = (struct fk_sweep_summary){
		    col_int(s, 0), col_int(s, 1), col_int(s, 2), col_int(s, 3), col_int(s, 4)};
	}
	finalize(s);
	return rc;
}
