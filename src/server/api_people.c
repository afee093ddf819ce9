/*
 * api_people.c - the register of affected users and the communications log over HTTP
 * (cmd_people.c's JSON).
 */
#include "fukkyu/common.h"
#include "fukkyu/people.h"
#include "fukkyu/sweep.h"
#include "server.h"

enum fk_code h_affected(struct req *r)
{
	return incident_doc(r, cli_affected_doc);
}

enum fk_code h_affected_import(struct req *r)
{
	struct fk_incident inc;
	json_t *body = NULL;
	const char *csv = NULL;
	enum fk_code rc = req_incident(r, &inc);
	if (rc)
		return rc;
	if (!(rc = req_json(r, &body)) && !(rc = body_str(r, body, "csv", &csv)) && !csv)
		rc = FK_ERR0(&r->c.err, FK_EINVAL, "csv",
		             "give csv: the file's text, with its header",
		             "csv (見出し行付きの CSV の本文) を指定してください");
	FILE *f = NULL;
	if (!rc && !(f = fmemopen((void *)(uintptr_t)csv, strlen(csv), "r")))
		rc = FK_ERR0(&r->c.err, FK_EIO, "csv", "cannot read the CSV text",
		             "CSV を読めません");
	struct fk_import_report rep = {0};
	if (!rc && !(rc = fk_affected_import(&r->c.ctx, inc.ref, f, "csv", &rep, &r->c.err)))
		rc = cli_affected_doc(&r->c, &inc, &r->out);
	if (rc && rep.n_errors) /* every row's error, not only the count */
		snprintf(r->c.err.en, sizeof r->c.err.en, "%s", rep.errors_en.ptr);
	if (rc && rep.n_errors)
		snprintf(r->c.err.ja, sizeof r->c.err.ja, "%s", rep.errors_ja.ptr);
	if (f)
		fclose(f);
	fk_import_report_release(&rep);
	json_decref(body);
	fk_incident_release(&inc);
	return rc;
}

enum fk_code h_affected_set(struct req *r)
{
	struct fk_incident inc;
	json_t *body = NULL;
	struct fk_affected_patch p = {FK_UNSET, NULL, FK_TIME_NONE, -1, -1};
	enum fk_code rc = req_incident(r, &inc);
	if (rc)
		return rc;
	if (!(rc = req_json(r, &body)) &&
	    !(rc = body_enum(r, body, "notice", fk_notices, FK_NOTICE_COUNT, &p.notice)) &&
	    !(rc = body_str(r, body, "channel", &p.channel)) &&
	    !(rc = body_time(r, body, "notice_at", &p.notice_at)) &&
	    !(rc = body_int(r, body, "offered", &p.offered)) &&
	    !(rc = body_int(r, body, "paid", &p.paid)) &&
	    !(rc = fk_affected_set(&r->c.ctx, inc.ref, r->params[1], &p, &r->c.err)))
		rc = cli_affected_doc(&r->c, &inc, &r->out);
	json_decref(body);
	fk_incident_release(&inc);
	return rc;
}

enum fk_code h_comms(struct req *r)
{
	return incident_doc(r, cli_comms_doc);
}

enum fk_code h_comm_add(struct req *r)
{
	struct fk_incident inc;
	json_t *body = NULL;
	const char *title = NULL, *text = NULL;
	struct fk_comm m = {.audience = FK_UNSET};
	enum fk_code rc = req_incident(r, &inc);
	if (rc)
		return rc;
	if (!(rc = req_json(r, &body)) &&
	    !(rc = body_enum(r, body, "audience", fk_audiences, FK_AUD_COUNT, &m.audience)) &&
	    !(rc = body_str(r, body, "title", &title)) &&
	    !(rc = body_str(r, body, "text", &text))) {
		m.title = title ? fk_xstrdup(title) : NULL;
		if (!(rc = fk_comm_add(&r->c.ctx, inc.ref, &m, text, &r->c.err))) {
			r->status = 201;
			rc = cli_comms_doc(&r->c, &inc, &r->out);
		}
	}
	fk_comm_release(&m);
	json_decref(body);
	fk_incident_release(&inc);
	return rc;
}

/* A step on statement {c}: the body's text or channel/at as each needs. */
static enum fk_code comm_step(struct req *r, int which)
{
	struct fk_incident inc;
	json_t *body = NULL;
	const char *text = NULL, *channel = NULL;
	int64_t at = FK_TIME_NONE;
	enum fk_code rc = req_incident(r, &inc);
	if (rc)
		return rc;
	if (!(rc = req_json(r, &body)) && !(rc = body_str(r, body, "text", &text)) &&
	    !(rc = body_str(r, body, "channel", &channel)) && !(rc = body_time(r, body, "at", &at)))
		rc = which == 0 ? fk_comm_edit(&r->c.ctx, inc.ref, r->params[1], text, &r->c.err)
		     : which == 1
		         ? fk_comm_approve(&r->c.ctx, inc.ref, r->params[1], &r->c.err)
		         : fk_comm_send(&r->c.ctx, inc.ref, r->params[1], channel, at, &r->c.err);
	if (!rc)
		rc = cli_comms_doc(&r->c, &inc, &r->out);
	json_decref(body);
	fk_incident_release(&inc);
	return rc;
}

enum fk_code h_comm_edit(struct req *r)
{
	return comm_step(r, 0);
}

enum fk_code h_comm_approve(struct req *r)
{
	return comm_step(r, 1);
}

enum fk_code h_comm_send(struct req *r)
{
	return comm_step(r, 2);
}
