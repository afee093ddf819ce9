/*
 * store_people.c - the register of affected users and the communications log
 * (fukkyu/people.h).
 */
#include "fukkyu/common.h"
#include "fukkyu/people.h"
#include "store_int.h"

static void bind_opt(struct fk_stmt *s, int i, int64_t v)
{
	if (v >= 0)
		bind_int(s, i, v);
	else
		bind_text(s, i, NULL);
}

static int64_t col_opt(struct fk_stmt *s, int c)
{
	return s->ops->col_null(s, c) ? -1 : col_int(s, c);
}

enum fk_code fk_store_affected_insert(struct fk_store *st, int64_t incident,
                                      const struct fk_affected *a, struct fk_err *err)
{
	struct fk_stmt *s;
	enum fk_code rc = fk_st_cached(
	    st,
	    "INSERT INTO affected (incident_id, no, kind, name, contact, data, sensitive, damage, "
	    "damage_amount, contract, updated_at, updated_by) SELECT $1, COALESCE(MAX(no), 0) + 1, "
	    "$2, $3, $4, $5, $6, $7, $8, $9, $10, $11 FROM affected WHERE incident_id = $1",
	    &s, err);
	if (!rc)
		rc = need_tx(st, err);
	if (rc)
		return rc;
	bind_int(s, 1, incident);
	bind_text(s, 2, fk_affected_kinds[a->kind].key);
	bind_text(s, 3, a->name);
	bind_text(s, 4, a->contact);
	bind_text(s, 5, a->data);
	bind_int(s, 6, a->sensitive);
	bind_text(s, 7, a->damage);
	bind_opt(s, 8, a->damage_amount);
	bind_text(s, 9, a->contract);
	bind_time(s, 10, st->now);
	bind_text(s, 11, st->actor);
	rc = step_done(s, err);
	s->ops->reset(s);
	return rc;
}

enum fk_code fk_store_affected_imported(struct fk_store *st, int64_t incident, int64_t rows,
                                        const char *origin, struct fk_err *err)
{
	char v[64];
	snprintf(v, sizeof v, "%lld rows", (long long)rows);
	enum fk_code rc = fk_st_record(st, incident, "affected", origin, "imported", NULL, v, err);
	return rc ? rc : fk_st_touch(st, incident, err);
}

#define AFFECTED_COLS                                                                              \
	"no, kind, name, contact, data, sensitive, damage, damage_amount, contract, notice, "      \
	"notice_channel, notice_at, offered, paid, updated_at, updated_by, (SELECT count(*) FROM " \
	"affected_contacts c WHERE c.affected_id = affected.id AND c.kind = 'complaint'), "        \
	"(SELECT "                                                                                 \
	"count(*) FROM affected_contacts c WHERE c.affected_id = affected.id AND c.kind = "        \
	"'reply')"

static void row_affected(struct fk_stmt *s, void *elem)
{
	struct fk_affected *a = elem;
	a->no = (int)col_int(s, 0);
	a->kind = col_enum(s, 1, fk_affected_kinds, FK_AK_COUNT);
	a->name = col_dup(s, 2);
	a->contact = col_dup(s, 3);
	a->data = col_dup(s, 4);
	a->sensitive = col_int(s, 5) != 0;
	a->damage = col_dup(s, 6);
	a->damage_amount = col_opt(s, 7);
	a->contract = col_dup(s, 8);
	a->notice = col_enum(s, 9, fk_notices, FK_NOTICE_COUNT);
	a->notice_channel = col_dup(s, 10);
	a->notice_at = col_time(s, 11);
	a->offered = col_opt(s, 12);
	a->paid = col_opt(s, 13);
	a->updated_at = col_time(s, 14);
	a->updated_by = col_dup(s, 15);
	a->complaints = (int)col_int(s, 16);
	a->replies = (int)col_int(s, 17);
}

enum fk_code fk_store_affected(struct fk_store *st, int64_t incident, struct fk_affected **out,
                               size_t *n, struct fk_err *err)
{
	return FK_ST_LIST(
	    st, "SELECT " AFFECTED_COLS " FROM affected WHERE incident_id = $1 ORDER BY no",
	    incident, out, n, row_affected, err);
}

enum fk_code fk_store_affected_update(struct fk_store *st, int64_t incident,
                                      const struct fk_affected *a, const struct fk_affected *b,
                                      struct fk_err *err)
{
	char key[16];
	snprintf(key, sizeof key, "A%d", a->no);
	struct fk_stmt *s;
	enum fk_code rc = need_tx(st, err);
	if (!rc && a->notice != b->notice)
		rc = fk_st_record(st, incident, "affected", key, "notice",
		                  fk_notices[a->notice].key, fk_notices[b->notice].key, err);
	if (!rc)
		rc = fk_st_diff_text(st, incident, "affected", key, "notice_channel",
		                     a->notice_channel, b->notice_channel, err);
	if (!rc)
		rc = fk_st_diff_int(st, incident, "affected", key, "offered", a->offered,
		                    b->offered, err);
	if (!rc)
		rc = fk_st_diff_int(st, incident, "affected", key, "paid", a->paid, b->paid, err);
	if (!rc)
		rc = prep(
		    st,
		    "UPDATE affected SET notice = $3, notice_channel = $4, notice_at = $5, "
		    "offered = $6, paid = $7, updated_at = $8, updated_by = $9 WHERE incident_id = "
		    "$1 AND no = $2",
		    &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, incident);
	bind_int(s, 2, b->no);
	bind_text(s, 3, fk_notices[b->notice].key);
	bind_text(s, 4, b->notice_channel);
	bind_time(s, 5, b->notice_at);
	bind_opt(s, 6, b->offered);
	bind_opt(s, 7, b->paid);
	bind_time(s, 8, st->now);
	bind_text(s, 9, st->actor);
	rc = step_done(s, err);
	finalize(s);
	return rc ? rc : fk_st_touch(st, incident, err);
}

enum fk_code fk_store_affected_contact(struct fk_store *st, int64_t incident, int no,
                                       bool complaint, const char *text, int64_t at,
                                       struct fk_err *err)
{
	struct fk_stmt *s;
	enum fk_code rc = prep_tx(st,
	                          "INSERT INTO affected_contacts (affected_id, at, kind, text, "
	                          "created_by) SELECT id, $3, $4, $5, $6 FROM affected WHERE "
	                          "incident_id = $1 AND no = $2",
	                          &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, incident);
	bind_int(s, 2, no);
	bind_time(s, 3, at);
	bind_text(s, 4, complaint ? "complaint" : "reply");
	bind_text(s, 5, text);
	bind_text(s, 6, st->actor);
	rc = step_done(s, err);
	finalize(s);
	char key[16];
	snprintf(key, sizeof key, "A%d", no);
	if (!rc)
		rc = fk_st_record(st, incident, "affected", key, complaint ? "complaint" : "reply",
		                  NULL, text, err);
	return rc ? rc : fk_st_touch(st, incident, err);
}

/* ---- communications -------------------------------------------------------------------- */

#define COMM_COLS                                                                                  \
	"id, no, audience, title, state, version, approved_version, approved_by, approved_at, "    \
	"sent_at, sent_by, channel, created_at, created_by"

static void row_comm(struct fk_stmt *s, void *elem)
{
	struct fk_comm *m = elem;
	m->id = col_int(s, 0);
	m->no = (int)col_int(s, 1);
	m->audience = col_enum(s, 2, fk_audiences, FK_AUD_COUNT);
	m->title = col_dup(s, 3);
	m->state = col_enum(s, 4, fk_comm_states, FK_COMM_STATE_COUNT);
	m->version = col_int(s, 5);
	m->approved_version = col_opt(s, 6);
	m->approved_by = col_dup(s, 7);
	m->approved_at = col_time(s, 8);
	m->sent_at = col_time(s, 9);
	m->sent_by = col_dup(s, 10);
	m->channel = col_dup(s, 11);
	m->created_at = col_time(s, 12);
	m->created_by = col_dup(s, 13);
}

enum fk_code fk_store_comms(struct fk_store *st, int64_t incident, struct fk_comm **out, size_t *n,
                            struct fk_err *err)
{
	return FK_ST_LIST(
	    st, "SELECT " COMM_COLS " FROM communications WHERE incident_id = $1 ORDER BY no",
	    incident, out, n, row_comm, err);
}

enum fk_code fk_store_comm_version(struct fk_store *st, int64_t comm, int64_t version,
                                   const char *text, const char *sha, struct fk_err *err)
{
	struct fk_stmt *s;
	enum fk_code rc =
	    prep_tx(st,
	            "INSERT INTO communication_versions (communication_id, version, "
	            "text, sha256, created_at, created_by) VALUES ($1, $2, $3, $4, $5, "
	            "$6)",
	            &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, comm);
	bind_int(s, 2, version);
	bind_text(s, 3, text);
	bind_text(s, 4, sha);
	bind_time(s, 5, st->now);
	bind_text(s, 6, st->actor);
	rc = step_done(s, err);
	finalize(s);
	return rc;
}

enum fk_code fk_store_comm_insert(struct fk_store *st, int64_t incident, struct fk_comm *m,
                                  struct fk_err *err)
{
	struct fk_stmt *s;
	bool row = false;
	enum fk_code rc = prep_tx(st,
	                          "INSERT INTO communications (incident_id, no, audience, title, "
	                          "state, version, created_at, created_by) SELECT $1, "
	                          "COALESCE(MAX(no), 0) + 1, $2, $3, 'draft', 1, $4, $5 FROM "
	                          "communications WHERE incident_id = $1 RETURNING id, no",
	                          &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, incident);
	bind_text(s, 2, fk_audiences[m->audience].key);
	bind_text(s, 3, m->title);
	bind_time(s, 4, st->now);
	bind_text(s, 5, st->actor);
	rc = step(s, &row, err);
	if (!rc && row) {
		m->id = col_int(s, 0);
		m->no = (int)col_int(s, 1);
	}
	finalize(s);
	m->version = 1;
	m->state = FK_COMM_DRAFT;
	char key[16];
	snprintf(key, sizeof key, "C%d", m->no);
	if (!rc)
		rc = fk_st_record(st, incident, "communication", key, "title", NULL, m->title, err);
	return rc;
}

/* Writes the state fields of b, recording what changed from a. */
enum fk_code fk_store_comm_update(struct fk_store *st, int64_t incident, const struct fk_comm *a,
                                  const struct fk_comm *b, struct fk_err *err)
{
	char key[16];
	snprintf(key, sizeof key, "C%d", b->no);
	struct fk_stmt *s;
	enum fk_code rc = need_tx(st, err);
	if (!rc && a->state != b->state)
		rc = fk_st_record(st, incident, "communication", key, "state",
		                  fk_comm_states[a->state].key, fk_comm_states[b->state].key, err);
	if (!rc)
		rc = fk_st_diff_int(st, incident, "communication", key, "version", a->version,
		                    b->version, err);
	if (!rc)
		rc = prep(
		    st,
		    "UPDATE communications SET state = $2, version = $3, approved_version = $4, "
		    "approved_by = $5, approved_at = $6, sent_at = $7, sent_by = $8, channel = $9 "
		    "WHERE id = $1",
		    &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, b->id);
	bind_text(s, 2, fk_comm_states[b->state].key);
	bind_int(s, 3, b->version);
	bind_opt(s, 4, b->approved_version);
	bind_text(s, 5, b->approved_by);
	bind_time(s, 6, b->approved_at);
	bind_time(s, 7, b->sent_at);
	bind_text(s, 8, b->sent_by);
	bind_text(s, 9, b->channel);
	rc = step_done(s, err);
	finalize(s);
	return rc ? rc : fk_st_touch(st, incident, err);
}

enum fk_code fk_store_comm_text(struct fk_store *st, int64_t comm, int64_t version, char **text,
                                char **sha, struct fk_err *err)
{
	struct fk_stmt *s;
	bool row = false;
	*text = *sha = NULL;
	enum fk_code rc = prep(st,
	                       "SELECT text, sha256 FROM communication_versions WHERE "
	                       "communication_id = $1 AND version = $2",
	                       &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, comm);
	bind_int(s, 2, version);
	rc = step(s, &row, err);
	if (!rc && row) {
		*text = col_dup(s, 0);
		*sha = col_dup(s, 1);
	}
	finalize(s);
	return rc;
}

static void row_figures(struct fk_stmt *s, void *elem)
{
	struct fk_record_figures *f = elem;
	f->incident = col_int(s, 0);
	f->damage_jpy = col_int(s, 1);
	f->affected = col_int(s, 2);
	f->not_notified = col_int(s, 3);
}

enum fk_code fk_store_record_figures(struct fk_store *st, struct fk_record_figures **out, size_t *n,
                                     struct fk_err *err)
{
	return FK_ST_LIST(
	    st,
	    /* the two small tables grouped, not every incident scanned */
	    "SELECT incident_id, SUM(dmg), SUM(aff), SUM(pending) FROM (SELECT incident_id, "
	    "SUM(CASE WHEN currency = 'JPY' THEN amount ELSE 0 END) AS dmg, 0 AS aff, 0 AS pending "
	    "FROM damage_entries GROUP BY incident_id UNION ALL SELECT incident_id, 0, count(*), "
	    "SUM(CASE WHEN notice = 'pending' THEN 1 ELSE 0 END) FROM affected GROUP BY "
	    "incident_id) "
	    "AS f WHERE $1 = $1 GROUP BY "
	    "incident_id ORDER BY incident_id",
	    0, out, n, row_figures, err);
}
