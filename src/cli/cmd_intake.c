/*
 * cmd_intake.c - fukkyu intake list|show|attach|open|dismiss: the queue of reports that came
 * through the public /report page (case 1: reports must reach someone for certain).
 */
#include "fukkyu/common.h"
#include "cli.h"
#include "fukkyu/intake.h"
#include "util/utf8.h"

json_t *cli_intake_json(struct cli *c, const struct fk_intake *e)
{
	json_t *o = json_pack(
	    "{s:s, s:o, s:o, s:s, s:s, s:o, s:b, s:o}", "ref", e->ref, "received_at",
	    cli_json_time(c, e->received_at), "name", cli_json_str(e->name), "contact", e->contact,
	    "state", fk_intake_states[e->state].key, "ack_due", cli_json_time(c, e->ack_due),
	    "overdue", e->overdue, "incident", cli_json_str(e->incident_ref));
	json_object_set_new(o, "text", json_string(e->text));
	json_object_set_new(o, "origin", cli_json_str(e->origin));
	json_object_set_new(o, "handled_by", cli_json_str(e->handled_by));
	json_object_set_new(o, "handled_at", cli_json_time(c, e->handled_at));
	json_object_set_new(o, "reason", cli_json_str(e->reason));
	return o;
}

enum fk_code cli_intake_doc(struct cli *c, bool all, const int64_t *skip, size_t nskip,
                            json_t **out)
{
	struct fk_intake *e;
	size_t n;
	enum fk_code rc = fk_intake_list(&c->ctx, all, &e, &n, &c->err);
	if (rc)
		return rc;
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		bool hidden = false;
		for (size_t k = 0; k < nskip && !hidden; k++)
			hidden = e[i].incident_id && skip[k] == e[i].incident_id;
		if (!hidden)
			json_array_append_new(arr, cli_intake_json(c, &e[i]));
	}
	FK_FREE_ARRAY(e, n, fk_intake_release);
	*out = json_pack("{s:o}", "reports", arr);
	return FK_OK;
}

static enum fk_code intake_list(struct cli *c, int argc, char **argv)
{
	bool all = false, help;
	const struct opt opts[] = {
	    {"all", NULL, OPT_FLAG, &all, NULL, 0, "the handled ones too", "対応済みも表示"},
	};
	char *pos[1];
	int npos;
	json_t *doc;
	enum fk_code rc =
	    cli_parse(c, argc, argv, opts, 1, "intake list [--all]", 0, 0, pos, &npos, &help);
	if (rc || help || (rc = cli_intake_doc(c, all, NULL, 0, &doc)))
		return rc;
	if (c->json) {
		cli_json_out(doc);
		return FK_OK;
	}
	size_t i;
	json_t *e;
	json_t *arr = json_object_get(doc, "reports");
	if (!json_array_size(arr))
		printf(TR(c->lang, "no reports waiting\n", "未対応の通報はありません\n"));
	json_array_foreach(arr, i, e)
	{
		const char *inc = json_string_value(json_object_get(e, "incident"));
		printf("%-14s %.16s %-6s %-9s %-14s ", json_string_value(json_object_get(e, "ref")),
		       json_string_value(json_object_get(e, "received_at")),
		       json_is_true(json_object_get(e, "overdue")) ? TR(c->lang, "LATE", "超過")
		                                                   : "",
		       json_string_value(json_object_get(e, "state")), inc ? inc : "-");
		fk_utf8_fput(stdout, json_string_value(json_object_get(e, "contact")), 24);
		printf(" ");
		fk_utf8_fput(stdout, json_string_value(json_object_get(e, "text")), 40);
		printf("\n");
	}
	json_decref(doc);
	return FK_OK;
}

static enum fk_code intake_show(struct cli *c, int argc, char **argv)
{
	char *pos[1];
	int npos;
	bool help;
	struct fk_intake e;
	enum fk_code rc =
	    cli_parse(c, argc, argv, NULL, 0, "intake show REF", 1, 1, pos, &npos, &help);
	if (rc || help || (rc = fk_intake_get(&c->ctx, pos[0], &e, &c->err)))
		return rc;
	cli_json_out(cli_intake_json(c, &e)); /* one record: its JSON is its best display */
	fk_intake_release(&e);
	return FK_OK;
}

static enum fk_code intake_attach(struct cli *c, int argc, char **argv)
{
	char *pos[2];
	int npos;
	bool help;
	enum fk_code rc =
	    cli_parse(c, argc, argv, NULL, 0, "intake attach REF ID", 2, 2, pos, &npos, &help);
	if (rc || help || (rc = fk_intake_attach(&c->ctx, pos[0], pos[1], &c->err)))
		return rc;
	if (c->json)
		cli_json_out(json_pack("{s:s, s:s, s:s}", "ref", pos[0], "state", "attached",
		                       "incident", pos[1]));
	else
		printf(TR(c->lang, "%s attached to %s (its reporter clock runs from the report)\n",
		          "%s を %s に紐付けました (通報者への期限は通報時刻から)\n"),
		       pos[0], pos[1]);
	return FK_OK;
}

static enum fk_code intake_open(struct cli *c, int argc, char **argv)
{
	struct fk_incident inc = FK_INCIDENT_NEW;
	const char *title = NULL;
	const struct opt opts[] = {
	    {"title", "TEXT", OPT_STR, &title, NULL, 0, "what happened, in a line (required)",
	     "何が起きたか (1行、必須)"},
	    {"kind", NULL, OPT_ENUM, &inc.kind, fk_kinds, FK_KIND_COUNT, "kind (required)",
	     "種類 (必須)"},
	    {"severity", NULL, OPT_ENUM, &inc.severity, fk_severities, FK_SEV_COUNT,
	     "severity (default medium)", "重大度 (既定 medium)"},
	};
	char *pos[1];
	int npos;
	bool help;
	enum fk_code rc =
	    cli_parse(c, argc, argv, opts, FK_ARRAY_LEN(opts),
	              "intake open REF --title TEXT --kind KIND", 1, 1, pos, &npos, &help);
	if (rc || help)
		return rc;
	if (!title || inc.kind < 0)
		return FK_ERR0(&c->err, FK_EUSAGE, title ? "--kind" : "--title",
		               "give --title and --kind", "--title と --kind を指定してください");
	inc.title = fk_xstrdup(title);
	if (!(rc = fk_intake_open(&c->ctx, pos[0], &inc, &c->err))) {
		if (c->json)
			cli_json_out(cli_incident_json(c, &inc));
		else
			printf(TR(c->lang, "opened %s from %s\n", "%s を登録しました (%s から)\n"),
			       inc.ref, pos[0]);
	}
	fk_incident_release(&inc);
	return rc;
}

static enum fk_code intake_dismiss(struct cli *c, int argc, char **argv)
{
	const char *reason = NULL;
	const struct opt opts[] = {
	    {"reason", "TEXT", OPT_STR, &reason, NULL, 0, "why it needs no response (required)",
	     "対応不要の理由 (必須)"},
	};
	char *pos[1];
	int npos;
	bool help;
	enum fk_code rc = cli_parse(c, argc, argv, opts, 1, "intake dismiss REF --reason TEXT", 1,
	                            1, pos, &npos, &help);
	if (rc || help || (rc = fk_intake_dismiss(&c->ctx, pos[0], reason, &c->err)))
		return rc;
	if (c->json)
		cli_json_out(json_pack("{s:s, s:s}", "ref", pos[0], "state", "dismissed"));
	else
		printf(TR(c->lang, "%s dismissed\n", "%s を対応不要としました\n"), pos[0]);
	return FK_OK;
}

enum fk_code cmd_intake(struct cli *c, int argc, char **argv)
{
	static const struct subcmd subs[] = {
	    {"list", intake_list, "reports waiting (the public /report page), oldest first",
	     "未対応の通報 (公開ページ /report から)"},
	    {"show", intake_show, "one report", "通報1件"},
	    {"attach", intake_attach, "attach a report to an incident",
	     "通報をインシデントに紐付け"},
	    {"open", intake_open, "open a new incident from a report",
	     "通報から新しいインシデントを登録"},
	    {"dismiss", intake_dismiss, "no response needed (spam), with the reason",
	     "対応不要 (スパムなど) とする (理由とともに)"},
	};
	return cli_dispatch(c, argc, argv, subs, FK_ARRAY_LEN(subs));
}
