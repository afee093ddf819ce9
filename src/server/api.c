/*
 * api.c - the handlers of routes.def: the same operations, validation and JSON as the CLI
 * (lib/core through struct cli), over HTTP.
 */
#include "fukkyu/common.h"
#include "util/ident.h"
#include "server.h"

#include <sodium.h>

static json_t *user_json(const struct fk_user *u)
{
	return json_pack("{s:s, s:o, s:s}", "name", u->name, "display_name",
	                 cli_json_str(u->display_name), "role", fk_user_roles[u->role].key);
}

/* A string member of a JSON body, or NULL when absent; a non-string is an error. */
enum fk_code body_str(struct req *r, json_t *o, const char *key, const char **out)
{
	json_t *v = json_object_get(o, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return FK_OK;
	if (!json_is_string(v))
		return FK_ERR(&r->c.err, FK_EINVAL, key, "%s must be a string",
		              "%s は文字列にしてください", key);
	*out = json_string_value(v);
	if (strlen(*out) != json_string_length(v))
		return FK_ERR(&r->c.err, FK_EINVAL, key, "%s holds a NUL character",
		              "%s に NUL 文字が含まれています", key);
	return FK_OK;
}

/* A string or absent member, else FK_EINVAL naming it (for enum-like members). */
enum fk_code body_enum(struct req *r, json_t *o, const char *key, const struct fk_enum *table,
                       size_t n, int *out)
{
	const char *v;
	enum fk_code rc = body_str(r, o, key, &v);
	if (!rc && v)
		rc = fk_enum_parse(table, n, v, key, out, &r->c.err);
	return rc;
}

enum fk_code body_time(struct req *r, json_t *o, const char *key, int64_t *out)
{
	const char *v;
	enum fk_code rc = body_str(r, o, key, &v);
	if (!rc && v)
		rc = fk_time_parse(v, r->c.tz, key, out, &r->c.err);
	return rc;
}

enum fk_code body_int(struct req *r, json_t *o, const char *key, int64_t *out)
{
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v))
		return FK_OK;
	if (!json_is_integer(v))
		return FK_ERR(&r->c.err, FK_EINVAL, key, "%s must be a whole number",
		              "%s は整数にしてください", key);
	*out = json_integer_value(v);
	return FK_OK;
}

enum fk_code body_bool(struct req *r, json_t *o, const char *key, int *out)
{
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v))
		return FK_OK;
	if (!json_is_boolean(v))
		return FK_ERR(&r->c.err, FK_EINVAL, key, "%s must be true or false",
		              "%s は true か false にしてください", key);
	*out = json_is_true(v);
	return FK_OK;
}

enum fk_code body_strings(struct req *r, json_t *o, const char *key, size_t max, char **out,
                          size_t *n)
{
	json_t *v = json_object_get(o, key), *e;
	size_t i;
	*n = 0;
	if (!v || json_is_null(v))
		return FK_OK;
	if (!json_is_array(v) || json_array_size(v) > max)
		return FK_ERR(&r->c.err, FK_EINVAL, key, "%s must be a list of at most %zu texts",
		              "%s は %zu 個までの文字列の配列にしてください", key, max);
	json_array_foreach(v, i, e)
	{
		if (!json_is_string(e) || strlen(json_string_value(e)) != json_string_length(e))
			return FK_ERR(&r->c.err, FK_EINVAL, key, "%s[%zu] must be a text",
			              "%s[%zu] は文字列にしてください", key, i);
		out[(*n)++] = (char *)(uintptr_t)json_string_value(e);
	}
	return FK_OK;
}

enum fk_code h_openapi(struct req *r)
{
	json_t *paths = json_object();
	for (size_t i = 0; i < fk_n_routes; i++) {
		const struct route *rt = &fk_routes[i];
		json_t *p = json_object_get(paths, rt->path);
		if (!p)
			json_object_set_new(paths, rt->path, p = json_object());
		char m[16];
		size_t k = 0;
		for (; rt->method[k] && k < sizeof m - 1; k++)
			m[k] = (char)(rt->method[k] | 0x20);
		m[k] = '\0';
		json_t *op = json_pack("{s:s, s:s, s:{s:{s:s}}}", "summary", rt->en, "x-summary-ja",
		                       rt->ja, "responses", "200", "description", "OK");
		if (rt->need != NEED_NONE)
			json_object_set_new(op, "security",
			                    json_pack("[{s:[]}, {s:[]}]", "bearer", "session"));
		json_t *params = json_array();
		for (const char *b = strchr(rt->path, '{'); b; b = strchr(b + 1, '{')) {
			const char *e = strchr(b, '}');
			json_array_append_new(params,
			                      json_pack("{s:s%, s:s, s:b, s:{s:s}}", "name", b + 1,
			                                (size_t)(e - b - 1), "in", "path",
			                                "required", 1, "schema", "type", "string"));
		}
		if (json_array_size(params))
			json_object_set(op, "parameters", params);
		json_decref(params);
		json_object_set_new(p, m, op);
	}
	r->out = json_pack("{s:s, s:{s:s, s:s}, s:o, s:{s:{s:{s:s, s:s}, s:{s:s, s:s, s:s}}}}",
	                   "openapi", "3.0.3", "info", "title", "fukkyu API", "version", FK_VERSION,
	                   "paths", paths, "components", "securitySchemes", "bearer", "type",
	                   "http", "scheme", "bearer", "session", "type", "apiKey", "in", "cookie",
	                   "name", "fk_session");
	return FK_OK;
}

enum fk_code h_login(struct req *r)
{
	json_t *body;
	const char *name = NULL, *password = NULL;
	enum fk_code rc = req_json(r, &body);
	if (rc)
		return rc;
	if (!(rc = body_str(r, body, "name", &name)) &&
	    !(rc = body_str(r, body, "password", &password)) && (!name || !password))
		rc = FK_ERR0(&r->c.err, FK_EINVAL, "name", "give name and password",
		             "name と password を指定してください");
	if (!rc && !login_begin(name, r->addr)) {
		r->status = 429;
		rc = FK_ERR0(&r->c.err, FK_EREFUSED, "name",
		             "too many failed sign-ins: wait 15 minutes",
		             "ログインの失敗が多すぎます: 15 分待ってください");
	}
	struct fk_user u = {0};
	char *stored = NULL;
	if (!rc) {
		bool usable = !fk_store_user_get(r->c.st, name, 0, &u, NULL) && !u.disabled &&
		              !fk_store_password_hash(r->c.st, u.id, &stored, NULL);
		bool ok =
		    fk_password_verify(usable ? stored : login_dummy_hash(), password) && usable;
		login_end(name, r->addr, ok);
		if (!ok) {
			rc = FK_ERR0(&r->c.err, FK_EAUTH, "password", "wrong name or password",
			             "ユーザ名かパスワードが違います");
		}
	}
	free(stored);
	char token[44], hash[65], csrf[44], csrf_hash[65];
	if (!rc) {
		fk_secret_new(token, hash);
		fk_secret_new(csrf, csrf_hash);
		snprintf(r->c.actor, sizeof r->c.actor, "%s", u.name);
		r->c.ctx.actor = r->c.actor;
		if (!(rc = fk_store_begin(r->c.st, u.name, fk_time_now(), &r->c.err))) {
			rc = fk_store_session_add(r->c.st, &u, hash, csrf,
			                          fk_time_now() + SESSION_SECONDS, &r->c.err);
			rc = rc ? (fk_store_rollback(r->c.st), rc)
			        : fk_store_commit(r->c.st, &r->c.err);
		}
	}
	if (!rc) {
		snprintf(r->cookie, sizeof r->cookie,
		         "fk_session=%s; HttpOnly; SameSite=Strict; Path=/; Max-Age=%d", token,
		         SESSION_SECONDS);
		r->out = json_pack("{s:o, s:s}", "user", user_json(&u), "csrf", csrf);
	}
	sodium_memzero(token, sizeof token);
	fk_user_release(&u);
	json_decref(body);
	return rc;
}

enum fk_code h_logout(struct req *r)
{
	const char *cookie = req_cookie(r, "fk_session");
	char hash[65] = "";
	if (cookie)
		fk_secret_hash(cookie, hash);
	enum fk_code rc = fk_store_begin(r->c.st, r->user.name, fk_time_now(), &r->c.err);
	if (!rc) {
		rc = fk_store_session_end(r->c.st, hash, r->user.name, &r->c.err);
		rc = rc ? (fk_store_rollback(r->c.st), rc) : fk_store_commit(r->c.st, &r->c.err);
	}
	snprintf(r->cookie, sizeof r->cookie,
	         "fk_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
	r->out = json_pack("{s:b}", "signed_out", 1);
	return rc;
}

enum fk_code h_me(struct req *r)
{
	r->out = user_json(&r->user);
	if (r->by_cookie) /* a reloaded page gets its session's CSRF token back */
		json_object_set_new(r->out, "csrf", json_string(r->csrf));
	return FK_OK;
}

static bool hidden(const int64_t *ids, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++) /* a handful: restricted incidents one is not in */
		if (ids[i] == id)
			return true;
	return false;
}

/* The board, a page at a time (?limit=, default 100; ?offset=): a board of ten thousand
 * incidents is ten megabytes that nobody reads at once. */
enum fk_code h_board(struct req *r)
{
	const struct fk_board *b;
	int64_t limit, offset, *hid = NULL;
	size_t nh = 0;
	enum fk_code rc = req_int(r, "limit", 100, 1, 1000, &limit);
	if (!rc)
		rc = req_int(r, "offset", 0, 0, INT64_MAX / 2, &offset);
	if (!rc)
		rc = fk_store_hidden_incidents(r->c.st, &r->user, &hid, &nh, &r->c.err);
	int64_t version[2];
	if (!rc)
		rc = worker_board(r, &b, version);
	if (rc) {
		free(hid);
		return rc;
	}
	/* Users who may see every incident get the same page: its text is kept until the data
	 * changes or the minute turns. */
	char key[128];
	snprintf(key, sizeof key, "board %lld %lld %d %lld %lld", (long long)version[0],
	         (long long)version[1], (int)r->c.lang, (long long)limit, (long long)offset);
	if (!nh && (r->shared = worker_text_get(key))) {
		free(hid);
		return FK_OK;
	}
	json_t *arr = json_array();
	int64_t total = 0;
	for (size_t i = 0; i < b->n; i++) {
		if (hidden(hid, nh, b->rows[i].inc.id))
			continue;
		if (total >= offset && total < offset + limit)
			json_array_append_new(arr, cli_board_row_json(&r->c, &b->rows[i]));
		total++;
	}
	r->out = json_pack("{s:o, s:I, s:I, s:I, s:o}", "now", cli_json_time(&r->c, r->c.ctx.now),
	                   "total", (json_int_t)total, "limit", (json_int_t)limit, "offset",
	                   (json_int_t)offset, "incidents", arr);
	if (!nh) {
		r->shared = shared_text_new(json_dumps(r->out, JSON_COMPACT));
		worker_text_put(key, r->shared);
		json_decref(r->out);
		r->out = NULL;
	}
	free(hid);
	return FK_OK;
}

enum fk_code h_incidents(struct req *r)
{
	struct fk_incident *inc;
	size_t n, nh = 0;
	int64_t *hid = NULL;
	enum fk_code rc = fk_store_hidden_incidents(r->c.st, &r->user, &hid, &nh, &r->c.err);
	if (!rc)
		rc = fk_store_incident_list(r->c.st, true, &inc, &n, &r->c.err);
	if (rc) {
		free(hid);
		return rc;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		if (!hidden(hid, nh, inc[i].id))
			json_array_append_new(arr, cli_incident_json(&r->c, &inc[i]));
	FK_FREE_ARRAY(inc, n, fk_incident_release);
	free(hid);
	r->out = json_pack("{s:o}", "incidents", arr);
	return FK_OK;
}

enum fk_code req_expect(struct req *r, const struct fk_incident *inc, const char *entity,
                        const char *key)
{
	const char *h = req_header(r, "If-Match");
	if (!h)
		return FK_OK;
	if (!strncmp(h, "W/", 2))
		h += 2;
	char *end;
	long long rev = strtoll(h + (*h == '"'), &end, 10);
	if (end == h + (*h == '"') || rev < 0 || strcmp(end, *h == '"' ? "\"" : ""))
		return FK_ERR0(&r->c.err, FK_EUSAGE, "If-Match",
		               "If-Match must be the \"rev\" of the record as read, e.g. \"42\"",
		               "If-Match には読み込んだときのレコードの \"rev\" を指定してください "
		               "(例: \"42\")");
	fk_store_expect(r->c.st, inc->id, entity, key, rev);
	return FK_OK;
}

enum fk_code req_rev(struct req *r, const struct fk_incident *inc, const char *entity,
                     const char *key)
{
	int64_t rev;
	enum fk_code rc = fk_store_record_rev(r->c.st, inc->id, entity, key, &rev, &r->c.err);
	if (rc || !json_is_object(r->out))
		return rc;
	json_object_set_new(r->out, "rev", json_integer(rev));
	snprintf(r->etag, sizeof r->etag, "\"%lld\"", (long long)rev);
	return FK_OK;
}

enum fk_code h_incident(struct req *r)
{
	struct fk_incident inc;
	enum fk_code rc = req_incident(r, &inc);
	if (rc)
		return rc;
	r->out = cli_incident_json(&r->c, &inc);
	rc = req_rev(r, &inc, "incident", inc.ref);
	fk_incident_release(&inc);
	return rc;
}

enum fk_code h_tasks(struct req *r)
{
	struct fk_incident inc;
	struct fk_task *t = NULL;
	size_t n = 0;
	enum fk_code rc = req_incident(r, &inc);
	if (rc)
		return rc;
	struct fk_rev *revs = NULL;
	size_t nrevs = 0;
	if (!(rc = fk_store_tasks_get(r->c.st, inc.id, &t, &n, &r->c.err)) &&
	    !(rc = fk_store_record_revs(r->c.st, inc.id, "task", &revs, &nrevs, &r->c.err))) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++) {
			json_t *o = cli_task_json(&r->c, &t[i]);
			json_object_set_new(o, "phase", json_integer(t[i].phase));
			json_object_set_new(o, "rev",
			                    json_integer(fk_revs_find(revs, nrevs, t[i].item_id)));
			json_array_append_new(arr, o);
		}
		r->out = json_pack("{s:s, s:o}", "incident", inc.ref, "tasks", arr);
	}
	FK_FREE_ARRAY(t, n, fk_task_release);
	fk_revs_free(revs, nrevs);
	fk_incident_release(&inc);
	return rc;
}

enum fk_code h_task_set(struct req *r)
{
	struct fk_incident inc;
	json_t *body = NULL;
	const char *state = NULL, *due = NULL;
	struct fk_task_patch p = FK_TASK_PATCH_INIT;
	enum fk_code rc = req_incident(r, &inc);
	if (rc)
		return rc;
	if (!(rc = req_json(r, &body)) && !(rc = body_str(r, body, "state", &state)) &&
	    !(rc = body_str(r, body, "reason", &p.reason)) &&
	    !(rc = body_str(r, body, "note", &p.note)) &&
	    !(rc = body_str(r, body, "owner", &p.owner)) &&
	    !(rc = body_str(r, body, "due", &due))) {
		if (state)
			rc = fk_enum_parse(fk_task_states, FK_TASK_COUNT, state, "state", &p.state,
			                   &r->c.err);
		if (!rc && due && !*due)
			p.clear_due = true;
		else if (!rc && due)
			rc = fk_time_parse(due, r->c.tz, "due", &p.due_at, &r->c.err);
	}
	struct fk_task out;
	if (!rc)
		rc = req_expect(r, &inc, "task", r->params[1]);
	if (!rc && !(rc = fk_task_change(&r->c.ctx, inc.ref, r->params[1], &p, &out, &r->c.err))) {
		r->out = cli_task_json(&r->c, &out);
		rc = req_rev(r, &inc, "task", out.item_id);
		fk_task_release(&out);
	}
	json_decref(body);
	fk_incident_release(&inc);
	return rc;
}

enum fk_code h_timeline_add(struct req *r)
{
	struct fk_incident inc;
	json_t *body = NULL;
	const char *text = NULL, *source = NULL;
	struct fk_timeline_entry e = {.at = FK_TIME_NONE};
	enum fk_code rc = req_incident(r, &inc);
	if (rc)
		return rc;
	if (!(rc = req_json(r, &body)) && !(rc = body_str(r, body, "text", &text)) &&
	    !(rc = body_str(r, body, "source", &source)) &&
	    !(rc = body_enum(r, body, "mark", fk_timeline_marks, FK_MARK_COUNT, &e.mark)) &&
	    !(rc = body_time(r, body, "at", &e.at)) && !text)
		rc = FK_ERR0(&r->c.err, FK_EINVAL, "text", "give the text of the entry",
		             "text (記録する内容) を指定してください");
	if (!rc) {
		e.at = e.at == FK_TIME_NONE ? r->c.ctx.now : e.at;
		e.text = fk_xstrdup(text);
		e.source = source ? fk_xstrdup(source) : NULL;
		if (!(rc = fk_timeline_record(&r->c.ctx, inc.ref, &e, &r->c.err))) {
			r->status = 201;
			r->out = json_pack("{s:I, s:o}", "id", (json_int_t)e.id, "at",
			                   cli_json_time(&r->c, e.at));
		}
	}
	fk_timeline_entry_release(&e);
	json_decref(body);
	fk_incident_release(&inc);
	return rc;
}

enum fk_code h_users(struct req *r)
{
	struct fk_user *u;
	size_t n;
	enum fk_code rc = fk_store_users(r->c.st, &u, &n, &r->c.err);
	if (rc)
		return rc;
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = user_json(&u[i]);
		json_object_set_new(o, "disabled", json_boolean(u[i].disabled));
		json_array_append_new(arr, o);
	}
	FK_FREE_ARRAY(u, n, fk_user_release);
	r->out = json_pack("{s:o}", "users", arr);
	return FK_OK;
}

enum fk_code h_audit_verify(struct req *r)
{
	struct fk_audit_check a;
	enum fk_code rc = fk_store_audit_verify(r->c.st, NULL, &a, &r->c.err);
	if (!rc)
		r->out =
		    json_pack("{s:b, s:I, s:I, s:o, s:s}", "ok", !a.bad_id, "entries",
		              (json_int_t)a.total, "verified", (json_int_t)a.entries, "first_bad",
		              a.bad_id ? json_integer(a.bad_id) : json_null(), "head", a.head);
	return rc;
}

enum fk_code h_transition(struct req *r)
{
	struct fk_incident inc, out;
	json_t *body = NULL;
	const char *to = NULL;
	int state = FK_UNSET;
	enum fk_code rc = req_incident(r, &inc);
	if (rc)
		return rc;
	if (!(rc = req_json(r, &body)) && !(rc = body_str(r, body, "to", &to)) && to)
		rc = fk_enum_parse(fk_states, FK_STATE_COUNT, to, "to", &state, &r->c.err);
	if (!rc && !(rc = fk_incident_transition(&r->c.ctx, inc.ref, state, &out, &r->c.err))) {
		r->out = cli_incident_json(&r->c, &out);
		fk_incident_release(&out);
	}
	json_decref(body);
	fk_incident_release(&inc);
	return rc;
}

/* A role named in a body (NULL: keep), as its number; -1 when absent. */
static enum fk_code member_role(struct req *r, json_t *body, int *role)
{
	const char *v;
	enum fk_code rc = body_str(r, body, "role", &v);
	*role = -1;
	if (!rc && v)
		rc = fk_enum_parse(fk_user_roles, FK_UROLE_COUNT, v, "role", role, &r->c.err);
	return rc;
}

enum fk_code h_user_add(struct req *r)
{
	json_t *body;
	const char *name = NULL, *display = NULL, *password = NULL;
	int role;
	enum fk_code rc = req_json(r, &body);
	if (rc)
		return rc;
	if (!(rc = body_str(r, body, "name", &name)) &&
	    !(rc = body_str(r, body, "display_name", &display)) &&
	    !(rc = body_str(r, body, "password", &password)) &&
	    !(rc = member_role(r, body, &role)) && !name)
		rc = FK_ERR0(&r->c.err, FK_EINVAL, "name", "give the user's name",
		             "name (ユーザ名) を指定してください");
	if (!rc) {
		struct fk_user u = {.name = fk_xstrdup(name),
		                    .display_name = display ? fk_xstrdup(display) : NULL,
		                    .role = role < 0 ? FK_UROLE_VIEWER : role};
		if (!(rc = fk_user_create(&r->c.ctx, &u, password, &r->c.err))) {
			r->status = 201;
			r->out = user_json(&u);
		}
		fk_user_release(&u);
	}
	json_decref(body);
	return rc;
}

enum fk_code h_user_set(struct req *r)
{
	json_t *body;
	const char *display = NULL;
	int role;
	enum fk_code rc = req_json(r, &body);
	if (rc)
		return rc;
	json_t *dis = json_object_get(body, "disabled");
	if (dis && !json_is_boolean(dis))
		rc = FK_ERR0(&r->c.err, FK_EINVAL, "disabled", "disabled must be true or false",
		             "disabled は true か false にしてください");
	if (!rc && !(rc = body_str(r, body, "display_name", &display)) &&
	    !(rc = member_role(r, body, &role)) && !strcmp(r->params[0], r->user.name) &&
	    ((role >= 0 && role != FK_UROLE_ADMIN) || json_is_true(dis)))
		rc = FK_ERR0(&r->c.err, FK_EREFUSED, "role",
		             "an administrator cannot demote or disable themselves: ask another "
		             "administrator",
		             "管理者は自分を降格・無効化できません: 別の管理者に依頼してください");
	if (!rc)
		rc = fk_user_update(&r->c.ctx, r->params[0], role, dis ? json_is_true(dis) : -1,
		                    display, NULL, &r->c.err);
	struct fk_user u;
	if (!rc && !(rc = fk_store_user_get(r->c.st, r->params[0], 0, &u, &r->c.err))) {
		r->out = user_json(&u);
		json_object_set_new(r->out, "disabled", json_boolean(u.disabled));
		fk_user_release(&u);
	}
	json_decref(body);
	return rc;
}

enum fk_code h_incident_new(struct req *r)
{
	json_t *body;
	struct fk_incident inc = FK_INCIDENT_NEW;
	const char *title = NULL, *description = NULL;
	enum fk_code rc = req_json(r, &body);
	if (rc)
		return rc;
	json_t *pii = json_object_get(body, "pii");
	if (!(rc = body_str(r, body, "title", &title)) &&
	    !(rc = body_str(r, body, "description", &description)) &&
	    !(rc = body_enum(r, body, "kind", fk_kinds, FK_KIND_COUNT, &inc.kind)) &&
	    !(rc = body_enum(r, body, "severity", fk_severities, FK_SEV_COUNT, &inc.severity)) &&
	    !(rc = body_time(r, body, "discovered_at", &inc.discovered_at)) &&
	    !(rc = body_time(r, body, "contained_at", &inc.contained_at))) {
		if (!title)
			rc = FK_ERR0(&r->c.err, FK_EINVAL, "title",
			             "give the title: what happened, in a line",
			             "title (何が起きたかを1行で) を指定してください");
		else if (inc.kind < 0)
			rc = FK_ERR0(&r->c.err, FK_EINVAL, "kind", "give the kind of incident",
			             "kind (インシデントの種類) を指定してください");
		else if (pii && !json_is_boolean(pii))
			rc = FK_ERR0(&r->c.err, FK_EINVAL, "pii", "pii must be true or false",
			             "pii は true か false にしてください");
	}
	struct fk_playbook pb;
	if (!rc && !(rc = fk_playbook_load_default(&pb, &r->c.err))) {
		inc.title = fk_xstrdup(title);
		inc.description = fk_xstrdup(description ? description : "");
		inc.pii = json_is_true(pii);
		if (!(rc = fk_incident_create(&r->c.ctx, &inc, &pb, &r->c.err))) {
			r->status = 201;
			r->out = cli_incident_json(&r->c, &inc);
		}
		fk_playbook_release(&pb);
	}
	fk_incident_release(&inc);
	json_decref(body);
	return rc;
}

enum fk_code h_handover_set(struct req *r)
{
	struct fk_incident inc;
	json_t *body = NULL;
	const char *values[FK_HO_COUNT] = {0};
	enum fk_code rc = req_incident(r, &inc);
	if (rc)
		return rc;
	if (!(rc = req_json(r, &body))) {
		const char *key;
		json_t *v;
		json_object_foreach(body, key, v)
		{
			int f;
			if ((rc = fk_enum_parse(fk_handover_fields, FK_HO_COUNT, key, key, &f,
			                        &r->c.err)) ||
			    (rc = body_str(r, body, key, &values[f])))
				break;
			if (!values[f])
				values[f] = ""; /* null clears */
		}
	}
	if (!rc)
		rc = req_expect(r, &inc, "handover", NULL);
	if (!rc && !(rc = fk_handover_change(&r->c.ctx, inc.ref, values, &r->c.err)) &&
	    !(rc = cli_handover_doc(&r->c, &inc, &r->out)))
		rc = req_rev(r, &inc, "handover", NULL);
	json_decref(body);
	fk_incident_release(&inc);
	return rc;
}

enum fk_code h_role_set(struct req *r)
{
	struct fk_incident inc;
	json_t *body = NULL;
	struct fk_person p = {.role = -1};
	const char *name = NULL, *org = NULL, *email = NULL, *phone = NULL;
	enum fk_code rc = req_incident(r, &inc);
	if (rc)
		return rc;
	if (!(rc = req_json(r, &body)) &&
	    !(rc = body_enum(r, body, "role", fk_roles, FK_ROLE_COUNT, &p.role)) &&
	    !(rc = body_str(r, body, "name", &name)) && !(rc = body_str(r, body, "org", &org)) &&
	    !(rc = body_str(r, body, "email", &email)) &&
	    !(rc = body_str(r, body, "phone", &phone)) && (p.role < 0 || !name))
		rc = FK_ERR0(&r->c.err, FK_EINVAL, p.role < 0 ? "role" : "name",
		             "give role and name", "role と name を指定してください");
	if (!rc) {
		p.name = (char *)(uintptr_t)name;
		p.org = (char *)(uintptr_t)org;
		p.email = (char *)(uintptr_t)email;
		p.phone = (char *)(uintptr_t)phone;
		if (!(rc = fk_role_assign(&r->c.ctx, inc.ref, &p, &r->c.err))) {
			r->status = 201;
			r->out = cli_person_json(&p);
		}
	}
	json_decref(body);
	fk_incident_release(&inc);
	return rc;
}

/* Approval items waiting across the incidents one may see: what, where, who may approve. */
enum fk_code h_approvals(struct req *r)
{
	struct fk_approval *a = NULL;
	struct fk_person *p = NULL;
	int64_t *hid = NULL;
	size_t n = 0, np = 0, nh = 0;
	enum fk_code rc = fk_store_hidden_incidents(r->c.st, &r->user, &hid, &nh, &r->c.err);
	if (!rc)
		rc = fk_store_open_approvals(r->c.st, &a, &n, &r->c.err);
	if (!rc)
		rc = fk_store_role_holders(r->c.st, FK_ROLE_APPROVER, false, &p, &np, &r->c.err);
	json_t *arr = json_array();
	for (size_t i = 0, j = 0; !rc && i < n; i++) {
		if (hidden(hid, nh, a[i].incident))
			continue;
		while (j < np && p[j].id < a[i].incident) /* both ordered by incident */
			j++;
		json_t *names = json_array();
		bool mine = false;
		for (size_t k = j; k < np && p[k].id == a[i].incident; k++) {
			json_array_append_new(names, json_string(p[k].name));
			mine |= !strcmp(p[k].name, r->user.name);
		}
		json_array_append_new(
		    arr, json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:b}", "incident", a[i].ref,
		                   "incident_title", a[i].incident_title, "item", a[i].item,
		                   "title", cli_json_i18n(a[i].title_ja, a[i].title_en), "due",
		                   cli_json_time(&r->c, a[i].due_at), "approvers", names,
		                   "may_approve", mine));
	}
	FK_FREE_ARRAY(a, n, fk_approval_release);
	FK_FREE_ARRAY(p, np, fk_person_release);
	free(hid);
	if (rc) {
		json_decref(arr);
		return rc;
	}
	r->out = json_pack("{s:o}", "approvals", arr);
	return FK_OK;
}

enum fk_code h_sweep(struct req *r)
{
	struct fk_incident inc;
	int64_t limit;
	enum fk_code rc = req_int(r, "unchecked", 20, 0, 1000, &limit);
	if (rc || (rc = req_incident(r, &inc)))
		return rc;
	rc = cli_sweep_status(&r->c, &inc, limit, &r->out);
	fk_incident_release(&inc);
	return rc;
}

/* An incident's document built by the CLI's builder, if the asker may see the incident. */
enum fk_code incident_doc(struct req *r, cli_doc_fn build)
{
	struct fk_incident inc;
	enum fk_code rc = req_incident(r, &inc);
	if (rc)
		return rc;
	rc = build(&r->c, &inc, &r->out);
	fk_incident_release(&inc);
	return rc;
}

enum fk_code h_timeline(struct req *r)
{
	return incident_doc(r, cli_timeline_doc);
}

enum fk_code h_history(struct req *r)
{
	return incident_doc(r, cli_changes_doc);
}

enum fk_code h_roles(struct req *r)
{
	return incident_doc(r, cli_roles_doc);
}

enum fk_code h_evidence(struct req *r)
{
	return incident_doc(r, cli_evidence_doc);
}

enum fk_code incident_doc_rev(struct req *r, cli_doc_fn build, const char *entity)
{
	struct fk_incident inc;
	enum fk_code rc = req_incident(r, &inc);
	if (rc)
		return rc;
	if (!(rc = build(&r->c, &inc, &r->out)))
		rc = req_rev(r, &inc, entity, NULL);
	fk_incident_release(&inc);
	return rc;
}

enum fk_code h_handover(struct req *r)
{
	return incident_doc_rev(r, cli_handover_doc, "handover");
}

enum fk_code h_incident_set(struct req *r)
{
	struct fk_incident inc, out;
	json_t *body = NULL;
	struct fk_incident_patch p = FK_INCIDENT_PATCH_INIT;
	enum fk_code rc = req_incident(r, &inc);
	if (rc)
		return rc;
	if (!(rc = req_json(r, &body)) && !(rc = body_str(r, body, "title", &p.title)) &&
	    !(rc = body_str(r, body, "description", &p.description)) &&
	    !(rc = body_enum(r, body, "severity", fk_severities, FK_SEV_COUNT, &p.severity)) &&
	    !(rc = body_time(r, body, "discovered_at", &p.discovered_at)) &&
	    !(rc = body_time(r, body, "contained_at", &p.contained_at)) &&
	    !(rc = body_bool(r, body, "pii", &p.pii)) &&
	    !(rc = body_int(r, body, "pii_count", &p.pii_count)) &&
	    !(rc = body_bool(r, body, "pii_sensitive", &p.pii_sensitive)) &&
	    !(rc = body_bool(r, body, "pii_financial", &p.pii_financial)) &&
	    !(rc = body_bool(r, body, "pii_unlawful", &p.pii_unlawful)) &&
	    !(rc = body_bool(r, body, "pii_eu", &p.pii_eu)) &&
	    !(rc = body_time(r, body, "recovery_deadline", &p.recovery_deadline)) &&
	    !(rc = body_time(r, body, "monitoring_end", &p.monitoring_end)) &&
	    !(rc = body_str(r, body, "pii_items", &p.pii_items)) &&
	    !(rc = body_str(r, body, "pii_harm", &p.pii_harm)) &&
	    !(rc = body_bool(r, body, "clocks_ntp", &p.clocks_ntp)) && fk_incident_patch_empty(&p))
		rc =
		    FK_ERR0(&r->c.err, FK_EINVAL, NULL,
		            "nothing to change: give title, severity, discovered_at, contained_at, "
		            "description, pii, pii_count or pii_sensitive",
		            "変更する項目がありません: title, severity, discovered_at, "
		            "contained_at, description, pii, pii_count, pii_sensitive のいずれかを"
		            "指定してください");
	if (!rc)
		rc = req_expect(r, &inc, "incident", inc.ref);
	if (!rc && !(rc = fk_incident_change(&r->c.ctx, inc.ref, &p, &out, &r->c.err))) {
		r->out = cli_incident_json(&r->c, &out);
		rc = req_rev(r, &inc, "incident", inc.ref);
		fk_incident_release(&out);
	}
	json_decref(body);
	fk_incident_release(&inc);
	return rc;
}

enum fk_code h_role_unset(struct req *r)
{
	struct fk_incident inc;
	int role;
	enum fk_code rc = req_incident(r, &inc);
	if (rc)
		return rc;
	if (!(rc =
	          fk_enum_parse(fk_roles, FK_ROLE_COUNT, r->params[1], "role", &role, &r->c.err)) &&
	    !(rc = fk_role_remove(&r->c.ctx, inc.ref, role, req_query(r, "name"), &r->c.err)))
		rc = cli_roles_doc(&r->c, &inc, &r->out);
	fk_incident_release(&inc);
	return rc;
}

/* ---- need-to-know ---------------------------------------------------------------------- */

static enum fk_code members_answer(struct req *r, const struct fk_incident *inc)
{
	char **names;
	size_t n;
	bool restricted;
	enum fk_code rc =
	    fk_store_incident_members(r->c.st, inc->id, &restricted, &names, &n, &r->c.err);
	if (rc)
		return rc;
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		json_array_append_new(arr, json_string(names[i]));
		free(names[i]);
	}
	free(names);
	r->out = json_pack("{s:s, s:b, s:o}", "incident", inc->ref, "restricted", restricted,
	                   "members", arr);
	return FK_OK;
}

enum fk_code h_members(struct req *r)
{
	struct fk_incident inc;
	enum fk_code rc = req_incident(r, &inc);
	if (rc)
		return rc;
	rc = members_answer(r, &inc);
	fk_incident_release(&inc);
	return rc;
}

static enum fk_code member_change(struct req *r, bool add)
{
	struct fk_incident inc;
	enum fk_code rc = req_incident(r, &inc);
	if (rc)
		return rc;
	if (!(rc = fk_incident_member(&r->c.ctx, inc.ref, r->params[1], add, &r->c.err)))
		rc = members_answer(r, &inc);
	fk_incident_release(&inc);
	return rc;
}

enum fk_code h_member_add(struct req *r)
{
	return member_change(r, true);
}

enum fk_code h_member_remove(struct req *r)
{
	return member_change(r, false);
}

enum fk_code h_restrict(struct req *r)
{
	struct fk_incident inc;
	json_t *body = NULL;
	int on = FK_UNSET;
	enum fk_code rc = req_incident(r, &inc);
	if (rc)
		return rc;
	if (!(rc = req_json(r, &body)) && !(rc = body_bool(r, body, "restricted", &on)) &&
	    on == FK_UNSET)
		rc = FK_ERR0(&r->c.err, FK_EINVAL, "restricted", "give restricted: true or false",
		             "restricted (true か false) を指定してください");
	if (!rc && !(rc = fk_incident_restrict(&r->c.ctx, inc.ref, on, &r->c.err)))
		rc = members_answer(r, &inc);
	json_decref(body);
	fk_incident_release(&inc);
	return rc;
}

enum fk_code h_evidence_show(struct req *r)
{
	struct fk_incident inc;
	struct fk_evidence *e;
	size_t n;
	enum fk_code rc = req_incident(r, &inc);
	if (rc)
		return rc;
	int64_t want = fk_ident_no(r->params[1], 'E');
	if (!(rc = fk_store_evidence_list(r->c.st, inc.id, &e, &n, &r->c.err))) {
		for (size_t i = 0; i < n && !r->out; i++)
			if (e[i].id == want)
				r->out = cli_evidence_json(&r->c, &e[i], true);
		if (!r->out)
			rc = FK_ERR(&r->c.err, FK_ENOTFOUND, "e", "%s has no evidence '%.40s'",
			            "%s に証拠 '%.40s' はありません", inc.ref, r->params[1]);
		FK_FREE_ARRAY(e, n, fk_evidence_release);
	}
	fk_incident_release(&inc);
	return rc;
}

/* ---- tokens and the audit trail (administrators) --------------------------------------- */

enum fk_code h_token_add(struct req *r)
{
	json_t *body;
	const char *user = NULL, *label = NULL;
	char token[44];
	int64_t id = 0;
	enum fk_code rc = req_json(r, &body);
	if (rc)
		return rc;
	if (!(rc = body_str(r, body, "user", &user)) &&
	    !(rc = body_str(r, body, "label", &label)) && !user)
		rc = FK_ERR0(&r->c.err, FK_EINVAL, "user", "give the user the token is for",
		             "user (トークンを使うユーザ) を指定してください");
	if (!rc && !(rc = fk_token_create(&r->c.ctx, user, label, token, &id, &r->c.err))) {
		r->status = 201;
		r->out = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "user", user, "token",
		                   token);
		sodium_memzero(token, sizeof token);
	}
	json_decref(body);
	return rc;
}

enum fk_code h_token_revoke(struct req *r)
{
	int64_t id = fk_ident_no(r->params[0], 'T');
	enum fk_code rc =
	    id ? fk_token_revoke(&r->c.ctx, id, &r->c.err)
	       : FK_ERR(&r->c.err, FK_EINVAL, "token", "'%.40s' is not a token number like T3",
	                "'%.40s' は T3 のようなトークン番号ではありません", r->params[0]);
	if (!rc)
		r->out = json_pack("{s:I}", "revoked", (json_int_t)id);
	return rc;
}

/* A page of the audit trail from ?from= on; "next" continues it. */
enum fk_code h_audit_log(struct req *r)
{
	struct fk_change *ch;
	size_t n;
	int64_t from;
	enum fk_code rc = req_int(r, "from", 1, 1, INT64_MAX / 2, &from);
	if (rc || (rc = fk_store_audit_page(r->c.st, from, &ch, &n, &r->c.err)))
		return rc;
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, cli_audit_entry_json(&r->c, &ch[i]));
	r->out = json_pack("{s:o, s:o}", "entries", arr, "next",
	                   n == FK_AUDIT_PAGE ? json_integer(ch[n - 1].id + 1) : json_null());
	FK_FREE_ARRAY(ch, n, fk_change_release);
	return FK_OK;
}
