/*
 * user.c - roles, password hashing and secrets (user.h).
 */
#include "fukkyu/common.h"
#include "fukkyu/recovery.h"
#include "fukkyu/user.h"
#include "store/store.h"
#include "util/hash.h"
#include "util/utf8.h"

#include <ctype.h>
#include <pthread.h>
#include <sodium.h>

const struct fk_enum fk_user_roles[FK_UROLE_COUNT] = {
    [FK_UROLE_ADMIN] = {"admin", "administrator", "管理者"},
    [FK_UROLE_OWNER] = {"owner", "recovery owner", "復旧責任者"},
    [FK_UROLE_RESPONDER] = {"responder", "responder", "対応者"},
    [FK_UROLE_APPROVER] = {"approver", "approver", "承認者"},
    [FK_UROLE_VIEWER] = {"viewer", "viewer", "閲覧者"},
};

void fk_user_release(struct fk_user *u)
{
	free(u->name);
	free(u->display_name);
	memset(u, 0, sizeof *u);
}

enum fk_code fk_user_name_check(const char *name, struct fk_err *err)
{
	size_t n = strlen(name);
	bool ok = n >= 1 && n <= 64 &&
	          (islower((unsigned char)name[0]) || isdigit((unsigned char)name[0]));
	for (size_t i = 0; ok && i < n; i++)
		ok = islower((unsigned char)name[i]) || isdigit((unsigned char)name[i]) ||
		     strchr("._-", name[i]);
	if (!ok)
		return FK_ERR(
		    err, FK_EINVAL, "name",
		    "user name '%.80s': expected 1-64 of a-z, 0-9, '.', '_', '-', starting "
		    "with a letter or digit",
		    "ユーザ名 '%.80s': a-z, 0-9, '.', '_', '-' の 1〜64 文字 (先頭は英数字) "
		    "にしてください",
		    name);
	return FK_OK;
}

static pthread_mutex_t hashing_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t hashing_cond = PTHREAD_COND_INITIALIZER;
static int hashing;

/* Bounds the argon2id computations running at once (memory: 64 MiB each). */
static void hashing_enter(void)
{
	pthread_mutex_lock(&hashing_lock);
	while (hashing >= FK_HASHING_MAX)
		pthread_cond_wait(&hashing_cond, &hashing_lock);
	hashing++;
	pthread_mutex_unlock(&hashing_lock);
}

static void hashing_leave(void)
{
	pthread_mutex_lock(&hashing_lock);
	hashing--;
	pthread_cond_signal(&hashing_cond);
	pthread_mutex_unlock(&hashing_lock);
}

static void sodium_ready(void)
{
	if (sodium_init() < 0)
		abort();
}

enum fk_code fk_password_hash(const char *password, char **out, struct fk_err *err)
{
	size_t n = strlen(password);
	*out = NULL;
	if (n < 8 || n > 1024 || !fk_utf8_valid(password, n))
		return FK_ERR0(err, FK_EINVAL, "password",
		               "the password must be 8 to 1024 bytes of UTF-8",
		               "パスワードは UTF-8 で 8〜1024 バイトにしてください");
	sodium_ready();
	char buf[crypto_pwhash_STRBYTES];
	hashing_enter();
	int r =
	    crypto_pwhash_str_alg(buf, password, n, crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                          crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13);
	hashing_leave();
	if (r)
		return FK_ERR0(err, FK_EIO, "password", "out of memory while hashing the password",
		               "パスワードのハッシュ計算でメモリが不足しました");
	*out = fk_xstrdup(buf);
	return FK_OK;
}

bool fk_password_verify(const char *stored, const char *password)
{
	if (!stored || !password || strlen(password) > 1024)
		return false;
	sodium_ready();
	hashing_enter();
	bool ok = crypto_pwhash_str_verify(stored, password, strlen(password)) == 0;
	hashing_leave();
	return ok;
}

void fk_secret_new(char token[static 44], char hash[static 65])
{
	unsigned char raw[32];
	sodium_ready();
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(token, 44, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
	fk_secret_hash(token, hash);
}

void fk_secret_hash(const char *token, char hash[static 65])
{
	fk_sha256_hex(token, strlen(token), hash);
}

static enum fk_code finish(struct fk_ctx *c, enum fk_code rc, struct fk_err *err)
{
	if (!rc)
		return fk_store_commit(c->st, err);
	fk_store_rollback(c->st);
	return rc;
}

/* A one-line text of up to 200 bytes (display names, token labels), or NULL. */
static enum fk_code short_text(const char *d, const char *field, struct fk_err *err)
{
	if (!d)
		return FK_OK;
	if (strlen(d) > 200)
		return FK_ERR(err, FK_EINVAL, field, "%s is over 200 bytes",
		              "%s が 200 バイトを超えています", field);
	return fk_text_check(d, field, err);
}

enum fk_code fk_user_create(struct fk_ctx *c, struct fk_user *u, const char *password,
                            struct fk_err *err)
{
	char *hash = NULL;
	enum fk_code rc = fk_user_name_check(u->name, err);
	if (!rc)
		rc = short_text(u->display_name, "--display", err);
	if (!rc && password)
		rc = fk_password_hash(password, &hash, err);
	if (!rc && !(rc = fk_store_begin(c->st, c->actor, c->now, err)))
		rc = finish(c, fk_store_user_add(c->st, u, hash, err), err);
	free(hash);
	return rc;
}

enum fk_code fk_user_update(struct fk_ctx *c, const char *name, int role, int disabled,
                            const char *display_name, const char *password, struct fk_err *err)
{
	char *hash = NULL;
	struct fk_user old, u;
	enum fk_code rc = short_text(display_name, "--display", err);
	if (!rc && password)
		rc = fk_password_hash(password, &hash, err);
	if (rc || (rc = fk_store_begin(c->st, c->actor, c->now, err))) {
		free(hash);
		return rc;
	}
	rc = fk_store_user_get(c->st, name, 0, &old, err);
	if (!rc) {
		u = old;
		if (role >= 0)
			u.role = role;
		if (disabled >= 0)
			u.disabled = disabled;
		if (display_name)
			u.display_name = (char *)(uintptr_t)display_name;
		rc = fk_store_user_set(c->st, &old, &u, hash, err);
		fk_user_release(&old);
	}
	free(hash);
	return finish(c, rc, err);
}

enum fk_code fk_token_create(struct fk_ctx *c, const char *user, const char *label,
                             char token[static 44], int64_t *id, struct fk_err *err)
{
	char hash[65];
	struct fk_user u;
	enum fk_code rc = short_text(label, "--label", err);
	if (rc || (rc = fk_store_begin(c->st, c->actor, c->now, err)))
		return rc;
	rc = fk_store_user_get(c->st, user, 0, &u, err);
	if (!rc) {
		fk_secret_new(token, hash);
		rc = fk_store_token_add(c->st, &u, hash, label, id, err);
		fk_user_release(&u);
	}
	return finish(c, rc, err);
}

enum fk_code fk_token_revoke(struct fk_ctx *c, int64_t id, struct fk_err *err)
{
	enum fk_code rc = fk_store_begin(c->st, c->actor, c->now, err);
	return rc ? rc : finish(c, fk_store_token_revoke(c->st, id, err), err);
}

enum fk_code fk_incident_member(struct fk_ctx *c, const char *id, const char *user, bool member,
                                struct fk_err *err)
{
	struct fk_incident inc;
	struct fk_user u;
	enum fk_code rc = fk_store_begin(c->st, c->actor, c->now, err);
	if (rc)
		return rc;
	if (!(rc = fk_store_incident_find(c->st, id, &inc, err))) {
		if (!(rc = fk_store_user_get(c->st, user, 0, &u, err))) {
			rc = fk_store_member_set(c->st, inc.id, &u, member, err);
			fk_user_release(&u);
		}
		fk_incident_release(&inc);
	}
	return finish(c, rc, err);
}

enum fk_code fk_incident_restrict(struct fk_ctx *c, const char *id, bool restricted,
                                  struct fk_err *err)
{
	struct fk_incident inc;
	enum fk_code rc = fk_store_begin(c->st, c->actor, c->now, err);
	if (rc)
		return rc;
	if (!(rc = fk_store_incident_find(c->st, id, &inc, err))) {
		rc = fk_store_incident_restrict(c->st, inc.id, restricted, inc.ref, err);
		fk_incident_release(&inc);
	}
	return finish(c, rc, err);
}
