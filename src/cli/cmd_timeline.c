/*
 * cmd_timeline.c - fukkyu timeline add|list: what happened when, with the day counted as
 * the source document counts it (当日, 翌日, 3日後) from the discovery.
 */
#include "fukkyu/common.h"
#include "cli.h"
#include "util/time.h"
#include "util/utf8.h"

json_t *cli_timeline_json(struct cli *c, const struct fk_incident *inc,
                          const struct fk_timeline_entry *e)
{
	long day = fk_time_day_diff(inc->discovered_at, e->at, c->tz);
	char rel_ja[32], rel_en[32];
	fk_time_rel_day(day, FK_LANG_JA, rel_ja);
	fk_time_rel_day(day, FK_LANG_EN, rel_en);
	return json_pack("{s:I, s:o, s:I, s:o, s:s, s:o, s:s, s:o, s:o}", "id", (json_int_t)e->id,
	                 "at", cli_json_time(c, e->at), "day", (json_int_t)day, "day_label",
	                 cli_json_i18n(rel_ja, rel_en), "text", e->text, "source",
	                 cli_json_str(e->source), "recorded_by",
	                 e->recorded_by ? e->recorded_by : "", "recorded_at",
	                 cli_json_time(c, e->recorded_at), "mark",
	                 e->mark > FK_MARK_NONE && e->mark < FK_MARK_COUNT
	                     ? json_string(fk_timeline_marks[e->mark].key)
	                     : json_null());
}

enum fk_code cli_timeline_doc(struct cli *c, const struct fk_incident *inc, json_t **out)
{
	struct fk_timeline_entry *e;
	size_t n;
	enum fk_code rc = fk_store_timeline_get(c->st, inc->id, &e, &n, &c->err);
	if (rc)
		return rc;
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, cli_timeline_json(c, inc, &e[i]));
	*out = json_pack("{s:s, s:o}", "incident", inc->ref, "timeline", arr);
	FK_FREE_ARRAY(e, n, fk_timeline_entry_release);
	return FK_OK;
}

static enum fk_code timeline_add(struct cli *c, int argc, char **argv)
{
	struct fk_timeline_entry e = {.at = FK_TIME_NONE};
	const char *source = NULL;
	const struct opt opts[] = {
	    {"at", NULL, OPT_TIME, &e.at, NULL, 0, "when it happened (default: now)",
	     "日時 (既定: 現在)"},
	    {"source", "TEXT", OPT_STR, &source, NULL, 0, "where the information comes from",
	     "情報源"},
	    {"mark", NULL, OPT_ENUM, &e.mark, fk_timeline_marks, FK_MARK_COUNT,
	     "service-stopped or service-restored: the outage the damage ledger computes",
	     "service-stopped (停止) か service-restored (再開): 被害額計算の停止期間"},
	};
	char *pos[2];
	int npos;
	bool help;
	enum fk_code rc =
	    cli_parse(c, argc, argv, opts, FK_ARRAY_LEN(opts),
	              "timeline add ID TEXT [--at TIME] [--source TEXT] [--mark MARK]", 2, 2, pos,
	              &npos, &help);
	if (rc || help)
		return rc;
	if (e.at == FK_TIME_NONE)
		e.at = c->ctx.now;
	e.text = fk_xstrdup(pos[1]);
	e.source = source ? fk_xstrdup(source) : NULL;
	rc = fk_timeline_record(&c->ctx, pos[0], &e, &c->err);
	if (!rc) {
		if (c->json)
			cli_json_out(json_pack("{s:I, s:o}", "id", (json_int_t)e.id, "at",
			                       cli_json_time(c, e.at)));
		else
			printf(TR(c->lang, "recorded on the timeline of %s\n",
			          "%s のタイムラインに記録しました\n"),
			       pos[0]);
	}
	fk_timeline_entry_release(&e);
	return rc;
}

static enum fk_code timeline_list(struct cli *c, int argc, char **argv)
{
	char *pos[1];
	int npos;
	bool help;
	struct fk_incident inc;
	struct fk_timeline_entry *e;
	size_t n;
	enum fk_code rc =
	    cli_parse(c, argc, argv, NULL, 0, "timeline list ID", 1, 1, pos, &npos, &help);
	if (rc || help || (rc = cli_incident(c, pos[0], &inc)))
		return rc;
	if (c->json || (rc = fk_store_timeline_get(c->st, inc.id, &e, &n, &c->err))) {
		json_t *doc;
		if (!rc && !(rc = cli_timeline_doc(c, &inc, &doc)))
			cli_json_out(doc);
		fk_incident_release(&inc);
		return rc;
	}
	printf("%s  %s  (%s %s)\n", inc.ref, inc.title, TR(c->lang, "zone", "タイムゾーン"), c->tz);
	for (size_t i = 0; i < n; i++) {
		char t[40];
		long day = fk_time_day_diff(inc.discovered_at, e[i].at, c->tz);
		char rel[32];
		fk_time_rel_day(day, c->lang, rel);
		cli_time(c, e[i].at, t);
		printf("  %s  ", t);
		fk_utf8_fput(stdout, rel, 14);
		printf(" %s%s%s%s", e[i].text, e[i].source ? "  [" : "",
		       e[i].source ? e[i].source : "", e[i].source ? "]" : "");
		if (e[i].mark > FK_MARK_NONE && e[i].mark < FK_MARK_COUNT)
			printf("  {%s}", cli_pick(c, fk_timeline_marks[e[i].mark].ja,
			                          fk_timeline_marks[e[i].mark].en));
		printf("\n");
	}
	FK_FREE_ARRAY(e, n, fk_timeline_entry_release);
	fk_incident_release(&inc);
	return FK_OK;
}

enum fk_code cmd_timeline(struct cli *c, int argc, char **argv)
{
	static const struct subcmd subs[] = {
	    {"add", timeline_add, "record what happened", "出来事を記録"},
	    {"list", timeline_list, "the timeline, with 当日/翌日/N日後",
	     "経緯の一覧 (当日・翌日・N日後)"},
	};
	return cli_dispatch(c, argc, argv, subs, FK_ARRAY_LEN(subs));
}
