/*
 * api_plan.c - the routes of the recovery plan: the CLI's operations and JSON (cmd_plan.c)
 * over HTTP.
 */
#include "fukkyu/common.h"
#include "fukkyu/plan.h"
#include "server.h"

/* Answers with the plan as it now is. */
static enum fk_code plan_answer(struct req *r, const struct fk_incident *inc)
{
	enum fk_code rc = cli_plan_doc(&r->c, inc, &r->out);
	return rc ? rc : req_rev(r, inc, "plan", NULL);
}

enum fk_code h_plan(struct req *r)
{
	return incident_doc_rev(r, cli_plan_doc, "plan");
}

/* milestones: [{"due": DATE, "title": TEXT}, ...] */
static enum fk_code body_milestones(struct req *r, json_t *body, struct fk_milestone **out,
                                    size_t *n, bool *set)
{
	json_t *ms = json_object_get(body, "milestones"), *e;
	size_t i;
	*out = NULL;
	*n = 0;
	*set = ms != NULL;
	if (!ms)
		return FK_OK;
	if (!json_is_array(ms) || json_array_size(ms) > FK_MILESTONES_MAX)
		return FK_ERR(&r->c.err, FK_EINVAL, "milestones",
		              "milestones must be a list of at most %d {\"due\", \"title\"}",
		              "milestones は {\"due\", \"title\"} の %d 個までの配列にしてください",
		              FK_MILESTONES_MAX);
	*out = fk_xcalloc(json_array_size(ms) + 1, sizeof **out);
	enum fk_code rc = FK_OK;
	json_array_foreach(ms, i, e)
	{
		const char *title = NULL;
		int64_t due = FK_TIME_NONE;
		if ((rc = body_str(r, e, "title", &title)) || (rc = body_time(r, e, "due", &due)))
			break;
		if (!title || !*title || due == FK_TIME_NONE) {
			rc = FK_ERR(&r->c.err, FK_EINVAL, "milestones",
			            "milestones[%zu] needs due and title",
			            "milestones[%zu] には due と "
			            "title が必要です",
			            i);
			break;
		}
		(*out)[*n].title = fk_xstrdup(title);
		(*out)[(*n)++].due_at = due;
	}
	return rc;
}

enum fk_code h_plan_set(struct req *r)
{
	struct fk_incident inc;
	json_t *body = NULL;
	struct fk_plan_patch p = FK_PLAN_PATCH_INIT;
	struct fk_milestone *m = NULL;
	size_t n = 0;
	enum fk_code rc = req_incident(r, &inc);
	if (rc)
		return rc;
	if (!(rc = req_json(r, &body)) &&
	    !(rc = body_enum(r, body, "level", fk_plan_levels, FK_LEVEL_COUNT, &p.level)) &&
	    !(rc = body_time(r, body, "deadline", &p.deadline)) &&
	    !(rc = body_str(r, body, "priority", &p.priority)) &&
	    !(rc = body_int(r, body, "cost", &p.cost)) &&
	    !(rc = body_int(r, body, "staff_days", &p.staff_days)) &&
	    !(rc = body_time(r, body, "monitoring_start", &p.monitoring_start)) &&
	    !(rc = body_time(r, body, "monitoring_end", &p.monitoring_end)) &&
	    !(rc = body_str(r, body, "exit_criteria", &p.exit_criteria)) &&
	    !(rc = body_time(r, body, "compromised_at", &p.compromised_at)) &&
	    !(rc = body_milestones(r, body, &m, &n, &p.milestones_set))) {
		p.milestones = m;
		p.n_milestones = n;
		if (!(rc = req_expect(r, &inc, "plan", NULL)) &&
		    !(rc = fk_plan_change(&r->c.ctx, inc.ref, &p, &r->c.err)))
			rc = plan_answer(r, &inc);
	}
	fk_milestones_free(m, n);
	json_decref(body);
	fk_incident_release(&inc);
	return rc;
}

static enum fk_code plan_step(struct req *r,
                              enum fk_code (*fn)(struct fk_ctx *, const char *, struct fk_err *))
{
	struct fk_incident inc;
	enum fk_code rc = req_incident(r, &inc);
	if (rc)
		return rc;
	if (!(rc = fn(&r->c.ctx, inc.ref, &r->c.err)))
		rc = plan_answer(r, &inc);
	fk_incident_release(&inc);
	return rc;
}

enum fk_code h_plan_submit(struct req *r)
{
	return plan_step(r, fk_plan_submit);
}

enum fk_code h_plan_approve(struct req *r)
{
	return plan_step(r, fk_plan_approve);
}

enum fk_code h_plan_complete(struct req *r)
{
	struct fk_incident inc;
	json_t *body = NULL;
	const char *report = NULL;
	enum fk_code rc = req_incident(r, &inc);
	if (rc)
		return rc;
	if (!(rc = req_json(r, &body)) && !(rc = body_str(r, body, "report", &report)) && !report)
		rc = FK_ERR0(&r->c.err, FK_EINVAL, "report", "give report: the completion report",
		             "report (復旧完了報告) を指定してください");
	if (!rc && !(rc = fk_plan_complete(&r->c.ctx, inc.ref, report, &r->c.err)))
		rc = plan_answer(r, &inc);
	json_decref(body);
	fk_incident_release(&inc);
	return rc;
}

enum fk_code h_plan_restore(struct req *r)
{
	struct fk_incident inc;
	json_t *body = NULL;
	const char *system = NULL, *backup = NULL, *integrity = NULL;
	int accept = 0;
	struct fk_restore_point rp = {.backup_time = FK_TIME_NONE, .restored_at = FK_TIME_NONE};
	enum fk_code rc = req_incident(r, &inc);
	if (rc)
		return rc;
	if (!(rc = req_json(r, &body)) && !(rc = body_str(r, body, "system", &system)) &&
	    !(rc = body_str(r, body, "backup", &backup)) &&
	    !(rc = body_str(r, body, "integrity", &integrity)) &&
	    !(rc = body_time(r, body, "backup_time", &rp.backup_time)) &&
	    !(rc = body_time(r, body, "restored_at", &rp.restored_at)) &&
	    !(rc = body_bool(r, body, "accept_risk", &accept))) {
		rp.system = system ? fk_xstrdup(system) : NULL;
		rp.backup = backup ? fk_xstrdup(backup) : NULL;
		rp.integrity = integrity ? fk_xstrdup(integrity) : NULL;
		if (rp.restored_at == FK_TIME_NONE)
			rp.restored_at = r->c.ctx.now;
		if (!(rc = fk_restore_add(&r->c.ctx, inc.ref, &rp, accept == 1, &r->c.err))) {
			r->status = 201;
			rc = plan_answer(r, &inc);
		}
	}
	fk_restore_point_release(&rp);
	json_decref(body);
	fk_incident_release(&inc);
	return rc;
}
