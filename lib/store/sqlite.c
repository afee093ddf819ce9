/*
 * sqlite.c - the SQLite backend of the thin SQL layer (db.h).
 *
 * Settings: WAL (readers never block the writer), foreign keys on, synchronous=FULL (an
 * acknowledged write survives power loss), a busy timeout (FUKKYU_BUSY_MS, default 5000 ms)
 * after which a locked database is reported, not waited on forever.
 */
#include "fukkyu/common.h"
#include "store/db.h"

#include <errno.h>
#include <sqlite3.h>
#include <sys/stat.h>

enum { SQ_BEGIN_READ, SQ_BEGIN, SQ_COMMIT, SQ_ROLLBACK, SQ_TX_N };
static const char *const sq_tx_sql[SQ_TX_N] = {"BEGIN DEFERRED", "BEGIN IMMEDIATE", "COMMIT",
                                               "ROLLBACK"};

struct sq_db {
	struct fk_db base;
	sqlite3 *h;
	char *path;
	sqlite3_stmt *tx[SQ_TX_N]; /* the transaction statements, prepared once (a server runs
	                              thousands of read transactions a second) */
	int busy_ms;
};

#define SQ_MAX_PARAMS 32

struct sq_stmt {
	struct fk_stmt base;
	sqlite3_stmt *h;
	struct sq_db *db;
	int index[SQ_MAX_PARAMS + 1]; /* $N -> SQLite's parameter index, 0 when absent */
};

static enum fk_code sq_error(struct sq_db *db, int rc, struct fk_err *err)
{
	int base = rc & 0xff;
	const char *msg = sqlite3_errmsg(db->h);
	if (base == SQLITE_BUSY || base == SQLITE_LOCKED)
		return FK_ERR(err, FK_EBUSY, db->path,
		              "database '%s' is locked by another process: try again when it has "
		              "finished",
		              "データベース '%s' は他のプロセスがロックしています: "
		              "終了後に再実行してください",
		              db->path);
	if (base == SQLITE_FULL)
		return FK_ERR(
		    err, FK_EIO, db->path, "database '%s': the disk is full; nothing was written",
		    "データベース '%s': ディスクが一杯です。何も書き込まれていません", db->path);
	/* A file size limit (EFBIG) or a quota ends a write with SQLITE_IOERR_WRITE (only a short
	 * write is SQLITE_FULL): the transaction is rolled back all the same. */
	if (rc == SQLITE_IOERR_WRITE)
		return FK_ERR(
		    err, FK_EIO, db->path,
		    "database '%s': the disk is full or the file reached its size limit; "
		    "nothing was written",
		    "データベース '%s': ディスクが一杯か、ファイルが上限の大きさに達しました。"
		    "何も書き込まれていません",
		    db->path);
	if (base == SQLITE_READONLY || base == SQLITE_PERM || base == SQLITE_CANTOPEN)
		return FK_ERR(err, FK_EIO, db->path, "database '%s' cannot be written: %s",
		              "データベース '%s' に書き込めません: %s", db->path, msg);
	if (base == SQLITE_NOTADB || base == SQLITE_CORRUPT)
		return FK_ERR(
		    err, FK_EDB, db->path, "'%s' is not a fukkyu database or is damaged: %s",
		    "'%s' は fukkyu のデータベースではないか、壊れています: %s", db->path, msg);
	if (base == SQLITE_CONSTRAINT)
		return FK_ERR(err, FK_ECONFLICT, db->path, "database constraint failed: %s",
		              "データベースの制約違反です: %s", msg);
	return FK_ERR(err, FK_EDB, db->path, "database error in '%s': %s",
	              "データベース '%s' のエラー: %s", db->path, msg);
}

static void sq_close(struct fk_db *d)
{
	struct sq_db *db = (struct sq_db *)d;
	for (int i = 0; i < SQ_TX_N; i++)
		sqlite3_finalize(db->tx[i]);
	sqlite3_close_v2(db->h);
	free(db->path);
	free(db);
}

static enum fk_code sq_exec(struct fk_db *d, const char *sql, struct fk_err *err)
{
	struct sq_db *db = (struct sq_db *)d;
	int rc = sqlite3_exec(db->h, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? FK_OK : sq_error(db, rc, err);
}

static enum fk_code sq_prepare(struct fk_db *d, const char *sql, struct fk_stmt **out,
                               struct fk_err *err)
{
	struct sq_db *db = (struct sq_db *)d;
	sqlite3_stmt *h;
	int rc = sqlite3_prepare_v2(db->h, sql, -1, &h, NULL);
	if (rc != SQLITE_OK)
		return sq_error(db, rc, err);
	struct sq_stmt *st = fk_xcalloc(1, sizeof *st);
	st->base.ops = d->ops;
	st->h = h;
	st->db = db;
	/* Map $N names to indexes once, so binding a million rows does no name look-ups. */
	for (int i = 1; i <= sqlite3_bind_parameter_count(h); i++) {
		const char *name = sqlite3_bind_parameter_name(h, i);
		long n = name && name[0] == '$' ? strtol(name + 1, NULL, 10) : 0;
		if (n > 0 && n <= SQ_MAX_PARAMS)
			st->index[n] = i;
	}
	*out = &st->base;
	return FK_OK;
}

/* $N parameters are bound by name (mapped at prepare), so a query may use them in any
 * order. An unknown N is a bug in the query text. */
static int param_index(struct sq_stmt *st, int idx)
{
	int i = idx > 0 && idx <= SQ_MAX_PARAMS ? st->index[idx] : 0;
	if (!i) {
		fprintf(stderr, "fukkyu: internal error: no parameter $%d in: %s\n", idx,
		        sqlite3_sql(st->h));
		abort();
	}
	return i;
}

static void sq_bind_text(struct fk_stmt *s, int idx, const char *text)
{
	struct sq_stmt *st = (struct sq_stmt *)s;
	int i = param_index(st, idx);
	if (text)
		sqlite3_bind_text(st->h, i, text, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st->h, i);
}

static void sq_bind_text_ref(struct fk_stmt *s, int idx, const char *text)
{
	struct sq_stmt *st = (struct sq_stmt *)s;
	int i = param_index(st, idx);
	if (text)
		sqlite3_bind_text(st->h, i, text, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st->h, i);
}

static void sq_bind_int(struct fk_stmt *s, int idx, int64_t v)
{
	struct sq_stmt *st = (struct sq_stmt *)s;
	sqlite3_bind_int64(st->h, param_index(st, idx), v);
}

static enum fk_code sq_step(struct fk_stmt *s, bool *row, struct fk_err *err)
{
	struct sq_stmt *st = (struct sq_stmt *)s;
	int rc = sqlite3_step(st->h);
	*row = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return FK_OK;
	return sq_error(st->db, rc, err);
}

static const char *sq_col_text(struct fk_stmt *s, int col)
{
	return (const char *)sqlite3_column_text(((struct sq_stmt *)s)->h, col);
}

static int64_t sq_col_int(struct fk_stmt *s, int col)
{
	return sqlite3_column_int64(((struct sq_stmt *)s)->h, col);
}

static bool sq_col_null(struct fk_stmt *s, int col)
{
	return sqlite3_column_type(((struct sq_stmt *)s)->h, col) == SQLITE_NULL;
}

static int sq_col_count(struct fk_stmt *s)
{
	return sqlite3_column_count(((struct sq_stmt *)s)->h);
}

static const char *sq_col_name(struct fk_stmt *s, int col)
{
	return sqlite3_column_name(((struct sq_stmt *)s)->h, col);
}

static void sq_reset(struct fk_stmt *s)
{
	struct sq_stmt *st = (struct sq_stmt *)s;
	sqlite3_reset(st->h);
	sqlite3_clear_bindings(st->h);
}

static void sq_finalize(struct fk_stmt *s)
{
	if (!s)
		return;
	sqlite3_finalize(((struct sq_stmt *)s)->h);
	free(s);
}

static enum fk_code sq_tx(struct fk_db *d, int which, struct fk_err *err)
{
	struct sq_db *db = (struct sq_db *)d;
	int rc = SQLITE_OK;
	if (!db->tx[which])
		rc = sqlite3_prepare_v3(db->h, sq_tx_sql[which], -1, SQLITE_PREPARE_PERSISTENT,
		                        &db->tx[which], NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(db->tx[which]);
		sqlite3_reset(db->tx[which]);
	}
	return rc == SQLITE_DONE || rc == SQLITE_OK ? FK_OK : sq_error(db, rc, err);
}

static enum fk_code sq_begin_read(struct fk_db *d, struct fk_err *err)
{
	return sq_tx(d, SQ_BEGIN_READ, err);
}

static enum fk_code sq_begin(struct fk_db *d, struct fk_err *err)
{
	return sq_tx(d, SQ_BEGIN, err);
}

static enum fk_code sq_commit(struct fk_db *d, struct fk_err *err)
{
	return sq_tx(d, SQ_COMMIT, err);
}

static void sq_rollback(struct fk_db *d)
{
	struct sq_db *db = (struct sq_db *)d;
	struct fk_err ignored; /* only written */
	if (!sqlite3_get_autocommit(db->h))
		(void)sq_tx(d, SQ_ROLLBACK, &ignored);
}

static bool sq_has_table(struct fk_db *d, const char *name)
{
	struct sq_db *db = (struct sq_db *)d;
	sqlite3_stmt *h;
	bool found = false;
	if (sqlite3_prepare_v2(db->h, "SELECT 1 FROM sqlite_schema WHERE type='table' AND name=?1",
	                       -1, &h, NULL) != SQLITE_OK)
		return false;
	sqlite3_bind_text(h, 1, name, -1, SQLITE_STATIC);
	found = sqlite3_step(h) == SQLITE_ROW;
	sqlite3_finalize(h);
	return found;
}

static int64_t sq_changes(struct fk_db *d)
{
	return sqlite3_changes64(((struct sq_db *)d)->h);
}

/* The online backup API copies the pages of one read transaction (-1: every page in one
 * step), so it sees one snapshot and a writer holding the write lock does not stop it (WAL
 * readers never wait for the writer). The copy is then switched to a rollback journal: one
 * self-contained file, readable without -wal and -shm files. */
static enum fk_code sq_backup_to(struct fk_db *d, const char *path, struct fk_err *err)
{
	struct sq_db *db = (struct sq_db *)d;
	sqlite3 *dst = NULL;
	int rc = sqlite3_open_v2(
	    path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	sqlite3_backup *b =
	    rc == SQLITE_OK ? sqlite3_backup_init(dst, "main", db->h, "main") : NULL;
	if (b) {
		/* busy only while another connection holds an exclusive lock (a checkpoint
		 * truncating the WAL, a recovery): wait as any statement would */
		for (int waited = 0;; waited += 20) {
			rc = sqlite3_backup_step(b, -1);
			if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || waited >= db->busy_ms)
				break;
			sqlite3_sleep(20);
		}
		int fin = sqlite3_backup_finish(b);
		rc = rc == SQLITE_DONE ? fin : rc;
	} else if (rc == SQLITE_OK) {
		rc = sqlite3_errcode(dst);
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
	enum fk_code c = FK_OK;
	if (rc != SQLITE_OK && ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED))
		c = sq_error(db, rc, err);
	else if (rc != SQLITE_OK)
		c = FK_ERR(err, FK_EIO, path, "cannot write the backup '%s': %s",
		           "バックアップ '%s' を書き込めません: %s", path,
		           dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
	if (sqlite3_close(dst) != SQLITE_OK && !c)
		c = FK_ERR(err, FK_EIO, path, "cannot close the backup '%s'",
		           "バックアップ '%s' を閉じられません", path);
	return c;
}

static const struct fk_db_ops sq_ops = {
    .backend = "sqlite",
    .like_ascii_ci = "LIKE",
    .close = sq_close,
    .exec = sq_exec,
    .prepare = sq_prepare,
    .bind_text = sq_bind_text,
    .bind_int = sq_bind_int,
    .bind_text_ref = sq_bind_text_ref,
    .step = sq_step,
    .col_text = sq_col_text,
    .col_int = sq_col_int,
    .col_null = sq_col_null,
    .col_count = sq_col_count,
    .col_name = sq_col_name,
    .reset = sq_reset,
    .finalize = sq_finalize,
    .begin = sq_begin,
    .begin_read = sq_begin_read,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .has_table = sq_has_table,
    .changes = sq_changes,
    .backup_to = sq_backup_to,
};

/* The connection's settings every open shares: busy timeout, extended codes. */
static struct sq_db *sq_wrap(sqlite3 *h, const char *path)
{
	struct sq_db *db = fk_xcalloc(1, sizeof *db);
	db->base.ops = &sq_ops;
	db->h = h;
	db->path = fk_xstrdup(path);
	db->base.name = db->path;
	const char *busy = getenv("FUKKYU_BUSY_MS");
	long ms = busy ? strtol(busy, NULL, 10) : 5000;
	db->busy_ms = ms > 0 && ms < 600000 ? (int)ms : 5000;
	sqlite3_busy_timeout(h, db->busy_ms);
	sqlite3_extended_result_codes(h, 1);
	return db;
}

enum fk_code fk_db_sqlite_open(const char *path, bool create, struct fk_db **out,
                               struct fk_err *err)
{
	struct stat sb;
	if (!create && stat(path, &sb))
		return FK_ERR(
		    err, FK_ENOTFOUND, "--db",
		    "database '%s' does not exist: create it with 'fukkyu --db %s init'",
		    "データベース '%s' がありません: 'fukkyu --db %s init' で作成してください",
		    path, path);
	/* Say what is missing rather than SQLite's "unable to open database file". */
	char *dir = fk_xstrdup(path), *slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		if (stat(dir, &sb) || !S_ISDIR(sb.st_mode)) {
			FK_ERR(err, FK_EIO, "--db",
			       "cannot create database '%s': folder '%s' does not exist (create it "
			       "with mkdir -p)",
			       "データベース '%s' を作成できません: フォルダ '%s' がありません "
			       "(mkdir -p "
			       "で作成してください)",
			       path, dir);
			free(dir);
			return FK_EIO;
		}
	}
	free(dir);
	sqlite3 *h = NULL;
	int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
	int rc = sqlite3_open_v2(path, &h, flags, NULL);
	if (rc != SQLITE_OK) {
		FK_ERR(err, FK_EIO, "--db", "cannot open database '%s': %s",
		       "データベース '%s' を開けません: %s", path,
		       h ? sqlite3_errmsg(h) : strerror(errno));
		sqlite3_close_v2(h);
		return FK_EIO;
	}
	struct sq_db *db = sq_wrap(h, path);
	enum fk_code c = sq_exec(&db->base,
	                         "PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL; "
	                         "PRAGMA journal_mode=WAL; PRAGMA trusted_schema=OFF; "
	                         /* 64 MiB of page cache (allocated as used): a bulk import
	                          * then writes each page to the WAL once, not again and
	                          * again as the cache spills. */
	                         "PRAGMA cache_size=-65536; "
	                         /* Index builds and large sorts in memory, with a helper thread. */
	                         "PRAGMA temp_store=MEMORY; PRAGMA threads=2",
	                         err);
	if (c) {
		sq_close(&db->base);
		return c;
	}
	*out = &db->base;
	return FK_OK;
}

enum fk_code fk_db_sqlite_open_readonly(const char *path, struct fk_db **out, struct fk_err *err)
{
	struct stat sb;
	if (stat(path, &sb) || !S_ISREG(sb.st_mode))
		return FK_ERR(err, FK_ENOTFOUND, path, "'%s' does not exist or is not a file",
		              "'%s' が存在しないか、ファイルではありません", path);
	sqlite3 *h = NULL;
	int rc = sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		FK_ERR(err, FK_EIO, path, "cannot open database '%s': %s",
		       "データベース '%s' を開けません: %s", path,
		       h ? sqlite3_errmsg(h) : strerror(errno));
		sqlite3_close_v2(h);
		return FK_EIO;
	}
	struct sq_db *db = sq_wrap(h, path);
	enum fk_code c =
	    sq_exec(&db->base,
	            "PRAGMA foreign_keys=ON; PRAGMA trusted_schema=OFF; PRAGMA query_only=ON", err);
	if (c) {
		sq_close(&db->base);
		return c;
	}
	*out = &db->base;
	return FK_OK;
}
