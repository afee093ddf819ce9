/*
 * cmd_handover.c - fukkyu handover set|show: what the emergency team hands over
 * (source document 2: backups, substitutes, degraded service, manual work, damage, who).
 */
#include "fukkyu/common.h"
#include "cli.h"
#include "util/utf8.h"

json_t *cli_handover_json(struct cli *c, const struct fk_incident *inc, const struct fk_handover *h)
{
	json_t *fields = json_object(), *labels = json_object();
	for (int f = 0; f < FK_HO_COUNT; f++) {
		json_object_set_new(fields, fk_handover_fields[f].key, cli_json_str(h->field[f]));
		json_object_set_new(
		    labels, fk_handover_fields[f].key,
		    cli_json_i18n(fk_handover_fields[f].ja, fk_handover_fields[f].en));
	}
	return json_pack("{s:s, s:o, s:o, s:o, s:o}", "incident", inc->ref, "handover", fields,
	                 "labels", labels, "updated_at", cli_json_time(c, h->updated_at),
	                 "updated_by", cli_json_str(h->updated_by));
}

enum fk_code cli_handover_doc(struct cli *c, const struct fk_incident *inc, json_t **out)
{
	struct fk_handover h;
	enum fk_code rc = fk_store_handover_get(c->st, inc->id, &h, &c->err);
	if (rc)
		return rc;
	*out = cli_handover_json(c, inc, &h);
	fk_handover_release(&h);
	return FK_OK;
}

static enum fk_code handover_set(struct cli *c, int argc, char **argv)
{
	const char *values[FK_HO_COUNT] = {0};
	struct opt opts[FK_HO_COUNT];
	for (int f = 0; f < FK_HO_COUNT; f++)
		opts[f] = (struct opt){fk_handover_fields[f].key,
		                       "TEXT",
		                       OPT_STR,
		                       &values[f],
		                       NULL,
		                       0,
		                       fk_handover_fields[f].en,
		                       fk_handover_fields[f].ja};
	char *pos[1];
	int npos;
	bool help;
	enum fk_code rc = cli_parse(c, argc, argv, opts, FK_HO_COUNT,
	                            "handover set ID [--backups TEXT] [--degraded TEXT] ...", 1, 1,
	                            pos, &npos, &help);
	if (rc || help)
		return rc;
	bool any = false;
	for (int f = 0; f < FK_HO_COUNT; f++)
		any = any || values[f];
	if (!any)
		return FK_ERR0(
		    &c->err, FK_EUSAGE, "handover",
		    "nothing to set: give at least one field, e.g. --backups TEXT (see "
		    "'fukkyu handover set --help')",
		    "設定する項目がありません: --backups TEXT などを1つ以上指定してください "
		    "('fukkyu handover set --help' 参照)");
	if ((rc = fk_handover_change(&c->ctx, pos[0], values, &c->err)))
		return rc;
	if (c->json)
		cli_json_out(json_pack("{s:s}", "incident", pos[0]));
	else
		printf(TR(c->lang, "handover of %s recorded\n", "%s の引継ぎを記録しました\n"),
		       pos[0]);
	return FK_OK;
}

static enum fk_code handover_show(struct cli *c, int argc, char **argv)
{
	char *pos[1];
	int npos;
	bool help;
	struct fk_incident inc;
	struct fk_handover h;
	enum fk_code rc =
	    cli_parse(c, argc, argv, NULL, 0, "handover show ID", 1, 1, pos, &npos, &help);
	if (rc || help || (rc = cli_incident(c, pos[0], &inc)))
		return rc;
	if ((rc = fk_store_handover_get(c->st, inc.id, &h, &c->err))) {
		fk_incident_release(&inc);
		return rc;
	}
	if (c->json) {
		cli_json_out(cli_handover_json(c, &inc, &h));
	} else {
		printf(
		    "%s  %s\n", inc.ref,
		    TR(c->lang, "handover from the emergency team", "緊急対応チームからの引継ぎ"));
		for (int f = 0; f < FK_HO_COUNT; f++) {
			printf("  ");
			fk_utf8_fput(
			    stdout, cli_pick(c, fk_handover_fields[f].ja, fk_handover_fields[f].en),
			    34);
			printf(" %s\n",
			       h.field[f] ? h.field[f] : TR(c->lang, "(not recorded)", "(未記録)"));
		}
	}
	fk_handover_release(&h);
	fk_incident_release(&inc);
	return FK_OK;
}

enum fk_code cmd_handover(struct cli *c, int argc, char **argv)
{
	static const struct subcmd subs[] = {
	    {"set", handover_set, "record what the emergency team hands over", "引継ぎ内容を記録"},
	    {"show", handover_show, "show the handover", "引継ぎ内容を表示"},
	};
	return cli_dispatch(c, argc, argv, subs, FK_ARRAY_LEN(subs));
}
