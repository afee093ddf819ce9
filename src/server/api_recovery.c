/*
 * api_recovery.c - the routes of the company-wide sweep, the affected systems, the inventory
 * and the countermeasures with their rollout: the CLI's operations (lib/core) and its JSON
 * (cmd_sweep.c, cmd_measure.c, cmd_asset.c) over HTTP.
 */
#include "fukkyu/common.h"
#include "fukkyu/damage.h"
#include "fukkyu/sweep.h"
#include "server.h"
#include "store/store.h"

#define STOP FK_ECONFLICT /* ends a walk early; not an error */

/* ?limit= (default 100, at most 1000) and ?offset= of a listing. */
static enum fk_code paging(struct req *r, int64_t *limit, int64_t *offset)
{
	enum fk_code rc = req_int(r, "limit", 100, 1, 1000, limit);
	return rc ? rc : req_int(r, "offset", 0, 0, INT64_MAX / 2, offset);
}

struct page {
	struct req *r;
	json_t *arr;
	int64_t seen, limit, offset;
	bool more;
};

/* Whether a walk's next item belongs on the page (false once it is full: more follow). */
static bool page_take(struct page *p)
{
	int64_t i = p->seen++;
	if (i >= p->offset + p->limit)
		p->more = true;
	return i >= p->offset && !p->more;
}

static json_t *page_json(struct page *p, const char *key)
{
	return json_pack("{s:I, s:I, s:b, s:o}", "offset", (json_int_t)p->offset, "limit",
	                 (json_int_t)p->limit, "more", p->more, key, p->arr);
}

/* ---- sweep ----------------------------------------------------------------------------- */

enum fk_code h_sweep_start(struct req *r)
{
	struct fk_incident inc;
	json_t *body = NULL;
	char *match[10];
	size_t n = 0;
	int64_t added = 0;
	enum fk_code rc = req_incident(r, &inc);
	if (rc)
		return rc;
	if (!(rc = req_json(r, &body)) &&
	    !(rc = body_strings(r, body, "match", FK_ARRAY_LEN(match), match, &n)) &&
	    !(rc = fk_sweep_start(&r->c.ctx, inc.ref, match, n, &added, &r->c.err)))
		rc = cli_sweep_status(&r->c, &inc, 20, &r->out);
	if (!rc)
		json_object_set_new(r->out, "added", json_integer(added));
	json_decref(body);
	fk_incident_release(&inc);
	return rc;
}

static enum fk_code sweep_one(void *ctx, const struct fk_sweep_entry *e)
{
	struct page *p = ctx;
	if (page_take(p))
		json_array_append_new(p->arr, cli_sweep_entry_json(&p->r->c, e));
	return p->more ? STOP : FK_OK;
}

enum fk_code h_sweep_systems(struct req *r)
{
	struct fk_incident inc;
	struct page p = {.r = r};
	int state = FK_UNSET;
	const char *st = req_query(r, "state"), *dept = req_query(r, "department");
	enum fk_code rc = paging(r, &p.limit, &p.offset);
	if (!rc && st)
		rc = fk_enum_parse(fk_sweep_states, FK_SW_COUNT, st, "state", &state, &r->c.err);
	if (rc || (rc = req_incident(r, &inc)))
		return rc;
	p.arr = json_array();
	rc = fk_store_sweep_each(r->c.st, inc.id, state, dept, sweep_one, &p, &r->c.err);
	if (rc == STOP)
		rc = FK_OK;
	r->out = page_json(&p, "systems");
	json_object_set_new(r->out, "incident", json_string(inc.ref));
	fk_incident_release(&inc);
	return rc;
}

enum fk_code h_sweep_set(struct req *r)
{
	struct fk_incident inc;
	json_t *body = NULL;
	const char *note = NULL;
	int state = FK_UNSET;
	enum fk_code rc = req_incident(r, &inc);
	if (rc)
		return rc;
	if (!(rc = req_json(r, &body)) &&
	    !(rc = body_enum(r, body, "state", fk_sweep_states, FK_SW_COUNT, &state)) &&
	    !(rc = body_str(r, body, "note", &note)) && state == FK_UNSET)
		rc = FK_ERR0(&r->c.err, FK_EINVAL, "state", "give the system's new state",
		             "state (システムの新しい状態) を指定してください");
	struct fk_sweep_entry e;
	if (!rc && !(rc = fk_sweep_set(&r->c.ctx, inc.ref, r->params[1], state, note, &r->c.err)) &&
	    !(rc = fk_store_sweep_entry_get(r->c.st, inc.id, r->params[1], &e, &r->c.err))) {
		r->out = cli_sweep_entry_json(&r->c, &e);
		fk_sweep_entry_release(&e);
	}
	json_decref(body);
	fk_incident_release(&inc);
	return rc;
}

/* ---- affected systems and the inventory ------------------------------------------------ */

enum fk_code h_incident_assets(struct req *r)
{
	struct fk_incident inc;
	struct fk_asset *a;
	size_t n;
	enum fk_code rc = req_incident(r, &inc);
	if (rc)
		return rc;
	if (!(rc = fk_store_incident_assets(r->c.st, inc.id, &a, &n, &r->c.err))) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, cli_asset_json(&a[i]));
		FK_FREE_ARRAY(a, n, fk_asset_release);
		r->out = json_pack("{s:s, s:o}", "incident", inc.ref, "assets", arr);
	}
	fk_incident_release(&inc);
	return rc;
}

enum fk_code h_incident_assets_add(struct req *r)
{
	struct fk_incident inc;
	json_t *body = NULL;
	char *names[1000];
	size_t n = 0, added = 0;
	enum fk_code rc = req_incident(r, &inc);
	if (rc)
		return rc;
	if (!(rc = req_json(r, &body)) &&
	    !(rc = body_strings(r, body, "names", FK_ARRAY_LEN(names), names, &n)) && !n)
		rc = FK_ERR0(&r->c.err, FK_EINVAL, "names",
		             "give names: the affected systems, as named in the inventory",
		             "names (被害システムの資産台帳上の名前) を指定してください");
	if (!rc && !(rc = fk_incident_assets_add(&r->c.ctx, inc.ref, names, n, &added, &r->c.err)))
		r->out = json_pack("{s:s, s:I}", "incident", inc.ref, "added", (json_int_t)added);
	json_decref(body);
	fk_incident_release(&inc);
	return rc;
}

static enum fk_code asset_one(void *ctx, const struct fk_asset *a)
{
	struct page *p = ctx;
	if (page_take(p))
		json_array_append_new(p->arr, cli_asset_json(a));
	return p->more ? STOP : FK_OK;
}

enum fk_code h_assets(struct req *r)
{
	struct page p = {.r = r};
	int64_t total;
	const char *dept = req_query(r, "department");
	enum fk_code rc = paging(r, &p.limit, &p.offset);
	if (rc || (rc = fk_store_asset_count_in(r->c.st, dept, &total, &r->c.err)))
		return rc;
	p.arr = json_array();
	rc = fk_store_asset_each(r->c.st, dept, asset_one, &p, &r->c.err);
	if (rc == STOP)
		rc = FK_OK;
	r->out = page_json(&p, "assets");
	json_object_set_new(r->out, "total", json_integer(total));
	return rc;
}

enum fk_code h_asset(struct req *r)
{
	struct fk_asset a;
	enum fk_code rc = fk_store_asset_find(r->c.st, r->params[0], &a, &r->c.err);
	if (!rc) {
		r->out = cli_asset_json(&a);
		fk_asset_release(&a);
	}
	return rc;
}

/* ---- countermeasures ------------------------------------------------------------------- */

enum fk_code h_measures(struct req *r)
{
	return incident_doc(r, cli_measures_doc);
}

enum fk_code h_measure_add(struct req *r)
{
	struct fk_incident inc;
	json_t *body = NULL;
	const char *title = NULL, *level = NULL, *owner = NULL;
	struct fk_measure m = {
	    .kind = FK_UNSET, .cost = -1, .due_at = FK_TIME_NONE, .approved_at = FK_TIME_NONE};
	enum fk_code rc = req_incident(r, &inc);
	if (rc)
		return rc;
	if (!(rc = req_json(r, &body)) &&
	    !(rc = body_enum(r, body, "kind", fk_measure_kinds, FK_MK_COUNT, &m.kind)) &&
	    !(rc = body_str(r, body, "title", &title)) &&
	    !(rc = body_str(r, body, "target_level", &level)) &&
	    !(rc = body_str(r, body, "owner", &owner)) &&
	    !(rc = body_int(r, body, "cost", &m.cost)) &&
	    !(rc = body_time(r, body, "due", &m.due_at)) && (m.kind == FK_UNSET || !title))
		rc = FK_ERR0(&r->c.err, FK_EINVAL, m.kind == FK_UNSET ? "kind" : "title",
		             "give kind (technical, operational, legal) and title",
		             "kind (technical, operational, legal) と title を指定してください");
	if (!rc) {
		m.title = fk_xstrdup(title);
		m.target_level = level ? fk_xstrdup(level) : NULL;
		m.owner = owner ? fk_xstrdup(owner) : NULL;
		if (!(rc = fk_measure_add(&r->c.ctx, inc.ref, &m, &r->c.err))) {
			r->status = 201;
			r->out = cli_measure_json(&r->c, &m);
		}
	}
	fk_measure_release(&m);
	json_decref(body);
	fk_incident_release(&inc);
	return rc;
}

/* The incident and its measure {m}, for the routes under /measures/{m}. */
static enum fk_code req_measure(struct req *r, struct fk_incident *inc, struct fk_measure *m)
{
	enum fk_code rc = req_incident(r, inc);
	if (!rc && (rc = fk_measure_find(&r->c.ctx, inc->id, r->params[1], m, &r->c.err)))
		fk_incident_release(inc);
	return rc;
}

/* Answers with the measure as it now is, and its rollout, as `measure status` shows it. */
static enum fk_code measure_answer(struct req *r, const struct fk_incident *inc)
{
	struct fk_measure now;
	enum fk_code rc = fk_measure_find(&r->c.ctx, inc->id, r->params[1], &now, &r->c.err);
	if (!rc) {
		rc = cli_measure_status_doc(&r->c, inc, &now, 20, &r->out);
		fk_measure_release(&now);
	}
	return rc;
}

enum fk_code h_measure_status(struct req *r)
{
	struct fk_incident inc;
	struct fk_measure m;
	int64_t limit;
	enum fk_code rc = req_int(r, "limit", 20, 0, 1000, &limit);
	if (rc || (rc = req_measure(r, &inc, &m)))
		return rc;
	rc = cli_measure_status_doc(&r->c, &inc, &m, limit, &r->out);
	fk_measure_release(&m);
	fk_incident_release(&inc);
	return rc;
}

enum fk_code h_measure_approve(struct req *r)
{
	struct fk_incident inc;
	struct fk_measure m;
	enum fk_code rc = req_measure(r, &inc, &m);
	if (rc)
		return rc;
	if (!(rc = fk_measure_approve(&r->c.ctx, inc.ref, r->params[1], &r->c.err)))
		rc = measure_answer(r, &inc);
	fk_measure_release(&m);
	fk_incident_release(&inc);
	return rc;
}

enum fk_code h_measure_rollout(struct req *r)
{
	struct fk_incident inc;
	struct fk_measure m;
	json_t *body = NULL;
	const char *scope_text = NULL;
	unsigned scope;
	int64_t added = 0;
	enum fk_code rc = req_measure(r, &inc, &m);
	if (rc)
		return rc;
	if (!(rc = req_json(r, &body)) && !(rc = body_str(r, body, "scope", &scope_text)) &&
	    !scope_text)
		rc = FK_ERR0(&r->c.err, FK_EINVAL, "scope",
		             "give scope: e.g. \"affected,similar,spares\"",
		             "scope を指定してください: 例 \"affected,similar,spares\"");
	if (!rc && !(rc = fk_scope_parse(scope_text, &scope, &r->c.err)) &&
	    !(rc =
	          fk_measure_rollout(&r->c.ctx, inc.ref, r->params[1], scope, &added, &r->c.err)) &&
	    !(rc = measure_answer(r, &inc)))
		json_object_set_new(r->out, "added", json_integer(added));
	json_decref(body);
	fk_measure_release(&m);
	fk_incident_release(&inc);
	return rc;
}

enum fk_code h_measure_set(struct req *r)
{
	struct fk_incident inc;
	struct fk_measure m;
	json_t *body = NULL;
	const char *reason = NULL, *accepted = NULL;
	int state = FK_UNSET;
	enum fk_code rc = req_measure(r, &inc, &m);
	if (rc)
		return rc;
	if (!(rc = req_json(r, &body)) &&
	    !(rc = body_enum(r, body, "state", fk_rollout_states, FK_RO_COUNT, &state)) &&
	    !(rc = body_str(r, body, "reason", &reason)) &&
	    !(rc = body_str(r, body, "accepted_by", &accepted)) && state == FK_UNSET)
		rc = FK_ERR0(&r->c.err, FK_EINVAL, "state",
		             "give state: applied, verified, exception or pending",
		             "state (applied, verified, exception, pending) を指定してください");
	if (!rc && !(rc = fk_measure_set(&r->c.ctx, inc.ref, r->params[1], r->params[2], state,
	                                 reason, accepted, &r->c.err)))
		r->out =
		    json_pack("{s:s, s:s, s:s, s:s}", "incident", inc.ref, "measure", r->params[1],
		              "asset", r->params[2], "state", fk_rollout_states[state].key);
	json_decref(body);
	fk_measure_release(&m);
	fk_incident_release(&inc);
	return rc;
}

/* ---- the damage and cost ledger -------------------------------------------------------- */

enum fk_code h_damage(struct req *r)
{
	struct fk_incident inc;
	const char *cur = req_query(r, "currency");
	enum fk_code rc = req_incident(r, &inc);
	if (rc)
		return rc;
	rc = cli_damage_doc(&r->c, &inc, cur ? cur : "JPY", &r->out);
	fk_incident_release(&inc);
	return rc;
}

/* The members an entry and the outage calculator share: currency, description, split (a
 * list of {"party": P, "percent": N}). */
static enum fk_code damage_body(struct req *r, json_t *body, struct fk_damage *d)
{
	const char *cur = "JPY", *desc = NULL;
	json_t *split = json_object_get(body, "split"), *e;
	size_t i;
	enum fk_code rc = body_str(r, body, "currency", &cur);
	if (!rc)
		rc = body_str(r, body, "description", &desc);
	if (!rc && cur && strlen(cur) != 3)
		rc = FK_ERR(
		    &r->c.err, FK_EINVAL, "currency",
		    "currency '%.8s': expected an ISO 4217 code such as JPY or USD",
		    "currency '%.8s': JPY、USD のような ISO 4217 の通貨コードで指定してください",
		    cur);
	if (!rc && split && !json_is_null(split) &&
	    (!json_is_array(split) || json_array_size(split) > FK_SPLIT_MAX))
		rc = FK_ERR(&r->c.err, FK_EINVAL, "split",
		            "split must be a list of at most %d {\"party\", \"percent\"}",
		            "split は {\"party\", \"percent\"} の %d 個までの配列にしてください",
		            FK_SPLIT_MAX);
	json_array_foreach(rc ? NULL : split, i, e)
	{
		const char *party = NULL;
		int64_t pct = 0;
		if ((rc = body_str(r, e, "party", &party)) ||
		    (rc = body_int(r, e, "percent", &pct)))
			break;
		char text[FK_PARTY_MAX + 32];
		snprintf(text, sizeof text, "%s=%lld", party ? party : "", (long long)pct);
		if (!party || strlen(party) > FK_PARTY_MAX ||
		    (rc = fk_split_parse(text, "split", &d->split[d->nsplit++], &r->c.err))) {
			rc =
			    rc ? rc
			       : FK_ERR0(&r->c.err, FK_EINVAL, "split",
			                 "each split needs a party (up to 100 bytes) and a percent",
			                 "split の各項目には party (100 バイトまで) と percent "
			                 "が必要です");
			break;
		}
	}
	if (!rc) {
		memcpy(d->currency, cur ? cur : "JPY", 4);
		d->description = desc ? fk_xstrdup(desc) : NULL;
	}
	return rc;
}

enum fk_code h_damage_add(struct req *r)
{
	struct fk_incident inc;
	json_t *body = NULL;
	struct fk_damage d = {.category = FK_UNSET, .amount = -1};
	enum fk_code rc = req_incident(r, &inc);
	if (rc)
		return rc;
	if (!(rc = req_json(r, &body)) &&
	    !(rc = body_enum(r, body, "category", fk_damage_categories, FK_DMG_COUNT,
	                     &d.category)) &&
	    !(rc = body_int(r, body, "amount", &d.amount)) && !(rc = damage_body(r, body, &d)) &&
	    (d.category == FK_UNSET || d.amount == -1))
		rc = FK_ERR0(&r->c.err, FK_EINVAL, d.category == FK_UNSET ? "category" : "amount",
		             "give category and amount", "category と amount を指定してください");
	if (!rc && !(rc = fk_damage_add(&r->c.ctx, inc.ref, &d, &r->c.err))) {
		r->status = 201;
		r->out = cli_damage_json(&r->c, &d);
	}
	fk_damage_release(&d);
	json_decref(body);
	fk_incident_release(&inc);
	return rc;
}

enum fk_code h_damage_outage(struct req *r)
{
	struct fk_incident inc;
	json_t *body = NULL;
	struct fk_damage d = {.category = FK_DMG_OPPORTUNITY};
	int64_t revenue = -1, from = FK_TIME_NONE, to = FK_TIME_NONE;
	enum fk_code rc = req_incident(r, &inc);
	if (rc)
		return rc;
	if (!(rc = req_json(r, &body)) && !(rc = body_int(r, body, "revenue_per_hour", &revenue)) &&
	    !(rc = body_time(r, body, "from", &from)) && !(rc = body_time(r, body, "to", &to)) &&
	    !(rc = damage_body(r, body, &d)) && revenue == -1)
		rc = FK_ERR0(&r->c.err, FK_EINVAL, "revenue_per_hour",
		             "give revenue_per_hour: the revenue lost per hour of outage",
		             "revenue_per_hour (停止1時間あたりの売上) を指定してください");
	if (!rc && !(rc = fk_damage_outage(&r->c.ctx, inc.ref, revenue, from, to, &d, &r->c.err))) {
		r->status = 201;
		r->out = cli_damage_json(&r->c, &d);
	}
	fk_damage_release(&d);
	json_decref(body);
	fk_incident_release(&inc);
	return rc;
}

enum fk_code h_damage_agree(struct req *r)
{
	struct fk_incident inc;
	json_t *body = NULL;
	const char *by = NULL;
	enum fk_code rc = req_incident(r, &inc);
	if (rc)
		return rc;
	if (!(rc = req_json(r, &body)) && !(rc = body_str(r, body, "by", &by)) && !by)
		rc = FK_ERR0(&r->c.err, FK_EINVAL, "by", "give by: who agreed to the split",
		             "by (負担割合に合意した人) を指定してください");
	if (!rc && !(rc = fk_damage_agree(&r->c.ctx, inc.ref, r->params[1], by, &r->c.err)))
		rc = cli_damage_doc(&r->c, &inc, "JPY", &r->out);
	json_decref(body);
	fk_incident_release(&inc);
	return rc;
}
