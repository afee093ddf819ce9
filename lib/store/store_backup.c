/*
 * store_backup.c - backup, verify, restore and migrate (docs/BACKUP.md).
 *
 * Everything goes through one list of the store's tables in foreign-key order (bk_tables): a
 * copy reads each table of the source with SELECT * and writes its rows, every value as text
 * or NULL, into the same columns of the target (both backends turn text into their integer
 * columns). A source is a store read in one read transaction (one snapshot) or a dump; a
 * target (a sink) is a store written in one transaction, or a dump. A table that the list
 * does not know makes backup and verify fail: a new migration cannot be left out silently.
 *
 * The dump (JSON lines, UTF-8): a header object, then for every table of its schema version
 * in the list's order a {"table", "columns"} line and one array of values (strings or null)
 * per row, then an end marker with the counts, the audit chain's head, a SHA-256 per table
 * (over its lines) and one over every byte before the end marker. A change is found and
 * named by table and lines; a truncated file lacks its end marker.
 */
#include "fukkyu/common.h"
#include "store/store_int.h"
#include "util/buf.h"
#include "util/hash.h"
#include "util/time.h"
#include "util/utf8.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

struct bk_table {
	const char *name;
	int since;       /* the migration that created it */
	const char *key; /* its primary key: the order rows are read in (PostgreSQL) */
};

/* Every table of the schema, parents before children. A migration that adds a table adds
 * it here (backup and verify refuse a database holding a table this list lacks). SQLite
 * tables are read in rowid order: a WITHOUT ROWID table would need its key used there. */
static const struct bk_table bk_tables[] = {
    {"incidents", 1, "id"},
    {"phases", 1, "incident_id, no"},
    {"tasks", 1, "incident_id, item_id"},
    {"handover", 1, "incident_id, field"},
    {"roles", 1, "id"},
    {"timeline", 1, "id"},
    {"changes", 1, "id"},
    {"assets", 2, "id"},
    {"incident_assets", 2, "incident_id, asset_id"},
    {"sweeps", 2, "incident_id"},
    {"sweep_entries", 2, "incident_id, asset_id"},
    {"measures", 2, "id"},
    {"rollout_entries", 2, "measure_id, asset_id"},
    {"evidence", 3, "id"},
    {"users", 4, "id"},
    {"api_tokens", 4, "id"},
    {"sessions", 4, "token_hash"},
    {"incident_members", 4, "incident_id, user_id"},
    {"damage_entries", 5, "id"},
    {"damage_splits", 5, "entry_id, pos"},
    {"obligations", 6, "key"},
    {"deadline_states", 6, "incident_id, key"},
    {"reporters", 6, "id"},
    {"reporter_contacts", 6, "id"},
    {"plans", 7, "incident_id"},
    {"plan_milestones", 7, "incident_id, pos"},
    {"plan_approvals", 7, "id"},
    {"restore_points", 7, "id"},
    {"intake", 8, "id"},
    {"root_causes", 9, "incident_id"},
    {"interviews", 9, "id"},
    {"lessons", 9, "id"},
    {"recovery_ends", 9, "incident_id"},
    {"affected", 10, "id"},
    {"affected_contacts", 10, "id"},
    {"communications", 10, "id"},
    {"communication_versions", 10, "communication_id, version"},
    {"org_profile", 12, "field"},
    {"doc_templates", 12, "id"},
};
#define BK_N FK_ARRAY_LEN(bk_tables)
_Static_assert(FK_ARRAY_LEN(bk_tables) <= FK_BACKUP_MAX_TABLES, "raise FK_BACKUP_MAX_TABLES");

/* The schema's own bookkeeping: the target's migrations write it, so it is not copied. */
#define BK_META "schema_migrations"

#define BK_MAX_COLS  32                  /* the parameters a statement may have (db.h) */
#define BK_LINE_MAX  ((size_t)256 << 20) /* bytes in one dump line */
#define DUMP_FORMAT  "fukkyu-dump"
#define DUMP_VERSION 1

static int table_index(const char *name)
{
	for (size_t i = 0; i < BK_N; i++)
		if (!strcmp(bk_tables[i].name, name))
			return (int)i;
	return -1;
}

/* The first table of schema at or after index i (BK_N: none). */
static size_t next_table(size_t i, int schema)
{
	while (i < BK_N && bk_tables[i].since > schema)
		i++;
	return i;
}

static bool is_sqlite(struct fk_store *st)
{
	return !strcmp(OPS(st)->backend, "sqlite");
}

static const char *db_name(struct fk_store *st)
{
	return st->db->name;
}

/* A store around an open connection: the store's own open insists on the current schema,
 * a backup may hold an older one. */
static struct fk_store *wrap(struct fk_db *db)
{
	struct fk_store *st = fk_xcalloc(1, sizeof *st);
	st->db = db;
	st->origin = "cli";
	return st;
}

/* As fk_store_open reads it: 0 when the database has no schema. */
static enum fk_code schema_of(struct fk_store *st, int *version, struct fk_err *err)
{
	struct fk_stmt *s;
	bool row = false;
	*version = 0;
	if (!OPS(st)->has_table(st->db, BK_META))
		return FK_OK;
	enum fk_code rc = prep(st, "SELECT COALESCE(MAX(version), 0) FROM " BK_META, &s, err);
	if (rc)
		return rc;
	rc = step(s, &row, err);
	if (!rc && row)
		*version = (int)col_int(s, 0);
	finalize(s);
	return rc;
}

/* "sqlite:PATH" or a path (true, *path set), or a PostgreSQL URL (false). */
static bool sqlite_url(const char *url, const char **path)
{
	if (!strncmp(url, "sqlite:", 7)) {
		*path = url + 7;
		return true;
	}
	*path = url;
	return strncmp(url, "postgresql://", 13) && strncmp(url, "postgres://", 11);
}

/* Opens the database at url to read from (a SQLite file read-only: a backup stays as it is)
 * and reads its schema version, which must be one this fukkyu knows. */
static enum fk_code open_source(const char *url, struct fk_store **out, int *schema,
                                struct fk_err *err)
{
	const char *path;
	struct fk_db *db;
	*out = NULL;
	enum fk_code rc = sqlite_url(url, &path) ? fk_db_sqlite_open_readonly(path, &db, err)
	                                         : fk_db_pg_open(url, &db, err);
	if (rc)
		return rc;
	struct fk_store *st = wrap(db);
	int known = fk_store_known_version();
	rc = schema_of(st, schema, err);
	if (!rc && *schema == 0)
		rc = FK_ERR(err, FK_EINVAL, db->name,
		            "'%s' is not a fukkyu database or backup: it has no schema version",
		            "'%s' は fukkyu のデータベースでもバックアップでもありません: "
		            "スキーマ版がありません",
		            db->name);
	else if (!rc && *schema > known)
		rc = FK_ERR(err, FK_EVERSION, db->name,
		            "'%s' has schema version %d, newer than this fukkyu knows (%d): use a "
		            "newer fukkyu",
		            "'%s' のスキーマ版 %d は、この fukkyu が扱える版 (%d) より新しいです: "
		            "新しい fukkyu を使ってください",
		            db->name, *schema, known);
	if (rc) {
		fk_store_close(st);
		return rc;
	}
	*out = st;
	return FK_OK;
}

/* Every table of the database must be in the list (and belong to its schema version), and
 * every table of the list for that version must be there. */
static enum fk_code check_tables(struct fk_store *st, int schema, struct fk_err *err)
{
	struct fk_stmt *s;
	bool row, seen[BK_N] = {false};
	enum fk_code rc =
	    prep(st,
	         is_sqlite(st) ? "SELECT name FROM sqlite_schema WHERE type = 'table' AND "
	                         "substr(name, 1, 7) <> 'sqlite_' ORDER BY name"
	                       : "SELECT table_name FROM information_schema.tables WHERE "
	                         "table_schema = current_schema() AND table_type = 'BASE TABLE' "
	                         "ORDER BY table_name",
	         &s, err);
	while (!rc && !(rc = step(s, &row, err)) && row) {
		const char *name = col_text(s, 0);
		int i = table_index(name);
		if (i >= 0 && bk_tables[i].since <= schema) {
			seen[i] = true;
		} else if (strcmp(name, BK_META)) {
			rc = FK_ERR(
			    err, FK_EDB, db_name(st),
			    "database '%s' holds table '%s', which is not in fukkyu's backup "
			    "list (lib/store/store_backup.c) for schema %d: a backup would "
			    "leave it out, so none is made (add the table to the list)",
			    "データベース '%s' のテーブル '%s' は fukkyu のバックアップ対象一覧 "
			    "(lib/store/store_backup.c) のスキーマ版 %d にありません: "
			    "バックアップから漏れるため処理しません (一覧に追加してください)",
			    db_name(st), name, schema);
		}
	}
	finalize(s);
	for (size_t i = 0; !rc && i < BK_N; i++)
		if (bk_tables[i].since <= schema && !seen[i])
			rc = FK_ERR(
			    err, FK_EDB, db_name(st),
			    "database '%s' lacks table '%s' of schema %d: it is damaged or not "
			    "a fukkyu database",
			    "データベース '%s' にテーブル '%s' (スキーマ版 %d) がありません: "
			    "壊れているか、fukkyu のデータベースではありません",
			    db_name(st), bk_tables[i].name, schema);
	return rc;
}

static const char *const problem_en[] = {
    "", "was altered after it was written",
    "does not follow the entry before it (an entry was deleted, inserted or moved)",
    "comes after missing entries (the numbers skip)", "has no seal"};
static const char *const problem_ja[] = {
    "", "は書き込み後に改変されています",
    "が直前の記録に連鎖していません (記録が削除・挿入・移動されました)",
    "の前の記録が欠けています (番号が飛んでいます)", "に封印がありません"};

static enum fk_code audit_bad(const char *where, const struct fk_audit_check *a, struct fk_err *err)
{
	/* %.0s: each language's text takes its own phrase and skips the other's */
	return FK_ERR(err, FK_ETAMPERED, where,
	              "the audit trail in '%s' is broken: entry %lld %s%.0s (%lld of %lld entries "
	              "verified before it)",
	              "'%s' の監査記録が壊れています: 記録 %lld %.0s%s (その前の %lld / %lld 件は"
	              "検証済み)",
	              where, (long long)a->bad_id, problem_en[a->problem], problem_ja[a->problem],
	              (long long)a->entries, (long long)a->total);
}

/* Prefixes err's message with where ("file:line" or "table 'x'"). */
static enum fk_code err_at(struct fk_err *err, enum fk_code rc, const char *where)
{
	if (!err || !rc)
		return rc;
	char *en = fk_xstrdup(err->en), *ja = fk_xstrdup(err->ja);
	struct fk_buf b_en = FK_BUF_INIT, b_ja = FK_BUF_INIT;
	(void)fk_buf_addf(&b_en, "%s: %s", where, en);
	(void)fk_buf_addf(&b_ja, "%s: %s", where, ja);
	fk_err_set(err, rc, where, b_en.ptr, b_ja.ptr);
	fk_buf_release(&b_en);
	fk_buf_release(&b_ja);
	free(en);
	free(ja);
	return rc;
}

static enum fk_code err_line(struct fk_err *err, enum fk_code rc, const char *name, int64_t line)
{
	char where[4200];
	snprintf(where, sizeof where, "%s:%lld", name, (long long)line);
	return err_at(err, rc, where);
}

/* ---- schema ---------------------------------------------------------------------------- */

static enum fk_code count_rows(struct fk_store *st, const char *table, const char *where,
                               int64_t *n, struct fk_err *err)
{
	char sql[160];
	struct fk_stmt *s;
	bool row = false;
	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s%s", table, where);
	enum fk_code rc = prep(st, sql, &s, err);
	if (rc)
		return rc;
	rc = step(s, &row, err);
	*n = !rc && row ? col_int(s, 0) : 0;
	finalize(s);
	return rc;
}

/* A restore goes only where there is nothing to lose: no row in any table but the
 * obligations the migrations ship. */
static enum fk_code check_empty(struct fk_store *st, int schema, struct fk_err *err)
{
	enum fk_code rc = FK_OK;
	for (size_t i = 0; !rc && i < BK_N; i++) {
		int64_t n = 0;
		const char *t = bk_tables[i].name;
		if (bk_tables[i].since > schema)
			continue;
		rc = count_rows(st, t, strcmp(t, "obligations") ? "" : " WHERE builtin = 0", &n,
		                err);
		if (!rc && n)
			rc = FK_ERR(
			    err, FK_EREFUSED, db_name(st),
			    "database '%s' is not empty (table '%s' holds %lld rows): restore "
			    "and migrate write only into a new or empty database; nothing was "
			    "written",
			    "データベース '%s' は空ではありません (テーブル '%s' に %lld 行): "
			    "復元・移行の書き込み先は新しいか空のデータベースだけです。"
			    "何も書き込んでいません",
			    db_name(st), t, (long long)n);
	}
	return rc;
}

/* ---- sinks: where a copy's rows go ------------------------------------------------------ */

struct sink {
	enum fk_code (*begin)(struct sink *k, int schema, struct fk_err *err);
	enum fk_code (*table)(struct sink *k, int t, const char *const *cols, int n,
	                      struct fk_err *err);
	enum fk_code (*row)(struct sink *k, const char *const *vals, struct fk_err *err);
	enum fk_code (*end_table)(struct sink *k, struct fk_err *err);
	/* After the last table; audit: the source's chain. */
	enum fk_code (*finish)(struct sink *k, const struct fk_audit_check *audit,
	                       struct fk_err *err);
};

/* Into a store, inside the transaction its caller opened. */
struct store_sink {
	struct sink base;
	struct fk_store *st;
	int schema;
	struct fk_stmt *ins;
	int ncols;
};

static enum fk_code ss_begin(struct sink *k, int schema, struct fk_err *err)
{
	struct store_sink *s = (struct store_sink *)k;
	int have;
	enum fk_code rc = schema_of(s->st, &have, err);
	s->schema = schema;
	if (!rc && have > schema)
		rc = FK_ERR(err, FK_EREFUSED, db_name(s->st),
		            "database '%s' has schema version %d, newer than the copy's (%d): "
		            "restore into a new database (not initialised)",
		            "データベース '%s' のスキーマ版 %d は複製元の版 (%d) より新しいです: "
		            "新しい (初期化していない) データベースに復元してください",
		            db_name(s->st), have, schema);
	if (!rc && have)
		rc = check_empty(s->st, have, err);
	if (!rc)
		rc = fk_st_migrate_to(s->st, have, schema, err);
	/* What the migrations put in (the shipped obligations) comes from the copy instead. */
	for (size_t i = BK_N; !rc && i-- > 0;) {
		char sql[96];
		if (bk_tables[i].since > schema)
			continue;
		snprintf(sql, sizeof sql, "DELETE FROM %s", bk_tables[i].name);
		rc = OPS(s->st)->exec(s->st->db, sql, err);
	}
	return rc;
}

static enum fk_code ss_table(struct sink *k, int t, const char *const *cols, int n,
                             struct fk_err *err)
{
	struct store_sink *s = (struct store_sink *)k;
	const char *name = bk_tables[t].name;
	struct fk_stmt *q;
	bool row;
	char sql[128];
	/* The target's columns must be the same set: nothing dropped, nothing left to a
	 * default (and the names that go into the INSERT below are the target's own). */
	snprintf(sql, sizeof sql, "SELECT * FROM %s LIMIT 0", name);
	enum fk_code rc = prep(s->st, sql, &q, err);
	if (!rc)
		rc = step(q, &row, err);
	int m = rc ? 0 : q->ops->col_count(q);
	for (int i = 0; !rc && i < n; i++) {
		int j = 0;
		while (j < m && strcmp(q->ops->col_name(q, j), cols[i]))
			j++;
		if (j == m)
			rc = FK_ERR(
			    err, FK_EINVAL, name,
			    "table '%s' of the copy has column '%s', which database '%s' lacks",
			    "複製元のテーブル '%s' の列 '%s' がデータベース '%s' にありません",
			    name, cols[i], db_name(s->st));
	}
	for (int j = 0; !rc && j < m; j++) {
		int i = 0;
		while (i < n && strcmp(q->ops->col_name(q, j), cols[i]))
			i++;
		if (i == n)
			rc = FK_ERR(err, FK_EINVAL, name,
			            "table '%s' of the copy lacks column '%s' of database '%s'",
			            "複製元のテーブル '%s' に列 '%s' がありません (データベース "
			            "'%s' にはあります)",
			            name, q->ops->col_name(q, j), db_name(s->st));
	}
	finalize(q);
	if (rc)
		return rc;
	struct fk_buf b = FK_BUF_INIT;
	(void)fk_buf_addf(&b, "INSERT INTO %s (", name);
	for (int i = 0; i < n; i++)
		(void)fk_buf_addf(&b, "%s\"%s\"", i ? ", " : "", cols[i]);
	(void)fk_buf_adds(&b, ") VALUES (");
	for (int i = 0; i < n; i++)
		(void)fk_buf_addf(&b, "%s$%d", i ? ", " : "", i + 1);
	(void)fk_buf_adds(&b, ")");
	rc = prep(s->st, b.ptr, &s->ins, err);
	fk_buf_release(&b);
	s->ncols = n;
	return rc;
}

static enum fk_code ss_row(struct sink *k, const char *const *vals, struct fk_err *err)
{
	struct store_sink *s = (struct store_sink *)k;
	for (int i = 0; i < s->ncols; i++)
		s->ins->ops->bind_text_ref(s->ins, i + 1, vals[i]);
	enum fk_code rc = step_done(s->ins, err);
	s->ins->ops->reset(s->ins);
	return rc;
}

static enum fk_code ss_end_table(struct sink *k, struct fk_err *err)
{
	struct store_sink *s = (struct store_sink *)k;
	(void)err;
	finalize(s->ins);
	s->ins = NULL;
	return FK_OK;
}

static enum fk_code ss_finish(struct sink *k, const struct fk_audit_check *audit,
                              struct fk_err *err)
{
	struct store_sink *s = (struct store_sink *)k;
	(void)audit;
	enum fk_code rc = OPS(s->st)->after_copy ? OPS(s->st)->after_copy(s->st->db, err) : FK_OK;
	return rc ? rc : fk_st_migrate_to(s->st, s->schema, fk_store_known_version(), err);
}

/* Into a dump file. */
struct dump_sink {
	struct sink base;
	FILE *f;
	const char *path;
	const char *source;
	EVP_MD_CTX *all, *tab;
	struct fk_buf line;
	int t, ncols;
	const char *const *cols; /* the current table's: live as long as the table's rows */
	int64_t trows;           /* rows of the current table */
	size_t ntables;
	int64_t rows;
	char table_sha[BK_N][65];
	bool done[BK_N];
	char sha[65];
	char created_at[32];
};

static void digest_init(EVP_MD_CTX *c)
{
	if (!EVP_DigestInit_ex(c, EVP_sha256(), NULL))
		abort();
}

static void digest_hex(EVP_MD_CTX *c, char out[static 65])
{
	unsigned char h[EVP_MAX_MD_SIZE];
	unsigned len = 0;
	if (!EVP_DigestFinal_ex(c, h, &len) || len != 32)
		abort();
	fk_hex(h, 32, out);
}

/* Writes the line (and its newline) and adds it to the checksums (in_table: the table's
 * too). */
static enum fk_code ds_put(struct dump_sink *d, bool hashed, bool in_table, struct fk_err *err)
{
	if (d->line.toobig || d->line.len >= BK_LINE_MAX)
		return FK_ERR(
		    err, FK_ETOOBIG, d->path,
		    "a row of table '%s' takes more than %zu MiB as a dump line: back it up "
		    "as a SQLite file instead",
		    "テーブル '%s' の行がダンプの1行で %zu MiB を超えます: SQLite "
		    "ファイルとしてバックアップしてください",
		    d->t >= 0 ? bk_tables[d->t].name : "-", BK_LINE_MAX >> 20);
	(void)fk_buf_addch(&d->line, '\n');
	if (hashed && !EVP_DigestUpdate(d->all, d->line.ptr, d->line.len))
		abort();
	if (in_table && !EVP_DigestUpdate(d->tab, d->line.ptr, d->line.len))
		abort();
	if (fwrite(d->line.ptr, 1, d->line.len, d->f) != d->line.len)
		return FK_ERR(err, FK_EIO, d->path, "cannot write '%s': %s",
		              "'%s' に書き込めません: %s", d->path, strerror(errno));
	fk_buf_reset(&d->line);
	return FK_OK;
}

/* s as a JSON string; false when s is not UTF-8 (JSON cannot hold it). */
static bool add_json_str(struct fk_buf *b, const char *s)
{
	size_t n = strlen(s);
	if (!fk_utf8_valid(s, n))
		return false;
	(void)fk_buf_addch(b, '"');
	const char *run = s;
	for (const char *p = s; *p; p++) {
		unsigned char ch = (unsigned char)*p;
		if (ch >= 0x20 && ch != '"' && ch != '\\')
			continue;
		(void)fk_buf_add(b, run, (size_t)(p - run));
		if (ch == '"' || ch == '\\')
			(void)fk_buf_addf(b, "\\%c", ch);
		else if (ch == '\n')
			(void)fk_buf_adds(b, "\\n");
		else if (ch == '\t')
			(void)fk_buf_adds(b, "\\t");
		else if (ch == '\r')
			(void)fk_buf_adds(b, "\\r");
		else
			(void)fk_buf_addf(b, "\\u%04x", ch);
		run = p + 1;
	}
	(void)fk_buf_adds(b, run);
	(void)fk_buf_addch(b, '"');
	return true;
}

static enum fk_code ds_begin(struct sink *k, int schema, struct fk_err *err)
{
	struct dump_sink *d = (struct dump_sink *)k;
	fk_time_utc(fk_time_now(), d->created_at);
	(void)fk_buf_addf(&d->line,
	                  "{\"format\":\"" DUMP_FORMAT "\",\"version\":%d,\"schema\":%d,"
	                  "\"created_at\":\"%s\",\"source\":\"%s\",\"fukkyu\":\"%s\"}",
	                  DUMP_VERSION, schema, d->created_at, d->source, FK_VERSION);
	return ds_put(d, true, false, err);
}

static enum fk_code ds_table(struct sink *k, int t, const char *const *cols, int n,
                             struct fk_err *err)
{
	struct dump_sink *d = (struct dump_sink *)k;
	d->t = t;
	d->cols = cols;
	d->ncols = n;
	d->trows = 0;
	digest_init(d->tab);
	(void)fk_buf_addf(&d->line, "{\"table\":\"%s\",\"columns\":[", bk_tables[t].name);
	for (int i = 0; i < n; i++) {
		if (i)
			(void)fk_buf_addch(&d->line, ',');
		if (!add_json_str(&d->line, cols[i]))
			abort(); /* names of the schema */
	}
	(void)fk_buf_adds(&d->line, "]}");
	return ds_put(d, true, true, err);
}

static enum fk_code ds_row(struct sink *k, const char *const *vals, struct fk_err *err)
{
	struct dump_sink *d = (struct dump_sink *)k;
	(void)fk_buf_addch(&d->line, '[');
	for (int i = 0; i < d->ncols; i++) {
		if (i)
			(void)fk_buf_addch(&d->line, ',');
		if (!vals[i])
			(void)fk_buf_adds(&d->line, "null");
		else if (!add_json_str(&d->line, vals[i]))
			return FK_ERR(
			    err, FK_EINVAL, bk_tables[d->t].name,
			    "table '%s', row %lld: column '%s' is not UTF-8 text, which a "
			    "dump cannot hold: back it up as a SQLite file instead",
			    "テーブル '%s' の %lld 行目: 列 '%s' が UTF-8 "
			    "のテキストではないため、ダンプに入れられません: SQLite "
			    "ファイルとしてバックアップしてください",
			    bk_tables[d->t].name, (long long)d->trows + 1, d->cols[i]);
	}
	(void)fk_buf_addch(&d->line, ']');
	d->rows++;
	d->trows++;
	return ds_put(d, true, true, err);
}

static enum fk_code ds_end_table(struct sink *k, struct fk_err *err)
{
	struct dump_sink *d = (struct dump_sink *)k;
	(void)err;
	digest_hex(d->tab, d->table_sha[d->t]);
	d->done[d->t] = true;
	d->ntables++;
	return FK_OK;
}

static enum fk_code ds_finish(struct sink *k, const struct fk_audit_check *a, struct fk_err *err)
{
	struct dump_sink *d = (struct dump_sink *)k;
	digest_hex(d->all, d->sha);
	(void)fk_buf_addf(&d->line,
	                  "{\"end\":true,\"tables\":%zu,\"rows\":%lld,\"audit\":{\"entries\":%lld,"
	                  "\"verified\":%lld,\"first_bad\":%lld,\"head\":\"%s\"},"
	                  "\"table_sha256\":{",
	                  d->ntables, (long long)d->rows, (long long)a->total,
	                  (long long)a->entries, (long long)a->bad_id, a->head);
	bool first = true;
	for (size_t i = 0; i < BK_N; i++) {
		if (!d->done[i])
			continue;
		(void)fk_buf_addf(&d->line, "%s\"%s\":\"%s\"", first ? "" : ",", bk_tables[i].name,
		                  d->table_sha[i]);
		first = false;
	}
	(void)fk_buf_addf(&d->line, "},\"sha256\":\"%s\"}", d->sha);
	return ds_put(d, false, false, err);
}

/* ---- sources ------------------------------------------------------------------------------ */

/* Copies every table of src (in a read transaction: one snapshot) into k; info: what was
 * read, with src's audit chain as it is in the snapshot. */
static enum fk_code copy_store(struct fk_store *src, int schema, struct sink *k,
                               struct fk_backup_info *info, struct fk_err *err)
{
	snprintf(info->source, sizeof info->source, "%s", OPS(src)->backend);
	info->schema = schema;
	enum fk_code rc = k->begin(k, schema, err);
	for (size_t t = next_table(0, schema); !rc && t < BK_N; t = next_table(t + 1, schema)) {
		const char *name = bk_tables[t].name;
		char sql[160], where[96];
		const char *cols[BK_MAX_COLS], *vals[BK_MAX_COLS];
		struct fk_stmt *s;
		bool row = false;
		int64_t rows = 0;
		/* SQLite: in the order rows were written (the id for tables that have one) */
		snprintf(sql, sizeof sql, "SELECT * FROM %s ORDER BY %s", name,
		         is_sqlite(src) ? "rowid" : bk_tables[t].key);
		if ((rc = prep(src, sql, &s, err)))
			break;
		rc = step(s, &row, err);
		int n = rc ? 0 : s->ops->col_count(s);
		if (!rc && n > BK_MAX_COLS)
			rc = FK_ERR(err, FK_EDB, name,
			            "table '%s' has %d columns; a copy handles at most %d",
			            "テーブル '%s' の列は %d 個です。複製できるのは %d 個までです",
			            name, n, BK_MAX_COLS);
		for (int i = 0; !rc && i < n; i++)
			cols[i] = s->ops->col_name(s, i);
		if (!rc)
			rc = k->table(k, (int)t, cols, n, err);
		while (!rc && row) {
			for (int i = 0; i < n; i++)
				vals[i] = s->ops->col_text(s, i);
			rows++;
			if ((rc = k->row(k, vals, err))) { /* a database error: say where */
				snprintf(where, sizeof where, "table '%s', row %lld", name,
				         (long long)rows);
				rc = err_at(err, rc, where);
			} else {
				rc = step(s, &row, err);
			}
		}
		finalize(s);
		if (!rc)
			rc = k->end_table(k, err);
		info->tables[info->ntables].name = name;
		info->tables[info->ntables++].rows = rows;
		info->rows += rows;
	}
	if (!rc)
		rc = fk_store_audit_verify(src, NULL, &info->audit, err);
	info->audited = !rc;
	return rc ? rc : k->finish(k, &info->audit, err);
}

/* ---- the dump reader ------------------------------------------------------------------- */

struct reader {
	FILE *f;
	const char *name;
	struct fk_buf line;
	int64_t lineno;
	bool newline; /* the line read ended with a newline */
	size_t len, pos;
	char chunk[1 << 16];
};

/* The next line into r->line, without its newline; *got false at the end of the file. */
static enum fk_code read_line(struct reader *r, bool *got, struct fk_err *err)
{
	fk_buf_reset(&r->line);
	*got = false;
	r->newline = false;
	for (;;) {
		if (r->pos == r->len) {
			r->len = fread(r->chunk, 1, sizeof r->chunk, r->f);
			r->pos = 0;
			if (!r->len) {
				if (ferror(r->f))
					return FK_ERR(err, FK_EIO, r->name, "cannot read '%s': %s",
					              "'%s' を読み込めません: %s", r->name,
					              strerror(errno));
				r->lineno += *got;
				return FK_OK;
			}
		}
		const char *p = r->chunk + r->pos;
		const char *nl = memchr(p, '\n', r->len - r->pos);
		size_t n = nl ? (size_t)(nl - p) : r->len - r->pos;
		if (fk_buf_add(&r->line, p, n))
			return FK_ERR(
			    err, FK_ETOOBIG, r->name,
			    "%s:%lld: the line is longer than %zu MiB: not a fukkyu dump",
			    "%s:%lld: 行が %zu MiB を超えています: fukkyu のダンプではありません",
			    r->name, (long long)r->lineno + 1, BK_LINE_MAX >> 20);
		*got = true;
		r->pos += n;
		if (nl) {
			r->pos++;
			r->newline = true;
			r->lineno++;
			return FK_OK;
		}
	}
}

static void digest_line(EVP_MD_CTX *c, const struct reader *r)
{
	if (!EVP_DigestUpdate(c, r->line.ptr, r->line.len) ||
	    (r->newline && !EVP_DigestUpdate(c, "\n", 1)))
		abort();
}

static bool is_ident(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') || s[n] == '_' ||
		      (n && s[n] >= '0' && s[n] <= '9')))
			return false;
	return n > 0 && n < 64;
}

static bool is_hex64(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
			return false;
	return n == 64;
}

static enum fk_code read_header(struct reader *r, json_t *j, struct fk_backup_info *info,
                                struct fk_err *err)
{
	const char *format = "", *created = "", *source = "";
	json_int_t version = 0, schema = 0;
	int known = fk_store_known_version();
	if (!json_is_object(j) ||
	    json_unpack(j, "{s:s, s:I, s:I, s:s, s:s}", "format", &format, "version", &version,
	                "schema", &schema, "created_at", &created, "source", &source) ||
	    strcmp(format, DUMP_FORMAT))
		return FK_ERR(err, FK_EINVAL, r->name,
		              "%s:1: not a fukkyu dump: the first line is not its header "
		              "{\"format\":\"" DUMP_FORMAT "\", \"version\", \"schema\", "
		              "\"created_at\", \"source\"}",
		              "%s:1: fukkyu のダンプではありません: 1行目がヘッダ "
		              "{\"format\":\"" DUMP_FORMAT "\", \"version\", \"schema\", "
		              "\"created_at\", \"source\"} ではありません",
		              r->name);
	if (version != DUMP_VERSION)
		return FK_ERR(err, FK_EVERSION, r->name,
		              "%s:1: dump format version %lld: this fukkyu reads version %d",
		              "%s:1: ダンプ形式の版 %lld: この fukkyu が読めるのは版 %d です",
		              r->name, (long long)version, DUMP_VERSION);
	if (schema < 1 || schema > known)
		return FK_ERR(
		    err, FK_EVERSION, r->name,
		    "%s:1: the dump has schema version %lld: this fukkyu knows 1 to %d",
		    "%s:1: ダンプのスキーマ版は %lld です: この fukkyu が扱えるのは 1〜%d "
		    "です",
		    r->name, (long long)schema, known);
	if (strlen(source) >= sizeof info->source || strlen(created) >= sizeof info->created_at)
		return FK_ERR(err, FK_EINVAL, r->name,
		              "%s:1: the header's source or time is too long",
		              "%s:1: ヘッダの source か created_at が長すぎます", r->name);
	info->format = FK_BACKUP_DUMP;
	info->schema = (int)schema;
	snprintf(info->source, sizeof info->source, "%s", source);
	snprintf(info->created_at, sizeof info->created_at, "%s", created);
	return FK_OK;
}

/* A table line: the expected table (the next of the schema, in the list's order) and its
 * column names (*n of them into cols, borrowed from j). */
static enum fk_code read_table(struct reader *r, json_t *j, size_t expect, int schema, int *t,
                               const char **cols, int *n, struct fk_err *err)
{
	const char *name = "";
	json_t *arr = NULL;
	long long line = (long long)r->lineno;
	if (json_unpack(j, "{s:s, s:o}", "table", &name, "columns", &arr) || !json_is_array(arr))
		return FK_ERR(err, FK_EINVAL, r->name,
		              "%s:%lld: a table line needs \"table\" and \"columns\"",
		              "%s:%lld: テーブル行には \"table\" と \"columns\" が必要です",
		              r->name, line);
	*t = table_index(name);
	if (*t < 0 || bk_tables[*t].since > schema)
		return FK_ERR(err, FK_EINVAL, r->name,
		              "%s:%lld: unknown table '%s': not a table of fukkyu's schema %d",
		              "%s:%lld: 不明なテーブル '%s': fukkyu のスキーマ版 %d のテーブルでは"
		              "ありません",
		              r->name, line, name, schema);
	if ((size_t)*t != expect)
		return FK_ERR(err, FK_EINVAL, r->name,
		              "%s:%lld: table '%s' is out of order or repeated: expected %s%s%s",
		              "%s:%lld: テーブル '%s' の順序が違うか重複しています: 期待したのは "
		              "%s%s%s",
		              r->name, line, name, expect < BK_N ? "'" : "",
		              expect < BK_N ? bk_tables[expect].name : "the end marker",
		              expect < BK_N ? "'" : "");
	size_t m = json_array_size(arr);
	if (!m || m > BK_MAX_COLS)
		return FK_ERR(err, FK_EINVAL, r->name,
		              "%s:%lld: table '%s' has %zu columns: expected 1 to %d",
		              "%s:%lld: "
		              "テーブル '%s' の列が %zu 個です: 1〜%d 個のはずです",
		              r->name, line, name, m, BK_MAX_COLS);
	for (size_t i = 0; i < m; i++) {
		const char *c = json_string_value(json_array_get(arr, i));
		if (!c || !is_ident(c))
			return FK_ERR(err, FK_EINVAL, r->name,
			              "%s:%lld: column %zu of table '%s' is not a column name",
			              "%s:%lld: %zu 番目の列名が不正です (テーブル '%s')", r->name,
			              line, i + 1, name);
		for (size_t k = 0; k < i; k++)
			if (!strcmp(cols[k], c))
				return FK_ERR(err, FK_EINVAL, r->name,
				              "%s:%lld: table '%s' names column '%s' twice",
				              "%s:%lld: テーブル '%s' の列 '%s' が重複しています",
				              r->name, line, name, c);
		cols[i] = c;
	}
	*n = (int)m;
	return FK_OK;
}

static enum fk_code read_row(struct reader *r, json_t *j, int t, int n, const char **vals,
                             struct fk_err *err)
{
	long long line = (long long)r->lineno;
	if (t < 0)
		return FK_ERR(err, FK_EINVAL, r->name, "%s:%lld: a row before any table line",
		              "%s:%lld: テーブル行より前に行データがあります", r->name, line);
	size_t m = json_array_size(j);
	if (m != (size_t)n)
		return FK_ERR(err, FK_EINVAL, r->name,
		              "%s:%lld: the row has %zu values; table '%s' has %d columns",
		              "%s:%lld: 行の値が %zu 個です。テーブル '%s' の列は %d 個です",
		              r->name, line, m, bk_tables[t].name, n);
	for (size_t i = 0; i < m; i++) {
		json_t *v = json_array_get(j, i);
		if (!json_is_string(v) && !json_is_null(v))
			return FK_ERR(err, FK_EINVAL, r->name,
			              "%s:%lld: value %zu is neither a string nor null",
			              "%s:%lld: %zu 番目の値が文字列でも null でもありません",
			              r->name, line, i + 1);
		vals[i] = json_string_value(v);
	}
	return FK_OK;
}

/* What the dump says of one table, for the checks at the end. */
struct table_seen {
	int t;
	int64_t first, last; /* its lines */
	char sha[65];
};

static enum fk_code read_end(struct reader *r, json_t *j, const struct table_seen *seen,
                             size_t nseen, size_t expect, const char *sha,
                             struct fk_backup_info *info, struct fk_err *err)
{
	int end = 0;
	json_int_t tables = -1, rows = -1, entries = -1, verified = -1, first_bad = -1;
	const char *head = "", *want = "";
	json_t *tsha = NULL;
	long long line = (long long)r->lineno;
	if (json_unpack(j, "{s:b, s:I, s:I, s:{s:I, s:I, s:I, s:s}, s:o, s:s}", "end", &end,
	                "tables", &tables, "rows", &rows, "audit", "entries", &entries, "verified",
	                &verified, "first_bad", &first_bad, "head", &head, "table_sha256", &tsha,
	                "sha256", &want) ||
	    !end || !json_is_object(tsha) || !is_hex64(head) || !is_hex64(want) || entries < 0 ||
	    verified < 0 || verified > entries || first_bad < 0)
		return FK_ERR(err, FK_EINVAL, r->name,
		              "%s:%lld: the end marker is malformed (it needs end, tables, rows, "
		              "audit, table_sha256 and sha256)",
		              "%s:%lld: 終端マーカーの形式が不正です (end, tables, rows, audit, "
		              "table_sha256, sha256 が必要です)",
		              r->name, line);
	for (size_t i = 0; i < nseen; i++) {
		const char *name = bk_tables[seen[i].t].name;
		const char *h = json_string_value(json_object_get(tsha, name));
		char where[4200];
		if (h && !strcmp(h, seen[i].sha))
			continue;
		snprintf(where, sizeof where, "%s:%lld", r->name, (long long)seen[i].first);
		return FK_ERR(
		    err, FK_EINVAL, where,
		    "%s:%lld: table '%s' (lines %lld to %lld) does not match its checksum in "
		    "the end marker (line %lld): the dump was changed after it was "
		    "written, or is damaged",
		    "%s:%lld: テーブル '%s' (%lld〜%lld 行目) が終端マーカー (%lld 行目) の"
		    "チェックサムと一致しません: ダンプが書き込み後に変更されたか、壊れて"
		    "います",
		    r->name, (long long)seen[i].first, name, (long long)seen[i].first,
		    (long long)seen[i].last, line);
	}
	if (expect < BK_N)
		return FK_ERR(
		    err, FK_EINVAL, r->name,
		    "%s:%lld: the end marker comes before table '%s': the dump is "
		    "incomplete",
		    "%s:%lld: テーブル '%s' より前に終端マーカーがあります: ダンプが不完全"
		    "です",
		    r->name, line, bk_tables[expect].name);
	if ((size_t)tables != nseen || rows != info->rows)
		return FK_ERR(
		    err, FK_EINVAL, r->name,
		    "%s:%lld: the end marker counts %lld tables and %lld rows; the dump "
		    "holds %zu and %lld",
		    "%s:%lld: 終端マーカーではテーブル %lld 個・%lld 行ですが、ダンプには "
		    "%zu 個・%lld 行あります",
		    r->name, line, (long long)tables, (long long)rows, nseen,
		    (long long)info->rows);
	if (strcmp(sha, want))
		return FK_ERR(
		    err, FK_EINVAL, r->name,
		    "%s:%lld: the checksum of the dump does not match its end marker: the "
		    "header (line 1) or the end marker was changed",
		    "%s:%lld: ダンプのチェックサムが終端マーカーと一致しません: ヘッダ "
		    "(1行目) か終端マーカーが変更されています",
		    r->name, line);
	snprintf(info->sha256, sizeof info->sha256, "%s", want);
	info->audited = true;
	info->audit.total = entries;
	info->audit.entries = verified;
	info->audit.bad_id = first_bad;
	snprintf(info->audit.head, sizeof info->audit.head, "%s", head);
	return FK_OK;
}

/* Reads the dump f line by line into k (NULL: only checks it), filling info. */
static enum fk_code dump_read(FILE *f, const char *name, struct sink *k,
                              struct fk_backup_info *info, struct fk_err *err)
{
	struct reader *r = fk_xcalloc(1, sizeof *r);
	struct table_seen seen[BK_N];
	size_t nseen = 0, expect = BK_N;
	const char *cols[BK_MAX_COLS], *vals[BK_MAX_COLS];
	int t = -1, ncols = 0;
	int64_t trows = 0;
	bool got, ended = false;
	json_t *j = NULL, *table_line = NULL; /* table_line keeps the column names alive */
	EVP_MD_CTX *all = EVP_MD_CTX_new(), *tab = EVP_MD_CTX_new();
	char sha[65] = "";
	if (!all || !tab)
		abort();
	digest_init(all);
	r->f = f;
	r->name = name;
	fk_buf_init(&r->line, BK_LINE_MAX);
	enum fk_code rc;
	while (!(rc = read_line(r, &got, err)) && got) {
		json_error_t je;
		long long line = (long long)r->lineno;
		j = json_loadb(r->line.ptr, r->line.len, JSON_REJECT_DUPLICATES, &je);
		if (!j && !r->newline) {
			rc = FK_ERR(
			    err, FK_EINVAL, name,
			    "%s:%lld: the line is cut short: the dump is truncated",
			    "%s:%lld: 行が途中で切れています: ダンプが途中までしかありません", name,
			    line);
			break;
		}
		if (!j) {
			rc = FK_ERR(err, FK_EINVAL, name, "%s:%lld: not a JSON line: %s",
			            "%s:%lld: JSON の行ではありません: %s", name, line, je.text);
			break;
		}
		if (line == 1) {
			rc = read_header(r, j, info, err);
			digest_line(all, r);
			expect = next_table(0, info->schema);
			if (!rc && k)
				rc = k->begin(k, info->schema, err); /* about the target */
		} else if (json_is_array(j)) {
			rc = read_row(r, j, t, ncols, vals, err);
			digest_line(all, r);
			digest_line(tab, r);
			if (!rc && k)
				rc = err_line(err, k->row(k, vals, err), name, line);
			trows++;
		} else if (json_is_object(j) &&
		           (json_object_get(j, "table") || json_object_get(j, "end"))) {
			if (t >= 0) { /* the table before ends */
				digest_hex(tab, seen[nseen].sha);
				seen[nseen].t = t;
				seen[nseen++].last = line - 1;
				info->tables[info->ntables].name = bk_tables[t].name;
				info->tables[info->ntables++].rows = trows;
				info->rows += trows;
				if (k)
					rc = err_line(err, k->end_table(k, err), name, line - 1);
				t = -1;
			}
			if (!rc && json_object_get(j, "end")) {
				digest_hex(all, sha);
				rc = read_end(r, j, seen, nseen, expect, sha, info, err);
				ended = true;
			} else if (!rc) {
				json_decref(table_line);
				table_line = json_incref(j);
				rc = read_table(r, j, expect, info->schema, &t, cols, &ncols, err);
				digest_line(all, r);
				digest_init(tab);
				digest_line(tab, r);
				trows = 0;
				if (!rc) { /* a new table of the list: nseen < BK_N */
					seen[nseen].first = line;
					expect = next_table((size_t)t + 1, info->schema);
				}
				if (!rc && k)
					rc = err_line(err, k->table(k, t, cols, ncols, err), name,
					              line);
			}
		} else {
			rc = FK_ERR(
			    err, FK_EINVAL, name,
			    "%s:%lld: neither a table line, a row nor the end marker",
			    "%s:%lld: テーブル行・行データ・終端マーカーのいずれでもありません",
			    name, line);
		}
		json_decref(j);
		j = NULL;
		if (rc || ended)
			break;
	}
	if (!rc && !ended)
		rc = r->lineno
		         ? FK_ERR(
		               err, FK_EINVAL, name,
		               "%s: truncated after line %lld: the end marker is missing (the dump "
		               "was not written to its end)",
		               "%s: %lld 行目の後で途切れています: 終端マーカーがありません "
		               "(ダンプが最後まで書かれていません)",
		               name, (long long)r->lineno)
		         : FK_ERR(err, FK_EINVAL, name, "%s: the file is empty",
		                  "%s: ファイルが空です", name);
	if (!rc && !(rc = read_line(r, &got, err)) && got)
		rc = FK_ERR(err, FK_EINVAL, name, "%s:%lld: data after the end marker",
		            "%s:%lld: 終端マーカーの後にデータがあります", name,
		            (long long)r->lineno);
	if (!rc && k)
		rc = k->finish(k, &info->audit, err);
	json_decref(table_line);
	EVP_MD_CTX_free(all);
	EVP_MD_CTX_free(tab);
	fk_buf_release(&r->line);
	free(r);
	return rc;
}

/* ---- the operations ------------------------------------------------------------------- */

/* Copies src (a store in a read transaction) or the dump f into dst in one transaction. */
static enum fk_code load(struct fk_store *dst, struct fk_store *src, int schema, FILE *f,
                         const char *name, struct fk_backup_info *from, struct fk_err *err)
{
	struct store_sink k = {
	    {ss_begin, ss_table, ss_row, ss_end_table, ss_finish}, dst, 0, NULL, 0};
	memset(from, 0, sizeof *from);
	from->format = src ? FK_BACKUP_SQLITE : FK_BACKUP_DUMP;
	enum fk_code rc = OPS(dst)->begin(dst->db, err);
	if (rc)
		return rc;
	rc = src ? copy_store(src, schema, &k.base, from, err)
	         : dump_read(f, name, &k.base, from, err);
	finalize(k.ins); /* when a table failed half way */
	if (!rc)
		rc = OPS(dst)->commit(dst->db, err);
	if (rc)
		OPS(dst)->rollback(dst->db);
	return rc;
}

/* What st holds, read in one snapshot: its tables' rows and its audit chain. */
static enum fk_code readback(struct fk_store *st, struct fk_backup_info *info, struct fk_err *err)
{
	enum fk_code rc = fk_store_read_begin(st, err);
	info->ntables = 0;
	info->rows = 0;
	if (!rc)
		rc = schema_of(st, &info->schema, err);
	for (size_t t = next_table(0, info->schema); !rc && t < BK_N;
	     t = next_table(t + 1, info->schema)) {
		int64_t n = 0;
		rc = count_rows(st, bk_tables[t].name, "", &n, err);
		info->tables[info->ntables].name = bk_tables[t].name;
		info->tables[info->ntables++].rows = n;
		info->rows += n;
	}
	if (!rc)
		rc = fk_store_audit_verify(st, NULL, &info->audit, err);
	info->audited = !rc;
	fk_store_read_end(st);
	return rc;
}

/* The copy (to) holds what its source (from) held: the same rows in every table of the
 * source and the same audit chain. */
static enum fk_code compare(const struct fk_backup_info *from, const struct fk_backup_info *to,
                            const char *where, struct fk_err *err)
{
	for (size_t i = 0; i < from->ntables; i++) {
		size_t k = 0;
		while (k < to->ntables && strcmp(to->tables[k].name, from->tables[i].name))
			k++;
		int64_t got = k < to->ntables ? to->tables[k].rows : -1;
		if (got != from->tables[i].rows)
			return FK_ERR(
			    err, FK_EDB, where,
			    "the copy in '%s' differs from its source: table '%s' has %lld "
			    "rows, the source %lld",
			    "'%s' の複製が複製元と異なります: テーブル '%s' は %lld 行、"
			    "複製元は %lld 行です",
			    where, from->tables[i].name, (long long)got,
			    (long long)from->tables[i].rows);
	}
	const struct fk_audit_check *a = &from->audit, *b = &to->audit;
	if (b->bad_id) /* the most precise: which entry */
		return audit_bad(where, b, err);
	if (from->audited && (a->total != b->total || a->entries != b->entries ||
	                      a->bad_id != b->bad_id || strcmp(a->head, b->head)))
		return FK_ERR(
		    err, FK_ETAMPERED, where,
		    "the audit trail in '%s' differs from its source's: %lld entries, "
		    "head %.16s..., the source %lld entries, head %.16s...",
		    "'%s' の監査記録が複製元と異なります: %lld 件、先頭ハッシュ %.16s...。"
		    "複製元は %lld 件、先頭ハッシュ %.16s...",
		    where, (long long)b->total, b->head, (long long)a->total, a->head);
	return FK_OK;
}

/* What the file at path is: a SQLite file or (by its first byte) a dump. */
static enum fk_code sniff(const char *path, enum fk_backup_format *kind, struct fk_err *err)
{
	char head[16] = {0};
	FILE *f = fopen(path, "rb");
	if (!f)
		return FK_ERR(err, errno == ENOENT ? FK_ENOTFOUND : FK_EIO, path,
		              "cannot open '%s': %s", "'%s' を開けません: %s", path,
		              strerror(errno));
	size_t n = fread(head, 1, sizeof head, f);
	fclose(f);
	if (n == sizeof head && !memcmp(head, "SQLite format 3", 16))
		*kind = FK_BACKUP_SQLITE;
	else if (n && head[0] == '{')
		*kind = FK_BACKUP_DUMP;
	else
		return FK_ERR(err, FK_EINVAL, path,
		              "'%s' is neither a SQLite backup nor a fukkyu dump%s",
		              "'%s' は SQLite のバックアップでも fukkyu のダンプでもありません%s",
		              path, n ? "" : " (empty)");
	return FK_OK;
}

/* SQLite's own checks of a file: every page and index, and the foreign keys. */
static enum fk_code integrity(struct fk_store *st, struct fk_err *err)
{
	struct fk_stmt *s;
	bool row = false;
	enum fk_code rc = prep(st, "PRAGMA integrity_check", &s, err);
	if (!rc)
		rc = step(s, &row, err);
	if (!rc && row && strcmp(col_text(s, 0), "ok"))
		rc = FK_ERR(err, FK_EDB, db_name(st), "'%s' is damaged: %s",
		            "'%s' は壊れています: %s", db_name(st), col_text(s, 0));
	finalize(s);
	if (rc || (rc = prep(st, "PRAGMA foreign_key_check", &s, err)))
		return rc;
	row = false;
	rc = step(s, &row, err);
	if (!rc && row)
		rc = FK_ERR(
		    err, FK_EDB, db_name(st),
		    "'%s' is damaged: a row of table '%s' refers to a missing row of '%s'",
		    "'%s' は壊れています: テーブル '%s' の行が、'%s' にない行を参照しています",
		    db_name(st), col_text(s, 0), col_text(s, 2));
	finalize(s);
	return rc;
}

/* A new file of our own beside path (the same file system, so rename is atomic). */
static enum fk_code temp_beside(const char *path, char *tmp, size_t n, int *fd, struct fk_err *err)
{
	if (snprintf(tmp, n, "%s.XXXXXX", path) >= (int)n)
		return FK_ERR(err, FK_EUSAGE, path, "the path '%s' is too long",
		              "パス '%s' が長すぎます", path);
	*fd = mkstemp(tmp);
	if (*fd < 0)
		return FK_ERR(err, FK_EIO, path, "cannot write beside '%s': %s",
		              "'%s' と同じ場所に書き込めません: %s", path, strerror(errno));
	return FK_OK;
}

/* Removes a SQLite file and what SQLite may have left beside it. */
static void remove_db_files(const char *path)
{
	static const char *const ext[] = {"", "-journal", "-wal", "-shm"};
	for (size_t i = 0; i < FK_ARRAY_LEN(ext); i++) {
		char p[4200];
		snprintf(p, sizeof p, "%s%s", path, ext[i]);
		(void)remove(p);
	}
}

/* Flushes tmp to the disk, renames it to path and flushes the folder's entry. */
static enum fk_code commit_file(const char *tmp, const char *path, struct fk_err *err)
{
	int fd = open(tmp, O_RDONLY);
	bool bad = fd < 0 || fsync(fd);
	if (fd >= 0)
		close(fd);
	if (bad || rename(tmp, path))
		return FK_ERR(err, FK_EIO, path, "cannot write '%s': %s",
		              "'%s' に書き込めません: %s", path, strerror(errno));
	char *dir = fk_xstrdup(path), *slash = strrchr(dir, '/');
	if (slash)
		slash[slash == dir] = '\0';
	fd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	free(dir);
	return FK_OK;
}

static enum fk_code write_dump(struct fk_store *st, int fd, const char *path,
                               struct fk_backup_info *info, struct fk_err *err)
{
	struct dump_sink d = {.base = {ds_begin, ds_table, ds_row, ds_end_table, ds_finish}};
	d.f = fdopen(fd, "wb");
	d.path = path;
	d.source = OPS(st)->backend;
	d.all = EVP_MD_CTX_new();
	d.tab = EVP_MD_CTX_new();
	d.t = -1;
	fk_buf_init(&d.line, BK_LINE_MAX + 1);
	if (!d.f || !d.all || !d.tab)
		abort();
	digest_init(d.all);
	enum fk_code rc = copy_store(st, info->schema, &d.base, info, err);
	bool bad = fflush(d.f) != 0 || ferror(d.f);
	bad |= fclose(d.f) != 0;
	if (!rc && bad)
		rc = FK_ERR(err, FK_EIO, path, "cannot write '%s': %s", "'%s' に書き込めません: %s",
		            path, strerror(errno));
	snprintf(info->sha256, sizeof info->sha256, "%s", d.sha);
	snprintf(info->created_at, sizeof info->created_at, "%s", d.created_at);
	EVP_MD_CTX_free(d.all);
	EVP_MD_CTX_free(d.tab);
	fk_buf_release(&d.line);
	return rc;
}

/* A store on a new SQLite file (PostgreSQL to a SQLite backup; a dump checked in a
 * temporary database: path ""). */
static enum fk_code sqlite_target(const char *path, struct fk_store **out, struct fk_err *err)
{
	struct fk_db *db;
	enum fk_code rc = fk_db_sqlite_open(path, true, &db, err);
	*out = rc ? NULL : wrap(db);
	return rc;
}

enum fk_code fk_backup_write(struct fk_store *st, const char *path, enum fk_backup_format format,
                             struct fk_backup_info *info, struct fk_err *err)
{
	struct stat a, b;
	char tmp[4200];
	int fd = -1;
	memset(info, 0, sizeof *info);
	if (format == FK_BACKUP_AUTO)
		format = is_sqlite(st) ? FK_BACKUP_SQLITE : FK_BACKUP_DUMP;
	if (is_sqlite(st) && !stat(path, &a) && !stat(db_name(st), &b) && a.st_dev == b.st_dev &&
	    a.st_ino == b.st_ino)
		return FK_ERR(err, FK_EUSAGE, path,
		              "'%s' is the database itself: write the backup to another file",
		              "'%s' はデータベースそのものです: バックアップは別のファイルに"
		              "書いてください",
		              path);
	enum fk_code rc = temp_beside(path, tmp, sizeof tmp, &fd, err);
	if (rc)
		return rc;
	if (format == FK_BACKUP_SQLITE) {
		close(fd);
		fd = -1;
	}
	struct fk_backup_info source = {0};
	if (!(rc = fk_store_read_begin(st, err)) && !(rc = schema_of(st, &info->schema, err)))
		rc = check_tables(st, info->schema, err);
	if (!rc && format == FK_BACKUP_DUMP) {
		rc = write_dump(st, fd, path, info, err);
		fd = -1;
	} else if (!rc && is_sqlite(st)) {
		rc = OPS(st)->backup_to(st->db, tmp, err);
	} else if (!rc) { /* PostgreSQL into a SQLite file: the rows, copied */
		struct fk_store *dst;
		if (!(rc = sqlite_target(tmp, &dst, err))) {
			rc = load(dst, st, info->schema, NULL, NULL, &source, err);
			if (!rc)
				rc = OPS(dst)->exec(dst->db, "PRAGMA journal_mode=DELETE", err);
			fk_store_close(dst);
		}
	}
	fk_store_read_end(st);
	if (fd >= 0)
		close(fd);
	if (!rc && format == FK_BACKUP_SQLITE) { /* what the file holds, read back */
		struct fk_store *copy;
		int schema;
		if (!(rc = open_source(tmp, &copy, &schema, err))) {
			rc = readback(copy, info, err);
			fk_store_close(copy);
		}
		if (!rc && source.ntables)
			rc = compare(&source, info, path, err);
	}
	info->format = format;
	snprintf(info->source, sizeof info->source, "%s", OPS(st)->backend);
	if (!rc)
		rc = commit_file(tmp, path, err);
	if (rc) {
		remove_db_files(tmp);
		return rc;
	}
	/* Written as it is: the chain was broken before the backup. */
	return info->audit.bad_id ? audit_bad(db_name(st), &info->audit, err) : FK_OK;
}

enum fk_code fk_backup_dump_check(FILE *f, const char *name, struct fk_backup_info *info,
                                  struct fk_err *err)
{
	memset(info, 0, sizeof *info);
	return dump_read(f, name, NULL, info, err);
}

enum fk_code fk_backup_dump_load(struct fk_store *st, FILE *f, const char *name,
                                 struct fk_backup_info *info, struct fk_err *err)
{
	return load(st, NULL, 0, f, name, info, err);
}

enum fk_code fk_backup_verify(const char *path, struct fk_backup_info *info, struct fk_err *err)
{
	enum fk_backup_format kind;
	struct fk_store *st = NULL;
	int schema = 0;
	memset(info, 0, sizeof *info);
	enum fk_code rc = sniff(path, &kind, err);
	if (rc)
		return rc;
	if (kind == FK_BACKUP_SQLITE) {
		if ((rc = open_source(path, &st, &schema, err)))
			return rc;
		if (!(rc = integrity(st, err)) && !(rc = fk_store_read_begin(st, err))) {
			rc = check_tables(st, schema, err);
			fk_store_read_end(st);
		}
		if (!rc)
			rc = readback(st, info, err);
		fk_store_close(st);
		info->format = FK_BACKUP_SQLITE;
		snprintf(info->source, sizeof info->source, "sqlite");
		return rc ? rc : info->audit.bad_id ? audit_bad(path, &info->audit, err) : FK_OK;
	}
	FILE *f = fopen(path, "rb");
	if (!f)
		return FK_ERR(err, FK_EIO, path, "cannot open '%s': %s", "'%s' を開けません: %s",
		              path, strerror(errno));
	/* The file on its own, then its rows in a temporary database (deleted when closed),
	 * where the audit chain is recomputed and compared with the one the dump records. */
	rc = fk_backup_dump_check(f, path, info, err);
	if (!rc && fseek(f, 0, SEEK_SET))
		rc = FK_ERR(err, FK_EIO, path, "cannot read '%s': %s", "'%s' を読み込めません: %s",
		            path, strerror(errno));
	if (!rc)
		rc = sqlite_target("", &st, err);
	if (!rc) {
		struct fk_backup_info loaded, back = {0};
		rc = load(st, NULL, 0, f, path, &loaded, err);
		if (!rc)
			rc = readback(st, &back, err);
		if (!rc)
			rc = compare(info, &back, path, err);
		info->audit = back.audit;
	}
	fk_store_close(st);
	fclose(f);
	return rc;
}

/* Whether the database at url is the SQLite file at path (a copy onto its own source). */
static bool same_file(const char *url, const char *path)
{
	const char *p;
	struct stat a, b;
	return sqlite_url(url, &p) && !stat(p, &a) && !stat(path, &b) && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino;
}

/* The restore's and migrate's target: opened (created when it is a new SQLite file, which a
 * failed copy removes again). */
struct target {
	struct fk_store *st;
	const char *path; /* the SQLite file made, NULL otherwise */
};

static enum fk_code open_target(const char *url, struct target *t, struct fk_err *err)
{
	const char *path;
	struct stat sb;
	t->path = sqlite_url(url, &path) && stat(path, &sb) ? path : NULL;
	return fk_store_open(url, true, &t->st, err);
}

static void close_target(struct target *t, bool failed)
{
	fk_store_close(t->st);
	if (failed && t->path)
		remove_db_files(t->path);
}

/* Loads the source (an open store in its read transaction, or the dump f) into the empty
 * database at url, reads it back and compares: the end of both restore and migrate. Ends
 * src's read transaction. */
static enum fk_code copy_into(const char *url, struct fk_store *src, int schema, FILE *f,
                              const char *path, struct fk_backup_info *from,
                              struct fk_backup_info *to, struct fk_err *err)
{
	struct target t = {0};
	bool loaded = false;
	enum fk_code rc = open_target(url, &t, err);
	if (!rc)
		loaded = !(rc = load(t.st, src, schema, f, path, from, err));
	if (src)
		fk_store_read_end(src);
	if (loaded) {
		rc = readback(t.st, to, err);
		snprintf(to->source, sizeof to->source, "%s", OPS(t.st)->backend);
		if (!rc)
			rc = compare(from, to, t.st->db->name, err);
	}
	if (t.st)
		close_target(&t, !loaded);
	return rc;
}

enum fk_code fk_backup_restore(const char *path, const char *url, struct fk_backup_info *from,
                               struct fk_backup_info *to, struct fk_err *err)
{
	enum fk_backup_format kind;
	struct fk_store *src = NULL;
	FILE *f = NULL;
	int schema = 0;
	memset(from, 0, sizeof *from);
	memset(to, 0, sizeof *to);
	enum fk_code rc = sniff(path, &kind, err);
	if (rc)
		return rc;
	if (same_file(url, path))
		return FK_ERR(err, FK_EUSAGE, path,
		              "'%s' is the backup itself: restore into another database",
		              "'%s' はバックアップそのものです: 別のデータベースに復元してください",
		              path);
	/* The backup is checked before the target is touched. */
	if (kind == FK_BACKUP_SQLITE) {
		if (!(rc = open_source(path, &src, &schema, err)) &&
		    !(rc = fk_store_read_begin(src, err)))
			rc = check_tables(src, schema, err);
	} else if (!(f = fopen(path, "rb"))) {
		rc = FK_ERR(err, FK_EIO, path, "cannot open '%s': %s", "'%s' を開けません: %s",
		            path, strerror(errno));
	} else if (!(rc = fk_backup_dump_check(f, path, from, err)) && fseek(f, 0, SEEK_SET)) {
		rc = FK_ERR(err, FK_EIO, path, "cannot read '%s': %s", "'%s' を読み込めません: %s",
		            path, strerror(errno));
	}
	if (!rc)
		rc = copy_into(url, src, schema, f, path, from, to, err);
	else if (src)
		fk_store_read_end(src);
	fk_store_close(src);
	if (f)
		fclose(f);
	from->format = kind;
	return rc;
}

enum fk_code fk_backup_migrate(const char *from_url, const char *to_url,
                               struct fk_backup_info *from, struct fk_backup_info *to,
                               struct fk_err *err)
{
	struct fk_store *src = NULL;
	int schema = 0;
	memset(from, 0, sizeof *from);
	memset(to, 0, sizeof *to);
	const char *from_path;
	if (!strcmp(from_url, to_url) ||
	    (sqlite_url(from_url, &from_path) && same_file(to_url, from_path)))
		return FK_ERR(err, FK_EUSAGE, "--to", "--from and --to name the same database '%s'",
		              "--from と --to が同じデータベース '%s' です", from_url);
	enum fk_code rc = open_source(from_url, &src, &schema, err);
	if (!rc && !(rc = fk_store_read_begin(src, err)))
		rc = check_tables(src, schema, err);
	if (!rc)
		rc = copy_into(to_url, src, schema, NULL, NULL, from, to, err);
	else if (src)
		fk_store_read_end(src);
	fk_store_close(src);
	from->format = FK_BACKUP_AUTO;
	return rc;
}
