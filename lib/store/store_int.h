/*
 * store_int.h - what the store's source files share (internal to lib/store): the store
 * struct, thin wrappers over the backend's operations, the change recorder and the
 * statement cache.
 */
#ifndef FK_STORE_INT_H
#define FK_STORE_INT_H

#include "fukkyu/common.h"
#include "store/db.h"
#include "store/store.h"
#include "util/time.h"

#define FK_STMT_CACHE 32

struct fk_store {
	struct fk_db *db;
	char *actor;
	int64_t now;
	char now_text[32]; /* now as stored, formatted once per transaction */
	bool in_tx;
	const char *origin; /* where changes come from: "cli" or the client's address */
	/* the audit chain's last entry, read once per transaction (fk_st_record) */
	bool chain_loaded;
	int64_t chain_id;
	char chain_hash[65];
	bool bulk_append; /* a bulk import into an empty inventory: plain appends */
	/* Optimistic concurrency (fk_store_expect): the revision the writer last saw of the
	 * record it changes, checked at the transaction's first recorded change. */
	struct {
		bool set, checked;
		int64_t incident, rev;
		char entity[24], key[64];
		bool any_key;
	} expect;
	/* Prepared statements kept for the store's life, keyed by the address of their SQL
	 * text (a string literal): bulk work (imports of a million rows) must not prepare per
	 * row. */
	struct {
		const char *sql;
		struct fk_stmt *stmt;
	} cache[FK_STMT_CACHE];
};

#define OPS(st) ((st)->db->ops)

static inline enum fk_code prep(struct fk_store *st, const char *sql, struct fk_stmt **out,
                                struct fk_err *err)
{
	return OPS(st)->prepare(st->db, sql, out, err);
}

static inline void finalize(struct fk_stmt *s)
{
	if (s)
		s->ops->finalize(s);
}

static inline void bind_text(struct fk_stmt *s, int i, const char *v)
{
	s->ops->bind_text(s, i, v);
}

static inline void bind_int(struct fk_stmt *s, int i, int64_t v)
{
	s->ops->bind_int(s, i, v);
}

static inline void bind_time(struct fk_stmt *s, int i, int64_t t)
{
	char buf[32];
	if (t == FK_TIME_NONE) {
		bind_text(s, i, NULL);
		return;
	}
	fk_time_utc(t, buf);
	bind_text(s, i, buf);
}

static inline enum fk_code step(struct fk_stmt *s, bool *row, struct fk_err *err)
{
	return s->ops->step(s, row, err);
}

/* Runs a statement that returns no rows. */
static inline enum fk_code step_done(struct fk_stmt *s, struct fk_err *err)
{
	bool row;
	return step(s, &row, err);
}

static inline char *col_dup(struct fk_stmt *s, int c)
{
	const char *v = s->ops->col_text(s, c);
	return v ? fk_xstrdup(v) : NULL;
}

static inline const char *col_text(struct fk_stmt *s, int c)
{
	const char *v = s->ops->col_text(s, c);
	return v ? v : "";
}

static inline int64_t col_int(struct fk_stmt *s, int c)
{
	return s->ops->col_int(s, c);
}

static inline int64_t col_time(struct fk_stmt *s, int c)
{
	const char *v = s->ops->col_text(s, c);
	int64_t t;
	if (!v || fk_time_parse(v, "UTC", "time", &t, NULL))
		return FK_TIME_NONE;
	return t;
}

/* Maps a stored key back to its enum; an unknown key means a damaged database. */
static inline int col_enum(struct fk_stmt *s, int c, const struct fk_enum *table, size_t n)
{
	int v;
	if (fk_enum_parse(table, n, col_text(s, c), "value", &v, NULL))
		return 0;
	return v;
}

static inline enum fk_code need_tx(struct fk_store *st, struct fk_err *err)
{
	if (st->in_tx)
		return FK_OK;
	fprintf(stderr, "fukkyu: internal error: write outside a transaction\n");
	abort();
	return FK_ERR0(err, FK_EDB, NULL, "write outside a transaction",
	               "トランザクション外の書き込みです");
}

/* A write's statement: refused outside a transaction, else prepared. */
static inline enum fk_code prep_tx(struct fk_store *st, const char *sql, struct fk_stmt **out,
                                   struct fk_err *err)
{
	enum fk_code rc = need_tx(st, err);
	return rc ? rc : prep(st, sql, out, err);
}

/* A prepared statement for sql (a string literal), reset and cleared, owned by the store:
 * do not finalize it. */
enum fk_code fk_st_cached(struct fk_store *st, const char *sql, struct fk_stmt **out,
                          struct fk_err *err) FK_WUR;
/* Steps s (prepared and bound) to its end, one zeroed element of elem bytes per row filled by
 * read_row, into a new array at *outp; finalizes s (resets it when cached). */
enum fk_code fk_st_collect_(struct fk_stmt *s, bool cached, size_t elem,
                            void (*read_row)(struct fk_stmt *s, void *elem), void *outp, size_t *n,
                            struct fk_err *err) FK_WUR;
#define fk_st_collect(s, elem, read_row, outp, n, err)                                             \
	fk_st_collect_((s), false, (elem), (read_row), (outp), (n), (err))

/* Prepares sql, binds param to $1 (an incident id, a flag), and collects the rows as
 * FK_ST_COLLECT does: the shape of every "list the X of an incident" query. The _CACHED form
 * keeps the statement (fk_st_cached) for queries a server runs on every request. */
enum fk_code fk_st_list_(struct fk_store *st, bool cached, const char *sql, int64_t param,
                         size_t elem, void (*read_row)(struct fk_stmt *s, void *elem), void *outp,
                         size_t *n, struct fk_err *err) FK_WUR;
#define FK_ST_LIST(st, sql, param, out, n, read_row, err)                                          \
	fk_st_list_((st), false, (sql), (param), sizeof **(out), (read_row), (out), (n), (err))
#define FK_ST_LIST_CACHED(st, sql, param, out, n, read_row, err)                                   \
	fk_st_list_((st), true, (sql), (param), sizeof **(out), (read_row), (out), (n), (err))

/* Appends one field-level change to the history (incident 0: none). */
enum fk_code fk_st_record(struct fk_store *st, int64_t incident, const char *entity,
                          const char *key, const char *field, const char *old_value,
                          const char *new_value, struct fk_err *err) FK_WUR;
/* Checks the writer's expected revision (fk_store_expect) once: FK_ECONFLICT when the record
 * changed since. */
enum fk_code fk_st_check_expected(struct fk_store *st, struct fk_err *err) FK_WUR;
/* Applies the migrations after from up to to inside the caller's transaction (creating
 * schema_migrations when missing): fk_store_migrate, and restore (schema, rows and later
 * migrations in one transaction). */
enum fk_code fk_st_migrate_to(struct fk_store *st, int from, int to, struct fk_err *err) FK_WUR;
/* The migration that starts the audit chain, and the sealing of the rows before it. */
#define FK_AUDIT_MIGRATION 4
enum fk_code fk_st_audit_seal(struct fk_store *st, struct fk_err *err) FK_WUR;
/* The columns fk_st_change_row reads, in its order. */
#define FK_CHANGE_COLS                                                                             \
	"id, at, actor, entity, entity_key, field, old_value, new_value, origin, incident_id, "    \
	"hash"
void fk_st_change_row(struct fk_stmt *s, void *elem);

/* Records a text field if it changed. */
enum fk_code fk_st_diff_text(struct fk_store *st, int64_t inc, const char *entity, const char *key,
                             const char *field, const char *a, const char *b,
                             struct fk_err *err) FK_WUR;
/* The same for a time (FK_TIME_NONE: none) and a number. */
enum fk_code fk_st_diff_time(struct fk_store *st, int64_t inc, const char *entity, const char *key,
                             const char *field, int64_t a, int64_t b, struct fk_err *err) FK_WUR;
enum fk_code fk_st_diff_int(struct fk_store *st, int64_t inc, const char *entity, const char *key,
                            const char *field, int64_t a, int64_t b, struct fk_err *err) FK_WUR;
/* Marks the incident as changed now. */
enum fk_code fk_st_touch(struct fk_store *st, int64_t incident, struct fk_err *err) FK_WUR;

#endif
