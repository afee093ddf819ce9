/*
 * store_evidence.c - evidence records of an incident (store.h).
 */
#include "fukkyu/common.h"
#include "store/store_int.h"

void fk_evidence_release(struct fk_evidence *e)
{
	free(e->kind);
	free(e->query);
	free(e->files);
	free(e->summary);
	free(e->result);
	free(e->created_by);
	memset(e, 0, sizeof *e);
}

enum fk_code fk_store_evidence_add(struct fk_store *st, int64_t incident, struct fk_evidence *e,
                                   struct fk_err *err)
{
	struct fk_stmt *s;
	bool row = false;
	enum fk_code rc = need_tx(st, err);
	if (!rc)
		rc = prep(
		    st,
		    "INSERT INTO evidence (incident_id, kind, query, files, summary, result, "
		    "created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
		    &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, incident);
	bind_text(s, 2, e->kind);
	bind_text(s, 3, e->query);
	bind_text(s, 4, e->files);
	bind_text(s, 5, e->summary);
	bind_text(s, 6, e->result);
	bind_time(s, 7, st->now);
	bind_text(s, 8, st->actor);
	rc = step(s, &row, err);
	if (!rc && row)
		e->id = col_int(s, 0);
	finalize(s);
	if (rc)
		return rc;
	e->created_at = st->now;
	free(e->created_by);
	e->created_by = fk_xstrdup(st->actor);
	char key[24];
	snprintf(key, sizeof key, "E%lld", (long long)e->id);
	rc = fk_st_record(st, incident, "evidence", key, "files", NULL, e->files, err);
	return rc ? rc : fk_st_touch(st, incident, err);
}

static void row_evidence(struct fk_stmt *s, void *elem)
{
	struct fk_evidence *e = elem;
	e->id = col_int(s, 0);
	e->kind = col_dup(s, 1);
	e->query = col_dup(s, 2);
	e->files = col_dup(s, 3);
	e->summary = col_dup(s, 4);
	e->result = col_dup(s, 5);
	e->created_at = col_time(s, 6);
	e->created_by = col_dup(s, 7);
}

enum fk_code fk_store_evidence_list(struct fk_store *st, int64_t incident, struct fk_evidence **out,
                                    size_t *n, struct fk_err *err)
{
	return FK_ST_LIST(st,
	                  "SELECT id, kind, query, files, summary, result, created_at, "
	                  "created_by FROM evidence WHERE incident_id = $1 ORDER BY id",
	                  incident, out, n, row_evidence, err);
}
