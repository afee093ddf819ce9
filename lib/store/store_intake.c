/*
 * store_intake.c - the intake queue's rows (fukkyu/intake.h).
 */
#include "fukkyu/common.h"
#include "fukkyu/intake.h"
#include "store_int.h"

#define INTAKE_COLS                                                                                \
	"n.id, n.ref, n.name, n.contact, n.text, n.origin, n.received_at, n.state, i.ref, "        \
	"n.handled_by, n.reason, n.handled_at, n.incident_id"

static void row_intake(struct fk_stmt *s, void *elem)
{
	struct fk_intake *e = elem;
	e->id = col_int(s, 0);
	e->ref = col_dup(s, 1);
	e->name = col_dup(s, 2);
	e->contact = col_dup(s, 3);
	e->text = col_dup(s, 4);
	e->origin = col_dup(s, 5);
	e->received_at = col_time(s, 6);
	e->state = col_enum(s, 7, fk_intake_states, FK_INTAKE_COUNT);
	e->incident_ref = col_dup(s, 8);
	e->handled_by = col_dup(s, 9);
	e->reason = col_dup(s, 10);
	e->handled_at = col_time(s, 11);
	e->incident_id = s->ops->col_null(s, 12) ? 0 : col_int(s, 12);
}

enum fk_code fk_store_intake_insert(struct fk_store *st, struct fk_intake *e, int year,
                                    struct fk_err *err)
{
	struct fk_stmt *s;
	bool row = false;
	int64_t seq = 1;
	char ref[40];
	/* The next number of the year (a write transaction holds the write lock on either
	 * backend: no one else numbers meanwhile). */
	enum fk_code rc = prep_tx(
	    st, "SELECT COALESCE(MAX(ref_seq), 0) + 1 FROM intake WHERE ref_year = $1", &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, year);
	rc = step(s, &row, err);
	if (!rc && row)
		seq = col_int(s, 0);
	finalize(s);
	snprintf(ref, sizeof ref, "RPT-%d-%04lld", year, (long long)seq);
	if (!rc)
		rc = prep(st,
		          "INSERT INTO intake (ref, ref_year, ref_seq, received_at, name, contact, "
		          "text, origin, state) VALUES ($7, $1, $8, $2, $3, $4, $5, $6, 'new') "
		          "RETURNING id, ref",
		          &s, err);
	if (rc)
		return rc;
	bind_text(s, 7, ref);
	bind_int(s, 8, seq);
	bind_int(s, 1, year);
	bind_time(s, 2, e->received_at);
	bind_text(s, 3, e->name);
	bind_text(s, 4, e->contact);
	bind_text(s, 5, e->text);
	bind_text(s, 6, e->origin);
	rc = step(s, &row, err);
	if (!rc && row) {
		e->id = col_int(s, 0);
		free(e->ref);
		e->ref = col_dup(s, 1);
	}
	finalize(s);
	if (!rc)
		rc = fk_st_record(st, 0, "intake", e->ref, "received", NULL, e->contact, err);
	return rc;
}

enum fk_code fk_store_intake_list(struct fk_store *st, bool all, struct fk_intake **out, size_t *n,
                                  struct fk_err *err)
{
	return FK_ST_LIST(
	    st,
	    "SELECT " INTAKE_COLS " FROM intake n LEFT JOIN incidents i ON i.id = "
	    "n.incident_id WHERE $1 = 1 OR n.state = 'new' ORDER BY n.received_at, n.id",
	    all, out, n, row_intake, err);
}

enum fk_code fk_store_intake_get(struct fk_store *st, const char *ref, struct fk_intake *out,
                                 struct fk_err *err)
{
	struct fk_stmt *s;
	bool row = false;
	enum fk_code rc =
	    prep(st,
	         "SELECT " INTAKE_COLS " FROM intake n LEFT JOIN incidents i ON i.id = "
	         "n.incident_id WHERE n.ref = upper($1)",
	         &s, err);
	if (rc)
		return rc;
	bind_text(s, 1, ref);
	memset(out, 0, sizeof *out);
	rc = step(s, &row, err);
	if (!rc && row)
		row_intake(s, out);
	finalize(s);
	if (!rc && !row)
		rc = FK_ERR(
		    err, FK_ENOTFOUND, "report",
		    "no report '%.40s' in the intake queue: see 'fukkyu intake list --all'",
		    "受付に '%.40s' はありません: 'fukkyu intake list --all' で確認してください",
		    ref);
	return rc;
}

enum fk_code fk_store_intake_handle(struct fk_store *st, const struct fk_intake *e, int state,
                                    int64_t incident, const char *reason, struct fk_err *err)
{
	struct fk_stmt *s;
	enum fk_code rc =
	    prep_tx(st,
	            "UPDATE intake SET state = $2, incident_id = $3, handled_by = $4, handled_at = "
	            "$5, reason = $6 WHERE id = $1 AND state = 'new'",
	            &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, e->id);
	bind_text(s, 2, fk_intake_states[state].key);
	if (incident)
		bind_int(s, 3, incident);
	else
		bind_text(s, 3, NULL);
	bind_text(s, 4, st->actor);
	bind_time(s, 5, st->now);
	bind_text(s, 6, reason);
	rc = step_done(s, err);
	finalize(s);
	if (!rc)
		rc = fk_st_record(st, incident, "intake", e->ref, "state", "new",
		                  fk_intake_states[state].key, err);
	if (!rc && reason)
		rc = fk_st_record(st, incident, "intake", e->ref, "reason", NULL, reason, err);
	return rc;
}
