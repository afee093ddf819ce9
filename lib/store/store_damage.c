/*
 * store_damage.c - the damage and cost ledger's rows (damage_entries, damage_splits).
 */
#include "fukkyu/common.h"
#include "fukkyu/damage.h"
#include "store_int.h"

enum fk_code fk_store_damage_insert(struct fk_store *st, int64_t incident, struct fk_damage *d,
                                    struct fk_err *err)
{
	struct fk_stmt *s;
	bool row = false;
	enum fk_code rc =
	    prep_tx(st,
	            "INSERT INTO damage_entries (incident_id, no, category, amount, currency, "
	            "description, basis, created_at, created_by) SELECT $1, COALESCE(MAX(no), "
	            "0) + 1, $2, $3, $4, $5, $6, $7, $8 FROM damage_entries WHERE incident_id = "
	            "$1 RETURNING id, no",
	            &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, incident);
	bind_text(s, 2, fk_damage_categories[d->category].key);
	bind_int(s, 3, d->amount);
	bind_text(s, 4, d->currency);
	bind_text(s, 5, d->description);
	bind_text(s, 6, d->basis);
	bind_time(s, 7, st->now);
	bind_text(s, 8, st->actor);
	rc = step(s, &row, err);
	if (!rc && row) {
		d->id = col_int(s, 0);
		d->no = (int)col_int(s, 1);
	}
	finalize(s);
	if (rc)
		return rc;
	d->created_at = st->now;
	free(d->created_by);
	d->created_by = fk_xstrdup(st->actor);
	d->agreed_at = FK_TIME_NONE;
	if (d->nsplit && !(rc = prep(st,
	                             "INSERT INTO damage_splits (entry_id, pos, party, pct) "
	                             "VALUES ($1, $2, $3, $4)",
	                             &s, err))) {
		for (int i = 0; !rc && i < d->nsplit; i++) {
			s->ops->reset(s);
			bind_int(s, 1, d->id);
			bind_int(s, 2, i);
			bind_text(s, 3, d->split[i].party);
			bind_int(s, 4, d->split[i].pct);
			rc = step_done(s, err);
		}
		finalize(s);
	}
	/* The audit trail holds the entry as one line: what, how much, how it is split. */
	char key[16], amount[64];
	struct fk_buf split = FK_BUF_INIT;
	snprintf(key, sizeof key, "D%d", d->no);
	snprintf(amount, sizeof amount, "%lld %s", (long long)d->amount, d->currency);
	for (int i = 0; i < d->nsplit; i++)
		(void)fk_buf_addf(&split, "%s%s=%d", i ? "," : "", d->split[i].party,
		                  d->split[i].pct);
	if (!rc)
		rc = fk_st_record(st, incident, "damage", key, "category", NULL,
		                  fk_damage_categories[d->category].key, err);
	if (!rc)
		rc = fk_st_record(st, incident, "damage", key, "amount", NULL, amount, err);
	if (!rc && d->nsplit)
		rc = fk_st_record(st, incident, "damage", key, "split", NULL, split.ptr, err);
	if (!rc && d->description)
		rc = fk_st_record(st, incident, "damage", key, "description", NULL, d->description,
		                  err);
	if (!rc && d->basis)
		rc = fk_st_record(st, incident, "damage", key, "basis", NULL, d->basis, err);
	fk_buf_release(&split);
	return rc ? rc : fk_st_touch(st, incident, err);
}

static void row_damage(struct fk_stmt *s, void *elem)
{
	struct fk_damage *d = elem;
	d->id = col_int(s, 0);
	d->no = (int)col_int(s, 1);
	d->category = col_enum(s, 2, fk_damage_categories, FK_DMG_COUNT);
	d->amount = col_int(s, 3);
	snprintf(d->currency, sizeof d->currency, "%s", col_text(s, 4));
	d->description = col_dup(s, 5);
	d->basis = col_dup(s, 6);
	d->created_at = col_time(s, 7);
	d->created_by = col_dup(s, 8);
	d->agreed_by = col_dup(s, 9);
	d->agreed_at = col_time(s, 10);
}

enum fk_code fk_store_damage_agree(struct fk_store *st, int64_t incident, const struct fk_damage *d,
                                   const char *by, struct fk_err *err)
{
	struct fk_stmt *s;
	char key[16];
	snprintf(key, sizeof key, "D%d", d->no);
	enum fk_code rc = prep_tx(
	    st, "UPDATE damage_entries SET agreed_by = $2, agreed_at = $3 WHERE id = $1", &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, d->id);
	bind_text(s, 2, by);
	bind_time(s, 3, st->now);
	rc = step_done(s, err);
	finalize(s);
	if (!rc)
		rc = fk_st_record(st, incident, "damage", key, "agreed_by", d->agreed_by, by, err);
	return rc ? rc : fk_st_touch(st, incident, err);
}

enum fk_code fk_store_damage_list(struct fk_store *st, int64_t incident, struct fk_damage **out,
                                  size_t *n, struct fk_err *err)
{
	enum fk_code rc = FK_ST_LIST(
	    st,
	    "SELECT id, no, category, amount, currency, description, basis, created_at, "
	    "created_by, agreed_by, agreed_at FROM damage_entries WHERE incident_id = $1 "
	    "ORDER BY no",
	    incident, out, n, row_damage, err);
	struct fk_stmt *s;
	bool row;
	if (rc || !*n ||
	    (rc = prep(st,
	               "SELECT d.no, s.party, s.pct FROM damage_splits s JOIN "
	               "damage_entries d ON d.id = s.entry_id WHERE d.incident_id = $1 "
	               "ORDER BY d.no, s.pos",
	               &s, err)))
		return rc;
	bind_int(s, 1, incident);
	size_t i = 0;
	while (!(rc = step(s, &row, err)) && row) {
		int no = (int)col_int(s, 0);
		while (i < *n && (*out)[i].no < no)
			i++;
		struct fk_damage *d = i < *n && (*out)[i].no == no ? &(*out)[i] : NULL;
		if (!d || d->nsplit == FK_SPLIT_MAX)
			continue;
		snprintf(d->split[d->nsplit].party, sizeof d->split[0].party, "%s", col_text(s, 1));
		d->split[d->nsplit++].pct = (int)col_int(s, 2);
	}
	finalize(s);
	return rc;
}
