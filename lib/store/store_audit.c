/*
 * store_audit.c - the audit trail: every change (fk_st_record) is an entry in a SHA-256 hash
 * chain. An entry's hash covers its number, its content and the previous entry's hash, so
 * editing, deleting, inserting or moving a row breaks the chain at that row, and
 * fk_store_audit_verify names it. (Someone able to rewrite the whole database can rebuild
 * the whole chain: the head hash that verify prints is what to keep elsewhere.)
 */
#include "fukkyu/common.h"
#include "store/store_int.h"
#include "util/buf.h"
#include "util/hash.h"

static const char genesis[65] = "0000000000000000000000000000000000000000000000000000000000000000";

/* One entry as hashed: each field as its length, a colon and its bytes ("-" for NULL), one
 * per line, then the previous hash. No quoting rules, so no two entries hash the same text. */
struct audit_entry {
	int64_t id, incident;
	const char *at, *actor, *origin, *entity, *key, *field, *old_value, *new_value;
};

static void entry_hash(const struct audit_entry *e, const char *prev, char out[static 65])
{
	struct fk_buf b = FK_BUF_INIT;
	const char *text[] = {e->at,  e->actor, e->origin,    e->entity,
	                      e->key, e->field, e->old_value, e->new_value};
	(void)fk_buf_addf(&b, "%lld\n%lld\n", (long long)e->id, (long long)e->incident);
	for (size_t i = 0; i < FK_ARRAY_LEN(text); i++) {
		if (text[i])
			(void)fk_buf_addf(&b, "%zu:", strlen(text[i])),
			    (void)fk_buf_adds(&b, text[i]);
		else
			(void)fk_buf_adds(&b, "-");
		(void)fk_buf_addch(&b, '\n');
	}
	(void)fk_buf_adds(&b, prev);
	fk_sha256_hex(b.ptr, b.len, out);
	fk_buf_release(&b);
}

static enum fk_code load_chain(struct fk_store *st, struct fk_err *err)
{
	struct fk_stmt *s;
	bool row;
	enum fk_code rc =
	    fk_st_cached(st, "SELECT id, hash FROM changes ORDER BY id DESC LIMIT 1", &s, err);
	if (!rc)
		rc = s->ops->step(s, &row, err);
	if (rc)
		return rc;
	st->chain_id = row ? col_int(s, 0) : 0;
	snprintf(st->chain_hash, sizeof st->chain_hash, "%s", row ? col_text(s, 1) : genesis);
	st->chain_loaded = true;
	return FK_OK;
}

#define REV_SQL                                                                                    \
	"SELECT id, actor, at FROM changes WHERE incident_id = $1 AND entity = $2 AND "            \
	"(CAST($3 AS TEXT) IS NULL OR entity_key = $3) ORDER BY id DESC LIMIT 1"

/* The last change of a record: its id, and who made it when (copied into by/at). */
static enum fk_code last_change(struct fk_store *st, int64_t incident, const char *entity,
                                const char *key, int64_t *rev, char *by, size_t by_n, char *at,
                                size_t at_n, struct fk_err *err)
{
	struct fk_stmt *s;
	bool row = false;
	enum fk_code rc = fk_st_cached(st, REV_SQL, &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, incident);
	bind_text(s, 2, entity);
	bind_text(s, 3, key);
	rc = step(s, &row, err);
	*rev = !rc && row ? col_int(s, 0) : 0;
	if (by)
		snprintf(by, by_n, "%s", !rc && row ? col_text(s, 1) : "");
	if (at)
		snprintf(at, at_n, "%s", !rc && row ? col_text(s, 2) : "");
	s->ops->reset(s);
	return rc;
}

enum fk_code fk_store_record_rev(struct fk_store *st, int64_t incident, const char *entity,
                                 const char *key, int64_t *rev, struct fk_err *err)
{
	return last_change(st, incident, entity, key, rev, NULL, 0, NULL, 0, err);
}

static void row_rev(struct fk_stmt *s, void *elem)
{
	struct fk_rev *r = elem;
	r->key = col_dup(s, 0);
	r->rev = col_int(s, 1);
}

enum fk_code fk_store_record_revs(struct fk_store *st, int64_t incident, const char *entity,
                                  struct fk_rev **out, size_t *n, struct fk_err *err)
{
	struct fk_stmt *s;
	*out = NULL;
	*n = 0;
	enum fk_code rc = prep(st,
	                       "SELECT entity_key, MAX(id) FROM changes WHERE incident_id = $1 AND "
	                       "entity = $2 AND entity_key IS NOT NULL GROUP BY entity_key ORDER "
	                       "BY entity_key",
	                       &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, incident);
	bind_text(s, 2, entity);
	return fk_st_collect(s, sizeof **out, row_rev, out, n, err);
}

int64_t fk_revs_find(const struct fk_rev *revs, size_t n, const char *key)
{
	size_t lo = 0, hi = n;
	while (lo < hi) { /* sorted by the database in byte order (the C collation) */
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(revs[mid].key, key);
		if (!c)
			return revs[mid].rev;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

void fk_revs_free(struct fk_rev *revs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(revs[i].key);
	free(revs);
}

void fk_store_expect(struct fk_store *st, int64_t incident, const char *entity, const char *key,
                     int64_t rev)
{
	memset(&st->expect, 0, sizeof st->expect);
	if (!entity)
		return;
	st->expect.set = true;
	st->expect.incident = incident;
	st->expect.rev = rev;
	snprintf(st->expect.entity, sizeof st->expect.entity, "%s", entity);
	st->expect.any_key = !key;
	snprintf(st->expect.key, sizeof st->expect.key, "%s", key ? key : "");
}

/* The expectation, checked once: inside the write transaction, before its first change. */
enum fk_code fk_st_check_expected(struct fk_store *st, struct fk_err *err)
{
	char by[128], at[32];
	int64_t rev;
	st->expect.checked = true;
	enum fk_code rc = last_change(st, st->expect.incident, st->expect.entity,
	                              st->expect.any_key ? NULL : st->expect.key, &rev, by,
	                              sizeof by, at, sizeof at, err);
	if (rc || rev == st->expect.rev)
		return rc;
	const char *what = st->expect.any_key ? st->expect.entity : st->expect.key;
	return FK_ERR(err, FK_ECONFLICT, "If-Match",
	              "%s %s was changed by %s at %s after you loaded it (revision %lld, yours "
	              "%lld): nothing was written; reload it and apply your change again",
	              "%s %s は読み込んだ後に %s が %s に変更しました (版 %lld、あなたの版 %lld): "
	              "何も書き込んでいません。読み込み直してから変更をやり直してください",
	              st->expect.entity, what, by, at, (long long)rev, (long long)st->expect.rev);
}

enum fk_code fk_st_record(struct fk_store *st, int64_t incident, const char *entity,
                          const char *key, const char *field, const char *old_value,
                          const char *new_value, struct fk_err *err)
{
	enum fk_code rc = need_tx(st, err);
	if (!rc && st->expect.set && !st->expect.checked)
		rc = fk_st_check_expected(st, err);
	if (!rc && !st->chain_loaded)
		rc = load_chain(st, err);
	if (rc)
		return rc;
	struct audit_entry e = {st->chain_id + 1, incident, st->now_text, st->actor, st->origin,
	                        entity,           key,      field,        old_value, new_value};
	char hash[65];
	entry_hash(&e, st->chain_hash, hash);
	struct fk_stmt *s;
	rc = fk_st_cached(st,
	                  "INSERT INTO changes (id, incident_id, at, actor, origin, entity, "
	                  "entity_key, field, old_value, new_value, prev_hash, hash) VALUES ($1, "
	                  "$2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
	                  &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, e.id);
	if (incident)
		bind_int(s, 2, incident);
	else
		bind_text(s, 2, NULL);
	bind_text(s, 3, e.at);
	bind_text(s, 4, e.actor);
	bind_text(s, 5, e.origin);
	bind_text(s, 6, entity);
	bind_text(s, 7, key);
	bind_text(s, 8, field);
	bind_text(s, 9, old_value);
	bind_text(s, 10, new_value);
	bind_text(s, 11, st->chain_hash);
	bind_text(s, 12, hash);
	if ((rc = step_done(s, err)))
		return rc;
	st->chain_id = e.id;
	memcpy(st->chain_hash, hash, sizeof hash);
	return FK_OK;
}

/* A stored row as an entry (texts owned by the row array). */
struct stored {
	struct audit_entry e;
	char *texts[8];
	char *prev, *hash;
};

static void stored_release(struct stored *r)
{
	for (int i = 0; i < 8; i++)
		free(r->texts[i]);
	free(r->prev);
	free(r->hash);
}

static void read_stored(struct fk_stmt *s, void *elem)
{
	struct stored *r = elem;
	r->e.id = col_int(s, 0);
	r->e.incident = s->ops->col_null(s, 1) ? 0 : col_int(s, 1);
	for (int i = 0; i < 8; i++)
		r->texts[i] = col_dup(s, 2 + i);
	r->e.at = r->texts[0], r->e.actor = r->texts[1], r->e.origin = r->texts[2];
	r->e.entity = r->texts[3], r->e.key = r->texts[4], r->e.field = r->texts[5];
	r->e.old_value = r->texts[6], r->e.new_value = r->texts[7];
	r->prev = col_dup(s, 10);
	r->hash = col_dup(s, 11);
}

#define STORED_SQL                                                                                 \
	"SELECT id, incident_id, at, actor, origin, entity, entity_key, field, old_value, "        \
	"new_value, prev_hash, hash FROM changes WHERE id > $1 ORDER BY id"

enum fk_code fk_st_audit_seal(struct fk_store *st, struct fk_err *err)
{
	struct stored *rows = NULL;
	size_t n = 0;
	enum fk_code rc = FK_ST_LIST(st, STORED_SQL, INT64_MIN, &rows, &n, read_stored, err);
	char prev[65];
	memcpy(prev, genesis, sizeof prev);
	for (size_t i = 0; !rc && i < n; i++) {
		char hash[65];
		entry_hash(&rows[i].e, prev, hash);
		struct fk_stmt *s;
		if ((rc = prep(st, "UPDATE changes SET prev_hash = $1, hash = $2 WHERE id = $3", &s,
		               err)))
			break;
		bind_text(s, 1, prev);
		bind_text(s, 2, hash);
		bind_int(s, 3, rows[i].e.id);
		rc = step_done(s, err);
		finalize(s);
		memcpy(prev, hash, sizeof prev);
	}
	FK_FREE_ARRAY(rows, n, stored_release);
	return rc;
}

enum fk_code fk_store_audit_verify(struct fk_store *st, const char *head,
                                   struct fk_audit_check *out, struct fk_err *err)
{
	struct stored *rows = NULL;
	size_t n = 0;
	memset(out, 0, sizeof *out);
	enum fk_code rc = FK_ST_LIST(st, STORED_SQL, INT64_MIN, &rows, &n, read_stored, err);
	if (rc)
		return rc;
	char prev[65];
	memcpy(prev, genesis, sizeof prev);
	int64_t last_id = 0;
	for (size_t i = 0; i < n && !out->bad_id; i++) {
		const struct stored *r = &rows[i];
		char hash[65];
		entry_hash(&r->e, r->prev ? r->prev : "", hash);
		out->bad_id = r->e.id;
		if (!r->hash || !r->prev)
			out->problem = FK_AUDIT_UNSEALED;
		else if (strcmp(hash, r->hash))
			out->problem = FK_AUDIT_ALTERED;
		else if (strcmp(r->prev, prev))
			out->problem = FK_AUDIT_BROKEN;
		else if (r->e.id != last_id + 1)
			out->problem = FK_AUDIT_GAP;
		else
			out->bad_id = 0;
		if (!out->bad_id) {
			out->head_found |= head && !strcmp(head, hash);
			memcpy(prev, hash, sizeof prev);
			last_id = r->e.id;
			out->entries++;
		}
	}
	memcpy(out->head, prev, sizeof out->head);
	out->total = (int64_t)n;
	FK_FREE_ARRAY(rows, n, stored_release);
	return FK_OK;
}

enum fk_code fk_store_audit_log(struct fk_store *st, int64_t from_id, struct fk_change **out,
                                size_t *n, struct fk_err *err)
{
	return FK_ST_LIST(st, "SELECT " FK_CHANGE_COLS " FROM changes WHERE id >= $1 ORDER BY id",
	                  from_id, out, n, fk_st_change_row, err);
}

enum fk_code fk_store_audit_page(struct fk_store *st, int64_t from_id, struct fk_change **out,
                                 size_t *n, struct fk_err *err)
{
	return FK_ST_LIST(st,
	                  "SELECT " FK_CHANGE_COLS " FROM changes WHERE id >= $1 ORDER BY id "
	                  "LIMIT " FK_STR(FK_AUDIT_PAGE),
	                  from_id, out, n, fk_st_change_row, err);
}

void fk_store_set_origin(struct fk_store *st, const char *origin)
{
	st->origin = origin;
}
