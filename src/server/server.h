/*
 * server.h - fukkyu serve (internal to src/server): a request, the route table, handlers.
 */
#ifndef FK_SERVER_H
#define FK_SERVER_H

#include "fukkyu/common.h"
#include "../cli/cli.h"
#include "fukkyu/user.h"
#include "util/route.h"

#include <jansson.h>

/* NEED_MEMBER: NEED_WRITE, and a member of the incident {id} (or an administrator): the
 * handler checks the membership (interviews). */
enum need { NEED_NONE, NEED_READ, NEED_WRITE, NEED_OWNER, NEED_ADMIN, NEED_MEMBER };

struct req {
	const char *method, *path;
	const char *body;
	size_t body_len;
	char params[FK_ROUTE_PARAMS][FK_ROUTE_PARAM_MAX]; /* {id}, {item}, ... in order */
	struct fk_user user;                              /* signed in (authed) */
	bool authed, by_cookie;
	char csrf[65];              /* the session's CSRF token (cookie sign-in) */
	char addr[64];              /* the client's address: the audit trail's origin */
	struct cli c;               /* lang, zone, store, context and error, as the CLI has them */
	int status;                 /* 200 unless a handler says otherwise */
	json_t *out;                /* the answer */
	struct shared_text *shared; /* or the answer as text already (a cached page) */
	char cookie[256];           /* a Set-Cookie header to send, or "" */
	char etag[32];              /* an ETag header to send (a record's revision), or "" */
	/* or a file to download (documents, exports): its bytes (malloc'd), type and name */
	char *raw;
	size_t raw_len;
	const char *raw_type;
	char raw_name[160];
	void *conn; /* the MHD connection (headers) */
};

/* Optimistic concurrency. A record's revision (store.h: fk_store_record_rev) goes out as
 * "rev" in its JSON and as its ETag; a write that sends If-Match: "REV" fails with 409 (and
 * writes nothing) when someone changed the record since. Without If-Match the write
 * applies as sent. req_expect reads the header (422 when it is not a revision). */
enum fk_code req_expect(struct req *r, const struct fk_incident *inc, const char *entity,
                        const char *key);
/* Adds "rev" to r->out (an object) and sets the ETag. */
enum fk_code req_rev(struct req *r, const struct fk_incident *inc, const char *entity,
                     const char *key);

typedef enum fk_code (*handler_fn)(struct req *r);

/* A query parameter as a number in [lo, hi] (def when absent); 422 when not. */
enum fk_code req_int(struct req *r, const char *name, int64_t def, int64_t lo, int64_t hi,
                     int64_t *out);
/* This worker thread's board, rebuilt when the data changed or the minute turned; *key is
 * set to the data version and minute it was built for. */
enum fk_code worker_board(struct req *r, const struct fk_board **out, int64_t key[2]);
/* An answer's text shared by the responses that send it (no copy per request). */
struct MHD_Response;
struct shared_text {
	_Atomic int refs;
	size_t len;
	struct MHD_Response *resp; /* the answer made from it once, queued for every request */
	char data[];
};
/* Takes text (from json_dumps) as a shared text with one reference. */
struct shared_text *shared_text_new(char *text);
void shared_text_unref(struct shared_text *t);
/* A worker's one-entry cache of an answer's text: a new reference to the text cached under
 * key, or NULL; and storing one (the cache takes its own reference). */
struct shared_text *worker_text_get(const char *key);
void worker_text_put(const char *key, struct shared_text *t);
/* A cookie of the request, or NULL. */
const char *req_cookie(struct req *r, const char *name);
/* The request's JSON body as an object (400/422 on anything else). */
enum fk_code req_json(struct req *r, json_t **out);
/* Members of a JSON body, each absent or null (the output left as it was) or of its type
 * (else FK_EINVAL naming it): a text, one of an enum's keys, a time (ISO 8601, in the
 * server's zone when it has none), a whole number, a boolean (0 or 1), a list of at most
 * max texts (pointers into o). */
enum fk_code body_str(struct req *r, json_t *o, const char *key, const char **out);
enum fk_code body_enum(struct req *r, json_t *o, const char *key, const struct fk_enum *table,
                       size_t n, int *out);
enum fk_code body_time(struct req *r, json_t *o, const char *key, int64_t *out);
enum fk_code body_int(struct req *r, json_t *o, const char *key, int64_t *out);
enum fk_code body_bool(struct req *r, json_t *o, const char *key, int *out);
enum fk_code body_strings(struct req *r, json_t *o, const char *key, size_t max, char **out,
                          size_t *n);
/* Answers with an incident's document from a CLI builder, if the asker may see it. */
enum fk_code incident_doc(struct req *r, cli_doc_fn build);
/* The same, with the record's revision (entity: one record per incident) in "rev" and ETag. */
enum fk_code incident_doc_rev(struct req *r, cli_doc_fn build, const char *entity);
/* A query argument (?name=), or NULL. */
const char *req_query(struct req *r, const char *name);
/* A request header, or NULL. */
const char *req_header(struct req *r, const char *name);
/* The incident {id} if r's user may see it; a restricted one is "not found" to others. */
enum fk_code req_incident(struct req *r, struct fk_incident *inc);
/* The same for an incident named elsewhere (a body member). */
enum fk_code req_incident_id(struct req *r, const char *id, struct fk_incident *inc);

#define ROUTE(m, path, fn, need, en, ja) enum fk_code fn(struct req *r);
#include "routes.def"
#undef ROUTE

struct route {
	const char *method, *path;
	handler_fn fn;
	enum need need;
	const char *en, *ja;
};
extern const struct route fk_routes[];
extern const size_t fk_n_routes;

/* Session length, and the login attempts allowed per user and address in a window. */
#define SESSION_SECONDS  (12 * 3600)
#define LOGIN_FAILS_MAX  5
#define LOGIN_WINDOW_SEC (15 * 60)
/* A sign-in attempt of name from addr: false when the pair is over the limit; else the
 * attempt counts as a failure until login_end says it succeeded. */
bool login_begin(const char *name, const char *addr);
void login_end(const char *name, const char *addr, bool ok);
/* An argon2id string no password matches: sign-ins naming no usable user are verified
 * against it, so that they take as long as the others. */
const char *login_dummy_hash(void);

#endif
