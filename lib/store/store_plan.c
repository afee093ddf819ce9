/*
 * store_plan.c - the recovery plan, its milestones, approvals and restore points
 * (fukkyu/plan.h).
 */
#include "fukkyu/common.h"
#include "fukkyu/plan.h"
#include "store_int.h"

#define PLAN_COLS                                                                                  \
	"version, state, level, deadline, priority, cost, staff_days, monitoring_start, "          \
	"monitoring_end, exit_criteria, compromised_at, completion_report, completed_at, "         \
	"updated_at, updated_by"

enum fk_code fk_store_plan_get(struct fk_store *st, int64_t incident, struct fk_plan *p,
                               struct fk_err *err)
{
	struct fk_stmt *s;
	bool row = false;
	memset(p, 0, sizeof *p);
	p->level = -1;
	p->cost = p->staff_days = -1;
	p->deadline = p->monitoring_start = p->monitoring_end = p->compromised_at =
	    p->completed_at = p->approved_at = FK_TIME_NONE;
	enum fk_code rc =
	    prep(st, "SELECT " PLAN_COLS " FROM plans WHERE incident_id = $1", &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, incident);
	rc = step(s, &row, err);
	if (!rc && row) {
		p->version = col_int(s, 0);
		p->state = col_enum(s, 1, fk_plan_states, FK_PLAN_STATE_COUNT);
		p->level =
		    s->ops->col_null(s, 2) ? -1 : col_enum(s, 2, fk_plan_levels, FK_LEVEL_COUNT);
		p->deadline = col_time(s, 3);
		p->priority = col_dup(s, 4);
		p->cost = s->ops->col_null(s, 5) ? -1 : col_int(s, 5);
		p->staff_days = s->ops->col_null(s, 6) ? -1 : col_int(s, 6);
		p->monitoring_start = col_time(s, 7);
		p->monitoring_end = col_time(s, 8);
		p->exit_criteria = col_dup(s, 9);
		p->compromised_at = col_time(s, 10);
		p->completion_report = col_dup(s, 11);
		p->completed_at = col_time(s, 12);
		p->updated_at = col_time(s, 13);
		p->updated_by = col_dup(s, 14);
	}
	finalize(s);
	if (rc || !row)
		return rc;
	rc = prep(st,
	          "SELECT title, due_at FROM plan_milestones WHERE incident_id = $1 ORDER BY pos",
	          &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, incident);
	size_t cap = 0;
	while (!(rc = step(s, &row, err)) && row) {
		if (p->n_milestones == cap)
			p->milestones = fk_xrealloc(p->milestones, (cap = cap ? 2 * cap : 8) *
			                                               sizeof *p->milestones);
		p->milestones[p->n_milestones].title = col_dup(s, 0);
		p->milestones[p->n_milestones++].due_at = col_time(s, 1);
	}
	finalize(s);
	if (rc || (rc = prep(st,
	                     "SELECT version, approved_at, approved_by, sha256 FROM plan_approvals "
	                     "WHERE incident_id = $1 ORDER BY version DESC LIMIT 1",
	                     &s, err)))
		return rc;
	bind_int(s, 1, incident);
	rc = step(s, &row, err);
	if (!rc && row) {
		p->approved_version = col_int(s, 0);
		p->approved_at = col_time(s, 1);
		p->approved_by = col_dup(s, 2);
		p->approved_sha256 = col_dup(s, 3);
	}
	finalize(s);
	return rc;
}

static void bind_opt_int(struct fk_stmt *s, int i, int64_t v)
{
	if (v >= 0)
		bind_int(s, i, v);
	else
		bind_text(s, i, NULL);
}

enum fk_code fk_store_plan_put(struct fk_store *st, int64_t incident, const struct fk_plan *a,
                               const struct fk_plan *b, struct fk_err *err)
{
	const char *E = "plan";
	char k[24];
	snprintf(k, sizeof k, "v%lld", (long long)b->version);
	enum fk_code rc = need_tx(st, err);
	struct {
		const char *field;
		int64_t x, y;
		bool time;
	} nums[] = {{"deadline", a->deadline, b->deadline, true},
	            {"cost", a->cost, b->cost, false},
	            {"staff_days", a->staff_days, b->staff_days, false},
	            {"monitoring_start", a->monitoring_start, b->monitoring_start, true},
	            {"monitoring_end", a->monitoring_end, b->monitoring_end, true},
	            {"compromised_at", a->compromised_at, b->compromised_at, true},
	            {"completed_at", a->completed_at, b->completed_at, true}};
	for (size_t i = 0; !rc && i < FK_ARRAY_LEN(nums); i++)
		rc = nums[i].time ? fk_st_diff_time(st, incident, E, k, nums[i].field, nums[i].x,
		                                    nums[i].y, err)
		                  : fk_st_diff_int(st, incident, E, k, nums[i].field, nums[i].x,
		                                   nums[i].y, err);
	if (!rc && a->level != b->level)
		rc = fk_st_record(st, incident, E, k, "level",
		                  a->level >= 0 ? fk_plan_levels[a->level].key : NULL,
		                  fk_plan_levels[b->level].key, err);
	if (!rc && (a->state != b->state || !a->version))
		rc = fk_st_record(st, incident, E, k, "state",
		                  a->version ? fk_plan_states[a->state].key : NULL,
		                  fk_plan_states[b->state].key, err);
	if (!rc)
		rc = fk_st_diff_text(st, incident, E, k, "priority", a->priority, b->priority, err);
	if (!rc)
		rc = fk_st_diff_text(st, incident, E, k, "exit_criteria", a->exit_criteria,
		                     b->exit_criteria, err);
	if (!rc)
		rc = fk_st_diff_text(st, incident, E, k, "completion_report", a->completion_report,
		                     b->completion_report, err);
	struct fk_stmt *s;
	if (!rc)
		/* an upsert, not INSERT OR REPLACE: a replace deletes the row first, and with it
		 * (ON DELETE CASCADE) the milestones and the approvals */
		rc = prep(
		    st,
		    "INSERT INTO plans (incident_id, " PLAN_COLS ") VALUES ($1, $2, $3, $4, $5, "
		    "$6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) ON CONFLICT (incident_id) "
		    "DO UPDATE SET version = $2, state = $3, level = $4, deadline = $5, priority "
		    "= $6, cost = $7, staff_days = $8, monitoring_start = $9, monitoring_end = "
		    "$10, exit_criteria = $11, compromised_at = $12, completion_report = $13, "
		    "completed_at = $14, updated_at = $15, updated_by = $16",
		    &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, incident);
	bind_int(s, 2, b->version);
	bind_text(s, 3, fk_plan_states[b->state].key);
	bind_text(s, 4, b->level >= 0 ? fk_plan_levels[b->level].key : NULL);
	bind_time(s, 5, b->deadline);
	bind_text(s, 6, b->priority);
	bind_opt_int(s, 7, b->cost);
	bind_opt_int(s, 8, b->staff_days);
	bind_time(s, 9, b->monitoring_start);
	bind_time(s, 10, b->monitoring_end);
	bind_text(s, 11, b->exit_criteria);
	bind_time(s, 12, b->compromised_at);
	bind_text(s, 13, b->completion_report);
	bind_time(s, 14, b->completed_at);
	bind_time(s, 15, st->now);
	bind_text(s, 16, st->actor);
	rc = step_done(s, err);
	finalize(s);
	if (rc || b->milestones == a->milestones)
		return rc ? rc : fk_st_touch(st, incident, err);
	/* milestones replaced: the audit trail keeps the new list as one line */
	struct fk_buf list = FK_BUF_INIT;
	for (size_t i = 0; i < b->n_milestones; i++) {
		char d[32];
		fk_time_utc(b->milestones[i].due_at, d);
		(void)fk_buf_addf(&list, "%s%s %s", i ? "; " : "", d, b->milestones[i].title);
	}
	if (!(rc = prep(st, "DELETE FROM plan_milestones WHERE incident_id = $1", &s, err))) {
		bind_int(s, 1, incident);
		rc = step_done(s, err);
		finalize(s);
	}
	if (!rc &&
	    !(rc = prep(st,
	                "INSERT INTO plan_milestones (incident_id, pos, title, due_at) VALUES "
	                "($1, $2, $3, $4)",
	                &s, err))) {
		for (size_t i = 0; !rc && i < b->n_milestones; i++) {
			s->ops->reset(s);
			bind_int(s, 1, incident);
			bind_int(s, 2, (int64_t)i);
			bind_text(s, 3, b->milestones[i].title);
			bind_time(s, 4, b->milestones[i].due_at);
			rc = step_done(s, err);
		}
		finalize(s);
	}
	if (!rc)
		rc = fk_st_record(st, incident, E, k, "milestones", NULL, list.len ? list.ptr : "",
		                  err);
	fk_buf_release(&list);
	return rc ? rc : fk_st_touch(st, incident, err);
}

enum fk_code fk_store_plan_approval(struct fk_store *st, int64_t incident, int64_t version,
                                    const char *snapshot, const char *sha, struct fk_err *err)
{
	struct fk_stmt *s;
	enum fk_code rc =
	    prep_tx(st,
	            "INSERT INTO plan_approvals (incident_id, version, approved_at, approved_by, "
	            "snapshot, sha256) VALUES ($1, $2, $3, $4, $5, $6)",
	            &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, incident);
	bind_int(s, 2, version);
	bind_time(s, 3, st->now);
	bind_text(s, 4, st->actor);
	bind_text(s, 5, snapshot);
	bind_text(s, 6, sha);
	rc = step_done(s, err);
	finalize(s);
	char k[24];
	snprintf(k, sizeof k, "v%lld", (long long)version);
	return rc ? rc : fk_st_record(st, incident, "plan", k, "approved_sha256", NULL, sha, err);
}

enum fk_code fk_store_restore_insert(struct fk_store *st, int64_t incident,
                                     struct fk_restore_point *r, struct fk_err *err)
{
	struct fk_stmt *s;
	bool row = false;
	enum fk_code rc =
	    prep_tx(st,
	            "INSERT INTO restore_points (incident_id, no, system, backup, backup_time, "
	            "integrity, restored_at, recorded_by) SELECT $1, COALESCE(MAX(no), 0) + 1, "
	            "$2, $3, $4, $5, $6, $7 FROM restore_points WHERE incident_id = $1 RETURNING "
	            "no",
	            &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, incident);
	bind_text(s, 2, r->system);
	bind_text(s, 3, r->backup);
	bind_time(s, 4, r->backup_time);
	bind_text(s, 5, r->integrity);
	bind_time(s, 6, r->restored_at);
	bind_text(s, 7, st->actor);
	rc = step(s, &row, err);
	if (!rc && row)
		r->no = (int)col_int(s, 0);
	finalize(s);
	char k[16];
	snprintf(k, sizeof k, "RP%d", r->no);
	if (!rc)
		rc = fk_st_record(st, incident, "restore", k, "backup", NULL, r->backup, err);
	if (!rc)
		rc = fk_st_record(st, incident, "restore", k, "integrity", NULL, r->integrity, err);
	return rc ? rc : fk_st_touch(st, incident, err);
}

static void row_restore(struct fk_stmt *s, void *elem)
{
	struct fk_restore_point *r = elem;
	r->no = (int)col_int(s, 0);
	r->system = col_dup(s, 1);
	r->backup = col_dup(s, 2);
	r->backup_time = col_time(s, 3);
	r->integrity = col_dup(s, 4);
	r->restored_at = col_time(s, 5);
	r->recorded_by = col_dup(s, 6);
}

enum fk_code fk_store_restores(struct fk_store *st, int64_t incident, struct fk_restore_point **out,
                               size_t *n, struct fk_err *err)
{
	return FK_ST_LIST(st,
	                  "SELECT no, system, backup, backup_time, integrity, restored_at, "
	                  "recorded_by FROM restore_points WHERE incident_id = $1 ORDER BY no",
	                  incident, out, n, row_restore, err);
}
