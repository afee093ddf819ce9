/*
 * cmd_damage.c - fukkyu damage add|outage|list|summary: the damage and cost ledger of an
 * incident (source: direct and indirect damage; case 3).
 */
#include "fukkyu/common.h"
#include "cli.h"
#include "fukkyu/damage.h"
#include "util/utf8.h"

json_t *cli_damage_json(struct cli *c, const struct fk_damage *d)
{
	char code[16];
	int64_t share[FK_SPLIT_MAX];
	snprintf(code, sizeof code, "D%d", d->no);
	fk_damage_shares(d, share);
	json_t *split = json_array();
	for (int i = 0; i < d->nsplit; i++)
		json_array_append_new(
		    split, json_pack("{s:s, s:i, s:I}", "party", d->split[i].party, "percent",
		                     d->split[i].pct, "amount", (json_int_t)share[i]));
	json_t *o =
	    json_pack("{s:s, s:s, s:s, s:o, s:I, s:s, s:o, s:o, s:o, s:o, s:s}", "id", code,
	              "category", fk_damage_categories[d->category].key, "group",
	              fk_damage_group_keys[fk_damage_group_of(d->category)], "label",
	              cli_json_i18n(fk_damage_categories[d->category].ja,
	                            fk_damage_categories[d->category].en),
	              "amount", (json_int_t)d->amount, "currency", d->currency, "description",
	              cli_json_str(d->description), "basis", cli_json_str(d->basis), "split", split,
	              "created_at", cli_json_time(c, d->created_at), "created_by",
	              d->created_by ? d->created_by : "");
	json_object_set_new(o, "agreed_by", cli_json_str(d->agreed_by));
	json_object_set_new(o, "agreed_at",
	                    cli_json_time(c, d->agreed_by ? d->agreed_at : FK_TIME_NONE));
	return o;
}

enum fk_code cli_damage_doc(struct cli *c, const struct fk_incident *inc, const char *currency,
                            json_t **out)
{
	struct fk_damage *d;
	size_t n;
	enum fk_code rc = fk_store_damage_list(c->st, inc->id, &d, &n, &c->err);
	if (rc)
		return rc;
	struct fk_damage_summary s;
	fk_damage_sum(d, n, currency, &s);
	json_t *entries = json_array(), *by_cat = json_object(), *by_party = json_object();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(entries, cli_damage_json(c, &d[i]));
	for (int k = 0; k < FK_DMG_COUNT; k++)
		json_object_set_new(by_cat, fk_damage_categories[k].key,
		                    json_integer(s.category[k]));
	for (size_t k = 0; k < s.nparty; k++)
		json_object_set_new(by_party, s.party[k].party, json_integer(s.party[k].amount));
	*out = json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:O, s:I, s:o, s:i, s:i, s:o}", "incident",
	                 inc->ref, "currency", s.currency, "direct", (json_int_t)s.group[0],
	                 "indirect", (json_int_t)s.group[1], "costs", (json_int_t)s.group[2],
	                 "total", (json_int_t)s.total, "by_party", by_party, "unallocated",
	                 (json_int_t)s.unallocated, "by_category", by_cat, "entries_summed",
	                 s.entries, "other_currency", s.other_currency, "entries", entries);
	json_decref(by_party);
	fk_damage_summary_release(&s);
	FK_FREE_ARRAY(d, n, fk_damage_release);
	return FK_OK;
}

/* Takes every --split out of argv (repeatable; each PARTY=PCT or a comma list of them) into
 * d, leaving the rest for the option table in rest/nrest. */
static enum fk_code take_splits(struct cli *c, int argc, char **argv, struct fk_damage *d,
                                char **rest, int *nrest)
{
	*nrest = 0;
	for (int i = 0; i < argc; i++) {
		const char *v = NULL;
		if (!strcmp(argv[i], "--split") && i + 1 < argc)
			v = argv[++i];
		else if (!strncmp(argv[i], "--split=", 8))
			v = argv[i] + 8;
		if (!v) {
			rest[(*nrest)++] = argv[i];
			continue;
		}
		char *list = fk_xstrdup(v), *save = NULL;
		enum fk_code rc = FK_OK;
		for (char *p = strtok_r(list, ",", &save); p && !rc;
		     p = strtok_r(NULL, ",", &save)) {
			if (d->nsplit == FK_SPLIT_MAX)
				rc = FK_ERR(&c->err, FK_EUSAGE, "--split",
				            "--split: at most %d parties",
				            "--split: 当事者は %d まで", FK_SPLIT_MAX);
			else
				rc = fk_split_parse(p, "--split", &d->split[d->nsplit++], &c->err);
		}
		free(list);
		if (rc)
			return rc;
	}
	return FK_OK;
}

static enum fk_code set_currency(struct cli *c, const char *cur, struct fk_damage *d)
{
	if (strlen(cur) != 3)
		return FK_ERR(&c->err, FK_EINVAL, "--currency",
		              "--currency '%.8s': expected an ISO 4217 code such as JPY or USD",
		              "--currency '%.8s': JPY、USD のような ISO 4217 の通貨コードで指定"
		              "してください",
		              cur);
	memcpy(d->currency, cur, 4);
	return FK_OK;
}

static void print_added(struct cli *c, const char *id, const struct fk_damage *d)
{
	if (c->json) {
		cli_json_out(cli_damage_json(c, d));
		return;
	}
	printf(
	    TR(c->lang, "%s D%d: %s %lld %s%s%s\n", "%s D%d: %s %lld %s%s%s\n"), id, d->no,
	    cli_pick(c, fk_damage_categories[d->category].ja, fk_damage_categories[d->category].en),
	    (long long)d->amount, d->currency, d->basis ? "  " : "", d->basis ? d->basis : "");
}

static enum fk_code damage_add(struct cli *c, int argc, char **argv)
{
	struct fk_damage d = {.category = FK_UNSET, .amount = -1};
	const char *currency = "JPY", *description = NULL;
	char **rest = fk_xcalloc((size_t)argc + 1, sizeof *rest);
	int nrest, npos;
	char *pos[1];
	bool help = false;
	const struct opt opts[] = {
	    {"category", NULL, OPT_ENUM, &d.category, fk_damage_categories, FK_DMG_COUNT,
	     "what kind of damage or cost (required)", "被害・費用の種類 (必須)"},
	    {"amount", "N", OPT_INT, &d.amount, NULL, 0, "whole units of the currency (required)",
	     "金額 (通貨の単位の整数、必須)"},
	    {"currency", "CODE", OPT_STR, &currency, NULL, 0, "ISO 4217 (default JPY)",
	     "通貨 (既定 JPY)"},
	    {"description", "TEXT", OPT_STR, &description, NULL, 0, "what it is", "内容"},
	    {"split", "PARTY=PCT", OPT_STR, NULL, NULL, 0,
	     "who bears what share (repeat; the percents add up to 100)",
	     "負担の割合 (複数可、合計 100)"},
	};
	enum fk_code rc = take_splits(c, argc, argv, &d, rest, &nrest);
	if (!rc)
		rc = cli_parse(c, nrest, rest, opts, FK_ARRAY_LEN(opts),
		               "damage add ID --category C --amount N [--currency JPY] [--split "
		               "PARTY=PCT ...]",
		               1, 1, pos, &npos, &help);
	if (!rc && !help && (d.category == FK_UNSET || d.amount < 0))
		rc = FK_ERR0(&c->err, FK_EUSAGE, d.category == FK_UNSET ? "--category" : "--amount",
		             "give --category and --amount",
		             "--category と --amount を指定してください");
	if (!rc && !help && !(rc = set_currency(c, currency, &d))) {
		d.description = description ? fk_xstrdup(description) : NULL;
		if (!(rc = fk_damage_add(&c->ctx, pos[0], &d, &c->err)))
			print_added(c, pos[0], &d);
	}
	fk_damage_release(&d);
	free(rest);
	return rc;
}

static enum fk_code damage_outage(struct cli *c, int argc, char **argv)
{
	struct fk_damage d = {.category = FK_DMG_OPPORTUNITY};
	int64_t revenue = -1, from = FK_TIME_NONE, to = FK_TIME_NONE;
	const char *currency = "JPY", *description = NULL;
	char **rest = fk_xcalloc((size_t)argc + 1, sizeof *rest);
	int nrest, npos;
	char *pos[1];
	bool help = false;
	const struct opt opts[] = {
	    {"revenue-per-hour", "N", OPT_INT, &revenue, NULL, 0,
	     "revenue lost per hour of outage (required)", "停止1時間あたりの売上 (必須)"},
	    {"from", NULL, OPT_TIME, &from, NULL, 0,
	     "outage start (default: the timeline's service-stopped)",
	     "停止開始 (既定: 経緯の service-stopped)"},
	    {"to", NULL, OPT_TIME, &to, NULL, 0,
	     "outage end (default: the timeline's service-restored)",
	     "停止終了 (既定: 経緯の service-restored)"},
	    {"currency", "CODE", OPT_STR, &currency, NULL, 0, "ISO 4217 (default JPY)",
	     "通貨 (既定 JPY)"},
	    {"description", "TEXT", OPT_STR, &description, NULL, 0, "what was lost", "内容"},
	    {"split", "PARTY=PCT", OPT_STR, NULL, NULL, 0,
	     "who bears what share (repeat; the percents add up to 100)",
	     "負担の割合 (複数可、合計 100)"},
	};
	enum fk_code rc = take_splits(c, argc, argv, &d, rest, &nrest);
	if (!rc)
		rc = cli_parse(c, nrest, rest, opts, FK_ARRAY_LEN(opts),
		               "damage outage ID --revenue-per-hour N [--from T --to T]", 1, 1, pos,
		               &npos, &help);
	if (!rc && !help && revenue < 0)
		rc = FK_ERR0(&c->err, FK_EUSAGE, "--revenue-per-hour", "give --revenue-per-hour",
		             "--revenue-per-hour を指定してください");
	if (!rc && !help && !(rc = set_currency(c, currency, &d))) {
		d.description = description ? fk_xstrdup(description) : NULL;
		if (!(rc = fk_damage_outage(&c->ctx, pos[0], revenue, from, to, &d, &c->err)))
			print_added(c, pos[0], &d);
	}
	fk_damage_release(&d);
	free(rest);
	return rc;
}

/* "  LABEL[NAME]      AMOUNT CUR", the label padded by display width (Japanese is wide). */
static void summary_line(const char *label, const char *name, int64_t amount, const char *cur)
{
	char text[160];
	snprintf(text, sizeof text, "%s%s", label, name ? name : "");
	printf("  ");
	fk_utf8_fput(stdout, text, 20);
	printf(" %15lld %s\n", (long long)amount, cur);
}

static enum fk_code damage_show(struct cli *c, int argc, char **argv, bool list)
{
	const char *currency = "JPY";
	const struct opt opts[] = {
	    {"currency", "CODE", OPT_STR, &currency, NULL, 0,
	     "the currency summed (default JPY; entries in others are counted apart)",
	     "合計する通貨 (既定 JPY、他の通貨の項目は別に数えます)"},
	};
	char *pos[1];
	int npos;
	bool help;
	struct fk_incident inc;
	json_t *doc;
	enum fk_code rc = cli_parse(c, argc, argv, opts, 1,
	                            list ? "damage list ID [--currency CODE]"
	                                 : "damage summary ID [--currency CODE]",
	                            1, 1, pos, &npos, &help);
	if (rc || help || (rc = cli_incident(c, pos[0], &inc)))
		return rc;
	if ((rc = cli_damage_doc(c, &inc, currency, &doc))) {
		fk_incident_release(&inc);
		return rc;
	}
	if (c->json) {
		if (list) { /* the entries with the incident */
			json_t *entries = json_incref(json_object_get(doc, "entries"));
			json_decref(doc);
			doc = json_pack("{s:s, s:o}", "incident", inc.ref, "entries", entries);
		} else { /* the summary: the totals without the entries */
			json_object_del(doc, "entries");
		}
		cli_json_out(doc);
		fk_incident_release(&inc);
		return FK_OK;
	}
	size_t i;
	json_t *e;
	if (list)
		json_array_foreach(json_object_get(doc, "entries"), i, e)
		{
			printf("%-4s ", json_string_value(json_object_get(e, "id")));
			json_t *label = json_object_get(e, "label");
			fk_utf8_fput(stdout,
			             cli_pick(c, json_string_value(json_object_get(label, "ja")),
			                      json_string_value(json_object_get(label, "en"))),
			             18);
			printf(" %15lld %s",
			       (long long)json_integer_value(json_object_get(e, "amount")),
			       json_string_value(json_object_get(e, "currency")));
			const char *desc = json_string_value(json_object_get(e, "description"));
			const char *basis = json_string_value(json_object_get(e, "basis"));
			printf("  %s%s%s\n", desc ? desc : "", desc && basis ? "  " : "",
			       basis ? basis : "");
		}
	else {
		const char *cur = json_string_value(json_object_get(doc, "currency"));
		const char *labels[][2] = {{"direct damage", "直接被害"},
		                           {"indirect damage", "間接被害"},
		                           {"costs", "費用"},
		                           {"total", "合計"}};
		const char *keys[] = {"direct", "indirect", "costs", "total"};
		printf("%s  %s\n", inc.ref, inc.title);
		for (int k = 0; k < 4; k++)
			summary_line(cli_pick(c, labels[k][1], labels[k][0]), NULL,
			             json_integer_value(json_object_get(doc, keys[k])), cur);
		const char *party;
		json_t *v;
		json_object_foreach(json_object_get(doc, "by_party"), party, v) summary_line(
		    TR(c->lang, "borne by ", "負担: "), party, json_integer_value(v), cur);
		json_int_t un = json_integer_value(json_object_get(doc, "unallocated"));
		if (un && json_object_size(json_object_get(doc, "by_party")))
			summary_line(TR(c->lang, "not split", "負担未定"), NULL, un, cur);
		json_int_t other = json_integer_value(json_object_get(doc, "other_currency"));
		if (other)
			printf(TR(c->lang,
			          "  (%lld entries in other currencies are not in these sums)\n",
			          "  (他の通貨の %lld 件はこの合計に含まれません)\n"),
			       (long long)other);
	}
	json_decref(doc);
	fk_incident_release(&inc);
	return FK_OK;
}

static enum fk_code damage_agree(struct cli *c, int argc, char **argv)
{
	const char *by = NULL;
	const struct opt opts[] = {
	    {"by", "TEXT", OPT_STR, &by, NULL, 0, "who agreed to the split (the parties)",
	     "負担割合に合意した人 (当事者)"},
	};
	char *pos[2];
	int npos;
	bool help;
	enum fk_code rc = cli_parse(c, argc, argv, opts, 1, "damage agree ID D1 --by TEXT", 2, 2,
	                            pos, &npos, &help);
	if (rc || help || (rc = fk_damage_agree(&c->ctx, pos[0], pos[1], by, &c->err)))
		return rc;
	if (c->json)
		cli_json_out(json_pack("{s:s, s:s, s:s}", "incident", pos[0], "entry", pos[1],
		                       "agreed_by", by));
	else
		printf(TR(c->lang, "%s %s: split agreed by %s\n", "%s %s: 負担割合に合意 (%s)\n"),
		       pos[0], pos[1], by);
	return FK_OK;
}

static enum fk_code damage_list(struct cli *c, int argc, char **argv)
{
	return damage_show(c, argc, argv, true);
}

static enum fk_code damage_summary(struct cli *c, int argc, char **argv)
{
	return damage_show(c, argc, argv, false);
}

enum fk_code cmd_damage(struct cli *c, int argc, char **argv)
{
	static const struct subcmd subs[] = {
	    {"add", damage_add, "a damage or cost entry, optionally split between parties",
	     "被害・費用の記録 (当事者間の負担割合も)"},
	    {"outage", damage_outage,
	     "opportunity loss: revenue per hour x the outage (from the timeline)",
	     "機会損失: 1時間あたりの売上 x 停止時間 (経緯から)"},
	    {"agree", damage_agree, "record who agreed to an entry's split",
	     "負担割合の合意を記録"},
	    {"list", damage_list, "the ledger's entries", "台帳の項目"},
	    {"summary", damage_summary, "direct, indirect, costs, total and each party's share",
	     "直接・間接被害、費用、合計と当事者ごとの負担"},
	};
	return cli_dispatch(c, argc, argv, subs, FK_ARRAY_LEN(subs));
}
