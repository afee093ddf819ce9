/*
 * intake.c - the intake point's queue (fukkyu/intake.h).
 */
#include "fukkyu/common.h"
#include "fukkyu/intake.h"
#include "core_int.h"
#include "fukkyu/clocks.h"
#include "fukkyu/playbook.h"
#include "store/store.h"
#include "util/time.h"

const struct fk_enum fk_intake_states[FK_INTAKE_COUNT] = {
    {"new", "new: not yet handled", "未対応"},
    {"attached", "attached to an incident", "インシデントに紐付け済み"},
    {"dismissed", "dismissed", "対応不要"},
};

void fk_intake_release(struct fk_intake *e)
{
	free(e->ref), free(e->name), free(e->contact), free(e->text), free(e->origin);
	free(e->incident_ref), free(e->handled_by), free(e->reason);
	memset(e, 0, sizeof *e);
}

/* The acknowledgement clock of a report: the obligation reporter-ack's rule (rule). */
static void ack_clock(struct fk_intake *e, const char *rule, int64_t now)
{
	bool guide;
	int64_t ws;
	if (fk_rule_due(rule, e->received_at, false, &e->ack_due, &ws, &guide, NULL))
		e->ack_due = FK_TIME_NONE;
	e->overdue = e->state == FK_INTAKE_NEW && e->ack_due != FK_TIME_NONE && now > e->ack_due;
}

static char *ack_rule(struct fk_ctx *c)
{
	return fk_obligation_rule(c, "reporter-ack", "business-days:1");
}

enum fk_code fk_intake_submit(struct fk_ctx *c, struct fk_intake *e, struct fk_err *err)
{
	enum fk_code rc = fk_core_check_line(e->name, "name", false, err);
	if (!rc)
		rc = fk_core_check_line(e->contact, "contact", true, err);
	if (!rc)
		rc = fk_core_check_text(e->text, "text", FK_INTAKE_TEXT_MAX, true, err);
	if (!rc && (!e->contact || !e->text))
		rc = FK_ERR0(err, FK_EINVAL, e->contact ? "text" : "contact",
		             "give contact (so that we can answer you) and text (what you found)",
		             "contact (ご連絡先) と text (ご報告の内容) を入力してください");
	if (rc)
		return rc;
	char date[16];
	fk_time_local_date(c->now, FK_CLOCK_ZONE, date);
	e->received_at = c->now;
	e->state = FK_INTAKE_NEW;
	if ((rc = fk_store_begin(c->st, c->actor, c->now, err)))
		return rc;
	rc = fk_store_intake_insert(c->st, e, (int)strtol(date, NULL, 10), err);
	rc = fk_core_finish(c, rc, err);
	if (!rc) {
		char *rule = ack_rule(c);
		ack_clock(e, rule, c->now);
		free(rule);
	}
	return rc;
}

enum fk_code fk_intake_list(struct fk_ctx *c, bool all, struct fk_intake **out, size_t *n,
                            struct fk_err *err)
{
	enum fk_code rc = fk_store_intake_list(c->st, all, out, n, err);
	char *rule = ack_rule(c);
	for (size_t i = 0; !rc && i < *n; i++)
		ack_clock(&(*out)[i], rule, c->now);
	free(rule);
	return rc;
}

enum fk_code fk_intake_get(struct fk_ctx *c, const char *ref, struct fk_intake *out,
                           struct fk_err *err)
{
	enum fk_code rc = fk_store_intake_get(c->st, ref, out, err);
	if (!rc) {
		char *rule = ack_rule(c);
		ack_clock(out, rule, c->now);
		free(rule);
	}
	return rc;
}

static enum fk_code still_new(const struct fk_intake *e, struct fk_err *err)
{
	if (e->state == FK_INTAKE_NEW)
		return FK_OK;
	return FK_ERR(err, FK_EREFUSED, "report", "%s was already %s (by %s)",
	              "%s はすでに「%s」です (%s)", e->ref, fk_intake_states[e->state].key,
	              e->handled_by ? e->handled_by : "-");
}

/* The report as the incident's reporter, and the report marked attached (inside a
 * transaction). */
static enum fk_code attach_in_tx(struct fk_ctx *c, struct fk_incident *inc, void *ctx,
                                 struct fk_err *err)
{
	const struct fk_intake *e = ctx;
	struct fk_intake now;
	enum fk_code rc =
	    fk_store_intake_get(c->st, e->ref, &now, err); /* inside the transaction */
	if (!rc)
		rc = still_new(&now, err);
	fk_intake_release(&now);
	if (rc)
		return rc;
	char note[FK_INTAKE_TEXT_MAX + 64];
	snprintf(note, sizeof note, "%s: %s", e->ref, e->text);
	struct fk_reporter r = {.name = e->name && *e->name ? e->name : "(匿名 / anonymous)",
	                        .contact = e->contact,
	                        .note = note,
	                        .channel = FK_CH_WEB,
	                        .at = e->received_at};
	rc = fk_store_reporter_insert(c->st, inc->id, &r, err);
	free(r.created_by);
	return rc ? rc : fk_store_intake_handle(c->st, e, FK_INTAKE_ATTACHED, inc->id, NULL, err);
}

enum fk_code fk_intake_attach(struct fk_ctx *c, const char *ref, const char *id, struct fk_err *err)
{
	struct fk_incident inc;
	struct fk_intake e;
	enum fk_code rc = fk_core_begin_open(c, id, &inc, err);
	if (rc)
		return rc;
	if (!(rc = fk_store_intake_get(c->st, ref, &e, err))) {
		rc = attach_in_tx(c, &inc, &e, err);
		fk_intake_release(&e);
	}
	rc = fk_core_finish(c, rc, err);
	fk_incident_release(&inc);
	return rc;
}

enum fk_code fk_intake_open(struct fk_ctx *c, const char *ref, struct fk_incident *inc,
                            struct fk_err *err)
{
	struct fk_intake e;
	struct fk_playbook pb;
	enum fk_code rc = fk_store_intake_get(c->st, ref, &e, err);
	if (rc)
		return rc;
	if (!(rc = still_new(&e, err)) && !(rc = fk_playbook_load_default(&pb, err))) {
		inc->discovered_at = e.received_at;
		if (!inc->description)
			inc->description = fk_xstrdup(e.text);
		/* still new is checked again inside the transaction (attach_in_tx): two
		 * responders opening it at once make one incident */
		rc = fk_core_incident_create(c, inc, &pb, attach_in_tx, &e, err);
		fk_playbook_release(&pb);
	}
	fk_intake_release(&e);
	return rc;
}

enum fk_code fk_intake_dismiss(struct fk_ctx *c, const char *ref, const char *reason,
                               struct fk_err *err)
{
	struct fk_intake e;
	enum fk_code rc = fk_core_check_text(reason, "--reason", FK_TEXT_MAX, true, err);
	if (!rc && !reason)
		rc = FK_ERR0(err, FK_EUSAGE, "--reason", "say why it needs no response (--reason)",
		             "対応不要と判断した理由を --reason で指定してください");
	if (rc || (rc = fk_store_begin(c->st, c->actor, c->now, err)))
		return rc;
	if (!(rc = fk_store_intake_get(c->st, ref, &e, err))) {
		if (!(rc = still_new(&e, err)))
			rc = fk_store_intake_handle(c->st, &e, FK_INTAKE_DISMISSED, 0, reason, err);
		fk_intake_release(&e);
	}
	return fk_core_finish(c, rc, err);
}
