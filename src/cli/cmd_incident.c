/*
 * cmd_incident.c - fukkyu incident new|list|show|set|advance|close|history.
 */
#include "fukkyu/common.h"
#include "cli.h"
#include "fukkyu/sweep.h"
#include "util/utf8.h"

/* Per-phase progress of one incident, from its tasks. */
struct progress {
	int finished[FK_PLAYBOOK_PHASES], total[FK_PLAYBOOK_PHASES];
	int all_finished, all, overdue;
};

static void count(struct cli *c, const struct fk_task *t, size_t n, struct progress *p)
{
	memset(p, 0, sizeof *p);
	for (size_t i = 0; i < n; i++) {
		int ph = t[i].phase - 1;
		if (ph < 0 || ph >= FK_PLAYBOOK_PHASES)
			continue;
		p->total[ph]++;
		p->all++;
		if (fk_task_finished(&t[i])) {
			p->finished[ph]++;
			p->all_finished++;
		}
		p->overdue += fk_task_overdue(&t[i], c->ctx.now);
	}
}

static enum fk_code incident_new(struct cli *c, int argc, char **argv)
{
	struct fk_incident inc = FK_INCIDENT_NEW;
	const char *title = NULL, *description = NULL, *playbook = NULL;
	int64_t pii_count = -1;
	int pii = 0, pii_sensitive = 0;
	const struct opt opts[] = {
	    {"title", "TEXT", OPT_STR, &title, NULL, 0, "what happened, in a line (required)",
	     "件名 (必須)"},
	    {"kind", NULL, OPT_ENUM, &inc.kind, fk_kinds, FK_KIND_COUNT,
	     "the kind of incident (required)", "インシデントの種別 (必須)"},
	    {"severity", NULL, OPT_ENUM, &inc.severity, fk_severities, FK_SEV_COUNT,
	     "severity (default medium)", "重大度 (既定 medium)"},
	    {"discovered", NULL, OPT_TIME, &inc.discovered_at, NULL, 0,
	     "when it was discovered (required; ISO 8601)", "発覚日時 (必須。ISO 8601)"},
	    {"contained", NULL, OPT_TIME, &inc.contained_at, NULL, 0, "when it was contained",
	     "封じ込め日時"},
	    {"description", "TEXT", OPT_STR, &description, NULL, 0, "longer description",
	     "詳細な説明"},
	    {"pii", NULL, OPT_YESNO, &pii, NULL, 0, "personal data involved",
	     "個人情報が関係するか"},
	    {"pii-count", NULL, OPT_INT, &pii_count, NULL, 0, "persons whose data is involved",
	     "関係する本人の数"},
	    {"pii-sensitive", NULL, OPT_YESNO, &pii_sensitive, NULL, 0,
	     "sensitive data (要配慮個人情報) among it", "要配慮個人情報を含むか"},
	    {"playbook", "FILE", OPT_STR, &playbook, NULL, 0,
	     "start from this playbook file instead of the standard one",
	     "標準の代わりに使うプレイブックファイル"},
	};
	char *pos[1];
	int npos;
	bool help;
	enum fk_code rc =
	    cli_parse(c, argc, argv, opts, FK_ARRAY_LEN(opts),
	              "incident new --title TEXT --kind KIND --discovered TIME [options]", 0, 0,
	              pos, &npos, &help);
	if (rc || help)
		return rc;
	if (!title)
		return FK_ERR0(&c->err, FK_EUSAGE, "--title",
		               "missing --title: say what happened in a line",
		               "--title がありません: 何が起きたかを1行で指定してください");
	if (inc.kind < 0)
		return FK_ERR0(
		    &c->err, FK_EUSAGE, "--kind",
		    "missing --kind: one of outbound-attack, vulnerability-report, defacement, "
		    "malware-outbreak, data-leak, intrusion, dos, insider, equipment-failure, "
		    "disaster, other",
		    "--kind がありません: outbound-attack, vulnerability-report, defacement, "
		    "malware-outbreak, data-leak, intrusion, dos, insider, equipment-failure, "
		    "disaster, other のいずれかを指定してください");
	struct fk_playbook pb;
	rc = playbook ? fk_playbook_load_file(playbook, &pb, &c->err)
	              : fk_playbook_load_default(&pb, &c->err);
	if (rc)
		return rc;
	inc.title = fk_xstrdup(title);
	inc.description = fk_xstrdup(description ? description : "");
	inc.pii_count = pii_count;
	inc.pii_sensitive = pii_sensitive;
	inc.pii = pii || pii_sensitive || pii_count > 0;
	rc = fk_incident_create(&c->ctx, &inc, &pb, &c->err);
	if (!rc) {
		size_t items = fk_playbook_count(&pb, inc.kind);
		if (c->json)
			cli_json_out(json_pack("{s:I, s:s, s:s, s:I}", "id", (json_int_t)inc.id,
			                       "ref", inc.ref, "state", fk_states[inc.state].key,
			                       "items", (json_int_t)items));
		else
			printf(TR(c->lang, "created %s (id %lld) with %zu playbook items\n",
			          "%s (ID %lld) を作成しました。プレイブック項目 %zu 件\n"),
			       inc.ref, (long long)inc.id, items);
	}
	fk_incident_release(&inc);
	fk_playbook_release(&pb);
	return rc;
}

static enum fk_code incident_list(struct cli *c, int argc, char **argv)
{
	bool all = false;
	const struct opt opts[] = {
	    {"all", NULL, OPT_FLAG, &all, NULL, 0, "include closed incidents",
	     "完了したインシデントも含める"},
	};
	char *pos[1];
	int npos;
	bool help;
	struct fk_incident *incs;
	size_t n;
	enum fk_code rc =
	    cli_parse(c, argc, argv, opts, 1, "incident list [--all]", 0, 0, pos, &npos, &help);
	if (rc || help || (rc = fk_store_incident_list(c->st, all, &incs, &n, &c->err)))
		return rc;
	if (c->json) {
		cli_jarr_begin(NULL, "incidents");
		for (size_t i = 0; i < n; i++)
			cli_jarr_item(cli_incident_json(c, &incs[i]));
		cli_jarr_end();
	} else if (!n) {
		printf("%s\n", TR(c->lang, "no incidents", "インシデントはありません"));
	} else {
		printf("%-4s %-14s %-11s %-9s %-21s %-17s %s\n", "ID",
		       TR(c->lang, "REF", "参照番号"), TR(c->lang, "STATE", "状態"),
		       TR(c->lang, "SEVERITY", "重大度"), TR(c->lang, "KIND", "種別"),
		       TR(c->lang, "DISCOVERED", "発覚"), TR(c->lang, "TITLE", "件名"));
		for (size_t i = 0; i < n; i++) {
			char t[40];
			cli_time(c, incs[i].discovered_at, t);
			printf("%-4lld %-14s %-11s %-9s %-21s %-17s %s\n", (long long)incs[i].id,
			       incs[i].ref, fk_states[incs[i].state].key,
			       fk_severities[incs[i].severity].key, fk_kinds[incs[i].kind].key, t,
			       incs[i].title);
		}
	}
	FK_FREE_ARRAY(incs, n, fk_incident_release);
	return FK_OK;
}

static void print_field(struct cli *c, const char *en, const char *ja, const char *value)
{
	fk_utf8_fput(stdout, TR(c->lang, en, ja), 22);
	printf(" %s\n", value && *value ? value : "-");
}

static enum fk_code incident_show(struct cli *c, int argc, char **argv)
{
	char *pos[1];
	int npos;
	bool help;
	struct fk_incident inc;
	struct fk_task *tasks = NULL;
	struct fk_phase *phases = NULL;
	struct fk_person *people = NULL;
	size_t nt = 0, nph = 0, np = 0;
	enum fk_code rc =
	    cli_parse(c, argc, argv, NULL, 0, "incident show ID", 1, 1, pos, &npos, &help);
	if (rc || help || (rc = cli_incident(c, pos[0], &inc)))
		return rc;
	if (!(rc = fk_store_tasks_get(c->st, inc.id, &tasks, &nt, &c->err)) &&
	    !(rc = fk_store_phases_get(c->st, inc.id, &phases, &nph, &c->err)))
		rc = fk_store_roles_get(c->st, inc.id, &people, &np, &c->err);
	if (rc)
		goto out;
	struct progress p;
	count(c, tasks, nt, &p);
	if (c->json) {
		json_t *o = cli_incident_json(c, &inc);
		json_object_set_new(
		    o, "progress", json_pack("{s:i, s:i}", "done", p.all_finished, "total", p.all));
		json_object_set_new(o, "overdue", json_integer(p.overdue));
		json_t *ph = json_array();
		for (size_t i = 0; i < nph; i++) {
			int k = phases[i].no - 1;
			json_array_append_new(
			    ph, json_pack("{s:i, s:s, s:o, s:i, s:i}", "no", phases[i].no, "key",
			                  phases[i].key, "title",
			                  cli_json_i18n(phases[i].title_ja, phases[i].title_en),
			                  "done", p.finished[k], "total", p.total[k]));
		}
		json_object_set_new(o, "phases", ph);
		json_t *roles = json_array();
		for (size_t i = 0; i < np; i++)
			json_array_append_new(roles, json_pack("{s:s, s:s}", "role",
			                                       fk_roles[people[i].role].key, "name",
			                                       people[i].name));
		json_object_set_new(o, "roles", roles);
		cli_json_out(o);
		goto out;
	}
	char t1[40], t2[40], buf[160];
	printf("%s  %s\n\n", inc.ref, inc.title);
	print_field(c, "State", "状態",
	            fk_enum_label(fk_states, FK_STATE_COUNT, inc.state, c->lang));
	print_field(c, "Kind", "種別", fk_enum_label(fk_kinds, FK_KIND_COUNT, inc.kind, c->lang));
	print_field(c, "Severity", "重大度",
	            fk_enum_label(fk_severities, FK_SEV_COUNT, inc.severity, c->lang));
	cli_time(c, inc.discovered_at, t1);
	cli_time(c, inc.contained_at, t2);
	print_field(c, "Discovered", "発覚", t1);
	print_field(c, "Contained", "封じ込め", t2);
	if (inc.pii) {
		if (inc.pii_count >= 0)
			snprintf(buf, sizeof buf,
			         TR(c->lang, "yes, %lld persons%s", "あり (%lld 人%s)"),
			         (long long)inc.pii_count,
			         inc.pii_sensitive
			             ? TR(c->lang, ", sensitive data", "、要配慮個人情報を含む")
			             : "");
		else
			snprintf(buf, sizeof buf, "%s%s", TR(c->lang, "yes", "あり"),
			         inc.pii_sensitive
			             ? TR(c->lang, ", sensitive data", "、要配慮個人情報を含む")
			             : "");
	} else {
		snprintf(buf, sizeof buf, "%s", TR(c->lang, "no", "なし"));
	}
	print_field(c, "Personal data", "個人情報", buf);
	print_field(c, "Description", "説明", inc.description);
	for (size_t i = 0; i < np; i++)
		print_field(c, fk_roles[people[i].role].en, fk_roles[people[i].role].ja,
		            people[i].name);
	snprintf(buf, sizeof buf, "%d/%d (%d%%)%s", p.all_finished, p.all,
	         p.all ? p.all_finished * 100 / p.all : 0, "");
	print_field(c, "Progress", "進捗", buf);
	snprintf(buf, sizeof buf, "%d", p.overdue);
	print_field(c, "Overdue items", "期限超過の項目", buf);
	printf("\n");
	for (size_t i = 0; i < nph; i++) {
		int k = phases[i].no - 1;
		printf("  %d ", phases[i].no);
		fk_utf8_fput(stdout, cli_pick(c, phases[i].title_ja, phases[i].title_en), 40);
		printf(" %3d/%-3d\n", p.finished[k], p.total[k]);
	}
out:
	FK_FREE_ARRAY(tasks, nt, fk_task_release);
	FK_FREE_ARRAY(phases, nph, fk_phase_release);
	FK_FREE_ARRAY(people, np, fk_person_release);
	fk_incident_release(&inc);
	return rc;
}

static enum fk_code incident_set(struct cli *c, int argc, char **argv)
{
	struct fk_incident_patch p = FK_INCIDENT_PATCH_INIT;
	int64_t pii_count = FK_UNSET;
	const struct opt opts[] = {
	    {"title", "TEXT", OPT_STR, &p.title, NULL, 0, "new title", "件名"},
	    {"severity", NULL, OPT_ENUM, &p.severity, fk_severities, FK_SEV_COUNT, "severity",
	     "重大度"},
	    {"discovered", NULL, OPT_TIME, &p.discovered_at, NULL, 0, "when it was discovered",
	     "発覚日時"},
	    {"contained", NULL, OPT_TIME, &p.contained_at, NULL, 0, "when it was contained",
	     "封じ込め日時"},
	    {"description", "TEXT", OPT_STR, &p.description, NULL, 0, "description", "説明"},
	    {"pii", NULL, OPT_YESNO, &p.pii, NULL, 0, "personal data involved",
	     "個人情報が関係するか"},
	    {"pii-count", NULL, OPT_INT, &pii_count, NULL, 0, "persons whose data is involved",
	     "関係する本人の数"},
	    {"pii-sensitive", NULL, OPT_YESNO, &p.pii_sensitive, NULL, 0, "sensitive data among it",
	     "要配慮個人情報を含むか"},
	    {"pii-financial", NULL, OPT_YESNO, &p.pii_financial, NULL, 0,
	     "data whose misuse may cause financial harm (cards, bank credentials)",
	     "財産的被害のおそれがある情報 (カード番号、口座の認証情報など) を含むか"},
	    {"pii-unlawful", NULL, OPT_YESNO, &p.pii_unlawful, NULL, 0,
	     "a suspected unlawful purpose (intrusion, insider theft): APPI final report in 60 "
	     "days",
	     "不正の目的によるおそれ (不正アクセス、内部不正など): 確報は60日以内"},
	    {"pii-eu", NULL, OPT_YESNO, &p.pii_eu, NULL, 0, "data subjects in the EU (GDPR)",
	     "EU 域内のデータ主体を含むか (GDPR)"},
	    {"pii-items", "TEXT", OPT_STR, &p.pii_items, NULL, 0,
	     "the personal data items concerned (APPI report item 2; \"\" clears)",
	     "漏えい等した個人データの項目 (報告事項2、\"\" で消去)"},
	    {"pii-harm", "TEXT", OPT_STR, &p.pii_harm, NULL, 0,
	     "secondary harm or its risk (APPI report item 5)",
	     "二次被害又はそのおそれの有無及びその内容 (報告事項5)"},
	    {"ntp", NULL, OPT_YESNO, &p.clocks_ntp, NULL, 0,
	     "the logs' clocks were NTP-synchronised (JPCERT/CC asks)",
	     "ログの時刻は NTP で同期されていたか (JPCERT/CC への報告事項)"},
	    {"recovery-deadline", NULL, OPT_TIME, &p.recovery_deadline, NULL, 0,
	     "when recovery must be complete (the plan's deadline)", "復旧期限 (復旧計画の期限)"},
	    {"monitoring-end", NULL, OPT_TIME, &p.monitoring_end, NULL, 0,
	     "end of heightened monitoring", "監視強化期間の終了日時"},
	};
	char *pos[1];
	int npos;
	bool help;
	struct fk_incident out;
	enum fk_code rc = cli_parse(c, argc, argv, opts, FK_ARRAY_LEN(opts),
	                            "incident set ID [options]", 1, 1, pos, &npos, &help);
	if (rc || help)
		return rc;
	p.pii_count = pii_count;
	if (fk_incident_patch_empty(&p))
		return FK_ERR0(&c->err, FK_EUSAGE, "incident set",
		               "nothing to change: give at least one option (see 'fukkyu incident "
		               "set --help')",
		               "変更する項目がありません: オプションを1つ以上指定してください "
		               "('fukkyu incident set --help' 参照)");
	if ((rc = fk_incident_change(&c->ctx, pos[0], &p, &out, &c->err)))
		return rc;
	if (c->json)
		cli_json_out(cli_incident_json(c, &out));
	else
		printf(TR(c->lang, "updated %s\n", "%s を更新しました\n"), out.ref);
	fk_incident_release(&out);
	return FK_OK;
}

static enum fk_code transition(struct cli *c, int argc, char **argv, bool close)
{
	int to = close ? FK_STATE_CLOSED : FK_UNSET;
	const struct opt opts[] = {
	    {"to", NULL, OPT_ENUM, &to, fk_states, FK_STATE_COUNT,
	     "the state to move to (default: the next one)", "移る状態 (既定: 次の状態)"},
	};
	char *pos[1];
	int npos;
	bool help;
	struct fk_incident out;
	enum fk_code rc =
	    cli_parse(c, argc, argv, opts, close ? 0 : 1,
	              close ? "incident close ID" : "incident advance ID [--to STATE]", 1, 1, pos,
	              &npos, &help);
	if (rc || help || (rc = fk_incident_transition(&c->ctx, pos[0], to, &out, &c->err)))
		return rc;
	if (c->json)
		cli_json_out(cli_incident_json(c, &out));
	else
		printf(TR(c->lang, "%s is now %s\n", "%s は「%s」になりました\n"), out.ref,
		       fk_enum_label(fk_states, FK_STATE_COUNT, out.state, c->lang));
	fk_incident_release(&out);
	return FK_OK;
}

static enum fk_code incident_advance(struct cli *c, int argc, char **argv)
{
	return transition(c, argc, argv, false);
}

static enum fk_code incident_close(struct cli *c, int argc, char **argv)
{
	return transition(c, argc, argv, true);
}

/* History keeps times as stored (UTC); show them in the display zone like every other
 * time. Returns v, or out holding the converted time. */
const char *cli_history_value(struct cli *c, const char *v, char out[static 40])
{
	int64_t t;
	if (v && strlen(v) == 20 && v[19] == 'Z' && !fk_time_parse(v, "UTC", "value", &t, NULL)) {
		fk_time_local(t, c->tz, out);
		return out;
	}
	return v;
}

json_t *cli_change_json(struct cli *c, const struct fk_change *ch)
{
	char kb[40], ob[40], nb[40];
	return json_pack("{s:I, s:o, s:s, s:s, s:s, s:o, s:s, s:o, s:o}", "id", (json_int_t)ch->id,
	                 "at", cli_json_time(c, ch->at), "actor", ch->actor, "origin",
	                 ch->origin ? ch->origin : "cli", "entity", ch->entity, "key",
	                 cli_json_str(cli_history_value(c, ch->entity_key, kb)), "field", ch->field,
	                 "old", cli_json_str(cli_history_value(c, ch->old_value, ob)), "new",
	                 cli_json_str(cli_history_value(c, ch->new_value, nb)));
}

enum fk_code cli_changes_doc(struct cli *c, const struct fk_incident *inc, json_t **out)
{
	struct fk_change *ch;
	size_t n;
	enum fk_code rc = fk_store_changes_get(c->st, inc->id, &ch, &n, &c->err);
	if (rc)
		return rc;
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, cli_change_json(c, &ch[i]));
	*out = json_pack("{s:s, s:o}", "incident", inc->ref, "changes", arr);
	FK_FREE_ARRAY(ch, n, fk_change_release);
	return FK_OK;
}

static enum fk_code incident_history(struct cli *c, int argc, char **argv)
{
	char *pos[1];
	int npos;
	bool help;
	struct fk_incident inc;
	struct fk_change *ch;
	size_t n;
	enum fk_code rc =
	    cli_parse(c, argc, argv, NULL, 0, "incident history ID", 1, 1, pos, &npos, &help);
	if (rc || help || (rc = cli_incident(c, pos[0], &inc)))
		return rc;
	if (c->json || (rc = fk_store_changes_get(c->st, inc.id, &ch, &n, &c->err))) {
		json_t *doc;
		if (!rc && !(rc = cli_changes_doc(c, &inc, &doc)))
			cli_json_out(doc);
		fk_incident_release(&inc);
		return rc;
	}
	for (size_t i = 0; i < n; i++) {
		char kb[40], ob[40], nb[40], t[40];
		const char *key = cli_history_value(c, ch[i].entity_key, kb);
		const char *old = cli_history_value(c, ch[i].old_value, ob);
		const char *new = cli_history_value(c, ch[i].new_value, nb);
		cli_time(c, ch[i].at, t);
		printf("%-19s  ", t);
		fk_utf8_fput(stdout, ch[i].actor, 14);
		printf(" %s%s%s %s: ", ch[i].entity, key ? " " : "", key ? key : "", ch[i].field);
		if (!old)
			printf("%s\n", new ? new : "-");
		else
			printf("%s → %s\n", old, new ? new : TR(c->lang, "(removed)", "(削除)"));
	}
	FK_FREE_ARRAY(ch, n, fk_change_release);
	fk_incident_release(&inc);
	return FK_OK;
}

/* incident assets ID [list] | incident assets ID add NAME... : the systems the incident hit. */
static enum fk_code incident_assets(struct cli *c, int argc, char **argv)
{
	char **pos = fk_xcalloc((size_t)argc + 1, sizeof *pos);
	int npos;
	bool help;
	struct fk_incident inc;
	enum fk_code rc = cli_parse(c, argc, argv, NULL, 0,
	                            "incident assets ID [list] | incident assets ID add NAME...", 1,
	                            argc, pos, &npos, &help);
	const char *verb = npos > 1 ? pos[1] : "list";
	if (!rc && !help && strcmp(verb, "add") && strcmp(verb, "list"))
		rc = FK_ERR(&c->err, FK_EUSAGE, verb, "unknown verb '%s': expected add or list",
		            "'%s' は使えません: add か list を指定してください", verb);
	if (!rc && !help && !strcmp(verb, "add")) {
		size_t added;
		if (npos < 3)
			rc = FK_ERR0(&c->err, FK_EUSAGE, "NAME", "name at least one asset to add",
			             "追加する資産の名前を1つ以上指定してください");
		else if (!(rc = fk_incident_assets_add(&c->ctx, pos[0], pos + 2, (size_t)npos - 2,
		                                       &added, &c->err))) {
			if (c->json)
				cli_json_out(json_pack("{s:s, s:I}", "incident", pos[0], "added",
				                       (json_int_t)added));
			else
				printf(TR(c->lang, "%s: %zu affected systems added\n",
				          "%s: 被害システムを %zu 台追加しました\n"),
				       pos[0], added);
		}
	} else if (!rc && !help && !(rc = cli_incident(c, pos[0], &inc))) {
		struct fk_asset *a;
		size_t n;
		if (!(rc = fk_store_incident_assets(c->st, inc.id, &a, &n, &c->err))) {
			json_t *arr = json_array();
			for (size_t i = 0; i < n; i++) {
				if (c->json)
					json_array_append_new(arr, cli_asset_json(&a[i]));
				else
					printf("%-24s %-16s %s %s\n", a[i].col[FK_ACOL_NAME],
					       a[i].col[FK_ACOL_IP] ? a[i].col[FK_ACOL_IP] : "-",
					       a[i].col[FK_ACOL_OS] ? a[i].col[FK_ACOL_OS] : "-",
					       a[i].col[FK_ACOL_OS_VERSION]
					           ? a[i].col[FK_ACOL_OS_VERSION]
					           : "");
			}
			if (c->json)
				cli_json_out(
				    json_pack("{s:s, s:O}", "incident", inc.ref, "assets", arr));
			json_decref(arr);
			FK_FREE_ARRAY(a, n, fk_asset_release);
		}
		fk_incident_release(&inc);
	}
	free(pos);
	return rc;
}

enum fk_code cmd_incident(struct cli *c, int argc, char **argv)
{
	static const struct subcmd subs[] = {
	    {"new", incident_new, "open an incident with the recovery playbook",
	     "復旧プレイブック付きでインシデントを作成"},
	    {"list", incident_list, "list incidents", "インシデントの一覧"},
	    {"show", incident_show, "show an incident", "インシデントの表示"},
	    {"set", incident_set, "change an incident's fields", "インシデントの項目を変更"},
	    {"advance", incident_advance,
	     "move to the next state (leaving emergency records the containment time as now, "
	     "unless set)",
	     "次の状態へ進める (緊急対応を出るとき、封じ込め日時が未設定なら現在時刻を記録)"},
	    {"close", incident_close, "close (every item done or not applicable)",
	     "完了にする (全項目が完了か対象外)"},
	    {"assets", incident_assets, "the systems the incident hit: assets ID add NAME...",
	     "被害を受けたシステム: assets ID add NAME..."},
	    {"history", incident_history, "every change: who, when, old → new",
	     "変更履歴 (誰が・いつ・旧→新)"},
	};
	return cli_dispatch(c, argc, argv, subs, FK_ARRAY_LEN(subs));
}
