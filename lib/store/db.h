/*
 * db.h - the thin SQL layer under the store (internal to lib/store).
 *
 * A backend (sqlite.c, pg.c) implements these few operations; store.c writes its
 * queries once, in SQL both backends accept: parameters are $1, $2 ... and times are
 * ISO 8601 UTC text. Only lib/store includes this file.
 */
#ifndef FK_DB_H
#define FK_DB_H

#include "fukkyu/common.h"
#include "util/err.h"

struct fk_db;
struct fk_stmt;

struct fk_db_ops {
	const char *backend;       /* names the migrations folder: lib/store/sql/<backend>/ */
	const char *like_ascii_ci; /* the LIKE that folds ASCII case: SQLite's LIKE, ILIKE */
	void (*close)(struct fk_db *db);
	/* Runs one or more statements without parameters (migrations). */
	enum fk_code (*exec)(struct fk_db *db, const char *sql, struct fk_err *err);
	enum fk_code (*prepare)(struct fk_db *db, const char *sql, struct fk_stmt **out,
	                        struct fk_err *err);
	/* Binds parameter $idx (1-based); text NULL binds NULL. */
	void (*bind_text)(struct fk_stmt *st, int idx, const char *text);
	void (*bind_int)(struct fk_stmt *st, int idx, int64_t v);
	/* As bind_text, but text is not copied: it must stay valid until the next step or
	 * reset (bulk paths: a million rows of copies add up). */
	void (*bind_text_ref)(struct fk_stmt *st, int idx, const char *text);
	/* Advances: *row is true when a row is available. */
	enum fk_code (*step)(struct fk_stmt *st, bool *row, struct fk_err *err);
	/* Column values of the current row (0-based); text is NULL for SQL NULL and lives
	 * until the next step. */
	const char *(*col_text)(struct fk_stmt *st, int col);
	int64_t (*col_int)(struct fk_stmt *st, int col);
	bool (*col_null)(struct fk_stmt *st, int col);
	/* The number of result columns and the name of one (0-based; lives as the statement):
	 * what a generic copy of a table (backup, restore, migrate) needs. */
	int (*col_count)(struct fk_stmt *st);
	const char *(*col_name)(struct fk_stmt *st, int col);
	void (*reset)(struct fk_stmt *st);
	void (*finalize)(struct fk_stmt *st);
	/* A write transaction that takes the write lock at once. */
	enum fk_code (*begin)(struct fk_db *db, struct fk_err *err);
	/* A read-only transaction: one snapshot (and one set of locks) for several queries. */
	enum fk_code (*begin_read)(struct fk_db *db, struct fk_err *err);
	enum fk_code (*commit)(struct fk_db *db, struct fk_err *err);
	void (*rollback)(struct fk_db *db);
	bool (*has_table)(struct fk_db *db, const char *name);
	/* Rows changed by the last INSERT, UPDATE or DELETE. */
	int64_t (*changes)(struct fk_db *db);
	/* Backup, restore, migrate (store_backup.c). after_copy runs inside the transaction that
	 * copied rows with their own ids into every table: the backend makes its id generators
	 * continue after them (PostgreSQL's identity sequences; NULL: nothing to do). backup_to
	 * writes a consistent copy of the whole database into the new file at path with the
	 * backend's own means (SQLite's online backup API: it reads, so a writer holding the
	 * lock does not stop it); NULL when the backend has none. */
	enum fk_code (*after_copy)(struct fk_db *db, struct fk_err *err);
	enum fk_code (*backup_to)(struct fk_db *db, const char *path, struct fk_err *err);
};

struct fk_db {
	const struct fk_db_ops *ops;
	const char *name; /* how messages name it: the file, or the URL without a password */
};

struct fk_stmt {
	const struct fk_db_ops *ops;
};

/* Opens the SQLite file at path; create allows a new file. */
enum fk_code fk_db_sqlite_open(const char *path, bool create, struct fk_db **out,
                               struct fk_err *err) FK_WUR;

/* Opens the SQLite file at path read-only (query_only, no journal mode change): a backup
 * that is checked or copied from must stay as it is. */
enum fk_code fk_db_sqlite_open_readonly(const char *path, struct fk_db **out,
                                        struct fk_err *err) FK_WUR;

/* Connects to the PostgreSQL database at url (postgresql://...; libpq's URI). */
enum fk_code fk_db_pg_open(const char *url, struct fk_db **out, struct fk_err *err) FK_WUR;

#endif
