/*
 * api_clocks.c - the routes of legal and promised clocks, the obligations and the reporter:
 * the CLI's operations and JSON (cmd_clocks.c) over HTTP.
 */
#include "fukkyu/common.h"
#include "fukkyu/clocks.h"
#include "server.h"
#include "store/store.h"

enum fk_code h_deadlines_all(struct req *r)
{
	int64_t *hid = NULL;
	size_t nh = 0;
	enum fk_code rc = fk_store_hidden_incidents(r->c.st, &r->user, &hid, &nh, &r->c.err);
	if (!rc)
		rc = cli_deadlines_doc(&r->c, NULL, false, hid, nh, &r->out);
	free(hid);
	return rc;
}

enum fk_code h_deadlines(struct req *r)
{
	struct fk_incident inc;
	enum fk_code rc = req_incident(r, &inc);
	if (rc)
		return rc;
	if (!(rc = cli_deadlines_doc(&r->c, inc.ref, true, NULL, 0, &r->out)))
		json_object_set_new(r->out, "incident", json_string(inc.ref));
	fk_incident_release(&inc);
	return rc;
}

/* After a decision: the incident's clocks as they now are. */
static enum fk_code decided(struct req *r, const struct fk_incident *inc)
{
	enum fk_code rc = cli_deadlines_doc(&r->c, inc->ref, true, NULL, 0, &r->out);
	if (!rc)
		json_object_set_new(r->out, "incident", json_string(inc->ref));
	return rc;
}

enum fk_code h_deadline_submit(struct req *r)
{
	struct fk_incident inc;
	json_t *body = NULL;
	const char *copy = NULL;
	int64_t at = FK_TIME_NONE;
	enum fk_code rc = req_incident(r, &inc);
	if (rc)
		return rc;
	if (!(rc = req_json(r, &body)) && !(rc = body_str(r, body, "copy", &copy)) &&
	    !(rc = body_time(r, body, "at", &at)) && !copy)
		rc = FK_ERR0(&r->c.err, FK_EINVAL, "copy",
		             "give copy: the text that was sent (kept frozen with its SHA-256)",
		             "copy (送付した内容。SHA-256 とともに保存します) を指定してください");
	if (!rc &&
	    !(rc = fk_deadline_submit(&r->c.ctx, inc.ref, r->params[1], copy, at, &r->c.err)))
		rc = decided(r, &inc);
	json_decref(body);
	fk_incident_release(&inc);
	return rc;
}

enum fk_code h_deadline_waive(struct req *r)
{
	struct fk_incident inc;
	json_t *body = NULL;
	const char *reason = NULL;
	enum fk_code rc = req_incident(r, &inc);
	if (rc)
		return rc;
	if (!(rc = req_json(r, &body)) && !(rc = body_str(r, body, "reason", &reason)) && !reason)
		rc = FK_ERR0(
		    &r->c.err, FK_EINVAL, "reason",
		    "give reason: why it is not required (kept with who decided)",
		    "reason (不要と判断した理由。判断者とともに記録します) を指定してください");
	if (!rc && !(rc = fk_deadline_waive(&r->c.ctx, inc.ref, r->params[1], reason, &r->c.err)))
		rc = decided(r, &inc);
	json_decref(body);
	fk_incident_release(&inc);
	return rc;
}

enum fk_code h_reporters(struct req *r)
{
	return incident_doc(r, cli_reporters_doc);
}

enum fk_code h_reporter_add(struct req *r)
{
	struct fk_incident inc;
	json_t *body = NULL;
	const char *name = NULL, *contact = NULL, *note = NULL;
	struct fk_reporter rep = {.channel = FK_UNSET, .at = FK_TIME_NONE};
	enum fk_code rc = req_incident(r, &inc);
	if (rc)
		return rc;
	if (!(rc = req_json(r, &body)) && !(rc = body_str(r, body, "name", &name)) &&
	    !(rc = body_str(r, body, "contact", &contact)) &&
	    !(rc = body_str(r, body, "note", &note)) &&
	    !(rc = body_enum(r, body, "channel", fk_channels, FK_CH_COUNT, &rep.channel)) &&
	    !(rc = body_time(r, body, "at", &rep.at)) && (!name || rep.channel == FK_UNSET))
		rc = FK_ERR0(&r->c.err, FK_EINVAL, name ? "channel" : "name",
		             "give name and channel (email, web, phone, other)",
		             "name と channel (email, web, phone, other) を指定してください");
	if (!rc) {
		rep.name = fk_xstrdup(name);
		rep.contact = contact ? fk_xstrdup(contact) : NULL;
		rep.note = note ? fk_xstrdup(note) : NULL;
		if (rep.at == FK_TIME_NONE)
			rep.at = r->c.ctx.now;
		if (!(rc = fk_reporter_add(&r->c.ctx, inc.ref, &rep, &r->c.err))) {
			r->status = 201;
			rc = cli_reporters_doc(&r->c, &inc, &r->out);
		}
	}
	fk_reporter_release(&rep);
	json_decref(body);
	fk_incident_release(&inc);
	return rc;
}

enum fk_code h_reporter_contact(struct req *r)
{
	struct fk_incident inc;
	json_t *body = NULL;
	const char *summary = NULL, *direction = NULL;
	struct fk_contact k = {.channel = FK_UNSET, .at = FK_TIME_NONE};
	enum fk_code rc = req_incident(r, &inc);
	if (rc)
		return rc;
	if (!(rc = req_json(r, &body)) && !(rc = body_str(r, body, "summary", &summary)) &&
	    !(rc = body_str(r, body, "direction", &direction)) &&
	    !(rc = body_enum(r, body, "channel", fk_channels, FK_CH_COUNT, &k.channel)) &&
	    !(rc = body_time(r, body, "at", &k.at)) &&
	    (!direction || (strcmp(direction, "in") && strcmp(direction, "out"))))
		rc = FK_ERR0(&r->c.err, FK_EINVAL, "direction",
		             "give direction: out (we contacted them) or in (they contacted us)",
		             "direction (out: こちらから / in: 先方から) を指定してください");
	if (!rc) {
		k.out = !strcmp(direction, "out");
		k.summary = summary ? fk_xstrdup(summary) : NULL;
		if (k.at == FK_TIME_NONE)
			k.at = r->c.ctx.now;
		if (!(rc = fk_reporter_contact(&r->c.ctx, inc.ref, r->params[1], &k, &r->c.err))) {
			r->status = 201;
			rc = cli_reporters_doc(&r->c, &inc, &r->out);
		}
	}
	fk_contact_release(&k);
	json_decref(body);
	fk_incident_release(&inc);
	return rc;
}

enum fk_code h_obligations(struct req *r)
{
	return cli_obligations_doc(&r->c, &r->out);
}

enum fk_code h_obligation_add(struct req *r)
{
	json_t *body;
	const char *key = NULL, *ja = NULL, *en = NULL, *rule = NULL, *owner = NULL, *source = NULL;
	struct fk_obligation o = {.trigger = FK_UNSET};
	enum fk_code rc = req_json(r, &body);
	if (rc)
		return rc;
	if (!(rc = body_str(r, body, "key", &key)) && !(rc = body_str(r, body, "title_ja", &ja)) &&
	    !(rc = body_str(r, body, "title_en", &en)) &&
	    !(rc = body_str(r, body, "rule", &rule)) &&
	    !(rc = body_str(r, body, "owner_role", &owner)) &&
	    !(rc = body_str(r, body, "source", &source)) &&
	    !(rc = body_enum(r, body, "trigger", fk_triggers, FK_TRIG_COUNT, &o.trigger))) {
		o.key = (char *)(uintptr_t)key;
		o.title_ja = (char *)(uintptr_t)ja;
		o.title_en = (char *)(uintptr_t)en;
		o.rule = (char *)(uintptr_t)rule;
		o.owner_role = (char *)(uintptr_t)owner;
		o.source = (char *)(uintptr_t)source;
		if (!(rc = fk_obligation_add(&r->c.ctx, &o, &r->c.err))) {
			r->status = 201;
			rc = cli_obligations_doc(&r->c, &r->out);
		}
	}
	json_decref(body);
	return rc;
}
