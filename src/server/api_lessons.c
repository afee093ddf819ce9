/*
 * api_lessons.c - root cause, interviews (sensitive), lessons learned and the end of recovery
 * over HTTP (cmd_lessons.c's JSON).
 */
#include "fukkyu/common.h"
#include "fukkyu/lessons.h"
#include "server.h"
#include "store/store.h"

enum fk_code h_cause(struct req *r)
{
	return incident_doc_rev(r, cli_cause_doc, "cause");
}

enum fk_code h_cause_set(struct req *r)
{
	struct fk_incident inc;
	json_t *body = NULL;
	struct fk_cause p = {.origin = -1};
	const char *keys[] = {"route",      "cves",    "misconfig", "direct_cause",
	                      "root_cause", "factors", "laws",      "evidence"};
	const char **vals[] = {(const char **)&p.route,      (const char **)&p.cves,
	                       (const char **)&p.misconfig,  (const char **)&p.direct_cause,
	                       (const char **)&p.root_cause, (const char **)&p.factors,
	                       (const char **)&p.laws,       (const char **)&p.evidence};
	enum fk_code rc = req_incident(r, &inc);
	if (rc)
		return rc;
	if (!(rc = req_json(r, &body)))
		rc = body_enum(r, body, "origin", fk_origins, FK_ORIGIN_COUNT, &p.origin);
	for (size_t i = 0; !rc && i < FK_ARRAY_LEN(keys); i++)
		rc = body_str(r, body, keys[i], vals[i]);
	if (!rc)
		rc = req_expect(r, &inc, "cause", NULL);
	if (!rc && !(rc = fk_cause_set(&r->c.ctx, inc.ref, &p, &r->c.err)) &&
	    !(rc = cli_cause_doc(&r->c, &inc, &r->out)))
		rc = req_rev(r, &inc, "cause", NULL);
	json_decref(body);
	fk_incident_release(&inc);
	return rc;
}

/* Interviews are for the incident's members who work on it (not viewers), and admins: others
 * are refused even where the incident itself is open to them. */
static enum fk_code may_see_interviews(struct req *r, const struct fk_incident *inc)
{
	if (r->user.role == FK_UROLE_ADMIN)
		return FK_OK;
	char **names;
	size_t n;
	bool restricted, member = false;
	enum fk_code rc =
	    fk_store_incident_members(r->c.st, inc->id, &restricted, &names, &n, &r->c.err);
	for (size_t i = 0; i < n; i++) {
		member |= !strcmp(names[i], r->user.name);
		free(names[i]);
	}
	free(names);
	if (!rc && !member)
		rc = FK_ERR(
		    &r->c.err, FK_EFORBIDDEN, "interviews",
		    "interviews of %s are for its members only (the interviewees' rights): ask "
		    "its recovery owner to add you",
		    "%s の聞き取りはメンバーのみ閲覧できます (対象者の権利保護): 復旧責任者に"
		    "メンバーへの追加を依頼してください",
		    inc->ref);
	return rc;
}

enum fk_code h_interviews(struct req *r)
{
	struct fk_incident inc;
	enum fk_code rc = req_incident(r, &inc);
	if (rc)
		return rc;
	if (!(rc = may_see_interviews(r, &inc)))
		rc = cli_interviews_doc(&r->c, &inc, &r->out);
	fk_incident_release(&inc);
	return rc;
}

enum fk_code h_interview_add(struct req *r)
{
	struct fk_incident inc;
	json_t *body = NULL;
	const char *who = NULL, *by = NULL, *summary = NULL, *evidence = NULL;
	struct fk_interview i = {.held_at = FK_TIME_NONE};
	enum fk_code rc = req_incident(r, &inc);
	if (rc)
		return rc;
	if (!(rc = may_see_interviews(r, &inc)) && !(rc = req_json(r, &body)) &&
	    !(rc = body_str(r, body, "interviewee", &who)) &&
	    !(rc = body_str(r, body, "by", &by)) &&
	    !(rc = body_str(r, body, "summary", &summary)) &&
	    !(rc = body_str(r, body, "evidence", &evidence)) &&
	    !(rc = body_time(r, body, "at", &i.held_at))) {
		i.interviewee = who ? fk_xstrdup(who) : NULL;
		i.interviewer = by ? fk_xstrdup(by) : NULL;
		i.summary = summary ? fk_xstrdup(summary) : NULL;
		i.evidence = evidence ? fk_xstrdup(evidence) : NULL;
		if (!(rc = fk_interview_add(&r->c.ctx, inc.ref, &i, &r->c.err))) {
			r->status = 201;
			rc = cli_interviews_doc(&r->c, &inc, &r->out);
		}
	}
	fk_interview_release(&i);
	json_decref(body);
	fk_incident_release(&inc);
	return rc;
}

enum fk_code h_lessons(struct req *r)
{
	return incident_doc(r, cli_lessons_doc);
}

enum fk_code h_lesson_add(struct req *r)
{
	struct fk_incident inc;
	json_t *body = NULL;
	const char *lesson = NULL, *action = NULL, *owner = NULL, *verify = NULL, *changes = NULL;
	struct fk_lesson l = {.kind = FK_LK_LESSON, .due_at = FK_TIME_NONE};
	enum fk_code rc = req_incident(r, &inc);
	if (rc)
		return rc;
	if (!(rc = req_json(r, &body)) && !(rc = body_str(r, body, "lesson", &lesson)) &&
	    !(rc = body_str(r, body, "action", &action)) &&
	    !(rc = body_str(r, body, "owner", &owner)) &&
	    !(rc = body_str(r, body, "verify", &verify)) &&
	    !(rc = body_str(r, body, "changes", &changes)) &&
	    !(rc = body_time(r, body, "due", &l.due_at)) &&
	    !(rc = body_enum(r, body, "kind", fk_lesson_kinds, FK_LK_COUNT, &l.kind))) {
		l.lesson = lesson ? fk_xstrdup(lesson) : NULL;
		l.action = action ? fk_xstrdup(action) : NULL;
		l.owner = owner ? fk_xstrdup(owner) : NULL;
		l.verify = verify ? fk_xstrdup(verify) : NULL;
		l.changes = changes ? fk_xstrdup(changes) : NULL;
		if (!(rc = fk_lesson_add(&r->c.ctx, inc.ref, &l, &r->c.err))) {
			r->status = 201;
			rc = cli_lessons_doc(&r->c, &inc, &r->out);
		}
	}
	fk_lesson_release(&l);
	json_decref(body);
	fk_incident_release(&inc);
	return rc;
}

enum fk_code h_lesson_set(struct req *r)
{
	struct fk_incident inc;
	json_t *body = NULL;
	const char *accepted = NULL;
	int state = FK_UNSET;
	enum fk_code rc = req_incident(r, &inc);
	if (rc)
		return rc;
	if (!(rc = req_json(r, &body)) &&
	    !(rc = body_enum(r, body, "state", fk_lesson_states, FK_LS_COUNT, &state)) &&
	    !(rc = body_str(r, body, "accepted_by", &accepted)) &&
	    !(rc = fk_lesson_set(&r->c.ctx, inc.ref, r->params[1], state, accepted, &r->c.err)))
		rc = cli_lessons_doc(&r->c, &inc, &r->out);
	json_decref(body);
	fk_incident_release(&inc);
	return rc;
}

enum fk_code h_recovery(struct req *r)
{
	return incident_doc(r, cli_end_doc);
}

enum fk_code h_recovery_end(struct req *r)
{
	struct fk_incident inc;
	enum fk_code rc = req_incident(r, &inc);
	if (rc)
		return rc;
	if (!(rc = fk_end_declare(&r->c.ctx, inc.ref, &r->c.err)))
		rc = cli_end_doc(&r->c, &inc, &r->out);
	fk_incident_release(&inc);
	return rc;
}
