/*
 * lessons.c - root cause, interviews, lessons learned, and the end of recovery
 * (fukkyu/lessons.h).
 */
#include "fukkyu/common.h"
#include "util/ident.h"
#include "fukkyu/lessons.h"
#include "core_int.h"
#include "fukkyu/clocks.h"
#include "fukkyu/plan.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/time.h"

#include <jansson.h>

const struct fk_enum fk_origins[FK_ORIGIN_COUNT] = {
    {"inside", "inside the organisation", "内部"},
    {"outside", "outside the organisation", "外部"},
    {"unknown", "not known", "不明"},
};

const struct fk_enum fk_lesson_kinds[FK_LK_COUNT] = {
    {"lesson", "lesson with an action", "教訓と対策"},
    {"training", "training", "教育"},
    {"drill", "drill", "訓練"},
    {"audit", "audit", "監査"},
};

const struct fk_enum fk_lesson_states[FK_LS_COUNT] = {
    {"open", "open", "未実施"},
    {"implemented", "implemented", "実施済み"},
    {"verified", "verified", "検証済み"},
    {"accepted-risk", "risk accepted", "リスク受容"},
};

void fk_cause_release(struct fk_cause *c)
{
	free(c->route), free(c->cves), free(c->misconfig), free(c->direct_cause);
	free(c->root_cause), free(c->factors), free(c->laws), free(c->evidence);
	free(c->updated_by);
	memset(c, 0, sizeof *c);
}

void fk_interview_release(struct fk_interview *i)
{
	free(i->interviewee), free(i->interviewer), free(i->summary), free(i->evidence);
	free(i->created_by);
	memset(i, 0, sizeof *i);
}

void fk_lesson_release(struct fk_lesson *l)
{
	free(l->lesson), free(l->action), free(l->owner), free(l->verify), free(l->changes);
	free(l->accepted_by), free(l->updated_by);
	memset(l, 0, sizeof *l);
}

enum fk_code fk_cause_get(struct fk_ctx *c, int64_t incident, struct fk_cause *out, bool *exists,
                          struct fk_err *err)
{
	return fk_store_cause_get(c->st, incident, out, exists, err);
}

/* "CVE-2021-44228,CVE-2024-3094": each CVE-YYYY-NNNN (four or more digits). */
static enum fk_code check_cves(const char *list, struct fk_err *err)
{
	for (const char *p = list; *p;) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		while (n && *p == ' ')
			p++, n--;
		bool ok = n >= 13 && !strncmp(p, "CVE-", 4) && strspn(p + 4, "0123456789") == 4 &&
		          p[8] == '-' && strspn(p + 9, "0123456789") >= n - 9 && n - 9 >= 4;
		if (!ok)
			return FK_ERR(
			    err, FK_EINVAL, "--cve",
			    "--cve '%.*s': expected CVE ids such as CVE-2021-44228",
			    "--cve '%.*s': CVE-2021-44228 のような CVE 番号で指定してください",
			    (int)(n > 60 ? 60 : n), p);
		p += n;
		if (*p == ',')
			p++;
	}
	return FK_OK;
}

/* "E1,E3": each an evidence record of the incident. */
static enum fk_code check_evidence(struct fk_ctx *c, int64_t incident, const char *list,
                                   const char *field, struct fk_err *err)
{
	struct fk_evidence *e;
	size_t n;
	enum fk_code rc = fk_store_evidence_list(c->st, incident, &e, &n, err);
	for (const char *p = list; !rc && *p;) {
		while (*p == ' ' || *p == ',')
			p++;
		if (!*p)
			break;
		const char *d = *p == 'E' || *p == 'e' ? p + 1 : p;
		char *end;
		long long id = strtoll(d, &end, 10);
		bool found = false;
		for (size_t i = 0; i < n && end > d; i++)
			found |= e[i].id == id;
		size_t len = strcspn(p, ", "); /* commas and spaces both separate */
		if (!found || end != p + len)
			rc = FK_ERR(
			    err, FK_EINVAL, field,
			    "%s: '%.*s' is not evidence of this incident (see 'fukkyu evidence "
			    "list')",
			    "%s: '%.*s' はこのインシデントの証拠ではありません ('fukkyu evidence "
			    "list' で確認)",
			    field, (int)(len > 40 ? 40 : len), p);
		p += len;
	}
	FK_FREE_ARRAY(e, n, fk_evidence_release);
	return rc;
}

enum fk_code fk_cause_set(struct fk_ctx *c, const char *id, const struct fk_cause *p,
                          struct fk_err *err)
{
	static const char *const fields[] = {"--route", "--cve",     "--misconfig", "--direct",
	                                     "--root",  "--factors", "--law",       "--evidence"};
	const char *texts[] = {p->route,      p->cves,    p->misconfig, p->direct_cause,
	                       p->root_cause, p->factors, p->laws,      p->evidence};
	enum fk_code rc = FK_OK;
	if (p->origin >= FK_ORIGIN_COUNT || p->origin < -1)
		rc = FK_ERR0(err, FK_EUSAGE, "--origin",
		             "--origin: expected inside, outside or unknown",
		             "--origin: inside, outside, unknown のいずれかが必要です");
	for (size_t i = 0; !rc && i < FK_ARRAY_LEN(texts); i++)
		rc = fk_core_check_text(texts[i], fields[i], FK_TEXT_MAX, false, err);
	if (!rc && p->cves)
		rc = check_cves(p->cves, err);
	struct fk_incident inc;
	struct fk_cause before, after;
	bool exists;
	if (rc || (rc = fk_core_begin_open(c, id, &inc, err)))
		return rc;
	if (!(rc = fk_store_cause_get(c->st, inc.id, &before, &exists, err)) && p->evidence)
		rc = check_evidence(c, inc.id, p->evidence, "--evidence", err);
	if (!rc) {
		after = before;
		if (p->origin >= 0)
			after.origin = p->origin;
		char **dst[] = {&after.route,        &after.cves,       &after.misconfig,
		                &after.direct_cause, &after.root_cause, &after.factors,
		                &after.laws,         &after.evidence};
		for (size_t i = 0; i < FK_ARRAY_LEN(texts); i++)
			if (texts[i])
				*dst[i] = (char *)(uintptr_t)texts[i];
		rc = fk_store_cause_put(c->st, inc.id, &before, &after, err);
	}
	rc = fk_core_finish(c, rc, err);
	fk_cause_release(&before);
	fk_incident_release(&inc);
	return rc;
}

enum fk_code fk_interview_add(struct fk_ctx *c, const char *id, struct fk_interview *i,
                              struct fk_err *err)
{
	enum fk_code rc = fk_core_check_line(i->interviewee, "--interviewee", true, err);
	if (!rc)
		rc = fk_core_check_line(i->interviewer, "--by", true, err);
	if (!rc)
		rc = fk_core_check_text(i->summary, "--summary", FK_TEXT_MAX, true, err);
	if (!rc &&
	    (!i->interviewee || !i->interviewer || !i->summary || i->held_at == FK_TIME_NONE))
		rc = FK_ERR0(err, FK_EUSAGE, "--summary",
		             "give --interviewee, --at, --by and --summary",
		             "--interviewee, --at, --by, --summary を指定してください");
	struct fk_incident inc;
	if (rc || (rc = fk_core_begin_open(c, id, &inc, err)))
		return rc;
	if (i->evidence)
		rc = check_evidence(c, inc.id, i->evidence, "--evidence", err);
	if (!rc)
		rc = fk_store_interview_insert(c->st, inc.id, i, err);
	rc = fk_core_finish(c, rc, err);
	fk_incident_release(&inc);
	return rc;
}

enum fk_code fk_lesson_add(struct fk_ctx *c, const char *id, struct fk_lesson *l,
                           struct fk_err *err)
{
	enum fk_code rc = FK_OK;
	if (l->kind < 0 || l->kind >= FK_LK_COUNT)
		rc = FK_ERR0(err, FK_EUSAGE, "--kind",
		             "--kind: expected lesson, training, drill or audit",
		             "--kind: lesson, training, drill, audit のいずれかが必要です");
	if (!rc)
		rc = fk_core_check_text(l->lesson, "--lesson", FK_TEXT_MAX, true, err);
	if (!rc)
		rc = fk_core_check_text(l->action, "--action", FK_TEXT_MAX, true, err);
	if (!rc)
		rc = fk_core_check_text(l->verify, "--verify", FK_TEXT_MAX, true, err);
	if (!rc)
		rc = fk_core_check_line(l->owner, "--owner", false, err);
	if (!rc)
		rc = fk_core_check_text(l->changes, "--changes", FK_TEXT_MAX, false, err);
	if (!rc && (!l->lesson || !l->action || !l->verify))
		rc = FK_ERR0(err, FK_EUSAGE,
		             !l->lesson   ? "--lesson"
		             : !l->action ? "--action"
		                          : "--verify",
		             "give --lesson, --action and --verify (how it will be verified)",
		             "--lesson, --action, --verify (検証の方法) を指定してください");
	struct fk_incident inc;
	if (rc || (rc = fk_core_begin_open(c, id, &inc, err)))
		return rc;
	l->state = FK_LS_OPEN;
	rc = fk_store_lesson_insert(c->st, inc.id, l, err);
	rc = fk_core_finish(c, rc, err);
	fk_incident_release(&inc);
	return rc;
}

enum fk_code fk_lesson_set(struct fk_ctx *c, const char *id, const char *code, int state,
                           const char *accepted_by, struct fk_err *err)
{
	struct fk_incident inc;
	struct fk_lesson *l = NULL;
	size_t n = 0;
	enum fk_code rc = FK_OK;
	if (state <= FK_LS_OPEN || state >= FK_LS_COUNT)
		rc = FK_ERR0(err, FK_EUSAGE, "--state",
		             "--state: expected implemented, verified or accepted-risk",
		             "--state: implemented, verified, accepted-risk のいずれかが必要です");
	if (!rc && state == FK_LS_ACCEPTED_RISK && !accepted_by)
		rc = FK_ERR0(err, FK_EUSAGE, "--accepted-by",
		             "accepted-risk needs --accepted-by: who accepted the risk",
		             "accepted-risk にはリスクを受容した人 (--accepted-by) が必要です");
	if (!rc)
		rc = fk_core_check_line(accepted_by, "--accepted-by", false, err);
	if (rc || (rc = fk_core_begin_open(c, id, &inc, err)))
		return rc;
	int64_t want = fk_ident_no(code, 'L');
	const struct fk_lesson *found = NULL;
	if (!(rc = fk_store_lessons(c->st, inc.id, &l, &n, err))) {
		for (size_t i = 0; i < n && !found; i++)
			if (l[i].no == want)
				found = &l[i];
		if (!found)
			rc = FK_ERR(err, FK_ENOTFOUND, "lesson", "%s has no lesson '%.20s'",
			            "%s に教訓 '%.20s' はありません", inc.ref, code);
		else if (found->state == FK_LS_VERIFIED || found->state == FK_LS_ACCEPTED_RISK ||
		         (state == FK_LS_VERIFIED && found->state != FK_LS_IMPLEMENTED) ||
		         state == found->state)
			rc = FK_ERR(
			    err, FK_EREFUSED, "--state",
			    "L%d is %s: a lesson goes open -> implemented -> verified (or "
			    "accepted-risk before it is verified)",
			    "L%d は「%s」です: 未実施 → 実施済み → 検証済み の順 (リスク受容は"
			    "検証前のみ) です",
			    found->no, fk_lesson_states[found->state].key);
		else
			rc = fk_store_lesson_state(
			    c->st, inc.id, found, state,
			    state == FK_LS_ACCEPTED_RISK ? accepted_by : NULL, err);
	}
	FK_FREE_ARRAY(l, n, fk_lesson_release);
	rc = fk_core_finish(c, rc, err);
	fk_incident_release(&inc);
	return rc;
}

static void criterion(struct fk_end_check *k, const char *key, bool ok, const char *en,
                      const char *ja)
{
	k->key = key;
	k->ok = ok;
	snprintf(k->detail_en, sizeof k->detail_en, "%s", en);
	snprintf(k->detail_ja, sizeof k->detail_ja, "%s", ja);
}

enum fk_code fk_end_check(struct fk_ctx *c, const char *id,
                          struct fk_end_check out[FK_END_CRITERIA], struct fk_err *err)
{
	struct fk_incident inc;
	struct fk_plan p;
	struct fk_deadline *d = NULL;
	size_t nd = 0;
	int64_t systems = 0, rollouts = 0;
	enum fk_code rc = fk_store_incident_find(c->st, id, &inc, err);
	if (rc)
		return rc;
	if (!(rc = fk_plan_get(c, inc.id, &p, err)) &&
	    !(rc = fk_store_unfinished(c->st, inc.id, &systems, &rollouts, err)))
		rc = fk_deadlines_list(c, inc.ref, &d, &nd, err);
	if (!rc) {
		char en[200], ja[200];
		bool done = p.state == FK_PLAN_APPROVED && p.completed_at != FK_TIME_NONE;
		criterion(
		    &out[0], "plan-complete", done,
		    done ? "the approved plan's completion report is in"
		         : "an approved plan with its completion report ('fukkyu plan complete')",
		    done ? "承認済みの復旧計画に復旧完了報告あり"
		         : "承認済みの復旧計画と復旧完了報告が必要 ('fukkyu plan complete')");
		bool ended = p.monitoring_end != FK_TIME_NONE && p.monitoring_end <= c->now;
		criterion(&out[1], "monitoring-ended", ended,
		          ended ? "heightened monitoring has ended"
		                : "heightened monitoring has not ended (or its end is not set)",
		          ended ? "監視強化期間は終了"
		                : "監視強化期間が終了していない (または未設定)");
		snprintf(en, sizeof en, "%lld systems of the sweep not yet verified or returned",
		         (long long)systems);
		snprintf(ja, sizeof ja, "全社調査で検証・復帰が済んでいないシステム %lld 台",
		         (long long)systems);
		criterion(&out[2], "systems-verified", !systems, en, ja);
		snprintf(en, sizeof en, "%lld rollout entries of countermeasures still pending",
		         (long long)rollouts);
		snprintf(ja, sizeof ja, "再発防止策の展開で未実施 %lld 件", (long long)rollouts);
		criterion(&out[3], "rollouts-done", !rollouts, en, ja);
		int open = 0;
		for (size_t i = 0; i < nd; i++) /* the plan's own dates are the criteria above */
			open += (d[i].state == FK_CLOCK_OPEN || d[i].state == FK_CLOCK_TO_DECIDE) &&
			        d[i].trigger != FK_TRIG_RECOVERY &&
			        d[i].trigger != FK_TRIG_MONITORING;
		snprintf(en, sizeof en, "%d legal or promised clocks still open", open);
		snprintf(ja, sizeof ja, "未対応の法令上・約束した期限 %d 件", open);
		criterion(&out[4], "clocks-closed", !open, en, ja);
	}
	FK_FREE_ARRAY(d, nd, fk_deadline_release);
	fk_plan_release(&p);
	fk_incident_release(&inc);
	return rc;
}

enum fk_code fk_end_declare(struct fk_ctx *c, const char *id, struct fk_err *err)
{
	struct fk_end_check k[FK_END_CRITERIA];
	struct fk_incident inc;
	struct fk_person *people = NULL;
	size_t np = 0;
	enum fk_code rc = fk_core_begin_open(c, id, &inc, err);
	if (rc)
		return rc;
	bool owner = false;
	if (!(rc = fk_end_check(c, inc.ref, k, err)) &&
	    !(rc = fk_store_roles_get(c->st, inc.id, &people, &np, err)))
		for (size_t i = 0; i < np; i++)
			owner |= people[i].role == FK_ROLE_RECOVERY_OWNER &&
			         !strcmp(people[i].name, c->actor);
	FK_FREE_ARRAY(people, np, fk_person_release);
	struct fk_buf unmet = FK_BUF_INIT, unmet_ja = FK_BUF_INIT;
	json_t *crit = json_array();
	for (int i = 0; !rc && i < FK_END_CRITERIA; i++) {
		json_array_append_new(crit, json_pack("{s:s, s:b, s:s}", "key", k[i].key, "ok",
		                                      k[i].ok, "detail", k[i].detail_en));
		if (!k[i].ok) {
			(void)fk_buf_addf(&unmet, "%s%s (%s)", unmet.len ? "; " : "", k[i].key,
			                  k[i].detail_en);
			(void)fk_buf_addf(&unmet_ja, "%s%s", unmet_ja.len ? "、" : "",
			                  k[i].detail_ja);
		}
	}
	if (!rc && !owner)
		rc = FK_ERR(err, FK_EREFUSED, "--as",
		            "the end of recovery is declared by the recovery owner of %s, not '%s'",
		            "復旧の終了は %s の復旧責任者が宣言します ('%s' ではありません)",
		            inc.ref, c->actor);
	else if (!rc && unmet.len)
		rc = FK_ERR(err, FK_EREFUSED, "criteria", "recovery cannot end yet: %s%.0s",
		            "%.0sまだ復旧を終了できません: %s", unmet.ptr, unmet_ja.ptr);
	if (!rc) {
		char *text = json_dumps(crit, JSON_COMPACT);
		rc = fk_store_recovery_end(c->st, inc.id, text, err);
		free(text);
	}
	json_decref(crit);
	fk_buf_release(&unmet);
	fk_buf_release(&unmet_ja);
	rc = fk_core_finish(c, rc, err);
	fk_incident_release(&inc);
	return rc;
}
