/*
 * store_docs.c - the organisation's profile and its own versions of the document templates
 * (issue 7). Every change is recorded in the audit trail (incident 0: not an incident's).
 */
#include "fukkyu/docs.h"
#include "store/store_int.h"

static void row_org(struct fk_stmt *s, void *elem)
{
	struct fk_org_value *v = elem;
	v->field = col_dup(s, 0);
	v->value = col_dup(s, 1);
}

enum fk_code fk_store_org(struct fk_store *st, struct fk_org_value **out, size_t *n,
                          struct fk_err *err)
{
	return FK_ST_LIST(st, "SELECT field, value FROM org_profile WHERE $1 = $1 ORDER BY field",
	                  0, out, n, row_org, err);
}

enum fk_code fk_store_org_set(struct fk_store *st, const char *field, const char *value,
                              struct fk_err *err)
{
	struct fk_stmt *s;
	bool row = false;
	char *old = NULL;
	enum fk_code rc = prep_tx(st, "SELECT value FROM org_profile WHERE field = $1", &s, err);
	if (rc)
		return rc;
	bind_text(s, 1, field);
	rc = step(s, &row, err);
	if (!rc && row)
		old = col_dup(s, 0);
	finalize(s);
	if (!rc && value)
		rc =
		    prep_tx(st,
		            "INSERT INTO org_profile (field, value, updated_at, updated_by) VALUES "
		            "($1, $2, $3, $4) ON CONFLICT (field) DO UPDATE SET value = $2, "
		            "updated_at = $3, updated_by = $4",
		            &s, err);
	else if (!rc)
		rc = prep_tx(st, "DELETE FROM org_profile WHERE field = $1", &s, err);
	if (!rc) {
		bind_text(s, 1, field);
		if (value) {
			bind_text(s, 2, value);
			bind_time(s, 3, st->now);
			bind_text(s, 4, st->actor);
		}
		rc = step_done(s, err);
		finalize(s);
	}
	if (!rc)
		rc = fk_st_diff_text(st, 0, "organisation", "profile", field, old, value, err);
	free(old);
	return rc;
}

enum fk_code fk_store_template(struct fk_store *st, const char *name, const char *lang, char **body,
                               int64_t *version, struct fk_err *err)
{
	struct fk_stmt *s;
	bool row = false;
	*body = NULL;
	*version = 0;
	enum fk_code rc = prep(st,
	                       "SELECT body, version FROM doc_templates WHERE name = $1 AND lang = "
	                       "$2 ORDER BY version DESC LIMIT 1",
	                       &s, err);
	if (rc)
		return rc;
	bind_text(s, 1, name);
	bind_text(s, 2, lang);
	rc = step(s, &row, err);
	if (!rc && row) {
		*body = col_dup(s, 0);
		*version = col_int(s, 1);
	}
	finalize(s);
	return rc;
}

enum fk_code fk_store_template_put(struct fk_store *st, const char *name, const char *lang,
                                   const char *body, const char *sha, int64_t *version,
                                   struct fk_err *err)
{
	struct fk_stmt *s;
	bool row = false;
	char key[96];
	enum fk_code rc =
	    prep_tx(st,
	            "INSERT INTO doc_templates (name, lang, version, body, sha256, "
	            "created_at, created_by) SELECT $1, $2, COALESCE(MAX(version), 0) "
	            "+ 1, $3, $4, $5, $6 FROM doc_templates WHERE name = $1 AND lang = "
	            "$2 RETURNING version",
	            &s, err);
	if (rc)
		return rc;
	bind_text(s, 1, name);
	bind_text(s, 2, lang);
	bind_text(s, 3, body);
	bind_text(s, 4, sha);
	bind_time(s, 5, st->now);
	bind_text(s, 6, st->actor);
	rc = step(s, &row, err);
	if (!rc && row)
		*version = col_int(s, 0);
	finalize(s);
	snprintf(key, sizeof key, "%s.%s", name, lang);
	if (!rc)
		rc = fk_st_record(st, 0, "template", key, body ? "sha256" : "reset", NULL,
		                  body ? sha : "shipped", err);
	return rc;
}

/* ---- closed cases -------------------------------------------------------------------- */

void fk_case_release(struct fk_case *c)
{
	free(c->ref);
	free(c->title);
	free(c->root_cause);
	for (size_t i = 0; i < c->nlessons; i++)
		free(c->lessons[i]);
	free(c->lessons);
}

static void row_case(struct fk_stmt *s, void *elem)
{
	struct fk_case *c = elem;
	c->id = col_int(s, 0);
	c->ref = col_dup(s, 1);
	c->title = col_dup(s, 2);
	c->kind = col_enum(s, 3, fk_kinds, FK_KIND_COUNT);
	c->discovered_at = col_time(s, 4);
	c->closed_at = col_time(s, 5);
	c->root_cause = col_dup(s, 6);
}

static void row_lesson_text(struct fk_stmt *s, void *elem)
{
	char **t = elem;
	*t = col_dup(s, 0);
}

enum fk_code fk_store_cases(struct fk_store *st, const char *search, int kind, struct fk_case **out,
                            size_t *n, struct fk_err *err)
{
	struct fk_stmt *s;
	*out = NULL;
	*n = 0;
	/* instr() on the text as stored: exact for Japanese, case-sensitive for ASCII */
	enum fk_code rc = prep(
	    st,
	    "SELECT i.id, i.ref, i.title, i.kind, i.discovered_at, (SELECT MAX(at) FROM changes ch "
	    "WHERE ch.incident_id = i.id AND ch.entity = 'incident' AND ch.field = 'state' AND "
	    "ch.new_value = 'closed'), rc.root_cause FROM incidents i LEFT JOIN root_causes rc ON "
	    "rc.incident_id = i.id WHERE i.state = 'closed' AND (CAST($1 AS TEXT) IS NULL OR "
	    "i.kind = $1) AND "
	    "(CAST($2 AS TEXT) IS NULL OR instr(i.title, $2) > 0 OR instr(i.description, $2) > 0 "
	    "OR instr(COALESCE(rc.root_cause, '') || ' ' || COALESCE(rc.direct_cause, ''), $2) > 0 "
	    "OR EXISTS (SELECT 1 FROM lessons l WHERE l.incident_id = i.id AND (instr(l.lesson, "
	    "$2) "
	    "> 0 OR instr(l.action, $2) > 0))) ORDER BY i.discovered_at DESC, i.id DESC",
	    &s, err);
	if (rc)
		return rc;
	bind_text(s, 1, kind >= 0 ? fk_kinds[kind].key : NULL);
	bind_text(s, 2, search && *search ? search : NULL);
	rc = fk_st_collect(s, sizeof **out, row_case, out, n, err);
	for (size_t i = 0; !rc && i < *n; i++)
		rc = FK_ST_LIST(st, "SELECT lesson FROM lessons WHERE incident_id = $1 ORDER BY no",
		                (*out)[i].id, &(*out)[i].lessons, &(*out)[i].nlessons,
		                row_lesson_text, err);
	if (rc) {
		FK_FREE_ARRAY(*out, *n, fk_case_release);
		*out = NULL;
		*n = 0;
	}
	return rc;
}
