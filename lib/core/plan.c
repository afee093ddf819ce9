/*
 * plan.c - the recovery plan and its approval, and restore points (fukkyu/plan.h).
 */
#include "fukkyu/common.h"
#include "fukkyu/plan.h"
#include "core_int.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/csv.h"
#include "util/hash.h"
#include "util/time.h"

#include <jansson.h>

const struct fk_enum fk_plan_levels[FK_LEVEL_COUNT] = {
    {"full", "full recovery (as before)", "完全復旧"},
    {"partial", "partial recovery (the essentials first)", "部分復旧"},
    {"improved", "improved recovery (better than before)", "改善復旧"},
};

const struct fk_enum fk_plan_states[FK_PLAN_STATE_COUNT] = {
    {"draft", "draft", "作成中"},
    {"submitted", "submitted for approval", "承認申請中"},
    {"approved", "approved", "承認済み"},
};

void fk_plan_release(struct fk_plan *p)
{
	fk_milestones_free(p->milestones, p->n_milestones);
	free(p->priority), free(p->exit_criteria), free(p->completion_report);
	free(p->updated_by), free(p->approved_by), free(p->approved_sha256);
	memset(p, 0, sizeof *p);
}

void fk_milestones_free(struct fk_milestone *m, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(m[i].title);
	free(m);
}

void fk_restore_point_release(struct fk_restore_point *r)
{
	free(r->system), free(r->backup), free(r->integrity), free(r->recorded_by);
	memset(r, 0, sizeof *r);
}

enum fk_code fk_milestones_read(FILE *f, const char *origin, const char *tz,
                                struct fk_milestone **out, size_t *n, struct fk_err *err)
{
	struct fk_csv csv;
	bool got;
	enum fk_code rc;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	fk_csv_init(&csv, f, origin);
	while (!(rc = fk_csv_next(&csv, &got, err)) && got) {
		if (csv.n == 1 && !csv.len[0])
			continue; /* a blank line */
		char where[300];
		snprintf(where, sizeof where, "%s:%ld", origin, csv.line);
		if (csv.n != 2 || !csv.len[1]) {
			rc = FK_ERR(
			    err, FK_EINVAL, where,
			    "%s: expected DATE,TITLE (e.g. 2026-12-01,OS の再構築)",
			    "%s: DATE,TITLE の形で指定してください (例 2026-12-01,OS の再構築)",
			    where);
			break;
		}
		if (*n == FK_MILESTONES_MAX) {
			rc = FK_ERR(err, FK_ETOOBIG, where, "%s: more than %d milestones",
			            "%s: マイルストーンが %d を超えています", where,
			            FK_MILESTONES_MAX);
			break;
		}
		struct fk_milestone m = {NULL, FK_TIME_NONE};
		const char *date = csv.rec.ptr + csv.off[0], *title = csv.rec.ptr + csv.off[1];
		if ((rc = fk_time_parse(date, tz, where, &m.due_at, err)) ||
		    (rc = fk_core_check_line(title, where, true, err)))
			break;
		if (*n == cap)
			*out = fk_xrealloc(*out, (cap = cap ? 2 * cap : 8) * sizeof **out);
		m.title = fk_xstrdup(title);
		(*out)[(*n)++] = m;
	}
	fk_csv_release(&csv);
	if (rc) {
		fk_milestones_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

enum fk_code fk_plan_get(struct fk_ctx *c, int64_t incident, struct fk_plan *out,
                         struct fk_err *err)
{
	return fk_store_plan_get(c->st, incident, out, err);
}

/* The plan as data, for the frozen copy of an approval. */
static char *snapshot(const struct fk_incident *inc, const struct fk_plan *p)
{
	char t[32];
	json_t *ms = json_array();
	for (size_t i = 0; i < p->n_milestones; i++) {
		fk_time_utc(p->milestones[i].due_at, t);
		json_array_append_new(
		    ms, json_pack("{s:s, s:s}", "due", t, "title", p->milestones[i].title));
	}
	json_t *o = json_pack("{s:s, s:I, s:s?, s:s?, s:o}", "incident", inc->ref, "version",
	                      (json_int_t)p->version, "level",
	                      p->level >= 0 ? fk_plan_levels[p->level].key : NULL, "priority",
	                      p->priority, "milestones", ms);
	const char *tk[] = {"deadline", "monitoring_start", "monitoring_end", "compromised_at"};
	const int64_t tv[] = {p->deadline, p->monitoring_start, p->monitoring_end,
	                      p->compromised_at};
	for (size_t i = 0; i < FK_ARRAY_LEN(tk); i++) {
		if (tv[i] != FK_TIME_NONE)
			fk_time_utc(tv[i], t);
		json_object_set_new(o, tk[i], tv[i] == FK_TIME_NONE ? json_null() : json_string(t));
	}
	json_object_set_new(o, "cost", p->cost >= 0 ? json_integer(p->cost) : json_null());
	json_object_set_new(o, "staff_days",
	                    p->staff_days >= 0 ? json_integer(p->staff_days) : json_null());
	json_object_set_new(o, "exit_criteria",
	                    p->exit_criteria ? json_string(p->exit_criteria) : json_null());
	char *text = json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT);
	json_decref(o);
	return text;
}

/* Loads the incident (open) and its plan in a new transaction. */
static enum fk_code begin_plan(struct fk_ctx *c, const char *id, struct fk_incident *inc,
                               struct fk_plan *p, struct fk_err *err)
{
	enum fk_code rc = fk_core_begin_open(c, id, inc, err);
	if (rc)
		return rc;
	if ((rc = fk_store_plan_get(c->st, inc->id, p, err))) {
		fk_store_rollback(c->st);
		fk_incident_release(inc);
	}
	return rc;
}

static enum fk_code no_plan(const struct fk_incident *inc, struct fk_err *err)
{
	return FK_ERR(
	    err, FK_EREFUSED, "plan",
	    "%s has no recovery plan yet: 'fukkyu plan set %s --level ... --deadline ...'",
	    "%s には復旧計画がまだありません: 'fukkyu plan set %s --level ... "
	    "--deadline ...' で作成してください",
	    inc->ref, inc->ref);
}

/* Writes the plan and keeps the incident's clock dates in step with it. */
static enum fk_code put(struct fk_ctx *c, struct fk_incident *inc, const struct fk_plan *before,
                        const struct fk_plan *after, struct fk_err *err)
{
	enum fk_code rc = fk_store_plan_put(c->st, inc->id, before, after, err);
	if (!rc && (inc->recovery_deadline != after->deadline ||
	            inc->monitoring_end != after->monitoring_end)) {
		struct fk_incident upd;
		fk_incident_copy(&upd, inc);
		upd.recovery_deadline = after->deadline;
		upd.monitoring_end = after->monitoring_end;
		rc = fk_store_incident_update(c->st, inc, &upd, err);
		fk_incident_release(&upd);
	}
	return rc;
}

enum fk_code fk_plan_change(struct fk_ctx *c, const char *id, const struct fk_plan_patch *p,
                            struct fk_err *err)
{
	enum fk_code rc = FK_OK;
	if (p->level != -1 && (p->level < 0 || p->level >= FK_LEVEL_COUNT))
		rc = FK_ERR0(err, FK_EUSAGE, "--level",
		             "--level: expected full, partial or improved",
		             "--level: full, partial, improved のいずれかが必要です");
	if (!rc && (p->cost < -1 || p->staff_days < -1))
		rc = FK_ERR0(err, FK_EINVAL, p->cost < -1 ? "--cost" : "--staff-days",
		             "cost and staff days are 0 or more",
		             "費用と人日は 0 以上で指定してください");
	if (!rc)
		rc = fk_core_check_line(p->priority, "--priority", false, err);
	if (!rc)
		rc = fk_core_check_text(p->exit_criteria, "--exit-criteria", FK_TEXT_MAX, false,
		                        err);
	struct fk_incident inc;
	struct fk_plan before, after;
	if (rc || (rc = begin_plan(c, id, &inc, &before, err)))
		return rc;
	after = before;
	after.version = before.version + 1;
	after.state = FK_PLAN_DRAFT;    /* a change needs the plan approved again */
	after.completion_report = NULL; /* and recovery reported complete again against it */
	after.completed_at = FK_TIME_NONE;
	if (p->level != -1)
		after.level = p->level;
	const int64_t *tp[] = {&p->deadline, &p->monitoring_start, &p->monitoring_end,
	                       &p->compromised_at};
	int64_t *ta[] = {&after.deadline, &after.monitoring_start, &after.monitoring_end,
	                 &after.compromised_at};
	for (size_t i = 0; i < FK_ARRAY_LEN(tp); i++)
		if (*tp[i] != FK_TIME_NONE)
			*ta[i] = *tp[i];
	if (p->cost != -1)
		after.cost = p->cost;
	if (p->staff_days != -1)
		after.staff_days = p->staff_days;
	after.priority = p->priority ? (char *)(uintptr_t)p->priority : before.priority;
	after.exit_criteria =
	    p->exit_criteria ? (char *)(uintptr_t)p->exit_criteria : before.exit_criteria;
	if (p->milestones_set) {
		after.milestones = (struct fk_milestone *)(uintptr_t)p->milestones;
		after.n_milestones = p->n_milestones;
	}
	if (after.monitoring_start != FK_TIME_NONE && after.monitoring_end != FK_TIME_NONE &&
	    after.monitoring_end <= after.monitoring_start)
		rc = FK_ERR0(err, FK_EINVAL, "--monitoring-end",
		             "the end of monitoring is not after its start",
		             "監視強化の終了が開始より後になっていません");
	if (!rc && after.deadline != FK_TIME_NONE && after.deadline < inc.discovered_at)
		rc = FK_ERR0(err, FK_EINVAL, "--deadline", "the deadline is before the discovery",
		             "復旧期限が発覚日時より前です");
	if (!rc)
		rc = put(c, &inc, &before, &after, err);
	rc = fk_core_finish(c, rc, err);
	fk_incident_release(&inc);
	fk_plan_release(&before); /* after shares before's strings and the caller's milestones */
	return rc;
}

enum fk_code fk_plan_submit(struct fk_ctx *c, const char *id, struct fk_err *err)
{
	struct fk_incident inc;
	struct fk_plan p, after;
	enum fk_code rc = begin_plan(c, id, &inc, &p, err);
	if (rc)
		return rc;
	if (!p.version)
		rc = no_plan(&inc, err);
	else if (p.state != FK_PLAN_DRAFT)
		rc = FK_ERR(err, FK_EREFUSED, "state", "%s's plan v%lld is already %s",
		            "%s の復旧計画 v%lld はすでに「%s」です", inc.ref, (long long)p.version,
		            fk_plan_states[p.state].key);
	else if (p.level < 0 || p.deadline == FK_TIME_NONE)
		rc = FK_ERR0(err, FK_EREFUSED, p.level < 0 ? "--level" : "--deadline",
		             "a plan is submitted with its level and deadline: set them first",
		             "復旧レベルと復旧期限を設定してから申請してください");
	if (!rc) {
		after = p;
		after.state = FK_PLAN_SUBMITTED;
		rc = put(c, &inc, &p, &after, err);
	}
	rc = fk_core_finish(c, rc, err);
	fk_incident_release(&inc);
	fk_plan_release(&p);
	return rc;
}

enum fk_code fk_plan_approve(struct fk_ctx *c, const char *id, struct fk_err *err)
{
	struct fk_incident inc;
	struct fk_plan p, after;
	struct fk_buf names = FK_BUF_INIT;
	bool ok = false;
	enum fk_code rc = begin_plan(c, id, &inc, &p, err);
	if (rc)
		return rc;
	if (!p.version)
		rc = no_plan(&inc, err);
	else if (p.state != FK_PLAN_SUBMITTED)
		rc = FK_ERR(
		    err, FK_EREFUSED, "state",
		    "%s's plan v%lld is %s: it is approved once submitted ('fukkyu plan submit "
		    "%s')",
		    "%s の復旧計画 v%lld は「%s」です: 申請後に承認できます ('fukkyu plan "
		    "submit %s')",
		    inc.ref, (long long)p.version, fk_plan_states[p.state].key, inc.ref);
	else if (!(rc = fk_core_is_approver(c, inc.id, c->actor, &ok, &names, err)) && !ok)
		rc = FK_ERR(err, FK_EREFUSED, "--as",
		            "'%s' is not an approver of %s (approvers: %s): the recovery plan is "
		            "approved by one of them",
		            "'%s' は %s の承認者ではありません (承認者: %s): 復旧計画は承認者が承認"
		            "します",
		            c->actor, inc.ref, names.len ? names.ptr : "-");
	if (!rc) {
		char *snap = snapshot(&inc, &p), sha[65];
		fk_sha256_hex(snap, strlen(snap), sha);
		after = p;
		after.state = FK_PLAN_APPROVED;
		if (!(rc = put(c, &inc, &p, &after, err)))
			rc = fk_store_plan_approval(c->st, inc.id, p.version, snap, sha, err);
		free(snap);
	}
	fk_buf_release(&names);
	rc = fk_core_finish(c, rc, err);
	fk_incident_release(&inc);
	fk_plan_release(&p);
	return rc;
}

enum fk_code fk_plan_complete(struct fk_ctx *c, const char *id, const char *report,
                              struct fk_err *err)
{
	struct fk_incident inc;
	struct fk_plan p, after;
	enum fk_code rc = fk_core_check_text(report, "--report", 1 << 20, true, err);
	if (!rc && !report)
		rc = FK_ERR0(err, FK_EUSAGE, "--report",
		             "give the completion report (--report FILE)",
		             "復旧完了報告を --report FILE で指定してください");
	if (rc || (rc = begin_plan(c, id, &inc, &p, err)))
		return rc;
	if (!p.version)
		rc = no_plan(&inc, err);
	else if (p.state != FK_PLAN_APPROVED)
		rc = FK_ERR(
		    err, FK_EREFUSED, "state",
		    "%s's plan v%lld is %s: recovery is reported complete against an approved "
		    "plan",
		    "%s の復旧計画 v%lld は「%s」です: 復旧完了は承認済みの計画に対して報告します",
		    inc.ref, (long long)p.version, fk_plan_states[p.state].key);
	if (!rc) {
		after = p;
		after.completion_report = (char *)(uintptr_t)report;
		after.completed_at = c->now;
		rc = put(c, &inc, &p, &after,
		         err); /* the report does not change what was approved */
	}
	rc = fk_core_finish(c, rc, err);
	fk_incident_release(&inc);
	fk_plan_release(&p);
	return rc;
}

enum fk_code fk_restore_add(struct fk_ctx *c, const char *id, struct fk_restore_point *r,
                            bool accept_risk, struct fk_err *err)
{
	struct fk_incident inc;
	struct fk_plan p;
	enum fk_code rc = fk_core_check_line(r->system, "--system", true, err);
	if (!rc)
		rc = fk_core_check_line(r->backup, "--backup", true, err);
	if (!rc)
		rc = fk_core_check_text(r->integrity, "--integrity", FK_TEXT_MAX, true, err);
	if (!rc && (!r->system || !r->backup || !r->integrity || r->backup_time == FK_TIME_NONE))
		rc = FK_ERR0(
		    err, FK_EUSAGE, "--integrity",
		    "give --system, --backup, --backup-time and --integrity (how the backup "
		    "was checked)",
		    "--system, --backup, --backup-time, --integrity (バックアップの完全性の確認"
		    "方法) を指定してください");
	if (!rc && r->backup_time > r->restored_at)
		rc =
		    FK_ERR0(err, FK_EINVAL, "--backup-time", "the backup is newer than the restore",
		            "バックアップの日時が復元より後です");
	if (rc || (rc = begin_plan(c, id, &inc, &p, err)))
		return rc;
	int64_t compromise =
	    p.compromised_at != FK_TIME_NONE ? p.compromised_at : inc.discovered_at;
	r->after_compromise = r->backup_time >= compromise;
	if (r->after_compromise && !accept_risk) {
		char t[32];
		fk_time_utc(compromise, t);
		rc = FK_ERR(
		    err, FK_EREFUSED, "--backup-time",
		    "the backup was taken after the earliest compromise (%s%s): it may hold "
		    "what the attacker left; use an older one, or --accept-risk with a check "
		    "that shows it clean%.0s%.0s",
		    "%.0s%.0sバックアップが最初の侵害 (%s%s) より後に取得されています: 攻撃者の"
		    "残したものを含むおそれがあります。より古いバックアップを使うか、安全を"
		    "確認したうえで --accept-risk を指定してください",
		    t,
		    p.compromised_at == FK_TIME_NONE
		        ? ", the discovery: set the plan's --compromised-at if earlier"
		        : "",
		    t,
		    p.compromised_at == FK_TIME_NONE ? "、発覚日時。より前なら計画の "
		                                       "--compromised-at を設定"
		                                     : "");
	}
	if (!rc)
		rc = fk_store_restore_insert(c->st, inc.id, r, err);
	rc = fk_core_finish(c, rc, err);
	fk_incident_release(&inc);
	fk_plan_release(&p);
	return rc;
}
