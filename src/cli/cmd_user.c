/*
 * cmd_user.c - fukkyu user add|list|set|disable and fukkyu token add|revoke: the people the
 * server lets in. The CLI acts as a local administrator on the database file.
 */
#include "fukkyu/common.h"
#include "util/ident.h"
#include "cli.h"

#include <sodium.h>

/* One line from standard input (a password): without its newline, at most 1024 bytes. */
static enum fk_code read_password(struct cli *c, char **out)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, stdin);
	if (n < 0) {
		free(line);
		return FK_ERR0(&c->err, FK_EINVAL, "--password-stdin",
		               "no password on standard input: give it as one line",
		               "標準入力にパスワードがありません: 1 行で渡してください");
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	*out = line;
	return FK_OK;
}

static json_t *user_json(const struct fk_user *u)
{
	return json_pack("{s:I, s:s, s:o, s:s, s:b, s:b}", "id", (json_int_t)u->id, "name", u->name,
	                 "display_name", cli_json_str(u->display_name), "role",
	                 fk_user_roles[u->role].key, "disabled", u->disabled, "password",
	                 u->has_password);
}

static enum fk_code user_add(struct cli *c, int argc, char **argv)
{
	struct fk_user u = {.role = FK_UROLE_VIEWER};
	bool from_stdin = false, help;
	const char *display = NULL;
	const struct opt opts[] = {
	    {"role", NULL, OPT_ENUM, &u.role, fk_user_roles, FK_UROLE_COUNT,
	     "role (default viewer)", "役割 (既定 viewer)"},
	    {"display", "TEXT", OPT_STR, &display, NULL, 0, "name shown in the UI", "表示名"},
	    {"password-stdin", NULL, OPT_FLAG, &from_stdin, NULL, 0,
	     "read the password from standard input (else: API tokens only)",
	     "パスワードを標準入力から読む (なければ API トークンのみ)"},
	};
	char *pos[1], *password = NULL;
	int npos;
	enum fk_code rc = cli_parse(c, argc, argv, opts, FK_ARRAY_LEN(opts),
	                            "user add NAME [--role R] [--display TEXT] [--password-stdin]",
	                            1, 1, pos, &npos, &help);
	if (rc || help || (from_stdin && (rc = read_password(c, &password))))
		return rc;
	u.name = fk_xstrdup(pos[0]);
	u.display_name = display ? fk_xstrdup(display) : NULL;
	rc = fk_user_create(&c->ctx, &u, password, &c->err);
	if (!rc && c->json)
		cli_json_out(user_json(&u));
	else if (!rc)
		printf(TR(c->lang, "user %s added (%s)\n", "ユーザ %s を追加しました (%s)\n"),
		       u.name, fk_enum_label(fk_user_roles, FK_UROLE_COUNT, u.role, c->lang));
	if (password)
		memset(password, 0, strlen(password));
	free(password);
	fk_user_release(&u);
	return rc;
}

static enum fk_code user_list(struct cli *c, int argc, char **argv)
{
	bool help;
	int npos;
	struct fk_user *u;
	size_t n;
	enum fk_code rc = cli_parse(c, argc, argv, NULL, 0, "user list", 0, 0, NULL, &npos, &help);
	if (rc || help || (rc = fk_store_users(c->st, &u, &n, &c->err)))
		return rc;
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		if (c->json)
			json_array_append_new(arr, user_json(&u[i]));
		else
			printf("%-20s %-12s %s%s\n", u[i].name, fk_user_roles[u[i].role].key,
			       u[i].display_name ? u[i].display_name : "",
			       u[i].disabled ? TR(c->lang, "  (disabled)", "  (無効)") : "");
	}
	if (c->json)
		cli_json_out(json_pack("{s:O}", "users", arr));
	json_decref(arr);
	FK_FREE_ARRAY(u, n, fk_user_release);
	return FK_OK;
}

static enum fk_code user_change(struct cli *c, int argc, char **argv, bool disable)
{
	int role = -1, enable = -1;
	bool from_stdin = false, help;
	const char *display = NULL;
	const struct opt opts[] = {
	    {"role", NULL, OPT_ENUM, &role, fk_user_roles, FK_UROLE_COUNT, "new role",
	     "新しい役割"},
	    {"display", "TEXT", OPT_STR, &display, NULL, 0, "name shown in the UI", "表示名"},
	    {"enabled", NULL, OPT_YESNO, &enable, NULL, 0, "may sign in (yes) or not (no)",
	     "ログイン可 (yes) か不可 (no) か"},
	    {"password-stdin", NULL, OPT_FLAG, &from_stdin, NULL, 0,
	     "read a new password from standard input", "新しいパスワードを標準入力から読む"},
	};
	char *pos[1], *password = NULL;
	int npos;
	enum fk_code rc =
	    disable
	        ? cli_parse(c, argc, argv, NULL, 0, "user disable NAME", 1, 1, pos, &npos, &help)
	        : cli_parse(c, argc, argv, opts, FK_ARRAY_LEN(opts),
	                    "user set NAME [--role R] [--display TEXT] [--enabled yes|no] "
	                    "[--password-stdin]",
	                    1, 1, pos, &npos, &help);
	if (rc || help || (from_stdin && (rc = read_password(c, &password))))
		return rc;
	rc = fk_user_update(&c->ctx, pos[0], role,
	                    disable      ? 1
	                    : enable < 0 ? -1
	                                 : !enable,
	                    display, password, &c->err);
	if (!rc && !c->json)
		printf(TR(c->lang, "user %s changed\n", "ユーザ %s を変更しました\n"), pos[0]);
	else if (!rc)
		cli_json_out(json_pack("{s:s}", "user", pos[0]));
	if (password)
		memset(password, 0, strlen(password));
	free(password);
	return rc;
}

static enum fk_code user_set(struct cli *c, int argc, char **argv)
{
	return user_change(c, argc, argv, false);
}

static enum fk_code user_disable(struct cli *c, int argc, char **argv)
{
	return user_change(c, argc, argv, true);
}

enum fk_code cmd_user(struct cli *c, int argc, char **argv)
{
	static const struct subcmd subs[] = {
	    {"add", user_add, "add a user of the server", "サーバのユーザを追加する"},
	    {"list", user_list, "the users and their roles", "ユーザと役割の一覧"},
	    {"set", user_set, "change a user's role, name, password or access",
	     "ユーザの役割・表示名・パスワード・利用可否を変更する"},
	    {"disable", user_disable, "stop a user from signing in (ends their sessions)",
	     "ユーザのログインを止める (セッションも終了)"},
	};
	return cli_dispatch(c, argc, argv, subs, FK_ARRAY_LEN(subs));
}

static enum fk_code token_add(struct cli *c, int argc, char **argv)
{
	const char *label = NULL;
	bool help;
	const struct opt opts[] = {
	    {"label", "TEXT", OPT_STR, &label, NULL, 0, "what the token is for", "用途"},
	};
	char *pos[1], token[44];
	int npos;
	int64_t id = 0;
	enum fk_code rc = cli_parse(c, argc, argv, opts, FK_ARRAY_LEN(opts),
	                            "token add USER [--label TEXT]", 1, 1, pos, &npos, &help);
	if (rc || help || (rc = fk_token_create(&c->ctx, pos[0], label, token, &id, &c->err)))
		return rc;
	if (c->json)
		cli_json_out(json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "user", pos[0],
		                       "token", token));
	else
		printf(TR(c->lang,
		          "token T%lld for %s (shown this once; send it as 'Authorization: Bearer "
		          "TOKEN'):\n%s\n",
		          "トークン T%lld (%s 用、表示はこの一度だけです。'Authorization: Bearer "
		          "トークン' で送ります):\n%s\n"),
		       (long long)id, pos[0], token);
	sodium_memzero(token, sizeof token);
	return FK_OK;
}

static enum fk_code token_revoke(struct cli *c, int argc, char **argv)
{
	bool help;
	char *pos[1];
	int npos;
	enum fk_code rc =
	    cli_parse(c, argc, argv, NULL, 0, "token revoke T<N>", 1, 1, pos, &npos, &help);
	if (rc || help)
		return rc;
	long long id = fk_ident_no(pos[0], 'T');
	if (!id)
		return FK_ERR(&c->err, FK_EUSAGE, "token", "'%s' is not a token number like T3",
		              "'%s' は T3 のようなトークン番号ではありません", pos[0]);
	if ((rc = fk_token_revoke(&c->ctx, id, &c->err)))
		return rc;
	if (!c->json)
		printf(TR(c->lang, "T%lld revoked\n", "T%lld を無効にしました\n"), id);
	else
		cli_json_out(json_pack("{s:I}", "revoked", (json_int_t)id));
	return FK_OK;
}

enum fk_code cmd_token(struct cli *c, int argc, char **argv)
{
	static const struct subcmd subs[] = {
	    {"add", token_add, "a new API token for a user (printed once)",
	     "ユーザの API トークンを発行する (表示は一度だけ)"},
	    {"revoke", token_revoke, "revoke an API token", "API トークンを無効にする"},
	};
	return cli_dispatch(c, argc, argv, subs, FK_ARRAY_LEN(subs));
}
