/*
 * pg.c - the PostgreSQL backend of the thin SQL layer (db.h), over libpq.
 *
 * The store's queries already use $N parameters, so they go to the server as written
 * (PQexecParams: numbers typed bigint, text left for the server to infer from its use).
 *
 * Writes are serialised: a write transaction takes one transaction-scoped advisory lock
 * first. Every write appends to the audit chain (each entry hashes the one before), so
 * writers must take turns anyway; taking the turn at BEGIN gives every server on the database
 * the same guarantee SQLite's BEGIN IMMEDIATE gives one process: what a transaction reads
 * after its BEGIN is what it writes over (numbering, the chain, counters). Readers never wait:
 * a read transaction is one REPEATABLE READ snapshot.
 *
 * A connection that broke (the database restarted) is re-established at the next BEGIN.
 *
 * A statement run a second time (the store's cached statements, loops over rows) is prepared
 * on the server then, so it is parsed and planned once; a statement that cannot be prepared
 * with the types of that run stays unprepared.
 */
#include "fukkyu/common.h"
#include "store/db.h"

#include <libpq-fe.h>

/* The advisory lock every write transaction takes: "fkyu". */
#define PG_WRITE_LOCK "1718319477"
#define PG_MAX_PARAMS 32
#define PG_INT8OID    20
#define PG_TEXTOID    25

struct pg_db {
	struct fk_db base;
	PGconn *conn;
	char *where; /* the URL without its password: for messages */
	int64_t changes;
	unsigned generation; /* counts connections: prepared statements die with theirs */
	unsigned long next_name;
};

struct pg_stmt {
	struct fk_stmt base;
	struct pg_db *db;
	char *sql;
	int nparams; /* the highest $N in the text */
	char *values[PG_MAX_PARAMS];
	const char *refs[PG_MAX_PARAMS]; /* bind_text_ref: not owned */
	Oid types[PG_MAX_PARAMS];
	bool bound[PG_MAX_PARAMS];
	PGresult *res;
	int row; /* the current row of res; -1 before the first step */
	unsigned runs;
	bool prepared, unpreparable;
	unsigned generation; /* of the connection it was prepared on */
	char name[24];
};

/* The URL as it may be shown: a password (postgresql://user:secret@host) replaced by ***. */
static char *redact(const char *url)
{
	char *out = fk_xstrdup(url);
	char *scheme = strstr(out, "://");
	if (!scheme)
		return out;
	char *at = strchr(scheme + 3, '@'), *colon = strchr(scheme + 3, ':');
	if (at && colon && colon < at) {
		size_t tail = strlen(at);
		memcpy(colon + 1, "***", 3);
		memmove(colon + 4, at, tail + 1);
	}
	return out;
}

static const char *first_line(const char *msg, char *buf, size_t n)
{
	snprintf(buf, n, "%s", msg ? msg : "");
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

/* Maps a failed result (or a failed connection when res is NULL) to fukkyu's codes. */
static enum fk_code pg_error(struct pg_db *db, const PGresult *res, struct fk_err *err)
{
	char msg[512];
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	first_line(res ? PQresultErrorMessage(res) : PQerrorMessage(db->conn), msg, sizeof msg);
	if (!state || PQstatus(db->conn) != CONNECTION_OK)
		return FK_ERR(
		    err, FK_EIO, db->where,
		    "database '%s' cannot be reached: %s (is PostgreSQL running?)",
		    "データベース '%s' に接続できません: %s (PostgreSQL は動いていますか?)",
		    db->where, msg);
	if (!strncmp(state, "23", 2))
		return FK_ERR(err, FK_ECONFLICT, db->where, "database constraint failed: %s",
		              "データベースの制約違反です: %s", msg);
	if (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strcmp(state, "55P03") ||
	    !strcmp(state, "57014"))
		return FK_ERR(err, FK_EBUSY, db->where,
		              "database '%s' is busy (%s): try again when it has finished",
		              "データベース '%s' は処理中です (%s): 終了後に再実行してください",
		              db->where, msg);
	if (!strcmp(state, "53100"))
		return FK_ERR(
		    err, FK_EIO, db->where, "database '%s': the disk is full; nothing was written",
		    "データベース '%s': ディスクが一杯です。何も書き込まれていません", db->where);
	if (!strcmp(state, "25006") || !strncmp(state, "42501", 5))
		return FK_ERR(err, FK_EIO, db->where, "database '%s' cannot be written: %s",
		              "データベース '%s' に書き込めません: %s", db->where, msg);
	return FK_ERR(err, FK_EDB, db->where, "database error in '%s': %s",
	              "データベース '%s' のエラー: %s", db->where, msg);
}

/* Runs sql without parameters; ok is the result status expected. */
static enum fk_code pg_run(struct pg_db *db, const char *sql, struct fk_err *err)
{
	PGresult *res = PQexec(db->conn, sql);
	ExecStatusType s = PQresultStatus(res);
	enum fk_code rc = FK_OK;
	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK)
		rc = pg_error(db, res, err);
	PQclear(res);
	return rc;
}

static void pg_close(struct fk_db *d)
{
	struct pg_db *db = (struct pg_db *)d;
	PQfinish(db->conn);
	free(db->where);
	free(db);
}

static enum fk_code pg_exec(struct fk_db *d, const char *sql, struct fk_err *err)
{
	return pg_run((struct pg_db *)d, sql, err);
}

/* The highest $N outside quotes and comments. */
static int count_params(const char *sql)
{
	int max = 0;
	for (const char *p = sql; *p; p++) {
		if (*p == '\'') {
			while (*++p && *p != '\'')
				;
			if (!*p)
				break;
		} else if (*p == '-' && p[1] == '-') {
			while (*p && *p != '\n')
				p++;
			if (!*p)
				break;
		} else if (*p == '$' && p[1] >= '1' && p[1] <= '9') {
			int n = (int)strtol(p + 1, NULL, 10);
			if (n > max)
				max = n;
		}
	}
	return max;
}

static enum fk_code pg_prepare(struct fk_db *d, const char *sql, struct fk_stmt **out,
                               struct fk_err *err)
{
	struct pg_db *db = (struct pg_db *)d;
	int n = count_params(sql);
	if (n > PG_MAX_PARAMS)
		return FK_ERR(err, FK_EDB, db->where, "query has %d parameters, at most %d",
		              "クエリの引数が %d 個あります (最大 %d)", n, PG_MAX_PARAMS);
	struct pg_stmt *st = fk_xcalloc(1, sizeof *st);
	st->base.ops = d->ops;
	st->db = db;
	st->sql = fk_xstrdup(sql);
	st->nparams = n;
	st->row = -1;
	*out = &st->base;
	return FK_OK;
}

static int param_slot(struct pg_stmt *st, int idx)
{
	if (idx < 1 || idx > st->nparams) {
		fprintf(stderr, "fukkyu: internal error: no parameter $%d in: %s\n", idx, st->sql);
		abort();
	}
	return idx - 1;
}

static void set_param(struct pg_stmt *st, int idx, char *owned, const char *ref, Oid type)
{
	int i = param_slot(st, idx);
	free(st->values[i]);
	st->values[i] = owned;
	st->refs[i] = ref;
	st->types[i] = type;
	st->bound[i] = true;
}

static void pg_bind_text(struct fk_stmt *s, int idx, const char *text)
{
	set_param((struct pg_stmt *)s, idx, text ? fk_xstrdup(text) : NULL, NULL, 0);
}

static void pg_bind_text_ref(struct fk_stmt *s, int idx, const char *text)
{
	set_param((struct pg_stmt *)s, idx, NULL, text, 0);
}

static void pg_bind_int(struct fk_stmt *s, int idx, int64_t v)
{
	char buf[24];
	snprintf(buf, sizeof buf, "%lld", (long long)v);
	set_param((struct pg_stmt *)s, idx, fk_xstrdup(buf), NULL, PG_INT8OID);
}

static enum fk_code pg_step(struct fk_stmt *s, bool *row, struct fk_err *err)
{
	struct pg_stmt *st = (struct pg_stmt *)s;
	*row = false;
	if (!st->res) {
		const char *vals[PG_MAX_PARAMS];
		for (int i = 0; i < st->nparams; i++) {
			vals[i] = st->values[i] ? st->values[i] : st->refs[i];
			/* A parameter never bound is NULL (as in SQLite); typed text, since a
			 * query built from parts may not mention it at all. */
			if (!st->bound[i])
				st->types[i] = PG_TEXTOID;
		}
		if (st->prepared && st->generation != st->db->generation)
			st->prepared = false; /* the connection was made again */
		if (!st->prepared && !st->unpreparable && ++st->runs >= 2) {
			snprintf(st->name, sizeof st->name, "fk%lu", st->db->next_name++);
			PGresult *p =
			    PQprepare(st->db->conn, st->name, st->sql, st->nparams, st->types);
			st->prepared = PQresultStatus(p) == PGRES_COMMAND_OK;
			st->unpreparable = !st->prepared;
			st->generation = st->db->generation;
			PQclear(p);
		}
		st->res = st->prepared ? PQexecPrepared(st->db->conn, st->name, st->nparams, vals,
		                                        NULL, NULL, 0)
		                       : PQexecParams(st->db->conn, st->sql, st->nparams, st->types,
		                                      vals, NULL, NULL, 0);
		ExecStatusType t = PQresultStatus(st->res);
		if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK) {
			if (getenv("FUKKYU_SQL_DEBUG")) /* a failed query, for whoever debugs the
			                                   store */
				fprintf(stderr, "fukkyu: failed query: %s\n", st->sql);
			enum fk_code rc = pg_error(st->db, st->res, err);
			PQclear(st->res);
			st->res = NULL;
			return rc;
		}
		const char *tuples = PQcmdTuples(st->res);
		st->db->changes = *tuples ? strtoll(tuples, NULL, 10) : 0;
		st->row = -1;
	}
	if (st->row + 1 < PQntuples(st->res)) {
		st->row++;
		*row = true;
	}
	return FK_OK;
}

static const char *pg_col_text(struct fk_stmt *s, int col)
{
	struct pg_stmt *st = (struct pg_stmt *)s;
	if (!st->res || st->row < 0 || PQgetisnull(st->res, st->row, col))
		return NULL;
	return PQgetvalue(st->res, st->row, col);
}

static int64_t pg_col_int(struct fk_stmt *s, int col)
{
	const char *v = pg_col_text(s, col);
	if (!v)
		return 0;
	if (!strcmp(v, "t")) /* a boolean expression: SQLite gives 1 or 0 */
		return 1;
	return strtoll(v, NULL, 10);
}

static bool pg_col_null(struct fk_stmt *s, int col)
{
	return pg_col_text(s, col) == NULL;
}

static int pg_col_count(struct fk_stmt *s)
{
	struct pg_stmt *st = (struct pg_stmt *)s;
	return st->res ? PQnfields(st->res) : 0;
}

static const char *pg_col_name(struct fk_stmt *s, int col)
{
	struct pg_stmt *st = (struct pg_stmt *)s;
	return st->res ? PQfname(st->res, col) : NULL;
}

static void pg_reset(struct fk_stmt *s)
{
	struct pg_stmt *st = (struct pg_stmt *)s;
	PQclear(st->res);
	st->res = NULL;
	st->row = -1;
	for (int i = 0; i < st->nparams; i++) {
		free(st->values[i]);
		st->values[i] = NULL;
		st->refs[i] = NULL;
		st->types[i] = 0;
		st->bound[i] = false;
	}
}

static void pg_finalize(struct fk_stmt *s)
{
	if (!s)
		return;
	struct pg_stmt *st = (struct pg_stmt *)s;
	pg_reset(s);
	if (st->prepared && st->generation == st->db->generation &&
	    PQstatus(st->db->conn) == CONNECTION_OK &&
	    PQtransactionStatus(st->db->conn) != PQTRANS_INERROR) {
		char sql[48];
		snprintf(sql, sizeof sql, "DEALLOCATE %s", st->name);
		pg_run(st->db, sql, &(struct fk_err){0});
	}
	free(st->sql);
	free(st);
}

/* A connection lost between transactions (the database restarted) is made again. */
static enum fk_code reconnect(struct pg_db *db, struct fk_err *err)
{
	if (PQstatus(db->conn) == CONNECTION_OK)
		return FK_OK;
	PQreset(db->conn);
	db->generation++;
	return PQstatus(db->conn) == CONNECTION_OK ? FK_OK : pg_error(db, NULL, err);
}

static enum fk_code pg_begin(struct fk_db *d, struct fk_err *err)
{
	struct pg_db *db = (struct pg_db *)d;
	enum fk_code rc = reconnect(db, err);
	if (!rc)
		rc = pg_run(db,
		            "BEGIN ISOLATION LEVEL READ COMMITTED; "
		            "SELECT pg_advisory_xact_lock(" PG_WRITE_LOCK ")",
		            err);
	if (rc && PQtransactionStatus(db->conn) != PQTRANS_IDLE)
		pg_run(db, "ROLLBACK", &(struct fk_err){0});
	return rc;
}

static enum fk_code pg_begin_read(struct fk_db *d, struct fk_err *err)
{
	struct pg_db *db = (struct pg_db *)d;
	enum fk_code rc = reconnect(db, err);
	return rc ? rc : pg_run(db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", err);
}

static enum fk_code pg_commit(struct fk_db *d, struct fk_err *err)
{
	struct pg_db *db = (struct pg_db *)d;
	PGresult *res = PQexec(db->conn, "COMMIT");
	enum fk_code rc = FK_OK;
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = pg_error(db, res, err);
	else if (!strcmp(PQcmdStatus(res), "ROLLBACK")) /* the transaction had failed */
		rc = FK_ERR0(err, FK_EDB, db->where, "the transaction failed and was rolled back",
		             "トランザクションが失敗し、取り消されました");
	PQclear(res);
	return rc;
}

static void pg_rollback(struct fk_db *d)
{
	struct pg_db *db = (struct pg_db *)d;
	PGTransactionStatusType t = PQtransactionStatus(db->conn);
	if (t == PQTRANS_INTRANS || t == PQTRANS_INERROR)
		pg_run(db, "ROLLBACK", &(struct fk_err){0});
}

static bool pg_has_table(struct fk_db *d, const char *name)
{
	struct pg_db *db = (struct pg_db *)d;
	const char *vals[1] = {name};
	PGresult *res = PQexecParams(db->conn, "SELECT to_regclass($1) IS NOT NULL", 1, NULL, vals,
	                             NULL, NULL, 0);
	bool found = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 &&
	             !strcmp(PQgetvalue(res, 0, 0), "t");
	PQclear(res);
	return found;
}

static int64_t pg_changes(struct fk_db *d)
{
	return ((struct pg_db *)d)->changes;
}

/* After rows were copied in with their own ids (restore, migrate): each identity column's
 * sequence continues after the largest id of its table (1 when the table is empty). */
static enum fk_code pg_after_copy(struct fk_db *d, struct fk_err *err)
{
	return pg_run((struct pg_db *)d,
	              "DO $$DECLARE r record; m bigint; BEGIN "
	              "FOR r IN SELECT table_name AS t, column_name AS c FROM "
	              "information_schema.columns WHERE table_schema = current_schema() AND "
	              "is_identity = 'YES' LOOP "
	              "EXECUTE format('SELECT max(%I) FROM %I.%I', r.c, current_schema(), r.t) "
	              "INTO m; "
	              "PERFORM setval(pg_get_serial_sequence(format('%I.%I', current_schema(), "
	              "r.t), r.c), coalesce(m, 1), m IS NOT NULL); "
	              "END LOOP; END$$",
	              err);
}

static const struct fk_db_ops pg_ops = {
    .backend = "postgresql",
    .like_ascii_ci = "ILIKE", /* in the C locale: ASCII letters only, as SQLite's LIKE */
    .close = pg_close,
    .exec = pg_exec,
    .prepare = pg_prepare,
    .bind_text = pg_bind_text,
    .bind_int = pg_bind_int,
    .bind_text_ref = pg_bind_text_ref,
    .step = pg_step,
    .col_text = pg_col_text,
    .col_int = pg_col_int,
    .col_null = pg_col_null,
    .col_count = pg_col_count,
    .col_name = pg_col_name,
    .reset = pg_reset,
    .finalize = pg_finalize,
    .begin = pg_begin,
    .begin_read = pg_begin_read,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .has_table = pg_has_table,
    .changes = pg_changes,
    .after_copy = pg_after_copy,
};

/* Notices ("relation already exists, skipping") are not for the user. */
static void quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

enum fk_code fk_db_pg_open(const char *url, struct fk_db **out, struct fk_err *err)
{
	struct pg_db *db = fk_xcalloc(1, sizeof *db);
	db->base.ops = &pg_ops;
	db->where = redact(url);
	db->base.name = db->where;
	db->conn = PQconnectdb(url);
	if (PQstatus(db->conn) != CONNECTION_OK) {
		char msg[512];
		first_line(PQerrorMessage(db->conn), msg, sizeof msg);
		FK_ERR(err, FK_EIO, "--db", "cannot connect to database '%s': %s",
		       "データベース '%s' に接続できません: %s", db->where, msg);
		pg_close(&db->base);
		return FK_EIO;
	}
	PQsetNoticeProcessor(db->conn, quiet, NULL);
	/* Text compares as SQLite compares it (bytes), and times are never converted. */
	enum fk_code rc = pg_run(db,
	                         "SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'; "
	                         "SET standard_conforming_strings = on",
	                         err);
	PGresult *res = rc ? NULL
	                   : PQexec(db->conn, "SELECT datcollate FROM pg_database WHERE datname = "
	                                      "current_database()");
	if (res && PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1) {
		const char *coll = PQgetvalue(res, 0, 0);
		if (strcmp(coll, "C") && strcmp(coll, "POSIX") && strcmp(coll, "C.UTF-8") &&
		    strcmp(coll, "C.utf8"))
			rc = FK_ERR(
			    err, FK_EUSAGE, "--db",
			    "database '%s' sorts text by '%s'; fukkyu needs the C collation "
			    "(byte order): create it with 'createdb --locale=C --encoding=UTF8 "
			    "--template=template0 NAME'",
			    "データベース '%s' の照合順序は '%s' です。fukkyu には C 照合順序 "
			    "(バイト順) が必要です: 'createdb --locale=C --encoding=UTF8 "
			    "--template=template0 NAME' で作成してください",
			    db->where, coll);
	} else if (!rc) {
		rc = pg_error(db, res, err);
	}
	PQclear(res);
	if (rc) {
		pg_close(&db->base);
		return rc;
	}
	*out = &db->base;
	return FK_OK;
}
