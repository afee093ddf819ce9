/*
 * cmd_plan.c - fukkyu plan show|set|submit|approve|complete|restore: the recovery plan of
 * phase 2 with its approval, and the restore points.
 */
#include "fukkyu/common.h"
#include "cli.h"
#include "fukkyu/plan.h"
#include "util/utf8.h"

enum fk_code cli_plan_doc(struct cli *c, const struct fk_incident *inc, json_t **out)
{
	struct fk_plan p;
	struct fk_restore_point *r = NULL;
	size_t nr = 0;
	enum fk_code rc = fk_plan_get(&c->ctx, inc->id, &p, &c->err);
	if (!rc)
		rc = fk_store_restores(c->st, inc->id, &r, &nr, &c->err);
	if (rc) {
		fk_plan_release(&p);
		return rc;
	}
	json_t *ms = json_array(), *rs = json_array();
	for (size_t i = 0; i < p.n_milestones; i++)
		json_array_append_new(ms, json_pack("{s:o, s:s}", "due",
		                                    cli_json_time(c, p.milestones[i].due_at),
		                                    "title", p.milestones[i].title));
	int64_t compromise =
	    p.compromised_at != FK_TIME_NONE ? p.compromised_at : inc->discovered_at;
	for (size_t i = 0; i < nr; i++) {
		char code[16];
		snprintf(code, sizeof code, "RP%d", r[i].no);
		json_array_append_new(
		    rs, json_pack("{s:s, s:s, s:s, s:o, s:b, s:s, s:o, s:s}", "id", code, "system",
		                  r[i].system, "backup", r[i].backup, "backup_time",
		                  cli_json_time(c, r[i].backup_time), "after_compromise",
		                  r[i].backup_time >= compromise, "integrity", r[i].integrity,
		                  "restored_at", cli_json_time(c, r[i].restored_at), "recorded_by",
		                  r[i].recorded_by));
	}
	FK_FREE_ARRAY(r, nr, fk_restore_point_release);
	json_t *o =
	    json_pack("{s:s, s:I, s:s}", "incident", inc->ref, "version", (json_int_t)p.version,
	              "state", p.version ? fk_plan_states[p.state].key : "none");
	json_object_set_new(o, "level",
	                    p.level >= 0 ? json_string(fk_plan_levels[p.level].key) : json_null());
	json_object_set_new(o, "deadline", cli_json_time(c, p.deadline));
	json_object_set_new(o, "priority", cli_json_str(p.priority));
	json_object_set_new(o, "cost", p.cost >= 0 ? json_integer(p.cost) : json_null());
	json_object_set_new(o, "staff_days",
	                    p.staff_days >= 0 ? json_integer(p.staff_days) : json_null());
	json_object_set_new(o, "milestones", ms);
	json_object_set_new(o, "monitoring",
	                    json_pack("{s:o, s:o, s:o}", "start",
	                              cli_json_time(c, p.monitoring_start), "end",
	                              cli_json_time(c, p.monitoring_end), "exit_criteria",
	                              cli_json_str(p.exit_criteria)));
	json_object_set_new(o, "compromised_at", cli_json_time(c, p.compromised_at));
	json_object_set_new(
	    o, "approved",
	    p.approved_version
	        ? json_pack("{s:I, s:o, s:s, s:s, s:b}", "version", (json_int_t)p.approved_version,
	                    "at", cli_json_time(c, p.approved_at), "by", p.approved_by, "sha256",
	                    p.approved_sha256, "current",
	                    p.approved_version == p.version && p.state == FK_PLAN_APPROVED)
	        : json_null());
	json_object_set_new(o, "completion_report", cli_json_str(p.completion_report));
	json_object_set_new(o, "completed_at", cli_json_time(c, p.completed_at));
	json_object_set_new(o, "restore_points", rs);
	fk_plan_release(&p);
	*out = o;
	return FK_OK;
}

static enum fk_code plan_print(struct cli *c, const char *id)
{
	struct fk_incident inc;
	json_t *doc;
	enum fk_code rc = cli_incident(c, id, &inc);
	if (rc)
		return rc;
	if ((rc = cli_plan_doc(c, &inc, &doc))) {
		fk_incident_release(&inc);
		return rc;
	}
	if (c->json) {
		cli_json_out(doc);
		fk_incident_release(&inc);
		return FK_OK;
	}
	const char *state = json_string_value(json_object_get(doc, "state"));
	int s;
	printf("%s  %s\n", inc.ref, inc.title);
	if (!strcmp(state, "none")) {
		printf(TR(c->lang, "  no recovery plan yet\n", "  復旧計画はまだありません\n"));
	} else {
		s = !strcmp(state, "approved")    ? FK_PLAN_APPROVED
		    : !strcmp(state, "submitted") ? FK_PLAN_SUBMITTED
		                                  : FK_PLAN_DRAFT;
		const char *level = json_string_value(json_object_get(doc, "level"));
		const char *deadline = json_string_value(json_object_get(doc, "deadline"));
		printf("  %s v%lld: %s\n", TR(c->lang, "plan", "復旧計画"),
		       (long long)json_integer_value(json_object_get(doc, "version")),
		       cli_pick(c, fk_plan_states[s].ja, fk_plan_states[s].en));
		printf("  %s: %s  %s: %s\n", TR(c->lang, "level", "復旧レベル"),
		       level ? level : "-", TR(c->lang, "deadline", "復旧期限"),
		       deadline ? deadline : "-");
		size_t i;
		json_t *m;
		json_array_foreach(json_object_get(doc, "milestones"), i, m)
		    printf("    %s  %s\n", json_string_value(json_object_get(m, "due")),
		           json_string_value(json_object_get(m, "title")));
		json_t *ap = json_object_get(doc, "approved");
		if (json_is_object(ap))
			printf("  %s v%lld %s %s%s\n", TR(c->lang, "approved", "承認"),
			       (long long)json_integer_value(json_object_get(ap, "version")),
			       json_string_value(json_object_get(ap, "by")),
			       json_string_value(json_object_get(ap, "at")),
			       json_is_true(json_object_get(ap, "current"))
			           ? ""
			           : TR(c->lang, " (changed since: approve again)",
			                " (承認後に変更あり: 再承認が必要)"));
	}
	json_decref(doc);
	fk_incident_release(&inc);
	return FK_OK;
}

static enum fk_code plan_show(struct cli *c, int argc, char **argv)
{
	char *pos[1];
	int npos;
	bool help;
	enum fk_code rc =
	    cli_parse(c, argc, argv, NULL, 0, "plan show ID", 1, 1, pos, &npos, &help);
	return rc || help ? rc : plan_print(c, pos[0]);
}

static enum fk_code plan_set(struct cli *c, int argc, char **argv)
{
	struct fk_plan_patch p = FK_PLAN_PATCH_INIT;
	const char *schedule = NULL;
	const struct opt opts[] = {
	    {"level", NULL, OPT_ENUM, &p.level, fk_plan_levels, FK_LEVEL_COUNT,
	     "full, partial or improved recovery", "完全・部分・改善復旧"},
	    {"deadline", NULL, OPT_TIME, &p.deadline, NULL, 0, "when recovery must be complete",
	     "復旧期限"},
	    {"priority", "TEXT", OPT_STR, &p.priority, NULL, 0, "what is restored first",
	     "優先順位"},
	    {"cost", "N", OPT_INT, &p.cost, NULL, 0, "estimated cost (yen)", "見積費用 (円)"},
	    {"staff-days", "N", OPT_INT, &p.staff_days, NULL, 0, "estimated staff days",
	     "見積人日"},
	    {"schedule", "FILE", OPT_STR, &schedule, NULL, 0, "milestones: CSV lines DATE,TITLE",
	     "マイルストーン: DATE,TITLE の CSV"},
	    {"monitoring-start", NULL, OPT_TIME, &p.monitoring_start, NULL, 0,
	     "start of heightened monitoring", "監視強化の開始"},
	    {"monitoring-end", NULL, OPT_TIME, &p.monitoring_end, NULL, 0,
	     "end of heightened monitoring", "監視強化の終了"},
	    {"exit-criteria", "TEXT", OPT_STR, &p.exit_criteria, NULL, 0, "when monitoring may end",
	     "監視強化を終える条件"},
	    {"compromised-at", NULL, OPT_TIME, &p.compromised_at, NULL, 0,
	     "the earliest compromise (restore points are checked against it)",
	     "最初の侵害の日時 (復元に使うバックアップの確認に使用)"},
	};
	char *pos[1];
	int npos;
	bool help;
	enum fk_code rc =
	    cli_parse(c, argc, argv, opts, FK_ARRAY_LEN(opts),
	              "plan set ID [--level L] [--deadline T] [options]", 1, 1, pos, &npos, &help);
	if (rc || help)
		return rc;
	struct fk_milestone *m = NULL;
	size_t n = 0;
	if (schedule) {
		FILE *f = cli_open_input(c, schedule);
		if (!f)
			return FK_EIO;
		rc = fk_milestones_read(f, schedule, c->tz, &m, &n, &c->err);
		if (f != stdin)
			fclose(f);
		if (rc)
			return rc;
		p.milestones_set = true;
		p.milestones = m;
		p.n_milestones = n;
	}
	rc = fk_plan_change(&c->ctx, pos[0], &p, &c->err);
	fk_milestones_free(m, n);
	return rc ? rc : plan_print(c, pos[0]);
}

static enum fk_code plan_step(struct cli *c, int argc, char **argv, const char *usage,
                              enum fk_code (*fn)(struct fk_ctx *, const char *, struct fk_err *))
{
	char *pos[1];
	int npos;
	bool help;
	enum fk_code rc = cli_parse(c, argc, argv, NULL, 0, usage, 1, 1, pos, &npos, &help);
	if (rc || help || (rc = fn(&c->ctx, pos[0], &c->err)))
		return rc;
	return plan_print(c, pos[0]);
}

static enum fk_code plan_submit(struct cli *c, int argc, char **argv)
{
	return plan_step(c, argc, argv, "plan submit ID", fk_plan_submit);
}

static enum fk_code plan_approve(struct cli *c, int argc, char **argv)
{
	return plan_step(c, argc, argv, "plan approve ID (as an approver: --as NAME)",
	                 fk_plan_approve);
}

static enum fk_code plan_complete(struct cli *c, int argc, char **argv)
{
	const char *file = NULL;
	const struct opt opts[] = {
	    {"report", "FILE", OPT_STR, &file, NULL, 0, "the recovery completion report (text)",
	     "復旧完了報告 (テキスト)"},
	};
	char *pos[1];
	int npos;
	bool help;
	enum fk_code rc = cli_parse(c, argc, argv, opts, 1, "plan complete ID --report FILE", 1, 1,
	                            pos, &npos, &help);
	if (rc || help)
		return rc;
	char *text = NULL;
	if (file && (rc = cli_read_text(c, file, "--report", &text)))
		return rc;
	rc = fk_plan_complete(&c->ctx, pos[0], text, &c->err);
	free(text);
	return rc ? rc : plan_print(c, pos[0]);
}

static enum fk_code plan_restore(struct cli *c, int argc, char **argv)
{
	struct fk_restore_point r = {.backup_time = FK_TIME_NONE, .restored_at = FK_TIME_NONE};
	const char *system = NULL, *backup = NULL, *integrity = NULL;
	bool accept = false;
	const struct opt opts[] = {
	    {"system", "NAME", OPT_STR, &system, NULL, 0, "the system restored (required)",
	     "復元したシステム (必須)"},
	    {"backup", "TEXT", OPT_STR, &backup, NULL, 0, "which backup (required)",
	     "使用したバックアップ (必須)"},
	    {"backup-time", NULL, OPT_TIME, &r.backup_time, NULL, 0, "when it was taken (required)",
	     "取得日時 (必須)"},
	    {"integrity", "TEXT", OPT_STR, &integrity, NULL, 0,
	     "how its integrity was checked (required)", "完全性の確認方法 (必須)"},
	    {"restored-at", NULL, OPT_TIME, &r.restored_at, NULL, 0, "when (default: now)",
	     "復元日時 (既定: 現在)"},
	    {"accept-risk", NULL, OPT_FLAG, &accept, NULL, 0,
	     "use a backup taken after the earliest compromise",
	     "最初の侵害より後のバックアップを使う"},
	};
	char *pos[1];
	int npos;
	bool help;
	enum fk_code rc = cli_parse(c, argc, argv, opts, FK_ARRAY_LEN(opts),
	                            "plan restore ID --system NAME --backup TEXT --backup-time T "
	                            "--integrity TEXT",
	                            1, 1, pos, &npos, &help);
	if (rc || help)
		return rc;
	r.system = system ? fk_xstrdup(system) : NULL;
	r.backup = backup ? fk_xstrdup(backup) : NULL;
	r.integrity = integrity ? fk_xstrdup(integrity) : NULL;
	if (r.restored_at == FK_TIME_NONE)
		r.restored_at = c->ctx.now;
	rc = fk_restore_add(&c->ctx, pos[0], &r, accept, &c->err);
	fk_restore_point_release(&r);
	return rc ? rc : plan_print(c, pos[0]);
}

enum fk_code cmd_plan(struct cli *c, int argc, char **argv)
{
	static const struct subcmd subs[] = {
	    {"show", plan_show, "the recovery plan, its approval and restore points",
	     "復旧計画、承認、復元の記録"},
	    {"set", plan_set, "create or change the plan (a change needs a new approval)",
	     "計画の作成・変更 (変更後は再承認が必要)"},
	    {"submit", plan_submit, "submit the plan for approval", "計画の承認申請"},
	    {"approve", plan_approve, "approve it (approvers of the incident)",
	     "計画の承認 (インシデントの承認者)"},
	    {"complete", plan_complete, "the recovery completion report", "復旧完了報告"},
	    {"restore", plan_restore,
	     "record a restore from a backup, checked against the compromise",
	     "バックアップからの復元の記録 (侵害時期との照合)"},
	};
	return cli_dispatch(c, argc, argv, subs, FK_ARRAY_LEN(subs));
}
