/*
 * cmd_lessons.c - fukkyu cause, interview, lesson, recovery: root cause and lessons (phases 3
 * and 4) and the declaration that ends recovery.
 */
#include "fukkyu/common.h"
#include "cli.h"
#include "fukkyu/lessons.h"
#include "util/utf8.h"

enum fk_code cli_cause_doc(struct cli *c, const struct fk_incident *inc, json_t **out)
{
	struct fk_cause k;
	bool exists;
	enum fk_code rc = fk_cause_get(&c->ctx, inc->id, &k, &exists, &c->err);
	if (rc)
		return rc;
	json_t *o = json_pack("{s:s, s:o}", "incident", inc->ref, "origin",
	                      k.origin >= 0 ? json_string(fk_origins[k.origin].key) : json_null());
	const char *keys[] = {"route",      "cves",    "misconfig", "direct_cause",
	                      "root_cause", "factors", "laws",      "evidence"};
	const char *vals[] = {k.route,      k.cves,    k.misconfig, k.direct_cause,
	                      k.root_cause, k.factors, k.laws,      k.evidence};
	for (size_t i = 0; i < FK_ARRAY_LEN(keys); i++)
		json_object_set_new(o, keys[i], cli_json_str(vals[i]));
	json_object_set_new(o, "updated_at", cli_json_time(c, k.updated_at));
	json_object_set_new(o, "updated_by", cli_json_str(k.updated_by));
	fk_cause_release(&k);
	*out = o;
	return FK_OK;
}

enum fk_code cli_interviews_doc(struct cli *c, const struct fk_incident *inc, json_t **out)
{
	struct fk_interview *iv;
	size_t n;
	enum fk_code rc = fk_store_interviews(c->st, inc->id, &iv, &n, &c->err);
	if (rc)
		return rc;
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		char code[16];
		snprintf(code, sizeof code, "I%d", iv[i].no);
		json_array_append_new(
		    arr, json_pack("{s:s, s:s, s:o, s:s, s:s, s:o, s:s}", "id", code, "interviewee",
		                   iv[i].interviewee, "at", cli_json_time(c, iv[i].held_at), "by",
		                   iv[i].interviewer, "summary", iv[i].summary, "evidence",
		                   cli_json_str(iv[i].evidence), "recorded_by", iv[i].created_by));
	}
	FK_FREE_ARRAY(iv, n, fk_interview_release);
	*out =
	    json_pack("{s:s, s:b, s:o}", "incident", inc->ref, "sensitive", 1, "interviews", arr);
	return FK_OK;
}

enum fk_code cli_lessons_doc(struct cli *c, const struct fk_incident *inc, json_t **out)
{
	struct fk_lesson *l;
	size_t n;
	enum fk_code rc = fk_store_lessons(c->st, inc->id, &l, &n, &c->err);
	if (rc)
		return rc;
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		char code[16];
		snprintf(code, sizeof code, "L%d", l[i].no);
		json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:s, s:o}", "id", code,
		                      "kind", fk_lesson_kinds[l[i].kind].key, "state",
		                      fk_lesson_states[l[i].state].key, "lesson", l[i].lesson,
		                      "action", l[i].action, "owner", cli_json_str(l[i].owner),
		                      "due", cli_json_time(c, l[i].due_at), "verify", l[i].verify,
		                      "changes", cli_json_str(l[i].changes));
		json_object_set_new(o, "accepted_by", cli_json_str(l[i].accepted_by));
		json_object_set_new(o, "updated_at", cli_json_time(c, l[i].updated_at));
		json_array_append_new(arr, o);
	}
	FK_FREE_ARRAY(l, n, fk_lesson_release);
	*out = json_pack("{s:s, s:o}", "incident", inc->ref, "lessons", arr);
	return FK_OK;
}

enum fk_code cli_end_doc(struct cli *c, const struct fk_incident *inc, json_t **out)
{
	struct fk_end_check k[FK_END_CRITERIA];
	int64_t at;
	char *by, *criteria;
	enum fk_code rc = fk_end_check(&c->ctx, inc->ref, k, &c->err);
	if (!rc)
		rc = fk_store_recovery_end_get(c->st, inc->id, &at, &by, &criteria, &c->err);
	if (rc)
		return rc;
	json_t *arr = json_array();
	bool all = true;
	for (int i = 0; i < FK_END_CRITERIA; i++) {
		all &= k[i].ok;
		json_array_append_new(
		    arr, json_pack("{s:s, s:b, s:o}", "key", k[i].key, "ok", k[i].ok, "detail",
		                   cli_json_i18n(k[i].detail_ja, k[i].detail_en)));
	}
	*out =
	    json_pack("{s:s, s:b, s:o, s:o, s:o}", "incident", inc->ref, "ready", all, "criteria",
	              arr, "declared_at", cli_json_time(c, at), "declared_by", cli_json_str(by));
	free(by);
	free(criteria);
	return FK_OK;
}

static enum fk_code cause_set(struct cli *c, int argc, char **argv)
{
	struct fk_cause p = {.origin = -1};
	const struct opt opts[] = {
	    {"origin", NULL, OPT_ENUM, &p.origin, fk_origins, FK_ORIGIN_COUNT,
	     "where the attacker came from", "攻撃元 (内部・外部・不明)"},
	    {"route", "TEXT", OPT_STR, &p.route, NULL, 0, "infection or intrusion route",
	     "感染・侵入経路"},
	    {"cve", "CVE,...", OPT_STR, &p.cves, NULL, 0, "product vulnerabilities (CVE ids)",
	     "製品の脆弱性 (CVE 番号)"},
	    {"misconfig", "TEXT", OPT_STR, &p.misconfig, NULL, 0, "misconfigurations",
	     "設定の不備"},
	    {"direct", "TEXT", OPT_STR, &p.direct_cause, NULL, 0, "the direct cause", "直接原因"},
	    {"root", "TEXT", OPT_STR, &p.root_cause, NULL, 0, "the root cause", "根本原因"},
	    {"factors", "TEXT", OPT_STR, &p.factors, NULL, 0, "contributing factors", "背景要因"},
	    {"law", "TEXT", OPT_STR, &p.laws, NULL, 0,
	     "applicable laws (不正アクセス禁止法, 個人情報保護法, 不正競争防止法, ...)",
	     "関係する法律 (不正アクセス禁止法、個人情報保護法、不正競争防止法 など)"},
	    {"evidence", "E1,E2", OPT_STR, &p.evidence, NULL, 0, "linked evidence",
	     "根拠となる証拠"},
	};
	char *pos[1];
	int npos;
	bool help;
	enum fk_code rc = cli_parse(c, argc, argv, opts, FK_ARRAY_LEN(opts),
	                            "cause set ID [options]", 1, 1, pos, &npos, &help);
	if (rc || help || (rc = fk_cause_set(&c->ctx, pos[0], &p, &c->err)))
		return rc;
	return cli_show_doc(c, pos[0], cli_cause_doc);
}

static enum fk_code cause_show(struct cli *c, int argc, char **argv)
{
	char *pos[1];
	int npos;
	bool help;
	enum fk_code rc =
	    cli_parse(c, argc, argv, NULL, 0, "cause show ID", 1, 1, pos, &npos, &help);
	return rc || help ? rc : cli_show_doc(c, pos[0], cli_cause_doc);
}

enum fk_code cmd_cause(struct cli *c, int argc, char **argv)
{
	static const struct subcmd subs[] = {
	    {"set", cause_set, "the root-cause record (fields given are set)", "原因の記録"},
	    {"show", cause_show, "the root-cause record", "原因の記録を表示"},
	};
	return cli_dispatch(c, argc, argv, subs, FK_ARRAY_LEN(subs));
}

static enum fk_code interview_add(struct cli *c, int argc, char **argv)
{
	struct fk_interview i = {.held_at = FK_TIME_NONE};
	const char *who = NULL, *by = NULL, *summary = NULL, *evidence = NULL;
	const struct opt opts[] = {
	    {"interviewee", "NAME", OPT_STR, &who, NULL, 0, "who was interviewed", "対象者"},
	    {"at", NULL, OPT_TIME, &i.held_at, NULL, 0, "when", "日時"},
	    {"by", "NAME", OPT_STR, &by, NULL, 0, "who interviewed", "聞き取りをした人"},
	    {"summary", "TEXT", OPT_STR, &summary, NULL, 0, "what was said", "要旨"},
	    {"evidence", "E1,E2", OPT_STR, &evidence, NULL, 0, "linked evidence", "関連する証拠"},
	};
	char *pos[1];
	int npos;
	bool help;
	enum fk_code rc =
	    cli_parse(c, argc, argv, opts, FK_ARRAY_LEN(opts),
	              "interview add ID --interviewee NAME --at T --by NAME --summary TEXT", 1, 1,
	              pos, &npos, &help);
	if (rc || help)
		return rc;
	i.interviewee = who ? fk_xstrdup(who) : NULL;
	i.interviewer = by ? fk_xstrdup(by) : NULL;
	i.summary = summary ? fk_xstrdup(summary) : NULL;
	i.evidence = evidence ? fk_xstrdup(evidence) : NULL;
	if (!(rc = fk_interview_add(&c->ctx, pos[0], &i, &c->err))) {
		if (c->json)
			cli_json_out(json_pack("{s:s, s:i}", "incident", pos[0], "no", i.no));
		else
			printf(TR(c->lang,
			          "%s I%d recorded (sensitive: members only on the server)\n",
			          "%s I%d を記録しました (機微情報: サーバではメンバーのみ閲覧)\n"),
			       pos[0], i.no);
	}
	fk_interview_release(&i);
	return rc;
}

static enum fk_code interview_list(struct cli *c, int argc, char **argv)
{
	char *pos[1];
	int npos;
	bool help;
	enum fk_code rc =
	    cli_parse(c, argc, argv, NULL, 0, "interview list ID", 1, 1, pos, &npos, &help);
	return rc || help ? rc : cli_show_doc(c, pos[0], cli_interviews_doc);
}

enum fk_code cmd_interview(struct cli *c, int argc, char **argv)
{
	static const struct subcmd subs[] = {
	    {"add", interview_add, "record an interview (sensitive)", "聞き取りの記録 (機微情報)"},
	    {"list", interview_list, "the interviews", "聞き取りの一覧"},
	};
	return cli_dispatch(c, argc, argv, subs, FK_ARRAY_LEN(subs));
}

static enum fk_code lesson_add(struct cli *c, int argc, char **argv)
{
	struct fk_lesson l = {.kind = FK_LK_LESSON, .due_at = FK_TIME_NONE};
	const char *lesson = NULL, *action = NULL, *owner = NULL, *verify = NULL, *changes = NULL;
	const struct opt opts[] = {
	    {"lesson", "TEXT", OPT_STR, &lesson, NULL, 0, "what was learned", "教訓"},
	    {"action", "TEXT", OPT_STR, &action, NULL, 0, "what will be done", "対策"},
	    {"owner", "NAME", OPT_STR, &owner, NULL, 0, "who does it", "担当者"},
	    {"due", NULL, OPT_TIME, &l.due_at, NULL, 0, "by when", "期限"},
	    {"verify", "TEXT", OPT_STR, &verify, NULL, 0, "how it will be verified", "検証の方法"},
	    {"changes", "TEXT", OPT_STR, &changes, NULL, 0,
	     "the plan, procedure or playbook it changes", "変更する計画・手順・プレイブック"},
	    {"kind", NULL, OPT_ENUM, &l.kind, fk_lesson_kinds, FK_LK_COUNT,
	     "lesson (default), training, drill or audit", "教訓 (既定)、教育、訓練、監査"},
	};
	char *pos[1];
	int npos;
	bool help;
	enum fk_code rc =
	    cli_parse(c, argc, argv, opts, FK_ARRAY_LEN(opts),
	              "lesson add ID --lesson TEXT --action TEXT --verify TEXT [options]", 1, 1,
	              pos, &npos, &help);
	if (rc || help)
		return rc;
	l.lesson = lesson ? fk_xstrdup(lesson) : NULL;
	l.action = action ? fk_xstrdup(action) : NULL;
	l.owner = owner ? fk_xstrdup(owner) : NULL;
	l.verify = verify ? fk_xstrdup(verify) : NULL;
	l.changes = changes ? fk_xstrdup(changes) : NULL;
	if (!(rc = fk_lesson_add(&c->ctx, pos[0], &l, &c->err))) {
		if (c->json)
			cli_json_out(json_pack("{s:s, s:i}", "incident", pos[0], "no", l.no));
		else
			printf(TR(c->lang, "%s L%d added\n", "%s L%d を追加しました\n"), pos[0],
			       l.no);
	}
	fk_lesson_release(&l);
	return rc;
}

static enum fk_code lesson_set(struct cli *c, int argc, char **argv)
{
	int state = FK_UNSET;
	const char *accepted = NULL;
	const struct opt opts[] = {
	    {"state", NULL, OPT_ENUM, &state, fk_lesson_states, FK_LS_COUNT,
	     "implemented, verified or accepted-risk", "実施済み・検証済み・リスク受容"},
	    {"accepted-by", "NAME", OPT_STR, &accepted, NULL, 0, "who accepted the risk",
	     "リスクを受容した人"},
	};
	char *pos[2];
	int npos;
	bool help;
	enum fk_code rc = cli_parse(c, argc, argv, opts, FK_ARRAY_LEN(opts),
	                            "lesson set ID L1 --state STATE [--accepted-by NAME]", 2, 2,
	                            pos, &npos, &help);
	if (rc || help || (rc = fk_lesson_set(&c->ctx, pos[0], pos[1], state, accepted, &c->err)))
		return rc;
	return cli_show_doc(c, pos[0], cli_lessons_doc);
}

static enum fk_code lesson_list(struct cli *c, int argc, char **argv)
{
	char *pos[1];
	int npos;
	bool help;
	enum fk_code rc =
	    cli_parse(c, argc, argv, NULL, 0, "lesson list ID", 1, 1, pos, &npos, &help);
	return rc || help ? rc : cli_show_doc(c, pos[0], cli_lessons_doc);
}

enum fk_code cmd_lesson(struct cli *c, int argc, char **argv)
{
	static const struct subcmd subs[] = {
	    {"add", lesson_add, "a lesson with its action item (or training, drill, audit)",
	     "教訓と対策 (教育・訓練・監査も)"},
	    {"set", lesson_set, "implemented, verified, or accepted-risk",
	     "実施・検証・リスク受容"},
	    {"list", lesson_list, "the lessons and their states", "教訓と状態の一覧"},
	};
	return cli_dispatch(c, argc, argv, subs, FK_ARRAY_LEN(subs));
}

static enum fk_code recovery_check(struct cli *c, int argc, char **argv)
{
	char *pos[1];
	int npos;
	bool help;
	enum fk_code rc =
	    cli_parse(c, argc, argv, NULL, 0, "recovery check ID", 1, 1, pos, &npos, &help);
	return rc || help ? rc : cli_show_doc(c, pos[0], cli_end_doc);
}

static enum fk_code recovery_end(struct cli *c, int argc, char **argv)
{
	char *pos[1];
	int npos;
	bool help;
	enum fk_code rc =
	    cli_parse(c, argc, argv, NULL, 0, "recovery end ID (as the recovery owner)", 1, 1, pos,
	              &npos, &help);
	if (rc || help || (rc = fk_end_declare(&c->ctx, pos[0], &c->err)))
		return rc;
	return cli_show_doc(c, pos[0], cli_end_doc);
}

enum fk_code cmd_recovery(struct cli *c, int argc, char **argv)
{
	static const struct subcmd subs[] = {
	    {"check", recovery_check, "the criteria for ending recovery, and whether they hold",
	     "復旧終了の条件と充足状況"},
	    {"end", recovery_end, "declare the end of recovery (the recovery owner)",
	     "復旧の終了を宣言 (復旧責任者)"},
	};
	return cli_dispatch(c, argc, argv, subs, FK_ARRAY_LEN(subs));
}
