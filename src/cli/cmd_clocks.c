/*
 * cmd_clocks.c - fukkyu deadlines, obligation, reporter: legal and promised clocks, the
 * obligations they come from, and the reporter whose acknowledgement clock the source
 * document's case 2 let run for four weeks.
 */
#include "fukkyu/common.h"
#include "cli.h"
#include "fukkyu/clocks.h"
#include "util/utf8.h"

json_t *cli_deadline_json(struct cli *c, const struct fk_deadline *d, const char *owner)
{
	json_t *o =
	    json_pack("{s:s, s:s, s:o, s:o, s:o, s:s, s:b, s:b, s:o, s:o}", "incident", d->ref,
	              "key", d->key, "title", cli_json_i18n(d->title_ja, d->title_en), "trigger_at",
	              cli_json_time(c, d->trigger_at), "due", cli_json_time(c, d->due_at), "state",
	              fk_clock_states[d->state].key, "overdue", d->overdue, "guide", d->guide,
	              "owner_role", cli_json_str(d->owner_role), "owner", cli_json_str(owner));
	if (d->window_start != FK_TIME_NONE)
		json_object_set_new(o, "window_start", cli_json_time(c, d->window_start));
	json_object_set_new(o, "decided_at", cli_json_time(c, d->decided_at));
	json_object_set_new(o, "decided_by", cli_json_str(d->decided_by));
	json_object_set_new(o, "reason", cli_json_str(d->reason));
	json_object_set_new(o, "copy_sha256", cli_json_str(d->copy_sha256));
	json_object_set_new(o, "source", cli_json_str(d->source));
	return o;
}

/* The holder of role (its key) on the incident, or NULL. */
static char *owner_of(struct cli *c, int64_t incident, const char *role)
{
	struct fk_person *p;
	size_t n;
	int r;
	char *name = NULL;
	if (!role || fk_enum_parse(fk_roles, FK_ROLE_COUNT, role, "role", &r, NULL) ||
	    fk_store_roles_get(c->st, incident, &p, &n, NULL))
		return NULL;
	for (size_t i = 0; i < n && !name; i++)
		if (p[i].role == r)
			name = fk_xstrdup(p[i].name);
	FK_FREE_ARRAY(p, n, fk_person_release);
	return name;
}

enum fk_code cli_deadlines_doc(struct cli *c, const char *id, bool all, const int64_t *skip,
                               size_t nskip, json_t **out)
{
	struct fk_deadline *d;
	size_t n;
	enum fk_code rc = fk_deadlines_list(&c->ctx, id, &d, &n, &c->err);
	if (rc)
		return rc;
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		if (!all && d[i].state != FK_CLOCK_OPEN && d[i].state != FK_CLOCK_TO_DECIDE && !id)
			continue;
		bool hidden = false;
		for (size_t k = 0; k < nskip && !hidden; k++)
			hidden = skip[k] == d[i].incident;
		if (hidden)
			continue;
		char *owner = owner_of(c, d[i].incident, d[i].owner_role);
		json_array_append_new(arr, cli_deadline_json(c, &d[i], owner));
		free(owner);
	}
	FK_FREE_ARRAY(d, n, fk_deadline_release);
	*out = json_pack("{s:o, s:o}", "now", cli_json_time(c, c->ctx.now), "deadlines", arr);
	return FK_OK;
}

static enum fk_code deadlines_list(struct cli *c, int argc, char **argv)
{
	bool all = false, help;
	const struct opt opts[] = {
	    {"all", NULL, OPT_FLAG, &all, NULL, 0,
	     "with every incident: the decided clocks too (one incident: always)",
	     "全インシデント: 対応済みの期限も表示 (1件指定時は常に表示)"},
	};
	char *pos[1];
	int npos;
	json_t *doc;
	enum fk_code rc = cli_parse(c, argc, argv, opts, 1,
	                            "deadlines [ID] [--all] | deadlines submit ID KEY --file PATH "
	                            "| deadlines waive ID KEY --reason TEXT",
	                            0, 1, pos, &npos, &help);
	if (rc || help || (rc = cli_deadlines_doc(c, npos ? pos[0] : NULL, all, NULL, 0, &doc)))
		return rc;
	if (c->json) {
		cli_json_out(doc);
		return FK_OK;
	}
	size_t i;
	json_t *d;
	json_t *arr = json_object_get(doc, "deadlines");
	if (!json_array_size(arr))
		printf(TR(c->lang, "no clocks running\n", "進行中の期限はありません\n"));
	json_array_foreach(arr, i, d)
	{
		const char *state = json_string_value(json_object_get(d, "state"));
		int s = 0;
		if (fk_enum_parse(fk_clock_states, FK_CLOCK_STATE_COUNT, state, "state", &s, NULL))
			s = 0;
		const char *due = json_string_value(json_object_get(d, "due"));
		json_t *title = json_object_get(d, "title");
		printf("%-14s %-6s %.16s%s ", json_string_value(json_object_get(d, "incident")),
		       json_is_true(json_object_get(d, "overdue")) ? TR(c->lang, "LATE", "超過")
		                                                   : "",
		       due ? due : "-", json_is_true(json_object_get(d, "guide")) ? "~" : " ");
		fk_utf8_fput(stdout,
		             cli_pick(c, json_string_value(json_object_get(title, "ja")),
		                      json_string_value(json_object_get(title, "en"))),
		             34);
		printf(" ");
		fk_utf8_fput(stdout, cli_pick(c, fk_clock_states[s].ja, fk_clock_states[s].en), 14);
		const char *owner = json_string_value(json_object_get(d, "owner"));
		printf(" %s\n", owner ? owner : "-");
	}
	json_decref(doc);
	return FK_OK;
}

static enum fk_code deadlines_submit(struct cli *c, int argc, char **argv)
{
	const char *file = NULL;
	int64_t at = FK_TIME_NONE;
	const struct opt opts[] = {
	    {"file", "PATH", OPT_STR, &file, NULL, 0,
	     "what was sent (kept as a frozen copy; - reads stdin)",
	     "送付した内容 (写しとして保存、- で標準入力)"},
	    {"at", NULL, OPT_TIME, &at, NULL, 0, "when it was sent (default: now)",
	     "送付日時 (既定: 現在)"},
	};
	char *pos[2];
	int npos;
	bool help;
	enum fk_code rc =
	    cli_parse(c, argc, argv, opts, FK_ARRAY_LEN(opts),
	              "deadlines submit ID KEY --file PATH [--at TIME]", 2, 2, pos, &npos, &help);
	if (rc || help)
		return rc;
	char *copy = NULL;
	if (file)
		rc = cli_read_text(c, file, "--file", &copy);
	if (!rc)
		rc = fk_deadline_submit(&c->ctx, pos[0], pos[1], copy, at, &c->err);
	free(copy);
	if (!rc) {
		if (c->json)
			cli_json_out(json_pack("{s:s, s:s, s:s}", "incident", pos[0], "key", pos[1],
			                       "state", "submitted"));
		else
			printf(TR(c->lang, "%s %s: submitted (copy kept)\n",
			          "%s %s: 提出済み (写しを保存しました)\n"),
			       pos[0], pos[1]);
	}
	return rc;
}

static enum fk_code deadlines_waive(struct cli *c, int argc, char **argv)
{
	const char *reason = NULL;
	const struct opt opts[] = {
	    {"reason", "TEXT", OPT_STR, &reason, NULL, 0, "why it is not required (required)",
	     "不要と判断した理由 (必須)"},
	};
	char *pos[2];
	int npos;
	bool help;
	enum fk_code rc = cli_parse(c, argc, argv, opts, 1, "deadlines waive ID KEY --reason TEXT",
	                            2, 2, pos, &npos, &help);
	if (rc || help || (rc = fk_deadline_waive(&c->ctx, pos[0], pos[1], reason, &c->err)))
		return rc;
	if (c->json)
		cli_json_out(json_pack("{s:s, s:s, s:s, s:s}", "incident", pos[0], "key", pos[1],
		                       "state", "not-required", "decided_by", c->actor));
	else
		printf(TR(c->lang, "%s %s: not required (decided by %s)\n",
		          "%s %s: 不要と判断 (判断者 %s)\n"),
		       pos[0], pos[1], c->actor);
	return FK_OK;
}

enum fk_code cmd_deadlines(struct cli *c, int argc, char **argv)
{
	static const struct subcmd subs[] = {
	    {"list", deadlines_list, "the clocks, overdue first ('fukkyu deadlines [ID]')",
	     "期限の一覧 (超過が先頭、'fukkyu deadlines [ID]')"},
	    {"submit", deadlines_submit, "record a submission with a frozen copy of what was sent",
	     "提出の記録 (送付内容の写しとともに)"},
	    {"waive", deadlines_waive, "record that it is not required, with the reason",
	     "不要との判断を理由とともに記録"},
	};
	/* 'fukkyu deadlines [ID]' lists: only a subcommand's name is taken as one. */
	const char *w = argc > 1 ? argv[1] : "";
	if (strcmp(w, "list") && strcmp(w, "submit") && strcmp(w, "waive") && strcmp(w, "help"))
		return deadlines_list(c, argc, argv);
	return cli_dispatch(c, argc, argv, subs, FK_ARRAY_LEN(subs));
}

/* ---- obligations ----------------------------------------------------------------------- */

enum fk_code cli_obligations_doc(struct cli *c, json_t **out)
{
	struct fk_obligation *o;
	size_t n;
	enum fk_code rc = fk_store_obligations(c->st, &o, &n, &c->err);
	if (rc)
		return rc;
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
		    arr, json_pack("{s:s, s:o, s:s, s:s, s:o, s:o, s:b}", "key", o[i].key, "title",
		                   cli_json_i18n(o[i].title_ja, o[i].title_en), "trigger",
		                   fk_triggers[o[i].trigger].key, "rule", o[i].rule, "owner_role",
		                   cli_json_str(o[i].owner_role), "source",
		                   cli_json_str(o[i].source), "builtin", o[i].builtin));
	FK_FREE_ARRAY(o, n, fk_obligation_release);
	*out = json_pack("{s:o}", "obligations", arr);
	return FK_OK;
}

static enum fk_code obligation_list(struct cli *c, int argc, char **argv)
{
	char *pos[1];
	int npos;
	bool help;
	json_t *doc;
	enum fk_code rc =
	    cli_parse(c, argc, argv, NULL, 0, "obligation list", 0, 0, pos, &npos, &help);
	if (rc || help || (rc = cli_obligations_doc(c, &doc)))
		return rc;
	if (c->json) {
		cli_json_out(doc);
		return FK_OK;
	}
	size_t i;
	json_t *o;
	json_array_foreach(json_object_get(doc, "obligations"), i, o)
	{
		json_t *t = json_object_get(o, "title");
		printf("%-24s %-18s %-20s ", json_string_value(json_object_get(o, "key")),
		       json_string_value(json_object_get(o, "trigger")),
		       json_string_value(json_object_get(o, "rule")));
		fk_utf8_fput(stdout,
		             cli_pick(c, json_string_value(json_object_get(t, "ja")),
		                      json_string_value(json_object_get(t, "en"))),
		             40);
		printf("\n");
	}
	json_decref(doc);
	return FK_OK;
}

static enum fk_code obligation_add(struct cli *c, int argc, char **argv)
{
	struct fk_obligation o = {.trigger = FK_UNSET};
	const char *ja = NULL, *en = NULL, *rule = NULL, *owner = NULL, *source = NULL;
	const struct opt opts[] = {
	    {"title-ja", "TEXT", OPT_STR, &ja, NULL, 0, "Japanese title (required)",
	     "日本語の名称 (必須)"},
	    {"title-en", "TEXT", OPT_STR, &en, NULL, 0, "English title (required)",
	     "英語の名称 (必須)"},
	    {"trigger", NULL, OPT_ENUM, &o.trigger, fk_triggers, FK_TRIG_COUNT,
	     "when it applies (required)", "適用される条件 (必須)"},
	    {"rule", "RULE", OPT_STR, &rule, NULL, 0,
	     "hours:N, days:N, days:N/unlawful:M, window:A-B, promptly:N, business-days:N or at",
	     "hours:N, days:N, days:N/unlawful:M, window:A-B, promptly:N, business-days:N, at"},
	    {"owner-role", "ROLE", OPT_STR, &owner, NULL, 0, "who answers for it (a role key)",
	     "担当する役割 (役割のキー)"},
	    {"source", "TEXT", OPT_STR, &source, NULL, 0, "the law, contract or policy",
	     "根拠 (法令・契約・規程)"},
	};
	char *pos[1];
	int npos;
	bool help;
	enum fk_code rc =
	    cli_parse(c, argc, argv, opts, FK_ARRAY_LEN(opts),
	              "obligation add KEY --title-ja T --title-en T --trigger T --rule R", 1, 1,
	              pos, &npos, &help);
	if (rc || help)
		return rc;
	o.key = pos[0];
	o.title_ja = (char *)(uintptr_t)ja;
	o.title_en = (char *)(uintptr_t)en;
	o.rule = (char *)(uintptr_t)rule;
	o.owner_role = (char *)(uintptr_t)owner;
	o.source = (char *)(uintptr_t)source;
	if ((rc = fk_obligation_add(&c->ctx, &o, &c->err)))
		return rc;
	if (c->json)
		cli_json_out(json_pack("{s:s, s:s}", "key", pos[0], "rule", rule));
	else
		printf(TR(c->lang, "obligation %s added\n", "義務 %s を追加しました\n"), pos[0]);
	return FK_OK;
}

static enum fk_code obligation_set(struct cli *c, int argc, char **argv)
{
	const char *rule = NULL;
	const struct opt opts[] = {
	    {"rule", "RULE", OPT_STR, &rule, NULL, 0, "the new rule (e.g. business-days:2)",
	     "新しい規則 (例 business-days:2)"},
	};
	char *pos[1];
	int npos;
	bool help;
	enum fk_code rc = cli_parse(c, argc, argv, opts, 1, "obligation set KEY --rule RULE", 1, 1,
	                            pos, &npos, &help);
	if (rc || help || (rc = fk_obligation_set_rule(&c->ctx, pos[0], rule, &c->err)))
		return rc;
	if (c->json)
		cli_json_out(json_pack("{s:s, s:s}", "key", pos[0], "rule", rule));
	else
		printf(TR(c->lang, "%s: rule %s\n", "%s: 規則 %s\n"), pos[0], rule);
	return FK_OK;
}

enum fk_code cmd_obligation(struct cli *c, int argc, char **argv)
{
	static const struct subcmd subs[] = {
	    {"set", obligation_set, "change a rule (shipped ones too: e.g. two business days)",
	     "規則の変更 (同梱のものも。例: 2営業日)"},
	    {"list", obligation_list, "the obligations clocks come from (shipped and your own)",
	     "期限の元になる義務 (同梱と自組織の追加)"},
	    {"add", obligation_add, "your own: a contract SLA, a sector regulator, insurance ...",
	     "自組織の義務: 契約上の SLA、業界の監督官庁、保険など"},
	};
	return cli_dispatch(c, argc, argv, subs, FK_ARRAY_LEN(subs));
}

/* ---- the reporter ---------------------------------------------------------------------- */

enum fk_code cli_reporters_doc(struct cli *c, const struct fk_incident *inc, json_t **out)
{
	struct fk_reporter *r;
	struct fk_contact *k = NULL;
	size_t n, nk = 0;
	enum fk_code rc = fk_store_reporters(c->st, inc->id, &r, &n, &c->err);
	if (!rc)
		rc = fk_store_contacts(c->st, inc->id, &k, &nk, &c->err);
	json_t *arr = json_array();
	for (size_t i = 0; !rc && i < n; i++) {
		char code[16];
		snprintf(code, sizeof code, "R%d", r[i].no);
		json_t *contacts = json_array();
		for (size_t j = 0; j < nk; j++)
			if (k[j].reporter_no == r[i].no)
				json_array_append_new(
				    contacts,
				    json_pack("{s:o, s:s, s:s, s:s, s:s}", "at",
				              cli_json_time(c, k[j].at), "direction",
				              k[j].out ? "out" : "in", "channel",
				              fk_channels[k[j].channel].key, "summary",
				              k[j].summary, "recorded_by", k[j].created_by));
		json_array_append_new(
		    arr, json_pack("{s:s, s:s, s:o, s:s, s:o, s:o, s:o}", "id", code, "name",
		                   r[i].name, "contact", cli_json_str(r[i].contact), "channel",
		                   fk_channels[r[i].channel].key, "at", cli_json_time(c, r[i].at),
		                   "note", cli_json_str(r[i].note), "contacts", contacts));
	}
	FK_FREE_ARRAY(r, n, fk_reporter_release);
	FK_FREE_ARRAY(k, nk, fk_contact_release);
	if (rc)
		json_decref(arr);
	else
		*out = json_pack("{s:s, s:o}", "incident", inc->ref, "reporters", arr);
	return rc;
}

static enum fk_code reporter_add(struct cli *c, int argc, char **argv)
{
	struct fk_reporter r = {.channel = FK_UNSET, .at = FK_TIME_NONE};
	const char *name = NULL, *contact = NULL, *note = NULL;
	const struct opt opts[] = {
	    {"name", "TEXT", OPT_STR, &name, NULL, 0, "who reported (required)", "通報者 (必須)"},
	    {"contact", "TEXT", OPT_STR, &contact, NULL, 0, "how to reach them", "連絡先"},
	    {"channel", NULL, OPT_ENUM, &r.channel, fk_channels, FK_CH_COUNT,
	     "how the report came (required)", "通報の経路 (必須)"},
	    {"at", NULL, OPT_TIME, &r.at, NULL, 0, "when it came (default: now): the clock starts",
	     "受けた日時 (既定: 現在): 期限の起点"},
	    {"note", "TEXT", OPT_STR, &note, NULL, 0, "what they reported", "通報の内容"},
	};
	char *pos[1];
	int npos;
	bool help;
	enum fk_code rc =
	    cli_parse(c, argc, argv, opts, FK_ARRAY_LEN(opts),
	              "reporter add ID --name TEXT --channel C [--contact TEXT] [--at T]", 1, 1,
	              pos, &npos, &help);
	if (rc || help)
		return rc;
	r.name = name ? fk_xstrdup(name) : NULL;
	r.contact = contact ? fk_xstrdup(contact) : NULL;
	r.note = note ? fk_xstrdup(note) : NULL;
	if (r.at == FK_TIME_NONE)
		r.at = c->ctx.now;
	if (!(rc = fk_reporter_add(&c->ctx, pos[0], &r, &c->err))) {
		char code[16];
		snprintf(code, sizeof code, "R%d", r.no);
		if (c->json)
			cli_json_out(json_pack("{s:s, s:s, s:o}", "incident", pos[0], "id", code,
			                       "at", cli_json_time(c, r.at)));
		else
			printf(TR(c->lang,
			          "%s R%d: %s (acknowledge by the end of the next business day)\n",
			          "%s R%d: %s (翌営業日中に受領連絡を)\n"),
			       pos[0], r.no, r.name);
	}
	fk_reporter_release(&r);
	return rc;
}

static enum fk_code reporter_contact(struct cli *c, int argc, char **argv)
{
	struct fk_contact k = {.channel = FK_UNSET, .at = FK_TIME_NONE};
	const char *summary = NULL, *direction = NULL;
	const struct opt opts[] = {
	    {"direction", "in|out", OPT_STR, &direction, NULL, 0,
	     "out: we contacted them; in: they contacted us (required)",
	     "out: こちらから連絡, in: 先方から連絡 (必須)"},
	    {"channel", NULL, OPT_ENUM, &k.channel, fk_channels, FK_CH_COUNT, "how (required)",
	     "手段 (必須)"},
	    {"summary", "TEXT", OPT_STR, &summary, NULL, 0, "what was said (required)",
	     "内容 (必須)"},
	    {"at", NULL, OPT_TIME, &k.at, NULL, 0, "when (default: now)", "日時 (既定: 現在)"},
	};
	char *pos[2];
	int npos;
	bool help;
	enum fk_code rc =
	    cli_parse(c, argc, argv, opts, FK_ARRAY_LEN(opts),
	              "reporter contact ID R1 --direction in|out --channel C --summary T", 2, 2,
	              pos, &npos, &help);
	if (rc || help)
		return rc;
	if (!direction || (strcmp(direction, "in") && strcmp(direction, "out")))
		return FK_ERR0(&c->err, FK_EUSAGE, "--direction", "--direction: expected in or out",
		               "--direction: in か out を指定してください");
	k.out = !strcmp(direction, "out");
	k.summary = summary ? fk_xstrdup(summary) : NULL;
	if (k.at == FK_TIME_NONE)
		k.at = c->ctx.now;
	if (!(rc = fk_reporter_contact(&c->ctx, pos[0], pos[1], &k, &c->err))) {
		if (c->json)
			cli_json_out(json_pack("{s:s, s:s, s:s}", "incident", pos[0], "reporter",
			                       pos[1], "direction", direction));
		else
			printf(TR(c->lang, "%s %s: contact recorded\n",
			          "%s %s: やりとりを記録しました\n"),
			       pos[0], pos[1]);
	}
	fk_contact_release(&k);
	return rc;
}

static enum fk_code reporter_list(struct cli *c, int argc, char **argv)
{
	char *pos[1];
	int npos;
	bool help;
	struct fk_incident inc;
	json_t *doc;
	enum fk_code rc =
	    cli_parse(c, argc, argv, NULL, 0, "reporter list ID", 1, 1, pos, &npos, &help);
	if (rc || help || (rc = cli_incident(c, pos[0], &inc)))
		return rc;
	if (!(rc = cli_reporters_doc(c, &inc, &doc))) {
		if (c->json) {
			cli_json_out(doc);
		} else {
			size_t i, j;
			json_t *r, *k;
			json_array_foreach(json_object_get(doc, "reporters"), i, r)
			{
				const char *contact =
				    json_string_value(json_object_get(r, "contact"));
				printf("%s %s (%s, %s) %s\n",
				       json_string_value(json_object_get(r, "id")),
				       json_string_value(json_object_get(r, "name")),
				       json_string_value(json_object_get(r, "channel")),
				       contact ? contact : "-",
				       json_string_value(json_object_get(r, "at")));
				json_array_foreach(json_object_get(r, "contacts"), j, k) printf(
				    "    %s %-3s %s\n", json_string_value(json_object_get(k, "at")),
				    json_string_value(json_object_get(k, "direction")),
				    json_string_value(json_object_get(k, "summary")));
			}
			json_decref(doc);
		}
	}
	fk_incident_release(&inc);
	return rc;
}

enum fk_code cmd_reporter(struct cli *c, int argc, char **argv)
{
	static const struct subcmd subs[] = {
	    {"add", reporter_add, "who reported it from outside, how and when (starts the clock)",
	     "外部からの通報者・経路・日時 (期限の起点)"},
	    {"contact", reporter_contact, "every contact with them, in or out",
	     "通報者とのやりとり (受信・送信)"},
	    {"list", reporter_list, "the reporters and the contacts", "通報者とやりとりの一覧"},
	};
	return cli_dispatch(c, argc, argv, subs, FK_ARRAY_LEN(subs));
}
