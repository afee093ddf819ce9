/*
 * cli.c - the option parser, sub-command dispatch and output helpers of the CLI.
 */
#include "fukkyu/common.h"
#include "cli.h"
#include "util/buf.h"
#include "util/time.h"
#include "util/utf8.h"

#include <errno.h>

static const char *const type_arg[] = {
    [OPT_FLAG] = NULL,   [OPT_STR] = "TEXT", [OPT_INT] = "N",
    [OPT_TIME] = "TIME", [OPT_ENUM] = "KEY", [OPT_YESNO] = "yes|no",
};

static void print_help(struct cli *c, const struct opt *opts, size_t nopts, const char *usage)
{
	printf("%s: fukkyu %s\n", TR(c->lang, "usage", "使い方"), usage);
	if (nopts)
		printf("\n%s:\n", TR(c->lang, "options", "オプション"));
	for (size_t i = 0; i < nopts; i++) {
		const struct opt *o = &opts[i];
		char left[64];
		const char *arg = o->arg ? o->arg : type_arg[o->type];
		snprintf(left, sizeof left, "--%s%s%s", o->name, arg ? " " : "", arg ? arg : "");
		printf("  ");
		fk_utf8_fput(stdout, left, 30);
		printf(" %s", cli_pick(c, o->ja, o->en));
		if (o->type == OPT_ENUM) {
			printf(" (");
			for (size_t k = 0; k < o->table_n; k++)
				printf("%s%s", k ? ", " : "", o->table[k].key);
			printf(")");
		}
		printf("\n");
	}
}

static enum fk_code set_opt(struct cli *c, const struct opt *o, const char *v)
{
	char field[48];
	snprintf(field, sizeof field, "--%s", o->name);
	switch (o->type) {
	case OPT_FLAG:
		*(bool *)o->dest = true;
		return FK_OK;
	case OPT_STR:
		*(const char **)o->dest = v;
		return FK_OK;
	case OPT_INT: {
		char *end;
		errno = 0;
		long long n = strtoll(v, &end, 10);
		if (!*v || *end || errno || n < 0)
			return FK_ERR(&c->err, FK_EUSAGE, field,
			              "%s: '%s' is not a whole number of 0 or more",
			              "%s: '%s' は 0 以上の整数ではありません", field, v);
		*(int64_t *)o->dest = n;
		return FK_OK;
	}
	case OPT_TIME:
		return fk_time_parse(v, c->tz, field, (int64_t *)o->dest, &c->err);
	case OPT_ENUM:
		return fk_enum_parse(o->table, o->table_n, v, field, (int *)o->dest, &c->err);
	case OPT_YESNO:
		if (!strcmp(v, "yes") || !strcmp(v, "true")) {
			*(int *)o->dest = 1;
			return FK_OK;
		}
		if (!strcmp(v, "no") || !strcmp(v, "false")) {
			*(int *)o->dest = 0;
			return FK_OK;
		}
		return FK_ERR(&c->err, FK_EUSAGE, field, "%s: '%s' is not yes or no",
		              "%s: '%s' は yes か no で指定してください", field, v);
	}
	return FK_EUSAGE;
}

enum fk_code cli_parse(struct cli *c, int argc, char **argv, const struct opt *opts, size_t nopts,
                       const char *usage, int min_pos, int max_pos, char **pos, int *npos,
                       bool *help)
{
	bool only_pos = false;
	*npos = 0;
	*help = false;
	for (int i = 1; i < argc; i++) {
		char *a = argv[i];
		if (only_pos || a[0] != '-' || !a[1] || (a[1] != '-' && strcmp(a, "-h"))) {
			if (*npos >= max_pos)
				return FK_ERR(&c->err, FK_EUSAGE, a,
				              "unexpected argument '%s': usage: fukkyu %s",
				              "余分な引数 '%s' があります: 使い方: fukkyu %s", a,
				              usage);
			pos[(*npos)++] = a;
			continue;
		}
		if (!strcmp(a, "--")) {
			only_pos = true;
			continue;
		}
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			print_help(c, opts, nopts, usage);
			*help = true;
			return FK_OK;
		}
		const char *name = a + 2, *eq = strchr(name, '=');
		size_t len = eq ? (size_t)(eq - name) : strlen(name);
		const struct opt *o = NULL;
		for (size_t k = 0; k < nopts && !o; k++)
			if (strlen(opts[k].name) == len && !strncmp(opts[k].name, name, len))
				o = &opts[k];
		if (!o) {
			struct fk_buf list = FK_BUF_INIT;
			for (size_t k = 0; k < nopts; k++)
				(void)fk_buf_addf(&list, "%s--%s", k ? ", " : "", opts[k].name);
			FK_ERR(&c->err, FK_EUSAGE, a, "unknown option '%.*s' for '%s': valid: %s",
			       "'%.*s' は '%s' のオプションではありません: 使えるオプション: %s",
			       (int)len + 2, a, c->cmd, list.len ? list.ptr : "-");
			fk_buf_release(&list);
			return FK_EUSAGE;
		}
		const char *v = NULL;
		if (o->type == OPT_FLAG) {
			if (eq)
				return FK_ERR(&c->err, FK_EUSAGE, a, "option '--%s' takes no value",
				              "オプション '--%s' に値は指定できません", o->name);
		} else if (eq) {
			v = eq + 1;
		} else if (i + 1 < argc) {
			v = argv[++i];
		} else {
			return FK_ERR(&c->err, FK_EUSAGE, a, "option '--%s' needs a value (%s)",
			              "オプション '--%s' には値 (%s) が必要です", o->name,
			              o->arg ? o->arg : type_arg[o->type]);
		}
		enum fk_code rc = set_opt(c, o, v);
		if (rc)
			return rc;
	}
	if (*npos < min_pos)
		return FK_ERR(&c->err, FK_EUSAGE, c->cmd, "missing arguments: usage: fukkyu %s",
		              "引数が足りません: 使い方: fukkyu %s", usage);
	return FK_OK;
}

enum fk_code cli_dispatch(struct cli *c, int argc, char **argv, const struct subcmd *subs, size_t n)
{
	const char *word = argc > 1 ? argv[1] : NULL;
	if (word && (!strcmp(word, "--help") || !strcmp(word, "-h") || !strcmp(word, "help")))
		word = NULL;
	for (size_t i = 0; word && i < n; i++) {
		if (strcmp(subs[i].name, word))
			continue;
		char cmd[64];
		snprintf(cmd, sizeof cmd, "%s %s", argv[0], word);
		c->cmd = cmd;
		enum fk_code rc = subs[i].fn(c, argc - 1, argv + 1);
		c->cmd = argv[0];
		return rc;
	}
	if (!word && argc > 1) {
		printf("%s: fukkyu %s <%s>\n\n", TR(c->lang, "usage", "使い方"), argv[0],
		       TR(c->lang, "command", "コマンド"));
		for (size_t i = 0; i < n; i++) {
			printf("  %-10s ", subs[i].name);
			printf("%s\n", cli_pick(c, subs[i].ja, subs[i].en));
		}
		return FK_OK;
	}
	struct fk_buf list = FK_BUF_INIT;
	for (size_t i = 0; i < n; i++)
		(void)fk_buf_addf(&list, "%s%s", i ? ", " : "", subs[i].name);
	if (word)
		FK_ERR(&c->err, FK_EUSAGE, word, "unknown command '%s %s': expected one of %s",
		       "'%s %s' というコマンドはありません: 次のいずれかです: %s", argv[0], word,
		       list.ptr);
	else
		FK_ERR(&c->err, FK_EUSAGE, argv[0], "'%s' needs a command: one of %s",
		       "'%s' にはコマンドが必要です: %s のいずれか", argv[0], list.ptr);
	fk_buf_release(&list);
	return FK_EUSAGE;
}

enum fk_code cli_store(struct cli *c, bool create)
{
	if (c->st)
		return FK_OK;
	enum fk_code rc = fk_store_open(c->db, create, &c->st, &c->err);
	if (rc)
		return rc;
	c->ctx = (struct fk_ctx){c->st, c->actor, c->tz, fk_time_now()};
	return FK_OK;
}

void cli_json_out(json_t *root)
{
	char *text = json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(6));
	fputs(text ? text : "null", stdout);
	fputc('\n', stdout);
	free(text);
	json_decref(root);
}

static bool jarr_first;

void cli_jarr_begin(json_t *head, const char *key)
{
	const char *k;
	json_t *v;
	fputs("{", stdout);
	json_object_foreach(head, k, v)
	{
		json_t *kj = json_string(k);
		fputs("\n  ", stdout);
		json_dumpf(kj, stdout, JSON_ENCODE_ANY);
		fputs(": ", stdout);
		json_dumpf(v, stdout, JSON_ENCODE_ANY | JSON_INDENT(2));
		fputs(",", stdout);
		json_decref(kj);
	}
	json_decref(head);
	json_t *kj = json_string(key);
	fputs("\n  ", stdout);
	json_dumpf(kj, stdout, JSON_ENCODE_ANY);
	fputs(": [", stdout);
	json_decref(kj);
	jarr_first = true;
}

void cli_jarr_item(json_t *item)
{
	/* One fputs per item: json_dumpf's many small writes cost more than the encoding. */
	char *text = json_dumps(item, JSON_INDENT(2) | JSON_REAL_PRECISION(6));
	fputs(jarr_first ? "\n" : ",\n", stdout);
	fputs(text ? text : "null", stdout);
	free(text);
	json_decref(item);
	jarr_first = false;
}

void cli_jarr_end_items(size_t n)
{
	jarr_first = n == 0;
	cli_jarr_end();
}

void cli_jarr_end(void)
{
	fputs(jarr_first ? "]\n}\n" : "\n  ]\n}\n", stdout);
}

json_t *cli_json_time(struct cli *c, int64_t t)
{
	char buf[40];
	if (t == FK_TIME_NONE)
		return json_null();
	fk_time_local(t, c->tz, buf);
	return json_string(buf);
}

json_t *cli_json_i18n(const char *ja, const char *en)
{
	return json_pack("{s:s?, s:s?}", "ja", ja, "en", en);
}

json_t *cli_json_str(const char *s)
{
	return s ? json_string(s) : json_null();
}

void cli_time(struct cli *c, int64_t t, char out[static 40])
{
	if (t == FK_TIME_NONE) {
		snprintf(out, 40, "-");
		return;
	}
	char iso[40];
	fk_time_local(t, c->tz, iso);
	/* 2026-07-06T07:20+09:00 -> 2026-07-06 07:20 (the zone is said once per screen) */
	char *z = strpbrk(iso + 11, "+-Z");
	if (z)
		*z = '\0';
	iso[10] = ' ';
	snprintf(out, 40, "%s", iso);
}

enum fk_code cli_incident(struct cli *c, const char *id, struct fk_incident *out)
{
	return fk_store_incident_find(c->st, id, out, &c->err);
}

json_t *cli_incident_json(struct cli *c, const struct fk_incident *inc)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(inc->id));
	json_object_set_new(o, "ref", json_string(inc->ref));
	json_object_set_new(o, "title", json_string(inc->title));
	json_object_set_new(o, "kind", json_string(fk_kinds[inc->kind].key));
	json_object_set_new(o, "severity", json_string(fk_severities[inc->severity].key));
	json_object_set_new(o, "state", json_string(fk_states[inc->state].key));
	json_object_set_new(o, "discovered_at", cli_json_time(c, inc->discovered_at));
	json_object_set_new(o, "contained_at", cli_json_time(c, inc->contained_at));
	json_object_set_new(o, "description",
	                    json_string(inc->description ? inc->description : ""));
	json_t *pii = json_object();
	json_object_set_new(pii, "involved", json_boolean(inc->pii));
	json_object_set_new(pii, "count",
	                    inc->pii_count >= 0 ? json_integer(inc->pii_count) : json_null());
	json_object_set_new(pii, "sensitive", json_boolean(inc->pii_sensitive));
	const char *tri_key[] = {"financial", "unlawful", "eu"};
	const int tri[] = {inc->pii_financial, inc->pii_unlawful, inc->pii_eu};
	for (int i = 0; i < 3; i++) /* null: not known yet */
		json_object_set_new(pii, tri_key[i],
		                    tri[i] < 0 ? json_null() : json_boolean(tri[i]));
	json_object_set_new(pii, "items", cli_json_str(inc->pii_items));
	json_object_set_new(pii, "harm", cli_json_str(inc->pii_harm));
	json_object_set_new(o, "personal_data", pii);
	json_object_set_new(o, "clocks_ntp",
	                    inc->clocks_ntp < 0 ? json_null() : json_boolean(inc->clocks_ntp));
	json_object_set_new(o, "recovery_deadline", cli_json_time(c, inc->recovery_deadline));
	json_object_set_new(o, "monitoring_end", cli_json_time(c, inc->monitoring_end));
	json_object_set_new(o, "playbook", json_string(inc->playbook));
	json_object_set_new(o, "created_at", cli_json_time(c, inc->created_at));
	json_object_set_new(o, "created_by", cli_json_str(inc->created_by));
	json_object_set_new(o, "updated_at", cli_json_time(c, inc->updated_at));
	return o;
}

enum fk_code cli_show_doc(struct cli *c, const char *id, cli_doc_fn build)
{
	struct fk_incident inc;
	json_t *doc;
	enum fk_code rc = cli_incident(c, id, &inc);
	if (rc)
		return rc;
	if (!(rc = build(c, &inc, &doc)))
		cli_json_out(doc);
	fk_incident_release(&inc);
	return rc;
}
