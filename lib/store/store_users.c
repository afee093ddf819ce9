/*
 * store_users.c - users, API tokens, sessions and incident membership (store.h). Every
 * change is in the audit trail; password hashes and secrets never are.
 */
#include "fukkyu/common.h"
#include "store/store_int.h"

#define USER_COLS "id, name, display_name, role, disabled, password_hash IS NOT NULL, created_at"

static void row_user(struct fk_stmt *s, void *elem)
{
	struct fk_user *u = elem;
	u->id = col_int(s, 0);
	u->name = col_dup(s, 1);
	u->display_name = col_dup(s, 2);
	u->role = col_enum(s, 3, fk_user_roles, FK_UROLE_COUNT);
	u->disabled = col_int(s, 4) != 0;
	u->has_password = col_int(s, 5) != 0;
	u->created_at = col_time(s, 6);
}

enum fk_code fk_store_user_add(struct fk_store *st, struct fk_user *u, const char *password_hash,
                               struct fk_err *err)
{
	struct fk_stmt *s;
	bool row = false;
	enum fk_code rc = need_tx(st, err);
	if (!rc)
		rc = prep(st,
		          "INSERT INTO users (name, display_name, role, password_hash, created_at) "
		          "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name) DO NOTHING RETURNING id",
		          &s, err);
	if (rc)
		return rc;
	bind_text(s, 1, u->name);
	bind_text(s, 2, u->display_name);
	bind_text(s, 3, fk_user_roles[u->role].key);
	bind_text(s, 4, password_hash);
	bind_time(s, 5, st->now);
	rc = step(s, &row, err);
	if (!rc && row)
		u->id = col_int(s, 0);
	finalize(s);
	if (rc)
		return rc;
	if (!row)
		return FK_ERR(err, FK_ECONFLICT, "name", "user '%s' already exists",
		              "ユーザ '%s' は既に存在します", u->name);
	u->created_at = st->now;
	rc = fk_st_record(st, 0, "user", u->name, "role", NULL, fk_user_roles[u->role].key, err);
	if (!rc)
		rc = fk_st_diff_text(st, 0, "user", u->name, "display_name", NULL, u->display_name,
		                     err);
	if (!rc && password_hash)
		rc = fk_st_record(st, 0, "user", u->name, "password", NULL, "(set)", err);
	return rc;
}

enum fk_code fk_store_user_get(struct fk_store *st, const char *name, int64_t id,
                               struct fk_user *out, struct fk_err *err)
{
	struct fk_user *u = NULL;
	size_t n = 0;
	enum fk_code rc;
	memset(out, 0, sizeof *out);
	if (name) {
		struct fk_stmt *s;
		bool row;
		if ((rc = prep(st, "SELECT " USER_COLS " FROM users WHERE name = $1", &s, err)))
			return rc;
		bind_text(s, 1, name);
		rc = step(s, &row, err);
		if (!rc && row)
			row_user(s, out);
		finalize(s);
		if (!rc && !row)
			rc = FK_ERR(err, FK_ENOTFOUND, "user", "no user '%.80s'",
			            "ユーザ '%.80s' はいません", name);
		return rc;
	}
	rc = FK_ST_LIST(st, "SELECT " USER_COLS " FROM users WHERE id = $1", id, &u, &n, row_user,
	                err);
	if (!rc && !n)
		rc = FK_ERR(err, FK_ENOTFOUND, "user", "no user #%lld", "ユーザ #%lld はいません",
		            (long long)id);
	if (!rc)
		*out = u[0], u[0] = (struct fk_user){0};
	FK_FREE_ARRAY(u, n, fk_user_release);
	return rc;
}

enum fk_code fk_store_users(struct fk_store *st, struct fk_user **out, size_t *n,
                            struct fk_err *err)
{
	return FK_ST_LIST(st, "SELECT " USER_COLS " FROM users WHERE id > $1 ORDER BY name", 0, out,
	                  n, row_user, err);
}

enum fk_code fk_store_user_set(struct fk_store *st, const struct fk_user *old,
                               const struct fk_user *u, const char *password_hash,
                               struct fk_err *err)
{
	struct fk_stmt *s;
	enum fk_code rc = need_tx(st, err);
	if (!rc)
		rc = prep(st,
		          "UPDATE users SET display_name = $2, role = $3, disabled = $4, "
		          "password_hash = COALESCE($5, password_hash) WHERE id = $1",
		          &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, old->id);
	bind_text(s, 2, u->display_name);
	bind_text(s, 3, fk_user_roles[u->role].key);
	bind_int(s, 4, u->disabled);
	bind_text(s, 5, password_hash);
	rc = step_done(s, err);
	finalize(s);
	if (!rc && old->role != u->role)
		rc = fk_st_record(st, 0, "user", old->name, "role", fk_user_roles[old->role].key,
		                  fk_user_roles[u->role].key, err);
	if (!rc && old->disabled != u->disabled)
		rc = fk_st_record(st, 0, "user", old->name, "disabled",
		                  old->disabled ? "yes" : "no", u->disabled ? "yes" : "no", err);
	if (!rc)
		rc = fk_st_diff_text(st, 0, "user", old->name, "display_name", old->display_name,
		                     u->display_name, err);
	if (!rc && password_hash)
		rc = fk_st_record(st, 0, "user", old->name, "password", NULL, "(changed)", err);
	if (!rc && ((u->disabled && !old->disabled) || password_hash)) {
		/* a disabled user's sessions end now, and so do all after a new password */
		if (!(rc = prep(st, "DELETE FROM sessions WHERE user_id = $1", &s, err))) {
			bind_int(s, 1, old->id);
			rc = step_done(s, err);
			finalize(s);
		}
	}
	return rc;
}

enum fk_code fk_store_token_add(struct fk_store *st, const struct fk_user *u, const char *hash,
                                const char *label, int64_t *id, struct fk_err *err)
{
	struct fk_stmt *s;
	bool row = false;
	enum fk_code rc = need_tx(st, err);
	if (!rc)
		rc = prep(st,
		          "INSERT INTO api_tokens (user_id, token_hash, label, created_at) VALUES "
		          "($1, $2, $3, $4) RETURNING id",
		          &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, u->id);
	bind_text(s, 2, hash);
	bind_text(s, 3, label);
	bind_time(s, 4, st->now);
	rc = step(s, &row, err);
	if (!rc && row)
		*id = col_int(s, 0);
	finalize(s);
	char key[24];
	snprintf(key, sizeof key, "T%lld", (long long)*id);
	return rc ? rc : fk_st_record(st, 0, "token", key, "user", NULL, u->name, err);
}

enum fk_code fk_store_token_revoke(struct fk_store *st, int64_t id, struct fk_err *err)
{
	struct fk_stmt *s;
	enum fk_code rc = need_tx(st, err);
	if (!rc)
		rc = prep(
		    st,
		    "UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
		    &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, id);
	bind_time(s, 2, st->now);
	rc = step_done(s, err);
	finalize(s);
	if (!rc && OPS(st)->changes(st->db) != 1)
		return FK_ERR(err, FK_ENOTFOUND, "token", "no active token T%lld",
		              "有効なトークン T%lld はありません", (long long)id);
	char key[24];
	snprintf(key, sizeof key, "T%lld", (long long)id);
	return rc ? rc : fk_st_record(st, 0, "token", key, "revoked", NULL, "yes", err);
}

/* The enabled user holding a credential: an API token or a live session (by hash). */
enum fk_code fk_store_credential_user(struct fk_store *st, const char *hash, bool session,
                                      struct fk_user *out, char csrf[static 65], struct fk_err *err)
{
	struct fk_stmt *s;
	bool row = false;
	memset(out, 0, sizeof *out);
	enum fk_code rc = fk_st_cached(
	    st,
	    session ? "SELECT u.id, u.name, u.display_name, u.role, u.disabled, 1, u.created_at, "
	              "s.csrf FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash "
	              "= $1 AND s.expires_at > $2 AND u.disabled = 0"
	            : "SELECT u.id, u.name, u.display_name, u.role, u.disabled, 1, u.created_at, "
	              "'' FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = "
	              "$1 AND t.revoked_at IS NULL AND u.disabled = 0 AND $2 = $2",
	    &s, err);
	if (rc)
		return rc;
	bind_text(s, 1, hash);
	bind_time(s, 2, fk_time_now());
	rc = step(s, &row, err);
	if (!rc && row) {
		row_user(s, out);
		snprintf(csrf, 65, "%s", col_text(s, 7));
	}
	s->ops->reset(s);
	if (!rc && !row)
		rc = FK_ERR0(err, FK_EAUTH, NULL,
		             "not signed in, or the credential is no longer valid",
		             "ログインしていないか、認証情報が無効です");
	return rc;
}

enum fk_code fk_store_session_add(struct fk_store *st, const struct fk_user *u, const char *hash,
                                  const char *csrf, int64_t expires, struct fk_err *err)
{
	struct fk_stmt *s;
	enum fk_code rc = need_tx(st, err);
	if (!rc)
		rc =
		    prep(st,
		         "INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) "
		         "VALUES ($1, $2, $3, $4, $5)",
		         &s, err);
	if (rc)
		return rc;
	bind_text(s, 1, hash);
	bind_int(s, 2, u->id);
	bind_text(s, 3, csrf);
	bind_time(s, 4, st->now);
	bind_time(s, 5, expires);
	rc = step_done(s, err);
	finalize(s);
	return rc ? rc : fk_st_record(st, 0, "session", u->name, "signed_in", NULL, "yes", err);
}

enum fk_code fk_store_session_end(struct fk_store *st, const char *hash, const char *user,
                                  struct fk_err *err)
{
	struct fk_stmt *s;
	enum fk_code rc = need_tx(st, err);
	if (!rc)
		rc = prep(st, "DELETE FROM sessions WHERE token_hash = $1 OR expires_at < $2", &s,
		          err);
	if (rc)
		return rc;
	bind_text(s, 1, hash);
	bind_time(s, 2, st->now);
	rc = step_done(s, err);
	finalize(s);
	if (!rc && OPS(st)->changes(st->db) && *hash) /* a session (not just expired ones) ended */
		rc = fk_st_record(st, 0, "session", user, "signed_in", "yes", "no", err);
	return rc;
}

enum fk_code fk_store_incident_visible(struct fk_store *st, int64_t incident,
                                       const struct fk_user *u, bool *visible, struct fk_err *err)
{
	struct fk_stmt *s;
	bool row = false;
	*visible = u->role == FK_UROLE_ADMIN;
	if (*visible)
		return FK_OK;
	enum fk_code rc = fk_st_cached(st,
	                               "SELECT restricted = 0 OR EXISTS (SELECT 1 FROM "
	                               "incident_members m WHERE m.incident_id = i.id AND "
	                               "m.user_id = $2) FROM incidents i WHERE i.id = $1",
	                               &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, incident);
	bind_int(s, 2, u->id);
	rc = step(s, &row, err);
	*visible = !rc && row && col_int(s, 0);
	s->ops->reset(s);
	return rc;
}

enum fk_code fk_store_incident_restrict(struct fk_store *st, int64_t incident, bool restricted,
                                        const char *ref, struct fk_err *err)
{
	struct fk_stmt *s;
	enum fk_code rc = need_tx(st, err);
	if (!rc)
		rc = prep(st,
		          "UPDATE incidents SET restricted = $2 WHERE id = $1 AND restricted <> $2",
		          &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, incident);
	bind_int(s, 2, restricted);
	rc = step_done(s, err);
	finalize(s);
	if (!rc && OPS(st)->changes(st->db) == 1)
		rc = fk_st_record(st, incident, "incident", ref, "restricted",
		                  restricted ? "no" : "yes", restricted ? "yes" : "no", err);
	return rc;
}

enum fk_code fk_store_member_set(struct fk_store *st, int64_t incident, const struct fk_user *u,
                                 bool member, struct fk_err *err)
{
	struct fk_stmt *s;
	enum fk_code rc = need_tx(st, err);
	if (!rc)
		rc =
		    prep(st,
		         member ? "INSERT INTO incident_members (incident_id, user_id) VALUES ($1, "
		                  "$2) ON CONFLICT DO NOTHING"
		                : "DELETE FROM incident_members WHERE incident_id = $1 AND user_id "
		                  "= $2",
		         &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, incident);
	bind_int(s, 2, u->id);
	rc = step_done(s, err);
	finalize(s);
	if (!rc && OPS(st)->changes(st->db) == 1)
		rc = fk_st_record(st, incident, "member", u->name, "member", member ? NULL : "yes",
		                  member ? "yes" : NULL, err);
	return rc;
}

enum fk_code fk_store_password_hash(struct fk_store *st, int64_t user, char **out,
                                    struct fk_err *err)
{
	struct fk_stmt *s;
	bool row = false;
	*out = NULL;
	enum fk_code rc = prep(st, "SELECT password_hash FROM users WHERE id = $1", &s, err);
	if (rc)
		return rc;
	bind_int(s, 1, user);
	rc = step(s, &row, err);
	if (!rc && row)
		*out = col_dup(s, 0);
	finalize(s);
	if (!rc && !*out)
		rc = FK_ERR0(err, FK_EAUTH, "password", "the user has no password",
		             "このユーザにはパスワードがありません");
	return rc;
}

static void row_id(struct fk_stmt *s, void *elem)
{
	*(int64_t *)elem = col_int(s, 0);
}

static void row_name(struct fk_stmt *s, void *elem)
{
	*(char **)elem = col_dup(s, 0);
}

enum fk_code fk_store_incident_members(struct fk_store *st, int64_t incident, bool *restricted,
                                       char ***out, size_t *n, struct fk_err *err)
{
	struct fk_stmt *s;
	bool row = false;
	enum fk_code rc = prep(st, "SELECT restricted FROM incidents WHERE id = $1", &s, err);
	*out = NULL;
	*n = 0;
	if (rc)
		return rc;
	bind_int(s, 1, incident);
	rc = step(s, &row, err);
	*restricted = row && col_int(s, 0);
	finalize(s);
	return rc ? rc
	          : FK_ST_LIST(
	                st,
	                "SELECT u.name FROM incident_members m JOIN users u ON u.id = m.user_id "
	                "WHERE m.incident_id = $1 ORDER BY u.name",
	                incident, out, n, row_name, err);
}

enum fk_code fk_store_hidden_incidents(struct fk_store *st, const struct fk_user *u, int64_t **out,
                                       size_t *n, struct fk_err *err)
{
	*out = NULL;
	*n = 0;
	if (u->role == FK_UROLE_ADMIN)
		return FK_OK;
	return FK_ST_LIST_CACHED(
	    st,
	    "SELECT id FROM incidents WHERE restricted = 1 AND id NOT IN (SELECT "
	    "incident_id FROM incident_members WHERE user_id = $1) ORDER BY id",
	    u->id, out, n, row_id, err);
}

enum fk_code fk_store_data_version(struct fk_store *st, int64_t *out, struct fk_err *err)
{
	struct fk_stmt *s;
	bool row = false;
	enum fk_code rc =
	    fk_st_cached(st, "SELECT id FROM changes ORDER BY id DESC LIMIT 1", &s, err);
	if (!rc)
		rc = step(s, &row, err);
	*out = rc ? -1 : row ? col_int(s, 0) : 0;
	if (!rc)
		s->ops->reset(s);
	return rc;
}

void fk_approval_release(struct fk_approval *a)
{
	free(a->ref);
	free(a->incident_title);
	free(a->item);
	free(a->title_ja);
	free(a->title_en);
	memset(a, 0, sizeof *a);
}

static void row_approval(struct fk_stmt *s, void *elem)
{
	struct fk_approval *a = elem;
	a->incident = col_int(s, 0);
	a->ref = col_dup(s, 1);
	a->incident_title = col_dup(s, 2);
	a->item = col_dup(s, 3);
	a->title_ja = col_dup(s, 4);
	a->title_en = col_dup(s, 5);
	a->due_at = col_time(s, 6);
}

enum fk_code fk_store_open_approvals(struct fk_store *st, struct fk_approval **out, size_t *n,
                                     struct fk_err *err)
{
	return FK_ST_LIST(
	    st,
	    "SELECT incident_id, ref, title, item, title_ja, title_en, due_at FROM (SELECT "
	    "t.incident_id, i.ref, i.title, t.item_id AS item, t.title_ja, t.title_en, t.due_at, "
	    "t.phase, t.seq FROM tasks t JOIN incidents i ON i.id = t.incident_id WHERE "
	    "t.approval = 1 AND t.state IN ('todo', 'doing') AND i.state <> 'closed' AND i.id > $1 "
	    "UNION ALL SELECT p.incident_id, i.ref, i.title, 'plan', '復旧計画 v' || p.version || "
	    "' の承認', 'Approve the recovery plan v' || p.version, p.deadline, 0, 0 FROM plans p "
	    "JOIN incidents i ON i.id = p.incident_id WHERE p.state = 'submitted' AND i.state <> "
	    "'closed') AS a ORDER BY incident_id, phase, seq",
	    0, out, n, row_approval, err);
}
