/*
 * store_clocks.c - obligations, each incident's decisions on its deadlines, the reporter and
 * the contacts with them (fukkyu/clocks.h).
 */
#include "fukkyu/common.h"
#include "fukkyu/clocks.h"
#include "store_int.h"

static void row_obligation(struct fk_stmt *s, void *elem)
{
	struct fk_obligation *o = elem;
	o->key = col_dup(s, 0);
	o->title_ja = col_dup(s, 1);
	o->title_en = col_dup(s, 2);
	o->trigger = col_enum(s, 3, fk_triggers, FK_TRIG_COUNT);
	o->rule = col_dup(s, 4);
	o->owner_role = col_dup(s, 5);
	o->source = col_dup(s, 6);
	o->builtin = col_int(s, 7) != 0;
}

enum fk_code fk_store_obligations(struct fk_store *st, struct fk_obligation **out, size_t *n,
                                  struct fk_err *err)
{
	return FK_ST_LIST(st,
	                  "SELECT key, title_ja, title_en, trigger, rule, owner_role, source, "
	                  "builtin FROM obligations WHERE $1 = $1 ORDER BY builtin DESC, pos",
	                  0, out, n, row_obligation, err);
}

enum fk_code fk_store_obligation_insert(struct fk_store *st, const struct fk_obligation *o,
                                        struct fk_err *err)
{
	struct fk_stmt *s;
	enum fk_code rc =
	    prep_tx(st,
	            "INSERT INTO obligations (key, title_ja, title_en, trigger, rule, "
	            "owner_role, source, pos) SELECT $1, $2, $3, $4, $5, $6, $7, "
	            "COALESCE(MAX(pos), 0) + 1 FROM obligations",
	            &s, err);
	if (rc)
		return rc;
	bind_text(s, 1, o->key);
	bind_text(s, 2, o->title_ja);
	bind_text(s, 3, o->title_en);
	bind_text(s, 4, fk_triggers[o->trigger].key);
	bind_text(s, 5, o->rule);
	bind_text(s, 6, o->owner_role);
	bind_text(s, 7, o->source);
	rc = step_done(s, err);
	finalize(s);
	if (rc == FK_ECONFLICT)
		return FK_ERR(err, FK_ECONFLICT, "key", "obligation '%s' already exists",
		              "義務 '%s' はすでにあります", o->key);
	if (!rc)
		rc = fk_st_record(st, 0, "obligation", o->key, "rule", NULL, o->rule, err);
	return rc;
}

enum fk_code fk_store_obligation_rule(struct fk_store *st, const struct fk_obligation *o,
                                      const char *rule, struct fk_err *err)
{
	struct fk_stmt *s;
	enum fk_code rc = prep_tx(st, "UPDATE obligations SET rule = $2 WHERE key = $1", &s, err);
	if (rc)
		return rc;
	bind_text(s, 1, o->key);
	bind_text(s, 2, rule);
	rc = step_done(s, err);
	finalize(s);
	return rc ? rc : fk_st_record(st, 0, "obligation", o->key, "rule", o->rule, rule, err);
}

static void row_state(struct fk_stmt *s, void *elem)
{
	struct fk_deadline_state *d = elem;
	d->incident = col_int(s, 0);
	d->key = col_dup(s, 1);
	d->state = col_enum(s, 2, fk_clock_states, FK_CLOCK_STATE_COUNT);
	d->at = col_time(s, 3);
	d->decided_by = col_dup(s, 4);
	d->reason = col_dup(s, 5);
	d->copy_sha256 = col_dup(s, 6);
}

enum fk_code fk_store_deadline_states(struct fk_store *st, int64_t incident,
                                      struct fk_deadline_state **out, size_t *n, struct fk_err *err)
{
	return FK_ST_LIST(st,
	                  "SELECT incident_id, key, state, at, decided_by, reason, copy_sha256 "
	                  "FROM deadline_states WHERE $1 = 0 OR incident_id = $1 ORDER BY "
	                  "incident_id, key",
	                  incident, out, n, row_state, err);
}

enum fk_code fk_store_deadline_set(struct fk_store *st, int64_t incident, const char *key,
                                   int state, int64_t at, const char *reason, const char *copy,
                                   const char *sha, struct fk_err *err)
{
	struct fk_stmt *s;
	enum fk_code rc =
	    prep_tx(st,
	            "INSERT INTO deadline_states (incident_id, key, state, at, decided_by, "
	            "reason, copy, copy_sha256) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON "
	            "CONFLICT (incident_id, key) DO UPDATE SET state = $3, at = $4, decided_by = "
	            "$5, reason = $6, copy = $7, copy_sha256 = $8",
	            &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, incident);
	bind_text(s, 2, key);
	bind_text(s, 3, fk_clock_states[state].key);
	bind_time(s, 4, at);
	bind_text(s, 5, st->actor);
	bind_text(s, 6, reason);
	bind_text(s, 7, copy);
	bind_text(s, 8, sha);
	rc = step_done(s, err);
	finalize(s);
	if (!rc)
		rc = fk_st_record(st, incident, "deadline", key, "state", "open",
		                  fk_clock_states[state].key, err);
	if (!rc && reason)
		rc = fk_st_record(st, incident, "deadline", key, "reason", NULL, reason, err);
	if (!rc && sha)
		rc = fk_st_record(st, incident, "deadline", key, "copy_sha256", NULL, sha, err);
	return rc ? rc : fk_st_touch(st, incident, err);
}

enum fk_code fk_store_clock_facts(struct fk_store *st, int64_t incident, struct fk_clock_facts *f,
                                  struct fk_err *err)
{
	struct fk_stmt *s;
	bool row = false;
	f->incident = incident;
	f->reported_at = f->answered_at = f->completed_at = FK_TIME_NONE;
	enum fk_code rc = fk_st_cached(
	    st,
	    "SELECT (SELECT MIN(at) FROM reporters WHERE incident_id = $1), (SELECT MIN(c.at) FROM "
	    "reporter_contacts c JOIN reporters r ON r.id = c.reporter_id WHERE r.incident_id = $1 "
	    "AND c.direction = 'out' AND c.at >= (SELECT MIN(at) FROM reporters WHERE incident_id "
	    "= $1)), (SELECT completed_at FROM plans WHERE incident_id = $1)",
	    &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, incident);
	rc = step(s, &row, err);
	if (!rc && row) {
		f->reported_at = col_time(s, 0);
		f->answered_at = col_time(s, 1);
		f->completed_at = col_time(s, 2);
	}
	s->ops->reset(s);
	return rc;
}

static void row_facts(struct fk_stmt *s, void *elem)
{
	struct fk_clock_facts *f = elem;
	f->incident = col_int(s, 0);
	f->reported_at = col_time(s, 1);
	f->answered_at = col_time(s, 2);
	f->completed_at = col_time(s, 3);
}

enum fk_code fk_store_clock_facts_all(struct fk_store *st, struct fk_clock_facts **out, size_t *n,
                                      struct fk_err *err)
{
	return FK_ST_LIST(
	    st,
	    "WITH first AS (SELECT incident_id, MIN(at) AS at FROM reporters GROUP BY "
	    "incident_id), done AS (SELECT incident_id, completed_at FROM plans WHERE "
	    "completed_at IS NOT NULL), ids AS (SELECT incident_id FROM first UNION SELECT "
	    "incident_id FROM done) SELECT ids.incident_id, f.at, (SELECT MIN(c.at) FROM "
	    "reporter_contacts c JOIN reporters r ON r.id = c.reporter_id WHERE "
	    "r.incident_id = f.incident_id AND c.direction = 'out' AND c.at >= f.at), "
	    "d.completed_at FROM ids LEFT JOIN first f ON f.incident_id = ids.incident_id LEFT "
	    "JOIN done d ON d.incident_id = ids.incident_id WHERE $1 = $1 ORDER BY 1",
	    0, out, n, row_facts, err);
}

/* ---- the reporter ---------------------------------------------------------------------- */

enum fk_code fk_store_reporter_insert(struct fk_store *st, int64_t incident, struct fk_reporter *r,
                                      struct fk_err *err)
{
	struct fk_stmt *s;
	bool row = false;
	enum fk_code rc =
	    prep_tx(st,
	            "INSERT INTO reporters (incident_id, no, name, contact, channel, at, note, "
	            "created_at, created_by) SELECT $1, COALESCE(MAX(no), 0) + 1, $2, $3, $4, "
	            "$5, $6, $7, $8 FROM reporters WHERE incident_id = $1 RETURNING id, no",
	            &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, incident);
	bind_text(s, 2, r->name);
	bind_text(s, 3, r->contact);
	bind_text(s, 4, fk_channels[r->channel].key);
	bind_time(s, 5, r->at);
	bind_text(s, 6, r->note);
	bind_time(s, 7, st->now);
	bind_text(s, 8, st->actor);
	rc = step(s, &row, err);
	if (!rc && row) {
		r->id = col_int(s, 0);
		r->no = (int)col_int(s, 1);
	}
	finalize(s);
	char key[16], at[32];
	snprintf(key, sizeof key, "R%d", r->no);
	fk_time_utc(r->at, at);
	if (!rc)
		rc = fk_st_record(st, incident, "reporter", key, "name", NULL, r->name, err);
	if (!rc)
		rc = fk_st_record(st, incident, "reporter", key, "at", NULL, at, err);
	free(r->created_by);
	r->created_by = fk_xstrdup(st->actor);
	return rc ? rc : fk_st_touch(st, incident, err);
}

static void row_reporter(struct fk_stmt *s, void *elem)
{
	struct fk_reporter *r = elem;
	r->id = col_int(s, 0);
	r->no = (int)col_int(s, 1);
	r->name = col_dup(s, 2);
	r->contact = col_dup(s, 3);
	r->channel = col_enum(s, 4, fk_channels, FK_CH_COUNT);
	r->at = col_time(s, 5);
	r->note = col_dup(s, 6);
	r->created_by = col_dup(s, 7);
}

enum fk_code fk_store_reporters(struct fk_store *st, int64_t incident, struct fk_reporter **out,
                                size_t *n, struct fk_err *err)
{
	return FK_ST_LIST(st,
	                  "SELECT id, no, name, contact, channel, at, note, created_by FROM "
	                  "reporters WHERE incident_id = $1 ORDER BY no",
	                  incident, out, n, row_reporter, err);
}

enum fk_code fk_store_contact_insert(struct fk_store *st, int64_t incident,
                                     const struct fk_reporter *r, const struct fk_contact *k,
                                     struct fk_err *err)
{
	struct fk_stmt *s;
	enum fk_code rc =
	    prep_tx(st,
	            "INSERT INTO reporter_contacts (reporter_id, at, direction, channel, "
	            "summary, created_by) VALUES ($1, $2, $3, $4, $5, $6)",
	            &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, r->id);
	bind_time(s, 2, k->at);
	bind_text(s, 3, k->out ? "out" : "in");
	bind_text(s, 4, fk_channels[k->channel].key);
	bind_text(s, 5, k->summary);
	bind_text(s, 6, st->actor);
	rc = step_done(s, err);
	finalize(s);
	char key[16];
	snprintf(key, sizeof key, "R%d", r->no);
	if (!rc)
		rc = fk_st_record(st, incident, "reporter", key,
		                  k->out ? "contact out" : "contact in", NULL, k->summary, err);
	return rc ? rc : fk_st_touch(st, incident, err);
}

static void row_contact(struct fk_stmt *s, void *elem)
{
	struct fk_contact *k = elem;
	k->reporter_no = (int)col_int(s, 0);
	k->at = col_time(s, 1);
	k->out = !strcmp(col_text(s, 2), "out");
	k->channel = col_enum(s, 3, fk_channels, FK_CH_COUNT);
	k->summary = col_dup(s, 4);
	k->created_by = col_dup(s, 5);
}

enum fk_code fk_store_contacts(struct fk_store *st, int64_t incident, struct fk_contact **out,
                               size_t *n, struct fk_err *err)
{
	return FK_ST_LIST(st,
	                  "SELECT r.no, c.at, c.direction, c.channel, c.summary, c.created_by FROM "
	                  "reporter_contacts c JOIN reporters r ON r.id = c.reporter_id WHERE "
	                  "r.incident_id = $1 ORDER BY c.at, c.id",
	                  incident, out, n, row_contact, err);
}
