/*
 * store_lessons.c - root causes, interviews, lessons learned and the end of recovery
 * (fukkyu/lessons.h).
 */
#include "fukkyu/common.h"
#include "fukkyu/lessons.h"
#include "store_int.h"

#define CAUSE_TEXTS 8 /* route .. evidence, in the order of struct fk_cause */
static const char *const cause_cols[CAUSE_TEXTS] = {
    "route", "cves", "misconfig", "direct_cause", "root_cause", "factors", "laws", "evidence"};

static char **cause_text(struct fk_cause *c, int i)
{
	char **t[CAUSE_TEXTS] = {&c->route,      &c->cves,    &c->misconfig, &c->direct_cause,
	                         &c->root_cause, &c->factors, &c->laws,      &c->evidence};
	return t[i];
}

enum fk_code fk_store_cause_get(struct fk_store *st, int64_t incident, struct fk_cause *out,
                                bool *exists, struct fk_err *err)
{
	struct fk_stmt *s;
	memset(out, 0, sizeof *out);
	out->origin = -1;
	out->updated_at = FK_TIME_NONE;
	*exists = false;
	enum fk_code rc = prep(st,
	                       "SELECT origin, route, cves, misconfig, direct_cause, root_cause, "
	                       "factors, laws, evidence, updated_at, updated_by FROM root_causes "
	                       "WHERE incident_id = $1",
	                       &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, incident);
	rc = step(s, exists, err);
	if (!rc && *exists) {
		out->origin =
		    s->ops->col_null(s, 0) ? -1 : col_enum(s, 0, fk_origins, FK_ORIGIN_COUNT);
		for (int i = 0; i < CAUSE_TEXTS; i++)
			*cause_text(out, i) = col_dup(s, 1 + i);
		out->updated_at = col_time(s, 9);
		out->updated_by = col_dup(s, 10);
	}
	finalize(s);
	return rc;
}

enum fk_code fk_store_cause_put(struct fk_store *st, int64_t incident, struct fk_cause *a,
                                struct fk_cause *b, struct fk_err *err)
{
	enum fk_code rc = need_tx(st, err);
	char key[8] = "cause";
	if (!rc && a->origin != b->origin)
		rc = fk_st_record(st, incident, "cause", key, "origin",
		                  a->origin >= 0 ? fk_origins[a->origin].key : NULL,
		                  fk_origins[b->origin].key, err);
	for (int i = 0; !rc && i < CAUSE_TEXTS; i++)
		rc = fk_st_diff_text(st, incident, "cause", key, cause_cols[i], *cause_text(a, i),
		                     *cause_text(b, i), err);
	struct fk_stmt *s;
	if (!rc)
		rc = prep(
		    st,
		    "INSERT INTO root_causes (incident_id, origin, route, cves, misconfig, "
		    "direct_cause, root_cause, factors, laws, evidence, updated_at, updated_by) "
		    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT "
		    "(incident_id) DO UPDATE SET origin = $2, route = $3, cves = $4, misconfig = "
		    "$5, direct_cause = $6, root_cause = $7, factors = $8, laws = $9, evidence = "
		    "$10, updated_at = $11, updated_by = $12",
		    &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, incident);
	bind_text(s, 2, b->origin >= 0 ? fk_origins[b->origin].key : NULL);
	for (int i = 0; i < CAUSE_TEXTS; i++)
		bind_text(s, 3 + i, *cause_text(b, i));
	bind_time(s, 11, st->now);
	bind_text(s, 12, st->actor);
	rc = step_done(s, err);
	finalize(s);
	return rc ? rc : fk_st_touch(st, incident, err);
}

enum fk_code fk_store_interview_insert(struct fk_store *st, int64_t incident,
                                       struct fk_interview *i, struct fk_err *err)
{
	struct fk_stmt *s;
	bool row = false;
	enum fk_code rc =
	    prep_tx(st,
	            "INSERT INTO interviews (incident_id, no, interviewee, held_at, "
	            "interviewer, summary, evidence, created_at, created_by) SELECT $1, "
	            "COALESCE(MAX(no), 0) + 1, $2, $3, $4, $5, $6, $7, $8 FROM "
	            "interviews WHERE incident_id = $1 RETURNING no",
	            &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, incident);
	bind_text(s, 2, i->interviewee);
	bind_time(s, 3, i->held_at);
	bind_text(s, 4, i->interviewer);
	bind_text(s, 5, i->summary);
	bind_text(s, 6, i->evidence);
	bind_time(s, 7, st->now);
	bind_text(s, 8, st->actor);
	rc = step(s, &row, err);
	if (!rc && row)
		i->no = (int)col_int(s, 0);
	finalize(s);
	char key[16];
	snprintf(key, sizeof key, "I%d", i->no);
	/* the audit trail says that an interview was held and when, not with whom or what was
	 * said (the history is open to every reader of the incident) */
	char at[32];
	fk_time_utc(i->held_at, at);
	if (!rc)
		rc = fk_st_record(st, incident, "interview", key, "held_at", NULL, at, err);
	return rc ? rc : fk_st_touch(st, incident, err);
}

static void row_interview(struct fk_stmt *s, void *elem)
{
	struct fk_interview *i = elem;
	i->no = (int)col_int(s, 0);
	i->interviewee = col_dup(s, 1);
	i->held_at = col_time(s, 2);
	i->interviewer = col_dup(s, 3);
	i->summary = col_dup(s, 4);
	i->evidence = col_dup(s, 5);
	i->created_by = col_dup(s, 6);
}

enum fk_code fk_store_interviews(struct fk_store *st, int64_t incident, struct fk_interview **out,
                                 size_t *n, struct fk_err *err)
{
	return FK_ST_LIST(st,
	                  "SELECT no, interviewee, held_at, interviewer, summary, evidence, "
	                  "created_by FROM interviews WHERE incident_id = $1 ORDER BY no",
	                  incident, out, n, row_interview, err);
}

enum fk_code fk_store_lesson_insert(struct fk_store *st, int64_t incident, struct fk_lesson *l,
                                    struct fk_err *err)
{
	struct fk_stmt *s;
	bool row = false;
	enum fk_code rc =
	    prep_tx(st,
	            "INSERT INTO lessons (incident_id, no, kind, lesson, action, owner, "
	            "due_at, verify, changes, state, updated_at, updated_by) SELECT $1, "
	            "COALESCE(MAX(no), 0) + 1, $2, $3, $4, $5, $6, $7, $8, 'open', $9, "
	            "$10 FROM lessons WHERE incident_id = $1 RETURNING no",
	            &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, incident);
	bind_text(s, 2, fk_lesson_kinds[l->kind].key);
	bind_text(s, 3, l->lesson);
	bind_text(s, 4, l->action);
	bind_text(s, 5, l->owner);
	bind_time(s, 6, l->due_at);
	bind_text(s, 7, l->verify);
	bind_text(s, 8, l->changes);
	bind_time(s, 9, st->now);
	bind_text(s, 10, st->actor);
	rc = step(s, &row, err);
	if (!rc && row)
		l->no = (int)col_int(s, 0);
	finalize(s);
	char key[16];
	snprintf(key, sizeof key, "L%d", l->no);
	if (!rc)
		rc = fk_st_record(st, incident, "lesson", key, "action", NULL, l->action, err);
	return rc ? rc : fk_st_touch(st, incident, err);
}

static void row_lesson(struct fk_stmt *s, void *elem)
{
	struct fk_lesson *l = elem;
	l->no = (int)col_int(s, 0);
	l->kind = col_enum(s, 1, fk_lesson_kinds, FK_LK_COUNT);
	l->lesson = col_dup(s, 2);
	l->action = col_dup(s, 3);
	l->owner = col_dup(s, 4);
	l->due_at = col_time(s, 5);
	l->verify = col_dup(s, 6);
	l->changes = col_dup(s, 7);
	l->state = col_enum(s, 8, fk_lesson_states, FK_LS_COUNT);
	l->accepted_by = col_dup(s, 9);
	l->updated_at = col_time(s, 10);
	l->updated_by = col_dup(s, 11);
}

enum fk_code fk_store_lessons(struct fk_store *st, int64_t incident, struct fk_lesson **out,
                              size_t *n, struct fk_err *err)
{
	return FK_ST_LIST(st,
	                  "SELECT no, kind, lesson, action, owner, due_at, verify, changes, state, "
	                  "accepted_by, updated_at, updated_by FROM lessons WHERE incident_id = $1 "
	                  "ORDER BY no",
	                  incident, out, n, row_lesson, err);
}

enum fk_code fk_store_lesson_state(struct fk_store *st, int64_t incident, const struct fk_lesson *l,
                                   int state, const char *accepted_by, struct fk_err *err)
{
	struct fk_stmt *s;
	char key[16];
	snprintf(key, sizeof key, "L%d", l->no);
	enum fk_code rc =
	    prep_tx(st,
	            "UPDATE lessons SET state = $3, accepted_by = $4, updated_at = $5, "
	            "updated_by = $6 WHERE incident_id = $1 AND no = $2",
	            &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, incident);
	bind_int(s, 2, l->no);
	bind_text(s, 3, fk_lesson_states[state].key);
	bind_text(s, 4, accepted_by);
	bind_time(s, 5, st->now);
	bind_text(s, 6, st->actor);
	rc = step_done(s, err);
	finalize(s);
	if (!rc)
		rc = fk_st_record(st, incident, "lesson", key, "state",
		                  fk_lesson_states[l->state].key, fk_lesson_states[state].key, err);
	if (!rc && accepted_by)
		rc = fk_st_record(st, incident, "lesson", key, "accepted_by", NULL, accepted_by,
		                  err);
	return rc ? rc : fk_st_touch(st, incident, err);
}

/* One number from a query with $1 = incident. */
static enum fk_code count(struct fk_store *st, const char *sql, int64_t incident, int64_t *out,
                          struct fk_err *err)
{
	struct fk_stmt *s;
	bool row = false;
	enum fk_code rc = prep(st, sql, &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, incident);
	rc = step(s, &row, err);
	*out = !rc && row ? col_int(s, 0) : 0;
	finalize(s);
	return rc;
}

enum fk_code fk_store_unfinished(struct fk_store *st, int64_t incident, int64_t *systems,
                                 int64_t *rollouts, struct fk_err *err)
{
	enum fk_code rc = count(st,
	                        "SELECT count(*) FROM sweep_entries WHERE incident_id = $1 AND "
	                        "state NOT IN ('clean', 'verified', 'monitoring', 'returned', "
	                        "'retired')",
	                        incident, systems, err);
	return rc ? rc
	          : count(st,
	                  "SELECT count(*) FROM rollout_entries r JOIN measures m ON m.id = "
	                  "r.measure_id WHERE m.incident_id = $1 AND r.state = 'pending'",
	                  incident, rollouts, err);
}

enum fk_code fk_store_recovery_end(struct fk_store *st, int64_t incident, const char *criteria,
                                   struct fk_err *err)
{
	struct fk_stmt *s;
	enum fk_code rc =
	    prep_tx(st,
	            "INSERT INTO recovery_ends (incident_id, declared_at, declared_by, "
	            "criteria) VALUES ($1, $2, $3, $4)",
	            &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, incident);
	bind_time(s, 2, st->now);
	bind_text(s, 3, st->actor);
	bind_text(s, 4, criteria);
	rc = step_done(s, err);
	finalize(s);
	if (rc == FK_ECONFLICT)
		return FK_ERR0(err, FK_EREFUSED, "incident",
		               "the end of recovery is already declared",
		               "復旧の終了はすでに宣言されています");
	return rc ? rc
	          : fk_st_record(st, incident, "recovery", "end", "declared_by", NULL, st->actor,
	                         err);
}

enum fk_code fk_store_recovery_end_get(struct fk_store *st, int64_t incident, int64_t *at,
                                       char **by, char **criteria, struct fk_err *err)
{
	struct fk_stmt *s;
	bool row = false;
	*at = FK_TIME_NONE;
	*by = *criteria = NULL;
	enum fk_code rc = prep(
	    st,
	    "SELECT declared_at, declared_by, criteria FROM recovery_ends WHERE incident_id = $1",
	    &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, incident);
	rc = step(s, &row, err);
	if (!rc && row) {
		*at = col_time(s, 0);
		*by = col_dup(s, 1);
		*criteria = col_dup(s, 2);
	}
	finalize(s);
	return rc;
}
