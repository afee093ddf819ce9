/*
 * cmd_task.c - fukkyu task list|show|set: the incident's playbook checklist.
 */
#include "fukkyu/common.h"
#include "cli.h"
#include "util/time.h"
#include "util/utf8.h"

static const char *const marks[FK_TASK_COUNT] = {"[ ]", "[~]", "[x]", "[-]"};

json_t *cli_task_json(struct cli *c, const struct fk_task *t)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(t->item_id));
	json_object_set_new(o, "title", cli_json_i18n(t->title_ja, t->title_en));
	json_object_set_new(o, "group",
	                    json_pack("{s:s, s:s, s:s}", "key", t->group_key, "ja", t->group_ja,
	                              "en", t->group_en));
	json_object_set_new(o, "state", json_string(fk_task_states[t->state].key));
	json_object_set_new(o, "na_reason", cli_json_str(t->na_reason));
	json_object_set_new(o, "owner", cli_json_str(t->owner));
	json_object_set_new(o, "due", cli_json_time(c, t->due_at));
	json_object_set_new(o, "overdue", json_boolean(fk_task_overdue(t, c->ctx.now)));
	json_object_set_new(o, "note", cli_json_str(t->note));
	json_object_set_new(o, "approval", json_boolean(t->approval));
	json_object_set_new(o, "why",
	                    t->why_en ? cli_json_i18n(t->why_ja, t->why_en) : json_null());
	json_object_set_new(o, "updated_at", cli_json_time(c, t->updated_at));
	json_object_set_new(o, "updated_by", cli_json_str(t->updated_by));
	return o;
}

static void task_line(struct cli *c, const struct fk_task *t)
{
	char due[40] = "";
	printf("    %s %-8s ", marks[t->state], t->item_id);
	fk_utf8_fput(stdout, cli_pick(c, t->title_ja, t->title_en), 56);
	if (t->owner) {
		printf("  ");
		fk_utf8_fput(stdout, t->owner, 12);
	}
	if (t->due_at != FK_TIME_NONE) {
		cli_time(c, t->due_at, due);
		printf("  %s %s%s", TR(c->lang, "due", "期限"), due,
		       fk_task_overdue(t, c->ctx.now) ? TR(c->lang, " OVERDUE", " 期限超過") : "");
	}
	if (t->approval)
		printf("  %s", TR(c->lang, "(approval)", "(要承認)"));
	printf("\n");
	if (t->state == FK_TASK_NA && t->na_reason)
		printf("                 %s: %s\n", TR(c->lang, "n/a", "対象外"), t->na_reason);
}

static enum fk_code task_list(struct cli *c, int argc, char **argv)
{
	int64_t phase = FK_UNSET;
	int state = FK_UNSET;
	bool overdue = false;
	const struct opt opts[] = {
	    {"phase", "N", OPT_INT, &phase, NULL, 0, "only phase N (1-6)",
	     "フェーズ N (1〜6) のみ"},
	    {"state", NULL, OPT_ENUM, &state, fk_task_states, FK_TASK_COUNT,
	     "only items in this state", "この状態の項目のみ"},
	    {"overdue", NULL, OPT_FLAG, &overdue, NULL, 0, "only overdue items",
	     "期限超過の項目のみ"},
	};
	char *pos[1];
	int npos;
	bool help;
	struct fk_incident inc;
	struct fk_task *t = NULL;
	struct fk_phase *ph = NULL;
	size_t n = 0, nph = 0;
	enum fk_code rc = cli_parse(c, argc, argv, opts, FK_ARRAY_LEN(opts),
	                            "task list ID [--phase N] [--state STATE] [--overdue]", 1, 1,
	                            pos, &npos, &help);
	if (rc || help)
		return rc;
	if (phase != FK_UNSET && (phase < 1 || phase > FK_PLAYBOOK_PHASES))
		return FK_ERR(&c->err, FK_EUSAGE, "--phase", "--phase %lld: expected 1 to 6",
		              "--phase %lld: 1〜6 を指定してください", (long long)phase);
	if ((rc = cli_incident(c, pos[0], &inc)))
		return rc;
	if ((rc = fk_store_tasks_get(c->st, inc.id, &t, &n, &c->err)) ||
	    (rc = fk_store_phases_get(c->st, inc.id, &ph, &nph, &c->err)))
		goto out;
	json_t *phases = c->json ? json_array() : NULL;
	if (!c->json)
		printf("%s  %s\n", inc.ref, inc.title);
	for (size_t p = 0; p < nph; p++) {
		if (phase != FK_UNSET && ph[p].no != phase)
			continue;
		int done = 0, total = 0;
		for (size_t i = 0; i < n; i++)
			if (t[i].phase == ph[p].no) {
				total++;
				done += fk_task_finished(&t[i]);
			}
		json_t *items = c->json ? json_array() : NULL;
		if (!c->json) {
			printf("\n%d ", ph[p].no);
			printf("%s  %d/%d\n", cli_pick(c, ph[p].title_ja, ph[p].title_en), done,
			       total);
		}
		const char *group = NULL;
		for (size_t i = 0; i < n; i++) {
			if (t[i].phase != ph[p].no || (state != FK_UNSET && t[i].state != state) ||
			    (overdue && !fk_task_overdue(&t[i], c->ctx.now)))
				continue;
			if (c->json) {
				json_array_append_new(items, cli_task_json(c, &t[i]));
				continue;
			}
			if (!group || strcmp(group, t[i].group_key)) {
				group = t[i].group_key;
				printf("  %s\n", cli_pick(c, t[i].group_ja, t[i].group_en));
			}
			task_line(c, &t[i]);
		}
		if (c->json)
			json_array_append_new(
			    phases, json_pack("{s:i, s:s, s:o, s:i, s:i, s:o}", "no", ph[p].no,
			                      "key", ph[p].key, "title",
			                      cli_json_i18n(ph[p].title_ja, ph[p].title_en), "done",
			                      done, "total", total, "items", items));
	}
	if (c->json)
		cli_json_out(json_pack("{s:I, s:s, s:o}", "incident", (json_int_t)inc.id, "ref",
		                       inc.ref, "phases", phases));
out:
	FK_FREE_ARRAY(t, n, fk_task_release);
	FK_FREE_ARRAY(ph, nph, fk_phase_release);
	fk_incident_release(&inc);
	return rc;
}

/* Finds item in the incident's tasks. */
static enum fk_code find_task(struct cli *c, const struct fk_incident *inc, const char *item,
                              struct fk_task *out)
{
	struct fk_task *t;
	size_t n;
	enum fk_code rc = fk_store_tasks_get(c->st, inc->id, &t, &n, &c->err);
	if (rc)
		return rc;
	rc = FK_ERR(
	    &c->err, FK_ENOTFOUND, "item",
	    "%s has no playbook item '%s': see 'fukkyu task list %s'",
	    "%s にプレイブック項目 '%s' はありません: 'fukkyu task list %s' で確認してください",
	    inc->ref, item, inc->ref);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(t[i].item_id, item)) {
			fk_task_copy(out, &t[i]);
			fk_err_clear(&c->err);
			rc = FK_OK;
			break;
		}
	FK_FREE_ARRAY(t, n, fk_task_release);
	return rc;
}

static enum fk_code task_show(struct cli *c, int argc, char **argv)
{
	char *pos[2];
	int npos;
	bool help;
	struct fk_incident inc;
	struct fk_task t;
	enum fk_code rc =
	    cli_parse(c, argc, argv, NULL, 0, "task show ID ITEM", 2, 2, pos, &npos, &help);
	if (rc || help || (rc = cli_incident(c, pos[0], &inc)))
		return rc;
	if ((rc = find_task(c, &inc, pos[1], &t))) {
		fk_incident_release(&inc);
		return rc;
	}
	if (c->json) {
		cli_json_out(cli_task_json(c, &t));
	} else {
		char due[40], upd[40];
		cli_time(c, t.due_at, due);
		cli_time(c, t.updated_at, upd);
		printf("%s %s  %s\n", inc.ref, t.item_id, cli_pick(c, t.title_ja, t.title_en));
		printf("  %s: %s\n", TR(c->lang, "group", "グループ"),
		       cli_pick(c, t.group_ja, t.group_en));
		printf("  %s: %s\n", TR(c->lang, "state", "状態"),
		       fk_enum_label(fk_task_states, FK_TASK_COUNT, t.state, c->lang));
		if (t.na_reason)
			printf("  %s: %s\n", TR(c->lang, "reason", "理由"), t.na_reason);
		printf("  %s: %s\n", TR(c->lang, "owner", "担当"), t.owner ? t.owner : "-");
		printf("  %s: %s%s\n", TR(c->lang, "due", "期限"), due,
		       fk_task_overdue(&t, c->ctx.now) ? TR(c->lang, " (overdue)", " (期限超過)")
		                                       : "");
		if (t.approval)
			printf("  %s\n",
			       TR(c->lang, "needs an approver's sign-off", "承認者の承認が必要"));
		if (t.why_en)
			printf("  %s: %s\n", TR(c->lang, "why", "理由・教訓"),
			       cli_pick(c, t.why_ja, t.why_en));
		printf("  %s: %s\n", TR(c->lang, "note", "メモ"), t.note ? t.note : "-");
		printf("  %s: %s %s\n", TR(c->lang, "updated", "更新"), upd,
		       t.updated_by ? t.updated_by : "");
	}
	fk_task_release(&t);
	fk_incident_release(&inc);
	return FK_OK;
}

static enum fk_code task_set(struct cli *c, int argc, char **argv)
{
	struct fk_task_patch p = FK_TASK_PATCH_INIT;
	const char *due = NULL;
	const struct opt opts[] = {
	    {"state", NULL, OPT_ENUM, &p.state, fk_task_states, FK_TASK_COUNT, "new state", "状態"},
	    {"reason", "TEXT", OPT_STR, &p.reason, NULL, 0,
	     "why it does not apply (with --state na)", "対象外の理由 (--state na と共に)"},
	    {"note", "TEXT", OPT_STR, &p.note, NULL, 0,
	     "note (replaces the previous one; \"\" clears)",
	     "メモ (前のものを置き換え。\"\" で消去)"},
	    {"owner", "NAME", OPT_STR, &p.owner, NULL, 0, "who does it (\"\" clears)",
	     "担当者 (\"\" で消去)"},
	    {"due", "TIME", OPT_STR, &due, NULL, 0, "due date (ISO 8601; \"\" clears)",
	     "期限 (ISO 8601。\"\" で消去)"},
	};
	char *pos[2];
	int npos;
	bool help;
	struct fk_task out;
	enum fk_code rc = cli_parse(c, argc, argv, opts, FK_ARRAY_LEN(opts),
	                            "task set ID ITEM [--state S] [--reason TEXT] [--note TEXT] "
	                            "[--owner NAME] [--due TIME]",
	                            2, 2, pos, &npos, &help);
	if (rc || help)
		return rc;
	if (due && !*due)
		p.clear_due = true;
	else if (due && (rc = fk_time_parse(due, c->tz, "--due", &p.due_at, &c->err)))
		return rc;
	if ((rc = fk_task_change(&c->ctx, pos[0], pos[1], &p, &out, &c->err)))
		return rc;
	if (c->json)
		cli_json_out(cli_task_json(c, &out));
	else
		printf("%s %s %s  %s\n", pos[0], out.item_id, marks[out.state],
		       cli_pick(c, out.title_ja, out.title_en));
	fk_task_release(&out);
	return FK_OK;
}

enum fk_code cmd_task(struct cli *c, int argc, char **argv)
{
	static const struct subcmd subs[] = {
	    {"list", task_list, "the checklist, by phase and group",
	     "フェーズ・グループ別のチェックリスト"},
	    {"show", task_show, "one item", "1項目の表示"},
	    {"set", task_set, "change an item: state, note, owner, due date",
	     "項目の変更: 状態・メモ・担当・期限"},
	};
	return cli_dispatch(c, argc, argv, subs, FK_ARRAY_LEN(subs));
}
