/*
 * http.c - fukkyu serve: libmicrohttpd in thread-pool mode with every limit set, one SQLite
 * connection per worker thread, credentials (API token or session cookie + CSRF token),
 * route dispatch, JSON errors, the embedded web UI, and a graceful stop on SIGTERM/SIGINT.
 */
#define _GNU_SOURCE /* memfd_create */
#include "fukkyu/common.h"
#include "server.h"
#include "util/embed.h"
#include "util/hash.h"
#include "util/route.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <sys/mman.h>
#include <sys/socket.h>

#define ROUTE(m, p, f, n, en, ja) {#m, p, f, n, en, ja},
const struct route fk_routes[] = {
#include "routes.def"
};
#undef ROUTE
const size_t fk_n_routes = FK_ARRAY_LEN(fk_routes);

#define BODY_MAX (1u << 20) /* request bodies: 1 MiB */

/* What a worker thread keeps: its database connection and its last board (the board of
 * 10,000 incidents takes 65 ms to build; it is rebuilt when the data changed, or every
 * minute for the overdue counts). */
struct worker {
	struct fk_store *st;
	struct fk_board board;
	bool have_board;
	int64_t board_version, board_minute;
	char text_key[128]; /* the last answer's text and what it answered */
	struct shared_text *text;
};

struct server {
	const char *db, *tz;
	enum fk_lang lang;
	pthread_mutex_t lock;
	struct worker **workers; /* freed at the end */
	size_t n_workers;
	_Atomic int in_flight; /* requests being served (the graceful stop waits for them) */
};
static struct server srv;
static __thread struct worker *thread_worker;

static enum fk_code worker_get(struct worker **out, struct fk_err *err)
{
	if (!thread_worker) {
		struct fk_store *st;
		enum fk_code rc = fk_store_open(srv.db, false, &st, err);
		if (rc)
			return rc;
		thread_worker = fk_xcalloc(1, sizeof *thread_worker);
		thread_worker->st = st;
		pthread_mutex_lock(&srv.lock);
		srv.workers = fk_xrealloc(srv.workers, (srv.n_workers + 1) * sizeof *srv.workers);
		srv.workers[srv.n_workers++] = thread_worker;
		pthread_mutex_unlock(&srv.lock);
	}
	*out = thread_worker;
	return FK_OK;
}

struct shared_text *shared_text_new(char *text)
{
	size_t n = strlen(text);
	struct shared_text *t = fk_xmalloc(sizeof *t + n + 1);
	t->refs = 1;
	t->len = n;
	t->resp = NULL;
	memcpy(t->data, text, n + 1);
	free(text);
	return t;
}

void shared_text_unref(struct shared_text *t)
{
	if (t && --t->refs == 0) {
		if (t->resp)
			MHD_destroy_response(
			    t->resp); /* connections still sending hold their own */
		free(t);
	}
}

struct shared_text *worker_text_get(const char *key)
{
	struct worker *w = thread_worker;
	if (!w || !w->text || strcmp(w->text_key, key))
		return NULL;
	w->text->refs++;
	return w->text;
}

void worker_text_put(const char *key, struct shared_text *t)
{
	struct worker *w = thread_worker;
	if (!w || strlen(key) >= sizeof w->text_key)
		return;
	shared_text_unref(w->text);
	t->refs++;
	w->text = t;
	snprintf(w->text_key, sizeof w->text_key, "%s", key);
}

enum fk_code worker_board(struct req *r, const struct fk_board **out, int64_t key[2])
{
	struct worker *w = thread_worker;
	int64_t version;
	enum fk_code rc = fk_store_data_version(r->c.st, &version, &r->c.err);
	if (rc)
		return rc;
	int64_t minute = r->c.ctx.now / 60;
	if (!w->have_board || w->board_version != version || w->board_minute != minute) {
		if (w->have_board)
			fk_board_release(&w->board);
		w->have_board = false;
		if ((rc = fk_board_build(&r->c.ctx, false, &w->board, &r->c.err)))
			return rc;
		w->have_board = true;
		w->board_version = version;
		w->board_minute = minute;
	}
	*out = &w->board;
	key[0] = version;
	key[1] = minute;
	return FK_OK;
}

enum fk_code req_int(struct req *r, const char *name, int64_t def, int64_t lo, int64_t hi,
                     int64_t *out)
{
	const char *v = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
	char *end;
	*out = def;
	if (!v)
		return FK_OK;
	long long x = strtoll(v, &end, 10);
	if (!*v || *end || x < lo || x > hi)
		return FK_ERR(&r->c.err, FK_EINVAL, name, "%s: expected a number from %lld to %lld",
		              "%s: %lld〜%lld の数を指定してください", name, (long long)lo,
		              (long long)hi);
	*out = x;
	return FK_OK;
}

/* ---- login rate limit: failures per (user, address) in a sliding window -----------------
 * Slots are chosen by a keyed hash (a random key per run: nobody can aim at another pair's
 * slot), and an attempt counts as a failure from the moment it starts (attempts running at
 * once cannot all pass the check); a success clears its slot. */

struct fails {
	char key[200];
	int64_t at[LOGIN_FAILS_MAX];
	int n;
};
static struct fails fail_table[4096];
static unsigned char fail_key[crypto_shorthash_KEYBYTES];

static struct fails *fail_slot(const char *name, const char *addr, int64_t now)
{
	char key[200];
	unsigned char h[crypto_shorthash_BYTES];
	snprintf(key, sizeof key, "%.80s|%.64s", name, addr);
	crypto_shorthash(h, (const unsigned char *)key, strlen(key), fail_key);
	uint64_t i;
	memcpy(&i, h, sizeof i);
	struct fails *f = &fail_table[i % FK_ARRAY_LEN(fail_table)];
	int live = 0;
	for (int k = 0; k < f->n; k++)
		if (now - f->at[k] < LOGIN_WINDOW_SEC)
			f->at[live++] = f->at[k];
	f->n = live;
	if (strcmp(f->key, key) && !f->n) /* a free slot, or one whose failures are old */
		snprintf(f->key, sizeof f->key, "%s", key);
	return strcmp(f->key, key) ? NULL : f;
}

bool login_begin(const char *name, const char *addr)
{
	int64_t now = fk_time_now();
	pthread_mutex_lock(&srv.lock);
	struct fails *f = fail_slot(name, addr, now);
	/* A slot taken by another pair's recent failures (a rare collision): no counting. */
	bool limited = f && f->n >= LOGIN_FAILS_MAX;
	if (f && !limited)
		f->at[f->n++] = now;
	pthread_mutex_unlock(&srv.lock);
	return !limited;
}

void login_end(const char *name, const char *addr, bool ok)
{
	pthread_mutex_lock(&srv.lock);
	struct fails *f = fail_slot(name, addr, fk_time_now());
	if (f && ok)
		f->n = 0;
	pthread_mutex_unlock(&srv.lock);
}

/* ---- request helpers ------------------------------------------------------------------- */

const char *req_header(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *req_query(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *req_cookie(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

enum fk_code req_json(struct req *r, json_t **out)
{
	json_error_t e;
	*out = json_loadb(r->body ? r->body : "", r->body_len, JSON_REJECT_DUPLICATES, &e);
	r->status = *out && json_is_object(*out) ? r->status : 400;
	if (!*out)
		return FK_ERR(&r->c.err, FK_EUSAGE, "body", "the body is not JSON: %s (column %d)",
		              "本文が JSON ではありません: %s (%d 桁目)", e.text, e.column);
	if (!json_is_object(*out)) {
		json_decref(*out);
		*out = NULL;
		return FK_ERR0(&r->c.err, FK_EUSAGE, "body", "the body must be a JSON object",
		               "本文は JSON オブジェクトにしてください");
	}
	return FK_OK;
}

enum fk_code req_incident(struct req *r, struct fk_incident *inc)
{
	return req_incident_id(r, r->params[0], inc);
}

enum fk_code req_incident_id(struct req *r, const char *id, struct fk_incident *inc)
{
	bool visible = false;
	enum fk_code rc = fk_store_incident_find(r->c.st, id, inc, &r->c.err);
	if (rc)
		return rc;
	rc = fk_store_incident_visible(r->c.st, inc->id, &r->user, &visible, &r->c.err);
	if (!rc && !visible) /* word for word what a missing one gets: no telling them apart */
		rc = fk_store_incident_not_found(id, &r->c.err);
	if (rc)
		fk_incident_release(inc);
	return rc;
}

static bool need_ok(enum need need, int role)
{
	switch (need) {
	case NEED_NONE:
	case NEED_READ:
		return true;
	case NEED_WRITE:
	case NEED_MEMBER:
		return role != FK_UROLE_VIEWER;
	case NEED_OWNER: /* who approves is decided by owners, not by would-be approvers */
		return role == FK_UROLE_OWNER || role == FK_UROLE_ADMIN;
	case NEED_ADMIN:
		return role == FK_UROLE_ADMIN;
	}
	return false;
}

/* Who is asking: an API token (Authorization: Bearer) or a session cookie. */
static enum fk_code authenticate(struct req *r, char csrf[static 65])
{
	const char *auth = req_header(r, MHD_HTTP_HEADER_AUTHORIZATION);
	const char *cookie = req_cookie(r, "fk_session");
	char hash[65];
	csrf[0] = '\0';
	if (auth && !strncmp(auth, "Bearer ", 7)) {
		fk_secret_hash(auth + 7, hash);
		return fk_store_credential_user(r->c.st, hash, false, &r->user, csrf, &r->c.err);
	}
	if (cookie) {
		r->by_cookie = true;
		fk_secret_hash(cookie, hash);
		return fk_store_credential_user(r->c.st, hash, true, &r->user, csrf, &r->c.err);
	}
	return FK_ERR0(&r->c.err, FK_EAUTH, NULL, "sign in first (or send an API token)",
	               "先にログインしてください (または API トークンを送ってください)");
}

static bool is_write(const char *method)
{
	return strcmp(method, "GET") && strcmp(method, "HEAD");
}

/* Runs the route for r; fills r->out and r->status. */
static void dispatch(struct req *r)
{
	const struct route *rt = NULL;
	bool path_known = false;
	enum fk_code rc = FK_OK;
	for (size_t i = 0; i < fk_n_routes && !rt; i++)
		if (fk_route_match(fk_routes[i].path, r->path, r->params)) {
			path_known = true;
			if (!strcmp(fk_routes[i].method, r->method))
				rt = &fk_routes[i];
		}
	if (!rt) {
		r->status = path_known ? 405 : 404;
		rc = path_known
		         ? FK_ERR(&r->c.err, FK_EUSAGE, "method", "%s is not allowed here",
		                  "%s はここでは使えません", r->method)
		         : FK_ERR(&r->c.err, FK_ENOTFOUND, "path", "no such API path: %.200s",
		                  "その API パスはありません: %.200s", r->path);
	}
	struct worker *w = NULL;
	if (!rc && !(rc = worker_get(&w, &r->c.err)))
		r->c.st = w->st;
	/* A GET reads one snapshot, its credential check included, with the database's locks
	 * taken once. */
	bool reading = false;
	if (!rc && !is_write(r->method))
		reading = !(rc = fk_store_read_begin(r->c.st, &r->c.err));
	char *csrf = r->csrf;
	if (!rc && rt->need != NEED_NONE) {
		rc = authenticate(r, csrf);
		r->authed = !rc;
	}
	if (!rc && rt->need != NEED_NONE && !need_ok(rt->need, r->user.role))
		rc = FK_ERR(&r->c.err, FK_EFORBIDDEN, NULL, "a %s%.0s may not do this: %s%.0s",
		            "%.0s%s にはこの操作の権限がありません: %.0s%s",
		            fk_user_roles[r->user.role].en, fk_user_roles[r->user.role].ja, rt->en,
		            rt->ja);
	const char *ctype = req_header(r, MHD_HTTP_HEADER_CONTENT_TYPE);
	if (!rc && r->body_len && (!ctype || strncmp(ctype, "application/json", 16))) {
		/* A form from another site cannot send this type without the browser asking
		 * first (CORS), which this server never allows. */
		r->status = 415;
		rc = FK_ERR0(&r->c.err, FK_EUSAGE, "Content-Type",
		             "send the body as Content-Type: application/json",
		             "本文は Content-Type: application/json で送ってください");
	}
	if (!rc && r->by_cookie && is_write(r->method)) {
		const char *sent = req_header(r, "X-CSRF-Token");
		if (!sent || strlen(sent) != strlen(csrf) || !*csrf ||
		    sodium_memcmp(sent, csrf, strlen(csrf)))
			rc = FK_ERR0(
			    &r->c.err, FK_EFORBIDDEN, "X-CSRF-Token",
			    "missing or wrong CSRF token: reload the page",
			    "CSRF トークンがないか違います: ページを再読み込みしてください");
	}
	if (!rc) {
		snprintf(r->c.actor, sizeof r->c.actor, "%s",
		         r->authed ? r->user.name : "anonymous");
		r->c.ctx = (struct fk_ctx){r->c.st, r->c.actor, r->c.tz, fk_time_now()};
		fk_store_set_origin(r->c.st, r->addr);
		rc = rt->fn(r);
		fk_store_expect(r->c.st, 0, NULL, NULL, 0); /* an If-Match is for one request */
	}
	if (reading)
		fk_store_read_end(r->c.st);
	if (rc) {
		/* A bad value inside a well-formed request is 422 (the CLI calls it a usage
		 * error); a body that is not JSON was set to 400 where it was read. */
		if (r->status == 200 || !r->status)
			r->status = rc == FK_EUSAGE && r->authed ? 422 : fk_code_http(rc);
		const char *field = r->c.err.field;
		while (*field == '-') /* the CLI's option names are the API's member names */
			field++;
		json_decref(r->out);
		r->out = json_pack("{s:{s:s, s:s, s:s?}}", "error", "code", fk_code_name(rc),
		                   "message", r->c.lang == FK_LANG_JA ? r->c.err.ja : r->c.err.en,
		                   "field", *field ? field : NULL);
		if (!r->out) /* the message quoted input that is not UTF-8 */
			r->out = json_pack("{s:{s:s, s:s}}", "error", "code", fk_code_name(rc),
			                   "message", fk_code_name(rc));
	}
}

/* ---- libmicrohttpd glue ---------------------------------------------------------------- */

struct conn_state {
	struct fk_buf body;
	bool too_big;
};

static void add_security_headers(struct MHD_Response *resp, bool api)
{
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Content-Security-Policy",
	                        "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; "
	                        "base-uri 'none'; form-action 'self'");
	if (api)
		MHD_add_response_header(resp, "Cache-Control", "no-store");
}

static enum MHD_Result send_static(struct MHD_Connection *conn, const char *path)
{
	char name[128];
	const struct fk_embedded *f = NULL;
	if (!strcmp(path, "/") || !strcmp(path, "/index.html"))
		f = fk_embedded_find("web/index.html");
	else if (!strcmp(path, "/report")) /* the public intake page: no sign-in */
		f = fk_embedded_find("web/report.html");
	else if (!strncmp(path, "/static/", 8) && !strstr(path, "..") && strlen(path) < 100) {
		snprintf(name, sizeof name, "web/%s", path + 8);
		f = fk_embedded_find(name);
	}
	const char *type = "text/plain; charset=utf-8";
	if (f) {
		const char *dot = strrchr(f->name, '.');
		type = !dot                    ? type
		       : !strcmp(dot, ".html") ? "text/html; charset=utf-8"
		       : !strcmp(dot, ".css")  ? "text/css; charset=utf-8"
		       : !strcmp(dot, ".js")   ? "text/javascript; charset=utf-8"
		       : !strcmp(dot, ".svg")  ? "image/svg+xml"
		                               : type;
	}
	static const char missing[] = "not found\n";
	struct MHD_Response *resp = MHD_create_response_from_buffer(
	    f ? f->len : sizeof missing - 1, (void *)(uintptr_t)(f ? f->data : missing),
	    MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	add_security_headers(resp, false);
	enum MHD_Result ret = MHD_queue_response(conn, f ? 200 : 404, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* The answer for a cached page. A large one is put in a memory file, which libmicrohttpd sends
 * with sendfile (no copy through the process, as nginx sends a static file); a small one is
 * copied into the answer. */
static struct MHD_Response *shared_response(const struct shared_text *t)
{
	struct MHD_Response *resp = NULL;
	if (t->len >= 16384) {
		int fd = memfd_create("fukkyu-page", MFD_CLOEXEC);
		size_t done = 0;
		while (fd >= 0 && done < t->len) {
			ssize_t w = write(fd, t->data + done, t->len - done);
			if (w <= 0 && errno != EINTR)
				break;
			done += w > 0 ? (size_t)w : 0;
		}
		if (fd >= 0 && done == t->len)
			resp = MHD_create_response_from_fd_at_offset64(t->len, fd, 0);
		if (!resp && fd >= 0)
			close(fd);
	}
	if (!resp)
		resp = MHD_create_response_from_buffer(t->len, (void *)(uintptr_t)t->data,
		                                       MHD_RESPMEM_MUST_COPY);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
	                        "application/json; charset=utf-8");
	add_security_headers(resp, true);
	return resp;
}

static void client_address(struct MHD_Connection *conn, char out[64])
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	snprintf(out, 64, "http");
	if (!ci || !ci->client_addr)
		return;
	char a[INET6_ADDRSTRLEN] = "";
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, a,
		          sizeof a);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, a,
		          sizeof a);
	snprintf(out, 64, "http %s", a);
}

static enum fk_lang request_lang(struct MHD_Connection *conn)
{
	const char *q = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "lang");
	if (q)
		return !strcmp(q, "en") ? FK_LANG_EN : FK_LANG_JA;
	const char *al = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Accept-Language");
	if (al)
		return !strncmp(al, "en", 2)   ? FK_LANG_EN
		       : !strncmp(al, "ja", 2) ? FK_LANG_JA
		                               : srv.lang;
	return srv.lang;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **state)
{
	(void)cls, (void)version;
	struct conn_state *cs = *state;
	if (!cs) {
		*state = cs = fk_xcalloc(1, sizeof *cs);
		fk_buf_init(&cs->body, BODY_MAX);
		srv.in_flight++;
		/* A body announced as too big is refused before a byte of it is read. */
		const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
		                                             MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl && strtoull(cl, NULL, 10) > BODY_MAX) {
			static const char big[] = "{\"error\":{\"code\":\"too_big\",\"message\":"
			                          "\"the body is over 1 MiB\"}}";
			struct MHD_Response *resp = MHD_create_response_from_buffer(
			    sizeof big - 1, (void *)(uintptr_t)big, MHD_RESPMEM_PERSISTENT);
			MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
			                        "application/json; charset=utf-8");
			MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
			enum MHD_Result ret = MHD_queue_response(conn, 413, resp);
			MHD_destroy_response(resp);
			return ret;
		}
		return MHD_YES;
	}
	if (*upload_size) {
		if (!cs->too_big && fk_buf_add(&cs->body, upload, *upload_size))
			cs->too_big = true;
		*upload_size = 0;
		return MHD_YES;
	}
	if (strncmp(url, "/api/", 5))
		return strcmp(method, "GET") && strcmp(method, "HEAD") ? MHD_NO
		                                                       : send_static(conn, url);
	struct req r = {.method = method, .path = url, .conn = conn, .status = 200};
	r.body = cs->body.ptr;
	r.body_len = cs->body.len;
	r.c.json = true;
	r.c.lang = request_lang(conn);
	r.c.tz = srv.tz;
	r.c.db = srv.db;
	client_address(conn, r.addr);
	if (cs->too_big) {
		r.status = 413;
		r.out = json_pack("{s:{s:s, s:s}}", "error", "code", "too_big", "message",
		                  r.c.lang == FK_LANG_JA ? "本文が 1 MiB を超えています"
		                                         : "the body is over 1 MiB");
	} else {
		dispatch(&r);
	}
	struct MHD_Response *resp;
	if (r.shared && !r.cookie[0] && r.status == 200) {
		/* A cached page: its answer is made once and queued for every request. */
		if (!r.shared->resp)
			r.shared->resp = shared_response(r.shared);
		enum MHD_Result ret = MHD_queue_response(conn, 200, r.shared->resp);
		shared_text_unref(r.shared);
		fk_user_release(&r.user);
		return ret;
	}
	const char *type = "application/json; charset=utf-8";
	if (r.raw && r.status < 300) {
		resp = MHD_create_response_from_buffer(r.raw_len, r.raw, MHD_RESPMEM_MUST_FREE);
		r.raw = NULL;
		type = r.raw_type;
		char disp[256];
		snprintf(disp, sizeof disp, "attachment; filename=\"%s\"", r.raw_name);
		MHD_add_response_header(resp, "Content-Disposition", disp);
	} else if (r.shared) {
		resp = MHD_create_response_from_buffer(r.shared->len, r.shared->data,
		                                       MHD_RESPMEM_MUST_COPY);
		shared_text_unref(r.shared);
	} else {
		char *text =
		    json_dumps(r.out ? r.out : json_null(), JSON_COMPACT | JSON_ENCODE_ANY);
		resp = MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
	}
	free(r.raw);
	json_decref(r.out);
	fk_user_release(&r.user);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (r.cookie[0])
		MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, r.cookie);
	if (r.etag[0])
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, r.etag);
	add_security_headers(resp, true);
	enum MHD_Result ret = MHD_queue_response(conn, (unsigned)r.status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **state,
                         enum MHD_RequestTerminationCode why)
{
	(void)cls, (void)conn, (void)why;
	struct conn_state *cs = *state;
	if (cs) {
		fk_buf_release(&cs->body);
		free(cs);
		srv.in_flight--;
	}
	*state = NULL;
}

/* ---- fukkyu serve ---------------------------------------------------------------------- */

/* A first administrator when there is none: "admin" with a random password, printed once. */
static enum fk_code bootstrap_admin(struct cli *c)
{
	struct fk_user *u;
	size_t n;
	enum fk_code rc = fk_store_users(c->st, &u, &n, &c->err);
	if (rc)
		return rc;
	bool have = false;
	for (size_t i = 0; i < n; i++)
		have |= u[i].role == FK_UROLE_ADMIN && !u[i].disabled;
	FK_FREE_ARRAY(u, n, fk_user_release);
	if (have)
		return FK_OK;
	char pw[44], hash[65];
	fk_secret_new(pw, hash);
	pw[20] = '\0'; /* 20 characters of base64url: 120 bits */
	struct fk_user admin = {.name = fk_xstrdup("admin"), .role = FK_UROLE_ADMIN};
	rc = fk_user_create(&c->ctx, &admin, pw, &c->err);
	if (!rc)
		printf(
		    TR(c->lang,
		       "first administrator: admin / %s (shown this once: change it with 'fukkyu "
		       "user set admin --password-stdin')\n",
		       "最初の管理者: admin / %s (表示はこの一度だけです。'fukkyu user set admin "
		       "--password-stdin' で変更してください)\n"),
		    pw);
	sodium_memzero(pw, sizeof pw);
	fk_user_release(&admin);
	return rc;
}

static bool parse_listen(const char *s, struct sockaddr_in *sa)
{
	char host[64];
	const char *colon = strrchr(s, ':');
	if (!colon || (size_t)(colon - s) >= sizeof host)
		return false;
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	char *end;
	long port = strtol(colon + 1, &end, 10);
	memset(sa, 0, sizeof *sa);
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	return !*end && port >= 0 && port <= 65535 && inet_pton(AF_INET, host, &sa->sin_addr) == 1;
}

enum fk_code cmd_serve(struct cli *c, int argc, char **argv)
{
	const char *listen = "127.0.0.1:8080";
	int64_t threads = 4, max_conns = 256, per_ip = 64, timeout = 30;
	const struct opt opts[] = {
	    {"listen", "ADDR:PORT", OPT_STR, &listen, NULL, 0,
	     "where to listen (default 127.0.0.1:8080; port 0: any free port)",
	     "待ち受けるアドレス (既定 127.0.0.1:8080。ポート 0 は空きポート)"},
	    {"threads", "N", OPT_INT, &threads, NULL, 0, "worker threads (default 4)",
	     "ワーカースレッド数 (既定 4)"},
	    {"max-connections", "N", OPT_INT, &max_conns, NULL, 0,
	     "connections at once (default 256)", "同時接続数の上限 (既定 256)"},
	    {"per-address", "N", OPT_INT, &per_ip, NULL, 0,
	     "connections at once from one address (default 64)",
	     "1 アドレスからの同時接続数の上限 (既定 64)"},
	    {"timeout", "SECONDS", OPT_INT, &timeout, NULL, 0,
	     "idle connections are closed after this (default 30)",
	     "無通信の接続を閉じるまでの秒数 (既定 30)"},
	};
	bool help;
	int npos;
	enum fk_code rc =
	    cli_parse(c, argc, argv, opts, FK_ARRAY_LEN(opts),
	              "serve [--listen ADDR:PORT] [--threads N] [--max-connections N] "
	              "[--per-address N] [--timeout SECONDS]",
	              0, 0, NULL, &npos, &help);
	if (rc || help)
		return rc;
	struct sockaddr_in sa;
	if (!parse_listen(listen, &sa))
		return FK_ERR(
		    &c->err, FK_EUSAGE, "--listen",
		    "--listen '%s': expected an IPv4 address and a port, e.g. "
		    "127.0.0.1:8080",
		    "--listen '%s': 127.0.0.1:8080 のように IPv4 アドレスとポートを指定してく"
		    "ださい",
		    listen);
	if (threads < 1 || threads > 64 || max_conns < 1 || max_conns > 10000 || per_ip < 1 ||
	    timeout < 1)
		return FK_ERR0(
		    &c->err, FK_EUSAGE, "--threads",
		    "limits out of range: threads 1-64, connections 1-10000, the others 1 "
		    "or more",
		    "上限値が範囲外です: スレッド 1〜64、接続 1〜10000、その他は 1 以上");
	if ((rc = cli_store(c, false)) || (rc = bootstrap_admin(c)))
		return rc;
	if (sodium_init() < 0)
		abort();
	crypto_shorthash_keygen(fail_key);
	srv.db = c->db;
	srv.tz = c->tz;
	srv.lang = c->lang;
	pthread_mutex_init(&srv.lock, NULL);
	/* SIGTERM and SIGINT are taken by sigwait below, in this thread only. */
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	struct MHD_Daemon *d = MHD_start_daemon(
	    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC, 0, NULL, NULL,
	    on_request, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads, MHD_OPTION_CONNECTION_LIMIT,
	    (unsigned)max_conns, MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)per_ip,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)timeout, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
	    (size_t)(32u << 10), MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_END);
	if (!d)
		return FK_ERR(
		    &c->err, FK_EIO, "--listen",
		    "cannot listen on %s (in use, or not an address of this machine)",
		    "%s で待ち受けできません (使用中か、このマシンのアドレスではありません)",
		    listen);
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	char host[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, &sa.sin_addr, host, sizeof host);
	printf(TR(c->lang, "fukkyu serving %s on http://%s:%u/ (stop: Ctrl-C)\n",
	          "fukkyu: %s を http://%s:%u/ で提供中 (停止: Ctrl-C)\n"),
	       c->db, host, di ? di->port : 0);
	fflush(stdout);
	int sig = 0;
	sigwait(&sigs, &sig);
	/* Stop accepting, let the requests in progress finish (up to 10 s), then stop. */
	MHD_socket ls = MHD_quiesce_daemon(d);
	for (int i = 0; i < 1000 && srv.in_flight > 0; i++) {
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	MHD_stop_daemon(d);
	if (ls != MHD_INVALID_SOCKET)
		close(ls);
	for (size_t i = 0; i < srv.n_workers; i++) {
		if (srv.workers[i]->have_board)
			fk_board_release(&srv.workers[i]->board);
		shared_text_unref(srv.workers[i]->text);
		fk_store_close(srv.workers[i]->st);
		free(srv.workers[i]);
	}
	free(srv.workers);
	fprintf(stderr, "%s",
	        TR(c->lang, "fukkyu serve stopped\n", "fukkyu serve を停止しました\n"));
	return FK_OK;
}

const char *login_dummy_hash(void)
{
	/* The argon2id string of 32 random bytes that were thrown away (same parameters as
	 * fk_password_hash): verifying against it costs what a real check costs. */
	return "$argon2id$v=19$m=65536,t=2,p=1$5jzouDMnTnEQ/OLYfGu//w$"
	       "0rzha1G5/CxT0ElHr0wsLBbT96Pgdu6TGvnFQStuN30";
}
