/*
 * user.h - the people who use the server: roles, argon2id passwords, API tokens, sessions.
 *
 * The CLI acts as a local administrator on the database file; the server trusts only these
 * users. Passwords are kept as argon2id strings (libsodium), tokens and session cookies
 * only as their SHA-256: a copy of the database gives no way in.
 */
#ifndef FK_USER_H
#define FK_USER_H

#include "fukkyu/common.h"
#include "fukkyu/incident.h"
#include "util/err.h"

enum fk_user_role {
	FK_UROLE_ADMIN,     /* users, roles, every incident */
	FK_UROLE_OWNER,     /* recovery owner: everything on the incidents they may see */
	FK_UROLE_RESPONDER, /* ticks items, adds timeline entries and evidence */
	FK_UROLE_APPROVER,  /* what a responder does, and approves */
	FK_UROLE_VIEWER,    /* reads */
	FK_UROLE_COUNT
};
extern const struct fk_enum fk_user_roles[FK_UROLE_COUNT];

struct fk_user {
	int64_t id;
	char *name, *display_name;
	int role;
	bool disabled, has_password;
	int64_t created_at;
};
void fk_user_release(struct fk_user *u);

/* A user name: 1-64 of a-z, 0-9, '.', '_', '-' (starting with a letter or digit). */
enum fk_code fk_user_name_check(const char *name, struct fk_err *err) FK_WUR;

/* argon2id of a password (8 to 1024 bytes, UTF-8) as libsodium's self-describing string. At
 * most FK_HASHING_MAX hashes run at once (each takes 64 MiB): the others wait. */
#define FK_HASHING_MAX 2
enum fk_code fk_password_hash(const char *password, char **out, struct fk_err *err) FK_WUR;
/* True when password matches the stored string. */
bool fk_password_verify(const char *stored, const char *password);

/* A new random secret (32 bytes, 43 characters of base64url) and its SHA-256 hex for
 * storing. */
void fk_secret_new(char token[static 44], char hash[static 65]);
/* The SHA-256 hex of a secret as presented. */
void fk_secret_hash(const char *token, char hash[static 65]);

/* ---- operations (each one transaction, in the audit trail) ----------------------------- */
struct fk_ctx;

/* Adds u (name, display_name, role) with a password (NULL: none, token-only). */
enum fk_code fk_user_create(struct fk_ctx *c, struct fk_user *u, const char *password,
                            struct fk_err *err) FK_WUR;
/* Changes what is set: role (-1 to keep), disabled (-1 to keep), display name (NULL to
 * keep), password (NULL to keep). */
enum fk_code fk_user_update(struct fk_ctx *c, const char *name, int role, int disabled,
                            const char *display_name, const char *password,
                            struct fk_err *err) FK_WUR;
/* A new API token for the user: the token (shown once) and its number. */
enum fk_code fk_token_create(struct fk_ctx *c, const char *user, const char *label,
                             char token[static 44], int64_t *id, struct fk_err *err) FK_WUR;
enum fk_code fk_token_revoke(struct fk_ctx *c, int64_t id, struct fk_err *err) FK_WUR;
/* Need-to-know: adds or removes a member of an incident; restricts it to its members (and
 * administrators) or opens it to every user. */
enum fk_code fk_incident_member(struct fk_ctx *c, const char *id, const char *user, bool member,
                                struct fk_err *err) FK_WUR;
enum fk_code fk_incident_restrict(struct fk_ctx *c, const char *id, bool restricted,
                                  struct fk_err *err) FK_WUR;

#endif
