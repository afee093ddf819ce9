/*
 * main.c - the fukkyu command: global options, the command table, errors and exit codes.
 *
 * Exit codes: 0 ok, 1 failure (not found, refused, database), 2 usage.
 */
#include "fukkyu/common.h"
#include "cli.h"
#include "util/buf.h"
#include "util/time.h"
#include "util/utf8.h"

#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#define CMD_NO_DB 1

static const struct {
	const char *name;
	enum fk_code (*fn)(struct cli *c, int argc, char **argv);
	int flags;
	const char *en, *ja;
} commands[] = {
#define CMD(name, flags, en, ja) {#name, cmd_##name, flags, en, ja},
#include "commands.def"
#undef CMD
};

static enum fk_lang lang_from_env(void)
{
	const char *vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
	for (size_t i = 0; i < FK_ARRAY_LEN(vars); i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return !strncmp(v, "ja", 2) ? FK_LANG_JA : FK_LANG_EN;
	}
	return FK_LANG_EN;
}

static void default_actor(char *out, size_t n)
{
	const char *env = getenv("FUKKYU_AS");
	struct passwd pw, *res = NULL;
	char buf[1024];
	if (env && *env) {
		snprintf(out, n, "%s", env);
	} else if (!getpwuid_r(geteuid(), &pw, buf, sizeof buf, &res) && res) {
		snprintf(out, n, "%s", res->pw_name);
	} else {
		snprintf(out, n, "uid-%ld", (long)geteuid());
	}
}

static void usage(struct cli *c, FILE *f)
{
	fprintf(f, "%s\n\n",
	        TR(c->lang, "fukkyu — incident recovery management",
	           "fukkyu (復旧) — インシデント復旧管理"));
	fprintf(f,
	        "%s: fukkyu [--db PATH] [--json] [--lang ja|en] [--as NAME] [--tz ZONE] "
	        "<%s> ...\n\n",
	        TR(c->lang, "usage", "使い方"), TR(c->lang, "command", "コマンド"));
	for (size_t i = 0; i < FK_ARRAY_LEN(commands); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name,
		        cli_pick(c, commands[i].ja, commands[i].en));
	fprintf(f, "\n%s\n",
	        TR(c->lang,
	           "Global options: --db PATH (or FUKKYU_DB), --json (one JSON document on "
	           "stdout), --lang ja|en (default from LANG),\n  --as NAME (who acts; default "
	           "FUKKYU_AS or the login name), --tz ZONE (display zone; default Asia/Tokyo).\n"
	           "'fukkyu COMMAND --help' describes a command.",
	           "共通オプション: --db PATH (または FUKKYU_DB)、--json (標準出力に JSON を1つ)、"
	           "--lang ja|en (既定は LANG から)、\n  --as NAME (操作者。既定は FUKKYU_AS か"
	           "ログイン名)、--tz ZONE (表示のタイムゾーン。既定 Asia/Tokyo)。\n"
	           "各コマンドの説明は 'fukkyu COMMAND --help'。"));
}

static int fail(struct cli *c, enum fk_code rc)
{
	const char *msg = fk_err_msg(&c->err, c->lang);
	if (!*msg)
		msg = fk_code_name(rc);
	fprintf(stderr, "fukkyu: %s: %s\n", TR(c->lang, "error", "エラー"), msg);
	if (rc == FK_EUSAGE && c->cmd)
		fprintf(stderr, "%s\n",
		        c->lang == FK_LANG_JA ? "詳しくは 'fukkyu --help' を参照してください"
		                              : "see 'fukkyu --help'");
	return fk_code_exit(rc);
}

int main(int argc, char **argv)
{
	struct cli c = {0};
	/* A file size limit (RLIMIT_FSIZE) reached is a failed write (EFBIG: the transaction is
	 * rolled back and reported), not a process killed in the middle of a request. */
	signal(SIGXFSZ, SIG_IGN);
	c.lang = lang_from_env();
	c.db = getenv("FUKKYU_DB");
	c.tz = getenv("FUKKYU_TZ") && *getenv("FUKKYU_TZ") ? getenv("FUKKYU_TZ") : FK_TZ_DEFAULT;
	default_actor(c.actor, sizeof c.actor);
	int i = 1;
	enum fk_code rc = FK_OK;

	/* Global options come before the command. */
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--json")) {
			c.json = true;
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(&c, stdout);
			return 0;
		} else if (!strcmp(a, "--version")) {
			printf("fukkyu %s (schema %d)\n", FK_VERSION, fk_store_known_version());
			return 0;
		} else if (!strcmp(a, "--db") || !strcmp(a, "--lang") || !strcmp(a, "--as") ||
		           !strcmp(a, "--tz")) {
			if (!v) {
				FK_ERR(&c.err, FK_EUSAGE, a, "option '%s' needs a value",
				       "オプション '%s' には値が必要です", a);
				return fail(&c, FK_EUSAGE);
			}
			i++;
			if (!strcmp(a, "--db")) {
				c.db = v;
			} else if (!strcmp(a, "--tz")) {
				c.tz = v;
			} else if (!strcmp(a, "--as")) {
				if (!*v || strlen(v) >= sizeof c.actor ||
				    fk_text_check(v, "--as", &c.err)) {
					FK_ERR0(&c.err, FK_EUSAGE, "--as",
					        "--as needs a name of 1 to 127 bytes of UTF-8 text",
					        "--as には 1〜127 バイトの UTF-8 "
					        "の名前を指定してください");
					return fail(&c, FK_EUSAGE);
				}
				snprintf(c.actor, sizeof c.actor, "%s", v);
			} else if (!strcmp(v, "ja") || !strcmp(v, "en")) {
				c.lang = !strcmp(v, "ja") ? FK_LANG_JA : FK_LANG_EN;
			} else {
				FK_ERR(&c.err, FK_EUSAGE, "--lang",
				       "unknown language '%s': expected ja or en",
				       "言語 '%s' は使えません: ja か en を指定してください", v);
				return fail(&c, FK_EUSAGE);
			}
		} else {
			FK_ERR(&c.err, FK_EUSAGE, a,
			       "unknown global option '%s': expected --db, --json, --lang, --as, "
			       "--tz, "
			       "--help or --version (command options go after the command)",
			       "'%s' は共通オプションではありません: --db, --json, --lang, --as, "
			       "--tz, "
			       "--help, --version のいずれかです "
			       "(コマンドのオプションはコマンドの後に)",
			       a);
			return fail(&c, FK_EUSAGE);
		}
	}
	if (i >= argc) {
		usage(&c, stderr);
		return 2;
	}
	if ((rc = fk_tz_check(c.tz, &c.err)))
		return fail(&c, rc);
	const char *name = argv[i];
	for (size_t k = 0; k < FK_ARRAY_LEN(commands); k++) {
		if (strcmp(commands[k].name, name))
			continue;
		c.cmd = name;
		if (!(commands[k].flags & CMD_NO_DB))
			rc = cli_store(&c, false);
		if (!rc)
			rc = commands[k].fn(&c, argc - i, argv + i);
		fk_store_close(c.st);
		if (fflush(stdout) || ferror(stdout)) {
			fprintf(stderr, "fukkyu: %s\n",
			        TR(c.lang, "cannot write the output", "出力を書き込めません"));
			return 1;
		}
		return rc ? fail(&c, rc) : 0;
	}
	struct fk_buf list = FK_BUF_INIT;
	for (size_t k = 0; k < FK_ARRAY_LEN(commands); k++)
		(void)fk_buf_addf(&list, "%s%s", k ? ", " : "", commands[k].name);
	FK_ERR(&c.err, FK_EUSAGE, name, "unknown command '%s': expected one of %s",
	       "'%s' というコマンドはありません: %s のいずれかです", name, list.ptr);
	fk_buf_release(&list);
	return fail(&c, FK_EUSAGE);
}
