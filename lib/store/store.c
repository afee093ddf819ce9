/*
 * store.c - the domain operations of store.h, written once over the thin SQL layer.
 *
 * Queries use $N parameters and ISO 8601 UTC text for times so that the same text runs on
 * every backend. Each write function records its field-level changes in `changes` inside
 * the caller's transaction.
 */
#include "fukkyu/common.h"
#include "store/store_int.h"
#include "util/buf.h"
#include "util/embed.h"
#include "util/time.h"
#include "util/utf8.h"

#include <ctype.h>

static bool str_differs(const char *a, const char *b)
{
	if (!a || !b)
		return a != b;
	return strcmp(a, b) != 0;
}

/* Records a text field if it changed. */
enum fk_code fk_st_diff_text(struct fk_store *st, int64_t inc, const char *entity, const char *key,
                             const char *field, const char *a, const char *b, struct fk_err *err)
{
	if (!str_differs(a, b))
		return FK_OK;
	return fk_st_record(st, inc, entity, key, field, a, b, err);
}

enum fk_code fk_st_diff_time(struct fk_store *st, int64_t inc, const char *entity, const char *key,
                             const char *field, int64_t a, int64_t b, struct fk_err *err)
{
	char sa[32], sb[32];
	if (a == b)
		return FK_OK;
	if (a != FK_TIME_NONE)
		fk_time_utc(a, sa);
	if (b != FK_TIME_NONE)
		fk_time_utc(b, sb);
	return fk_st_record(st, inc, entity, key, field, a == FK_TIME_NONE ? NULL : sa,
	                    b == FK_TIME_NONE ? NULL : sb, err);
}

enum fk_code fk_st_diff_int(struct fk_store *st, int64_t inc, const char *entity, const char *key,
                            const char *field, int64_t a, int64_t b, struct fk_err *err)
{
	char sa[24], sb[24];
	if (a == b)
		return FK_OK;
	snprintf(sa, sizeof sa, "%lld", (long long)a);
	snprintf(sb, sizeof sb, "%lld", (long long)b);
	return fk_st_record(st, inc, entity, key, field, sa, sb, err);
}

/* Steps s (prepared and bound) to the end, one zeroed element of elem bytes per row filled by
 * read_row, into a new array at *outp (a pointer to the caller's array pointer, whatever its
 * element type); finalizes s, or resets it when it is a cached one. */
enum fk_code fk_st_collect_(struct fk_stmt *s, bool cached, size_t elem,
                            void (*read_row)(struct fk_stmt *s, void *elem), void *outp, size_t *n,
                            struct fk_err *err)
{
	char *arr = NULL;
	size_t cap = 0;
	bool row;
	enum fk_code rc;
	*n = 0;
	while (!(rc = step(s, &row, err)) && row) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			arr = fk_xrealloc(arr, cap * elem);
		}
		memset(arr + *n * elem, 0, elem);
		read_row(s, arr + (*n)++ * elem);
	}
	if (cached)
		s->ops->reset(s);
	else
		finalize(s);
	memcpy(outp, &arr, sizeof arr); /* the caller's array pointer, whatever its type */
	return rc;
}

enum fk_code fk_st_list_(struct fk_store *st, bool cached, const char *sql, int64_t param,
                         size_t elem, void (*read_row)(struct fk_stmt *s, void *elem), void *outp,
                         size_t *n, struct fk_err *err)
{
	struct fk_stmt *s;
	void *none = NULL;
	*n = 0;
	memcpy(outp, &none, sizeof none);
	enum fk_code rc = cached ? fk_st_cached(st, sql, &s, err) : prep(st, sql, &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, param);
	return fk_st_collect_(s, cached, elem, read_row, outp, n, err);
}

/* ---- opening and migrations ---------------------------------------------------------- */

#define MIGRATIONS_PREFIX "lib/store/sql/"

/* The embedded migration of backend with number v, or NULL. */
static const struct fk_embedded *migration(const char *backend, int v)
{
	char prefix[64];
	int n = snprintf(prefix, sizeof prefix, MIGRATIONS_PREFIX "%s/%04d_", backend, v);
	for (const struct fk_embedded *e = fk_embedded_files; e->name; e++)
		if (!strncmp(e->name, prefix, (size_t)n))
			return e;
	return NULL;
}

int fk_store_known_version(void)
{
	int v = 0;
	while (migration("sqlite", v + 1))
		v++;
	return v;
}

static enum fk_code schema_version(struct fk_store *st, int *version, struct fk_err *err)
{
	struct fk_stmt *s;
	bool row;
	*version = 0;
	if (!OPS(st)->has_table(st->db, "schema_migrations"))
		return FK_OK;
	enum fk_code rc =
	    prep(st, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", &s, err);
	if (!rc)
		rc = step(s, &row, err);
	if (!rc && row)
		*version = (int)col_int(s, 0);
	finalize(s);
	return rc;
}

static bool is_sqlite_url(const char *url, const char **path)
{
	if (!strncmp(url, "sqlite:", 7)) {
		*path = url + 7;
		return true;
	}
	*path = url;
	return strncmp(url, "postgresql://", 13) && strncmp(url, "postgres://", 11);
}

enum fk_code fk_store_open(const char *url, bool create, struct fk_store **out, struct fk_err *err)
{
	const char *path;
	struct fk_db *db;
	if (!url || !*url)
		return FK_ERR0(err, FK_EUSAGE, "--db",
		               "no database given: use --db PATH or set FUKKYU_DB",
		               "データベースが指定されていません: --db PATH か環境変数 FUKKYU_DB "
		               "で指定してください");
	enum fk_code rc = is_sqlite_url(url, &path) ? fk_db_sqlite_open(path, create, &db, err)
	                                            : fk_db_pg_open(url, &db, err);
	if (rc)
		return rc;
	path = db->name; /* messages never show a password */
	struct fk_store *st = fk_xcalloc(1, sizeof *st);
	st->origin = "cli";
	st->db = db;
	int version;
	rc = schema_version(st, &version, err);
	int known = fk_store_known_version();
	if (!rc && version > known)
		rc = FK_ERR(
		    err, FK_EVERSION, "--db",
		    "database '%s' has schema version %d, newer than this fukkyu knows (%d): "
		    "use a newer fukkyu",
		    "データベース '%s' のスキーマ版 %d は、この fukkyu が扱える版 (%d) より"
		    "新しいです: 新しい fukkyu を使ってください",
		    path, version, known);
	else if (!rc && !create && version == 0)
		rc = FK_ERR(err, FK_ENOTFOUND, "--db",
		            "database '%s' is not initialised: run 'fukkyu --db %s init'",
		            "データベース '%s' は初期化されていません: 'fukkyu --db %s init' を"
		            "実行してください",
		            path, path);
	else if (!rc && !create && version < known)
		rc = FK_ERR(err, FK_EVERSION, "--db",
		            "database '%s' has schema version %d and needs upgrading to %d: run "
		            "'fukkyu --db %s init'",
		            "データベース '%s' のスキーマ版 %d は %d への更新が必要です: "
		            "'fukkyu --db %s init' を実行してください",
		            path, version, known, path);
	if (rc) {
		fk_store_close(st);
		return rc;
	}
	*out = st;
	return FK_OK;
}

enum fk_code fk_st_cached(struct fk_store *st, const char *sql, struct fk_stmt **out,
                          struct fk_err *err)
{
	size_t i = 0;
	for (; i < FK_STMT_CACHE && st->cache[i].sql; i++) {
		if (st->cache[i].sql == sql) {
			st->cache[i].stmt->ops->reset(st->cache[i].stmt);
			*out = st->cache[i].stmt;
			return FK_OK;
		}
	}
	if (i == FK_STMT_CACHE)
		abort(); /* raise FK_STMT_CACHE: the set of cached queries is fixed in the code */
	enum fk_code rc = prep(st, sql, out, err);
	if (!rc) {
		st->cache[i].sql = sql;
		st->cache[i].stmt = *out;
	}
	return rc;
}

void fk_store_close(struct fk_store *st)
{
	if (!st)
		return;
	fk_store_rollback(st);
	for (size_t i = 0; i < FK_STMT_CACHE && st->cache[i].sql; i++)
		finalize(st->cache[i].stmt);
	OPS(st)->close(st->db);
	free(st->actor);
	free(st);
}

enum fk_code fk_st_migrate_to(struct fk_store *st, int from, int to, struct fk_err *err)
{
	enum fk_code rc = OPS(st)->exec(st->db,
	                                "CREATE TABLE IF NOT EXISTS schema_migrations (version "
	                                "INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT "
	                                "NOT NULL)",
	                                err);
	for (int v = from + 1; !rc && v <= to; v++) {
		const struct fk_embedded *m = migration(OPS(st)->backend, v);
		struct fk_stmt *s;
		if (!m) {
			fprintf(stderr, "fukkyu: internal error: no migration %d\n", v);
			abort();
		}
		rc = OPS(st)->exec(st->db, m->data, err);
		if (!rc && v == FK_AUDIT_MIGRATION) /* the history before it joins the chain */
			rc = fk_st_audit_seal(st, err);
		if (!rc)
			rc =
			    prep(st,
			         "INSERT INTO schema_migrations (version, name, applied_at) VALUES "
			         "($1, $2, $3)",
			         &s, err);
		if (!rc) {
			bind_int(s, 1, v);
			bind_text(s, 2, strrchr(m->name, '/') + 1);
			bind_time(s, 3, fk_time_now());
			rc = step_done(s, err);
			finalize(s);
		}
	}
	return rc;
}

enum fk_code fk_store_migrate(struct fk_store *st, int *from, int *to, struct fk_err *err)
{
	int known = fk_store_known_version();
	enum fk_code rc = OPS(st)->begin(st->db, err);
	if (rc)
		return rc;
	int v = 0;
	rc = schema_version(st, &v, err);
	*from = v;
	if (!rc && v < known)
		rc = fk_st_migrate_to(st, v, known, err);
	if (!rc)
		rc = OPS(st)->commit(st->db, err);
	if (rc)
		OPS(st)->rollback(st->db);
	*to = rc ? *from : (v < known ? known : v);
	return rc;
}

enum fk_code fk_store_begin(struct fk_store *st, const char *actor, int64_t now, struct fk_err *err)
{
	enum fk_code rc = OPS(st)->begin(st->db, err);
	if (rc)
		return rc;
	free(st->actor);
	st->actor = fk_xstrdup(actor);
	st->now = now;
	fk_time_utc(now, st->now_text);
	st->chain_loaded = false; /* another process may have written since */
	st->in_tx = true;
	return FK_OK;
}

/* A statement stepped to a row but not to its end keeps the transaction busy: reset all the
 * cached ones before ending a transaction. */
static void reset_cached(struct fk_store *st)
{
	for (size_t i = 0; i < FK_STMT_CACHE && st->cache[i].sql; i++)
		st->cache[i].stmt->ops->reset(st->cache[i].stmt);
}

enum fk_code fk_store_read_begin(struct fk_store *st, struct fk_err *err)
{
	return OPS(st)->begin_read(st->db, err);
}

void fk_store_read_end(struct fk_store *st)
{
	reset_cached(st);
	OPS(st)->rollback(st->db); /* nothing was written: ending it either way is the same */
}

enum fk_code fk_store_commit(struct fk_store *st, struct fk_err *err)
{
	/* A write over a stale revision fails even when it would change nothing. */
	if (st->expect.set && !st->expect.checked) {
		enum fk_code rc = fk_st_check_expected(st, err);
		if (rc) {
			fk_store_rollback(st);
			return rc;
		}
	}
	reset_cached(st);
	enum fk_code rc = OPS(st)->commit(st->db, err);
	if (rc)
		OPS(st)->rollback(st->db);
	st->in_tx = false;
	return rc;
}

void fk_store_rollback(struct fk_store *st)
{
	reset_cached(st);
	st->bulk_append = false;
	OPS(st)->rollback(st->db);
	st->in_tx = false;
}

/* ---- incidents ------------------------------------------------------------------------ */

#define INCIDENT_COLS                                                                              \
	"id, ref, title, kind, severity, state, discovered_at, contained_at, description, pii, "   \
	"pii_count, pii_sensitive, playbook, created_at, created_by, updated_at, pii_financial, "  \
	"pii_unlawful, pii_eu, recovery_deadline, monitoring_end, pii_items, pii_harm, clocks_ntp"

static void read_incident(struct fk_stmt *s, struct fk_incident *inc)
{
	inc->id = col_int(s, 0);
	inc->ref = col_dup(s, 1);
	inc->title = col_dup(s, 2);
	inc->kind = col_enum(s, 3, fk_kinds, FK_KIND_COUNT);
	inc->severity = col_enum(s, 4, fk_severities, FK_SEV_COUNT);
	inc->state = col_enum(s, 5, fk_states, FK_STATE_COUNT);
	inc->discovered_at = col_time(s, 6);
	inc->contained_at = col_time(s, 7);
	inc->description = col_dup(s, 8);
	inc->pii = col_int(s, 9) != 0;
	inc->pii_count = s->ops->col_null(s, 10) ? -1 : col_int(s, 10);
	inc->pii_sensitive = col_int(s, 11) != 0;
	inc->playbook = col_dup(s, 12);
	inc->created_at = col_time(s, 13);
	inc->created_by = col_dup(s, 14);
	inc->updated_at = col_time(s, 15);
	inc->pii_financial = s->ops->col_null(s, 16) ? -1 : (int)col_int(s, 16);
	inc->pii_unlawful = s->ops->col_null(s, 17) ? -1 : (int)col_int(s, 17);
	inc->pii_eu = s->ops->col_null(s, 18) ? -1 : (int)col_int(s, 18);
	inc->recovery_deadline = col_time(s, 19);
	inc->monitoring_end = col_time(s, 20);
	inc->pii_items = col_dup(s, 21);
	inc->pii_harm = col_dup(s, 22);
	inc->clocks_ntp = s->ops->col_null(s, 23) ? -1 : (int)col_int(s, 23);
}

enum fk_code fk_store_incident_insert(struct fk_store *st, struct fk_incident *inc, int ref_year,
                                      struct fk_err *err)
{
	struct fk_stmt *s = NULL;
	bool row = false;
	int64_t seq = 1;
	enum fk_code rc = need_tx(st, err);
	if (!rc)
		rc = prep(st,
		          "SELECT COALESCE(MAX(ref_seq), 0) + 1 FROM incidents WHERE ref_year = $1",
		          &s, err);
	if (!rc) {
		bind_int(s, 1, ref_year);
		rc = step(s, &row, err);
		if (!rc && row)
			seq = col_int(s, 0);
		finalize(s);
	}
	if (rc)
		return rc;
	char ref[32];
	snprintf(ref, sizeof ref, "INC-%04d-%04lld", ref_year, (long long)seq);
	rc = prep(st,
	          "INSERT INTO incidents (ref, ref_year, ref_seq, title, kind, severity, state, "
	          "discovered_at, contained_at, description, pii, pii_count, pii_sensitive, "
	          "playbook, created_at, created_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, "
	          "$7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $15) RETURNING id",
	          &s, err);
	if (rc)
		return rc;
	bind_text(s, 1, ref);
	bind_int(s, 2, ref_year);
	bind_int(s, 3, seq);
	bind_text(s, 4, inc->title);
	bind_text(s, 5, fk_kinds[inc->kind].key);
	bind_text(s, 6, fk_severities[inc->severity].key);
	bind_text(s, 7, fk_states[inc->state].key);
	bind_time(s, 8, inc->discovered_at);
	bind_time(s, 9, inc->contained_at);
	bind_text(s, 10, inc->description ? inc->description : "");
	bind_int(s, 11, inc->pii);
	if (inc->pii_count >= 0)
		bind_int(s, 12, inc->pii_count);
	else
		bind_text(s, 12, NULL);
	bind_int(s, 13, inc->pii_sensitive);
	bind_text(s, 14, inc->playbook);
	bind_time(s, 15, st->now);
	bind_text(s, 16, st->actor);
	rc = step(s, &row, err);
	if (!rc && row)
		inc->id = col_int(s, 0);
	finalize(s);
	if (rc)
		return rc;
	free(inc->ref);
	inc->ref = fk_xstrdup(ref);
	free(inc->created_by);
	inc->created_by = fk_xstrdup(st->actor);
	inc->created_at = inc->updated_at = st->now;
	return fk_st_record(st, inc->id, "incident", ref, "created", NULL, inc->title, err);
}

static bool all_digits(const char *s)
{
	if (!*s || strlen(s) > 18)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

enum fk_code fk_store_incident_not_found(const char *id_or_ref, struct fk_err *err)
{
	return FK_ERR(err, FK_ENOTFOUND, "incident",
	              "no incident '%s': see 'fukkyu incident list' for ids and references",
	              "インシデント '%s' はありません: ID と参照番号は 'fukkyu incident list' "
	              "で確認できます",
	              id_or_ref);
}

enum fk_code fk_store_incident_find(struct fk_store *st, const char *id_or_ref,
                                    struct fk_incident *out, struct fk_err *err)
{
	struct fk_stmt *s;
	bool row = false, by_id = all_digits(id_or_ref);
	if (!fk_utf8_valid(id_or_ref, strlen(id_or_ref))) /* no reference is such text */
		return fk_store_incident_not_found(id_or_ref, err);
	/* Cached (the server looks an incident up on every request), and reset at once so
	 * that no read snapshot stays open. */
	enum fk_code rc =
	    fk_st_cached(st,
	                 by_id ? "SELECT " INCIDENT_COLS " FROM incidents WHERE id = $1"
	                       : "SELECT " INCIDENT_COLS " FROM incidents WHERE ref = upper($1)",
	                 &s, err);
	if (rc)
		return rc;
	if (by_id)
		bind_int(s, 1, strtoll(id_or_ref, NULL, 10));
	else
		bind_text(s, 1, id_or_ref);
	rc = step(s, &row, err);
	if (!rc && row)
		read_incident(s, out);
	s->ops->reset(s);
	if (!rc && !row)
		rc = fk_store_incident_not_found(id_or_ref, err);
	return rc;
}

enum fk_code fk_store_incident_update(struct fk_store *st, const struct fk_incident *a,
                                      const struct fk_incident *b, struct fk_err *err)
{
	const char *E = "incident";
	int64_t id = a->id;
	const char *k = a->ref;
	enum fk_code rc = need_tx(st, err);
	if (!rc)
		rc = fk_st_diff_text(st, id, E, k, "title", a->title, b->title, err);
	if (!rc && a->kind != b->kind)
		rc = fk_st_record(st, id, E, k, "kind", fk_kinds[a->kind].key,
		                  fk_kinds[b->kind].key, err);
	if (!rc && a->severity != b->severity)
		rc = fk_st_record(st, id, E, k, "severity", fk_severities[a->severity].key,
		                  fk_severities[b->severity].key, err);
	if (!rc && a->state != b->state)
		rc = fk_st_record(st, id, E, k, "state", fk_states[a->state].key,
		                  fk_states[b->state].key, err);
	if (!rc)
		rc = fk_st_diff_time(st, id, E, k, "discovered_at", a->discovered_at,
		                     b->discovered_at, err);
	if (!rc)
		rc = fk_st_diff_time(st, id, E, k, "contained_at", a->contained_at, b->contained_at,
		                     err);
	if (!rc)
		rc = fk_st_diff_text(st, id, E, k, "description", a->description, b->description,
		                     err);
	if (!rc)
		rc = fk_st_diff_int(st, id, E, k, "pii", a->pii, b->pii, err);
	if (!rc)
		rc = fk_st_diff_int(st, id, E, k, "pii_count", a->pii_count, b->pii_count, err);
	if (!rc)
		rc = fk_st_diff_int(st, id, E, k, "pii_sensitive", a->pii_sensitive,
		                    b->pii_sensitive, err);
	if (!rc)
		rc = fk_st_diff_int(st, id, E, k, "pii_financial", a->pii_financial,
		                    b->pii_financial, err);
	if (!rc)
		rc = fk_st_diff_int(st, id, E, k, "pii_unlawful", a->pii_unlawful, b->pii_unlawful,
		                    err);
	if (!rc)
		rc = fk_st_diff_int(st, id, E, k, "pii_eu", a->pii_eu, b->pii_eu, err);
	if (!rc)
		rc = fk_st_diff_time(st, id, E, k, "recovery_deadline", a->recovery_deadline,
		                     b->recovery_deadline, err);
	if (!rc)
		rc = fk_st_diff_time(st, id, E, k, "monitoring_end", a->monitoring_end,
		                     b->monitoring_end, err);
	if (!rc)
		rc = fk_st_diff_text(st, id, E, k, "pii_items", a->pii_items, b->pii_items, err);
	if (!rc)
		rc = fk_st_diff_text(st, id, E, k, "pii_harm", a->pii_harm, b->pii_harm, err);
	if (!rc)
		rc = fk_st_diff_int(st, id, E, k, "clocks_ntp", a->clocks_ntp, b->clocks_ntp, err);
	if (rc)
		return rc;
	struct fk_stmt *s;
	rc = prep(
	    st,
	    "UPDATE incidents SET title = $2, kind = $3, severity = $4, state = $5, "
	    "discovered_at = $6, contained_at = $7, description = $8, pii = $9, pii_count = "
	    "$10, pii_sensitive = $11, updated_at = $12, pii_financial = $13, pii_unlawful = "
	    "$14, pii_eu = $15, recovery_deadline = $16, monitoring_end = $17, pii_items = $18, "
	    "pii_harm = $19, clocks_ntp = $20 WHERE id = $1",
	    &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, id);
	bind_text(s, 2, b->title);
	bind_text(s, 3, fk_kinds[b->kind].key);
	bind_text(s, 4, fk_severities[b->severity].key);
	bind_text(s, 5, fk_states[b->state].key);
	bind_time(s, 6, b->discovered_at);
	bind_time(s, 7, b->contained_at);
	bind_text(s, 8, b->description ? b->description : "");
	bind_int(s, 9, b->pii);
	if (b->pii_count >= 0)
		bind_int(s, 10, b->pii_count);
	else
		bind_text(s, 10, NULL);
	bind_int(s, 11, b->pii_sensitive);
	bind_time(s, 12, st->now);
	const int tri[] = {b->pii_financial, b->pii_unlawful, b->pii_eu};
	for (int i = 0; i < 3; i++)
		if (tri[i] >= 0)
			bind_int(s, 13 + i, tri[i]);
		else
			bind_text(s, 13 + i, NULL);
	bind_time(s, 16, b->recovery_deadline);
	bind_time(s, 17, b->monitoring_end);
	bind_text(s, 18, b->pii_items);
	bind_text(s, 19, b->pii_harm);
	if (b->clocks_ntp >= 0)
		bind_int(s, 20, b->clocks_ntp);
	else
		bind_text(s, 20, NULL);
	rc = step_done(s, err);
	finalize(s);
	return rc;
}

static void row_incident_list(struct fk_stmt *s, void *elem)
{
	read_incident(s, elem);
}

enum fk_code fk_store_incident_list(struct fk_store *st, bool include_closed,
                                    struct fk_incident **out, size_t *n, struct fk_err *err)
{
	return FK_ST_LIST(st,
	                  "SELECT " INCIDENT_COLS " FROM incidents WHERE $1 = 1 OR state <> "
	                  "'closed' ORDER BY discovered_at DESC, id DESC",
	                  include_closed, out, n, row_incident_list, err);
}

/* Marks the incident as changed now (for "last updated" on boards). */
enum fk_code fk_st_touch(struct fk_store *st, int64_t incident, struct fk_err *err)
{
	struct fk_stmt *s;
	enum fk_code rc = prep(st, "UPDATE incidents SET updated_at = $2 WHERE id = $1", &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, incident);
	bind_time(s, 2, st->now);
	rc = step_done(s, err);
	finalize(s);
	return rc;
}

/* ---- phases and tasks ----------------------------------------------------------------- */

enum fk_code fk_store_tasks_insert(struct fk_store *st, int64_t incident,
                                   const struct fk_phase *phases, size_t n_phases,
                                   const struct fk_task *tasks, size_t n, struct fk_err *err)
{
	struct fk_stmt *s;
	enum fk_code rc = need_tx(st, err);
	if (!rc)
		rc = prep(st,
		          "INSERT INTO phases (incident_id, no, key, title_ja, title_en, finished, "
		          "total) VALUES ($1, $2, $3, $4, $5, $6, $7)",
		          &s, err);
	if (rc)
		return rc;
	for (size_t i = 0; !rc && i < n_phases; i++) {
		int64_t finished = 0, total = 0;
		for (size_t k = 0; k < n; k++) {
			if (tasks[k].phase != phases[i].no)
				continue;
			total++;
			finished += fk_task_finished(&tasks[k]);
		}
		s->ops->reset(s);
		bind_int(s, 1, incident);
		bind_int(s, 2, phases[i].no);
		bind_text(s, 3, phases[i].key);
		bind_text(s, 4, phases[i].title_ja);
		bind_text(s, 5, phases[i].title_en);
		bind_int(s, 6, finished);
		bind_int(s, 7, total);
		rc = step_done(s, err);
	}
	finalize(s);
	if (rc)
		return rc;
	rc = prep(st,
	          "INSERT INTO tasks (incident_id, item_id, phase, seq, group_key, group_ja, "
	          "group_en, title_ja, title_en, why_ja, why_en, approval, state, due_at) VALUES "
	          "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
	          &s, err);
	if (rc)
		return rc;
	for (size_t i = 0; !rc && i < n; i++) {
		const struct fk_task *t = &tasks[i];
		s->ops->reset(s);
		bind_int(s, 1, incident);
		bind_text(s, 2, t->item_id);
		bind_int(s, 3, t->phase);
		bind_int(s, 4, t->seq);
		bind_text(s, 5, t->group_key);
		bind_text(s, 6, t->group_ja);
		bind_text(s, 7, t->group_en);
		bind_text(s, 8, t->title_ja);
		bind_text(s, 9, t->title_en);
		bind_text(s, 10, t->why_ja);
		bind_text(s, 11, t->why_en);
		bind_int(s, 12, t->approval);
		bind_text(s, 13, fk_task_states[t->state].key);
		bind_time(s, 14, t->due_at);
		rc = step_done(s, err);
	}
	finalize(s);
	if (!rc) {
		char count[24];
		snprintf(count, sizeof count, "%zu", n);
		rc = fk_st_record(st, incident, "playbook", NULL, "items", NULL, count, err);
	}
	return rc;
}

enum fk_code fk_store_phases_get(struct fk_store *st, int64_t incident, struct fk_phase **out,
                                 size_t *n, struct fk_err *err)
{
	struct fk_stmt *s;
	bool row;
	*out = fk_xcalloc(8, sizeof **out);
	*n = 0;
	enum fk_code rc = prep(st,
	                       "SELECT no, key, title_ja, title_en FROM phases WHERE incident_id = "
	                       "$1 ORDER BY no",
	                       &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, incident);
	while (!(rc = step(s, &row, err)) && row && *n < 8) {
		struct fk_phase *p = &(*out)[(*n)++];
		p->no = (int)col_int(s, 0);
		p->key = col_dup(s, 1);
		p->title_ja = col_dup(s, 2);
		p->title_en = col_dup(s, 3);
	}
	finalize(s);
	return rc;
}

static void row_tasks_get(struct fk_stmt *s, void *elem)
{
	struct fk_task *t = elem;
	t->item_id = col_dup(s, 0);
	t->phase = (int)col_int(s, 1);
	t->seq = (int)col_int(s, 2);
	t->group_key = col_dup(s, 3);
	t->group_ja = col_dup(s, 4);
	t->group_en = col_dup(s, 5);
	t->title_ja = col_dup(s, 6);
	t->title_en = col_dup(s, 7);
	t->why_ja = col_dup(s, 8);
	t->why_en = col_dup(s, 9);
	t->approval = col_int(s, 10) != 0;
	t->state = col_enum(s, 11, fk_task_states, FK_TASK_COUNT);
	t->na_reason = col_dup(s, 12);
	t->owner = col_dup(s, 13);
	t->due_at = col_time(s, 14);
	t->note = col_dup(s, 15);
	t->updated_at = col_time(s, 16);
	t->updated_by = col_dup(s, 17);
}

enum fk_code fk_store_tasks_get(struct fk_store *st, int64_t incident, struct fk_task **out,
                                size_t *n, struct fk_err *err)
{
	return FK_ST_LIST(st,
	                  "SELECT item_id, phase, seq, group_key, group_ja, group_en, title_ja, "
	                  "title_en, why_ja, why_en, approval, state, na_reason, owner, due_at, "
	                  "note, updated_at, updated_by FROM tasks WHERE incident_id = $1 "
	                  "ORDER BY seq",
	                  incident, out, n, row_tasks_get, err);
}

enum fk_code fk_store_task_update(struct fk_store *st, int64_t incident, const struct fk_task *a,
                                  const struct fk_task *b, struct fk_err *err)
{
	const char *E = "task", *k = a->item_id;
	enum fk_code rc = need_tx(st, err);
	if (rc || (a->state == b->state && !str_differs(a->na_reason, b->na_reason) &&
	           !str_differs(a->owner, b->owner) && a->due_at == b->due_at &&
	           !str_differs(a->note, b->note)))
		return rc; /* nothing changes: nothing is written, not even who looked */
	if (a->state != b->state)
		rc = fk_st_record(st, incident, E, k, "state", fk_task_states[a->state].key,
		                  fk_task_states[b->state].key, err);
	if (!rc)
		rc = fk_st_diff_text(st, incident, E, k, "na_reason", a->na_reason, b->na_reason,
		                     err);
	if (!rc)
		rc = fk_st_diff_text(st, incident, E, k, "owner", a->owner, b->owner, err);
	if (!rc)
		rc = fk_st_diff_time(st, incident, E, k, "due_at", a->due_at, b->due_at, err);
	if (!rc)
		rc = fk_st_diff_text(st, incident, E, k, "note", a->note, b->note, err);
	if (rc)
		return rc;
	struct fk_stmt *s;
	rc =
	    prep(st,
	         "UPDATE tasks SET state = $3, na_reason = $4, owner = $5, due_at = $6, note = $7, "
	         "updated_at = $8, updated_by = $9 WHERE incident_id = $1 AND item_id = $2",
	         &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, incident);
	bind_text(s, 2, a->item_id);
	bind_text(s, 3, fk_task_states[b->state].key);
	bind_text(s, 4, b->na_reason);
	bind_text(s, 5, b->owner);
	bind_time(s, 6, b->due_at);
	bind_text(s, 7, b->note);
	bind_time(s, 8, st->now);
	bind_text(s, 9, st->actor);
	rc = step_done(s, err);
	finalize(s);
	int delta = fk_task_finished(b) - fk_task_finished(a);
	if (!rc && delta) {
		rc = prep(
		    st,
		    "UPDATE phases SET finished = finished + $3 WHERE incident_id = $1 AND no = "
		    "$2",
		    &s, err);
		if (!rc) {
			bind_int(s, 1, incident);
			bind_int(s, 2, a->phase);
			bind_int(s, 3, delta);
			rc = step_done(s, err);
			finalize(s);
		}
	}
	if (!rc)
		rc = fk_st_touch(st, incident, err);
	return rc;
}

/* Grows a progress array by one zeroed element. */
static struct fk_progress *progress_push(struct fk_progress **out, size_t *n, size_t *cap)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 256;
		*out = fk_xrealloc(*out, *cap * sizeof **out);
	}
	struct fk_progress *p = &(*out)[(*n)++];
	*p = (struct fk_progress){0, 0, 0, 0, 0, FK_TIME_NONE};
	return p;
}

enum fk_code fk_store_progress(struct fk_store *st, int64_t now, bool include_closed,
                               struct fk_progress **out, size_t *n, struct fk_err *err)
{
	struct fk_stmt *s;
	bool row;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	/* Counts come from the phase counters; overdue and next due from the open tasks that
	 * have a due date (a partial index); both sorted by (incident, phase), then merged. */
	enum fk_code rc = prep(st,
	                       "SELECT p.incident_id, p.no, p.finished, p.total FROM phases p JOIN "
	                       "incidents i ON i.id = p.incident_id WHERE $1 = 1 OR i.state <> "
	                       "'closed' ORDER BY p.incident_id, p.no",
	                       &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, include_closed);
	while (!(rc = step(s, &row, err)) && row) {
		struct fk_progress *p = progress_push(out, n, &cap);
		p->incident = col_int(s, 0);
		p->phase = (int)col_int(s, 1);
		p->finished = (int)col_int(s, 2);
		p->total = (int)col_int(s, 3);
	}
	finalize(s);
	if (rc)
		return rc;
	rc = prep(st,
	          "SELECT incident_id, phase, SUM(CASE WHEN due_at < $1 THEN 1 ELSE 0 END), "
	          "MIN(due_at) FROM tasks WHERE due_at IS NOT NULL AND state IN ('todo', 'doing') "
	          "GROUP BY incident_id, phase ORDER BY incident_id, phase",
	          &s, err);
	if (rc)
		return rc;
	bind_time(s, 1, now);
	size_t k = 0;
	while (!(rc = step(s, &row, err)) && row) {
		int64_t inc = col_int(s, 0);
		int phase = (int)col_int(s, 1);
		while (k < *n && ((*out)[k].incident < inc ||
		                  ((*out)[k].incident == inc && (*out)[k].phase < phase)))
			k++;
		if (k < *n && (*out)[k].incident == inc && (*out)[k].phase == phase) {
			(*out)[k].overdue = (int)col_int(s, 2);
			(*out)[k].next_due = col_time(s, 3);
		}
	}
	finalize(s);
	return rc;
}

/* ---- handover ------------------------------------------------------------------------- */

enum fk_code fk_store_handover_get(struct fk_store *st, int64_t incident, struct fk_handover *out,
                                   struct fk_err *err)
{
	struct fk_stmt *s;
	bool row;
	memset(out, 0, sizeof *out);
	out->updated_at = FK_TIME_NONE;
	enum fk_code rc = prep(st,
	                       "SELECT field, value, updated_at, updated_by FROM handover WHERE "
	                       "incident_id = $1 ORDER BY updated_at",
	                       &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, incident);
	while (!(rc = step(s, &row, err)) && row) {
		int f;
		if (fk_enum_parse(fk_handover_fields, FK_HO_COUNT, col_text(s, 0), "field", &f,
		                  NULL))
			continue;
		free(out->field[f]);
		out->field[f] = col_dup(s, 1);
		out->updated_at = col_time(s, 2);
		free(out->updated_by);
		out->updated_by = col_dup(s, 3);
	}
	finalize(s);
	return rc;
}

enum fk_code fk_store_handover_put(struct fk_store *st, int64_t incident,
                                   const struct fk_handover *a, const struct fk_handover *b,
                                   struct fk_err *err)
{
	enum fk_code rc = need_tx(st, err);
	for (int f = 0; !rc && f < FK_HO_COUNT; f++) {
		if (!str_differs(a->field[f], b->field[f]))
			continue;
		const char *key = fk_handover_fields[f].key;
		struct fk_stmt *s;
		rc = fk_st_record(st, incident, "handover", NULL, key, a->field[f], b->field[f],
		                  err);
		if (!rc)
			rc =
			    prep(st,
			         b->field[f]
			             ? "INSERT INTO handover (incident_id, field, value, "
			               "updated_at, updated_by) VALUES ($1, $2, $3, $4, $5) ON "
			               "CONFLICT (incident_id, field) DO UPDATE SET value = $3, "
			               "updated_at = $4, updated_by = $5"
			             : "DELETE FROM handover WHERE incident_id = $1 AND field = $2",
			         &s, err);
		if (rc)
			break;
		bind_int(s, 1, incident);
		bind_text(s, 2, key);
		if (b->field[f]) {
			bind_text(s, 3, b->field[f]);
			bind_time(s, 4, st->now);
			bind_text(s, 5, st->actor);
		}
		rc = step_done(s, err);
		finalize(s);
	}
	if (!rc)
		rc = fk_st_touch(st, incident, err);
	return rc;
}

/* ---- roles ---------------------------------------------------------------------------- */

static void row_person(struct fk_stmt *s, void *elem)
{
	struct fk_person *p = elem;
	p->id = col_int(s, 0);
	p->role = col_enum(s, 1, fk_roles, FK_ROLE_COUNT);
	p->name = col_dup(s, 2);
	p->org = col_dup(s, 3);
	p->email = col_dup(s, 4);
	p->phone = col_dup(s, 5);
}

enum fk_code fk_store_roles_get(struct fk_store *st, int64_t incident, struct fk_person **out,
                                size_t *n, struct fk_err *err)
{
	return FK_ST_LIST(st,
	                  "SELECT id, role, name, org, email, phone FROM roles WHERE incident_id = "
	                  "$1 ORDER BY id",
	                  incident, out, n, row_person, err);
}

enum fk_code fk_store_role_holders(struct fk_store *st, int role, bool include_closed,
                                   struct fk_person **out, size_t *n, struct fk_err *err)
{
	struct fk_stmt *s;
	*out = NULL;
	*n = 0;
	enum fk_code rc = prep(st,
	                       "SELECT r.incident_id, r.role, r.name, r.org, r.email, r.phone FROM "
	                       "roles r JOIN incidents i ON i.id = r.incident_id WHERE r.role = $2 "
	                       "AND ($1 = 1 OR i.state <> 'closed') ORDER BY r.incident_id, r.id",
	                       &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, include_closed);
	bind_text(s, 2, fk_roles[role].key);
	return fk_st_collect_(s, false, sizeof **out, row_person, out, n, err);
}

enum fk_code fk_store_role_put(struct fk_store *st, int64_t incident, const struct fk_person *a,
                               const struct fk_person *b, struct fk_err *err)
{
	const char *key = fk_roles[b->role].key;
	struct fk_stmt *s;
	enum fk_code rc = need_tx(st, err);
	if (!rc && !a)
		rc = fk_st_record(st, incident, "role", key, "name", NULL, b->name, err);
	if (!rc && a)
		rc = fk_st_diff_text(st, incident, "role", key, "name", a->name, b->name, err);
	if (!rc)
		rc = fk_st_diff_text(st, incident, "role", key, "org", a ? a->org : NULL, b->org,
		                     err);
	if (!rc)
		rc = fk_st_diff_text(st, incident, "role", key, "email", a ? a->email : NULL,
		                     b->email, err);
	if (!rc)
		rc = fk_st_diff_text(st, incident, "role", key, "phone", a ? a->phone : NULL,
		                     b->phone, err);
	if (rc)
		return rc;
	rc = prep(
	    st,
	    a ? "UPDATE roles SET name = $3, org = $4, email = $5, phone = $6 WHERE "
	        "incident_id = $1 AND id = $7 AND role = $2"
	      : "INSERT INTO roles (incident_id, role, name, org, email, phone) VALUES ($1, $2, "
	        "$3, $4, $5, $6)",
	    &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, incident);
	bind_text(s, 2, key);
	bind_text(s, 3, b->name);
	bind_text(s, 4, b->org);
	bind_text(s, 5, b->email);
	bind_text(s, 6, b->phone);
	if (a)
		bind_int(s, 7, a->id);
	rc = step_done(s, err);
	finalize(s);
	if (!rc)
		rc = fk_st_touch(st, incident, err);
	return rc;
}

enum fk_code fk_store_role_delete(struct fk_store *st, int64_t incident, const struct fk_person *p,
                                  struct fk_err *err)
{
	struct fk_stmt *s;
	enum fk_code rc = need_tx(st, err);
	if (!rc)
		rc = fk_st_record(st, incident, "role", fk_roles[p->role].key, "name", p->name,
		                  NULL, err);
	if (!rc)
		rc = prep(st, "DELETE FROM roles WHERE incident_id = $1 AND id = $2", &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, incident);
	bind_int(s, 2, p->id);
	rc = step_done(s, err);
	finalize(s);
	if (!rc)
		rc = fk_st_touch(st, incident, err);
	return rc;
}

/* ---- timeline ------------------------------------------------------------------------- */

enum fk_code fk_store_timeline_add(struct fk_store *st, int64_t incident,
                                   struct fk_timeline_entry *e, struct fk_err *err)
{
	struct fk_stmt *s;
	bool row = false;
	char at[32];
	enum fk_code rc = need_tx(st, err);
	if (!rc)
		rc = prep(st,
		          "INSERT INTO timeline (incident_id, at, text, source, recorded_by, "
		          "recorded_at, mark) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
		          &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, incident);
	bind_time(s, 2, e->at);
	bind_text(s, 3, e->text);
	bind_text(s, 4, e->source);
	bind_text(s, 5, st->actor);
	bind_time(s, 6, st->now);
	bind_text(s, 7,
	          e->mark > FK_MARK_NONE && e->mark < FK_MARK_COUNT ? fk_timeline_marks[e->mark].key
	                                                            : NULL);
	rc = step(s, &row, err);
	if (!rc && row)
		e->id = col_int(s, 0);
	finalize(s);
	if (rc)
		return rc;
	free(e->recorded_by);
	e->recorded_by = fk_xstrdup(st->actor);
	e->recorded_at = st->now;
	fk_time_utc(e->at, at);
	rc = fk_st_record(st, incident, "timeline", at, "text", NULL, e->text, err);
	if (!rc && e->source)
		rc = fk_st_record(st, incident, "timeline", at, "source", NULL, e->source, err);
	if (!rc && e->mark > FK_MARK_NONE && e->mark < FK_MARK_COUNT)
		rc = fk_st_record(st, incident, "timeline", at, "mark", NULL,
		                  fk_timeline_marks[e->mark].key, err);
	if (!rc)
		rc = fk_st_touch(st, incident, err);
	return rc;
}

static void row_timeline_get(struct fk_stmt *s, void *elem)
{
	struct fk_timeline_entry *e = elem;
	e->id = col_int(s, 0);
	e->at = col_time(s, 1);
	e->text = col_dup(s, 2);
	e->source = col_dup(s, 3);
	e->recorded_by = col_dup(s, 4);
	e->recorded_at = col_time(s, 5);
	e->mark = s->ops->col_text(s, 6) ? col_enum(s, 6, fk_timeline_marks, FK_MARK_COUNT)
	                                 : FK_MARK_NONE;
}

enum fk_code fk_store_timeline_get(struct fk_store *st, int64_t incident,
                                   struct fk_timeline_entry **out, size_t *n, struct fk_err *err)
{
	return FK_ST_LIST(
	    st,
	    "SELECT id, at, text, source, recorded_by, recorded_at, mark FROM timeline "
	    "WHERE incident_id = $1 ORDER BY at, id",
	    incident, out, n, row_timeline_get, err);
}

/* ---- change history ------------------------------------------------------------------- */

void fk_st_change_row(struct fk_stmt *s, void *elem)
{
	struct fk_change *c = elem;
	c->id = col_int(s, 0);
	c->at = col_time(s, 1);
	c->actor = col_dup(s, 2);
	c->entity = col_dup(s, 3);
	c->entity_key = col_dup(s, 4);
	c->field = col_dup(s, 5);
	c->old_value = col_dup(s, 6);
	c->new_value = col_dup(s, 7);
	c->origin = col_dup(s, 8);
	c->incident = s->ops->col_null(s, 9) ? 0 : col_int(s, 9);
	c->hash = col_dup(s, 10);
}

enum fk_code fk_store_changes_get(struct fk_store *st, int64_t incident, struct fk_change **out,
                                  size_t *n, struct fk_err *err)
{
	return FK_ST_LIST(st,
	                  "SELECT " FK_CHANGE_COLS " FROM changes WHERE incident_id = $1 "
	                  "ORDER BY id",
	                  incident, out, n, fk_st_change_row, err);
}
