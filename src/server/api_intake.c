/*
 * api_intake.c - the intake point over HTTP: the public submission (no sign-in; rate-limited
 * per address and size-capped) and the queue for responders (cmd_intake.c's JSON).
 */
#include "fukkyu/common.h"
#include "fukkyu/intake.h"
#include "server.h"
#include "store/store.h"
#include "fukkyu/clocks.h"
#include "util/time.h"

#define INTAKE_BODY_MAX (16 * 1024)

enum fk_code h_intake_submit(struct req *r)
{
	json_t *body = NULL;
	const char *name = NULL, *contact = NULL, *text = NULL;
	enum fk_code rc = FK_OK;
	if (r->body_len > INTAKE_BODY_MAX) {
		r->status = 413;
		return FK_ERR0(&r->c.err, FK_ETOOBIG, "text", "the report is over 16 KiB",
		               "通報の内容が 16 KiB を超えています");
	}
	/* The sign-in limiter's window, under a name no user can have: 5 reports per address
	 * per 15 minutes. */
	if (!login_begin("intake:", r->addr)) {
		r->status = 429;
		return FK_ERR0(
		    &r->c.err, FK_EREFUSED, NULL,
		    "too many reports from your address: please wait 15 minutes, or call us",
		    "このアドレスからの通報が多すぎます: 15 分お待ちいただくか、お電話で"
		    "ご連絡ください");
	}
	if (!(rc = req_json(r, &body)) && !(rc = body_str(r, body, "name", &name)) &&
	    !(rc = body_str(r, body, "contact", &contact)) &&
	    !(rc = body_str(r, body, "text", &text))) {
		struct fk_intake e = {0};
		e.name = name && *name ? fk_xstrdup(name) : NULL;
		e.contact = contact ? fk_xstrdup(contact) : NULL;
		e.text = text ? fk_xstrdup(text) : NULL;
		e.origin = fk_xstrdup(r->addr);
		snprintf(r->c.actor, sizeof r->c.actor, "intake");
		r->c.ctx.actor = r->c.actor;
		if (!(rc = fk_intake_submit(&r->c.ctx, &e, &r->c.err))) {
			/* the answer promised is the acknowledgement clock's own due time */
			char when[40], due[40];
			fk_time_local(e.received_at, FK_CLOCK_ZONE, when);
			fk_time_local(e.ack_due, FK_CLOCK_ZONE, due);
			char ja[2048], en[2048]; /* the contact is at most 500 bytes: never cut */
			snprintf(
			    ja, sizeof ja,
			    "ご報告ありがとうございます。受付番号 %s (%s 受付) で承りました。%s "
			    "までに %s あてにご連絡いたします。",
			    e.ref, when, due, e.contact);
			snprintf(en, sizeof en,
			         "Thank you for your report. It was received at %s as %s. We will "
			         "contact "
			         "you at %s by %s (Japan time).",
			         when, e.ref, e.contact, due);
			r->status = 201;
			r->out = json_pack("{s:s, s:o, s:o, s:{s:s, s:s}}", "ref", e.ref,
			                   "received_at", cli_json_time(&r->c, e.received_at),
			                   "reply_by", cli_json_time(&r->c, e.ack_due),
			                   "acknowledgement", "ja", ja, "en", en);
		}
		fk_intake_release(&e);
	}
	json_decref(body);
	return rc;
}

enum fk_code h_intake(struct req *r)
{
	const char *all = req_query(r, "all");
	int64_t *hid = NULL;
	size_t nh = 0;
	/* a report attached to an incident one may not see is left out, as the incident is */
	enum fk_code rc = fk_store_hidden_incidents(r->c.st, &r->user, &hid, &nh, &r->c.err);
	if (!rc)
		rc = cli_intake_doc(&r->c, all && !strcmp(all, "1"), hid, nh, &r->out);
	free(hid);
	return rc;
}

/* Answers with the report as it now is. */
static enum fk_code intake_answer(struct req *r)
{
	struct fk_intake e;
	enum fk_code rc = fk_intake_get(&r->c.ctx, r->params[0], &e, &r->c.err);
	if (!rc) {
		r->out = cli_intake_json(&r->c, &e);
		fk_intake_release(&e);
	}
	return rc;
}

enum fk_code h_intake_attach(struct req *r)
{
	json_t *body = NULL;
	const char *id = NULL;
	struct fk_incident inc;
	enum fk_code rc = req_json(r, &body);
	if (!rc && !(rc = body_str(r, body, "incident", &id)) && !id)
		rc = FK_ERR0(&r->c.err, FK_EINVAL, "incident",
		             "give incident: the one to attach it to",
		             "incident (紐付けるインシデント) を指定してください");
	/* the incident must be one the asker may see */
	if (!rc) {
		rc = req_incident_id(r, id, &inc);
		if (!rc) {
			if (!(rc = fk_intake_attach(&r->c.ctx, r->params[0], inc.ref, &r->c.err)))
				rc = intake_answer(r);
			fk_incident_release(&inc);
		}
	}
	json_decref(body);
	return rc;
}

enum fk_code h_intake_open(struct req *r)
{
	json_t *body = NULL;
	const char *title = NULL;
	struct fk_incident inc = FK_INCIDENT_NEW;
	enum fk_code rc = req_json(r, &body);
	if (!rc && !(rc = body_str(r, body, "title", &title)) &&
	    !(rc = body_enum(r, body, "kind", fk_kinds, FK_KIND_COUNT, &inc.kind)) &&
	    !(rc = body_enum(r, body, "severity", fk_severities, FK_SEV_COUNT, &inc.severity)) &&
	    (!title || inc.kind < 0))
		rc = FK_ERR0(&r->c.err, FK_EINVAL, title ? "kind" : "title", "give title and kind",
		             "title と kind を指定してください");
	if (!rc) {
		inc.title = fk_xstrdup(title);
		if (!(rc = fk_intake_open(&r->c.ctx, r->params[0], &inc, &r->c.err))) {
			r->status = 201;
			r->out = cli_incident_json(&r->c, &inc);
		}
	}
	fk_incident_release(&inc);
	json_decref(body);
	return rc;
}

enum fk_code h_intake_dismiss(struct req *r)
{
	json_t *body = NULL;
	const char *reason = NULL;
	enum fk_code rc = req_json(r, &body);
	if (!rc && !(rc = body_str(r, body, "reason", &reason)) && !reason)
		rc = FK_ERR0(&r->c.err, FK_EINVAL, "reason",
		             "give reason: why no response is needed",
		             "reason (対応不要の理由) を指定してください");
	if (!rc && !(rc = fk_intake_dismiss(&r->c.ctx, r->params[0], reason, &r->c.err)))
		rc = intake_answer(r);
	json_decref(body);
	return rc;
}
