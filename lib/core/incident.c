/*
 * incident.c - the domain's vocabularies (kinds, severities, states, roles, handover fields),
 * the state machine, and the release/copy functions of the domain structs.
 */
#include "fukkyu/common.h"
#include "fukkyu/incident.h"
#include "util/time.h"

const struct fk_enum fk_kinds[FK_KIND_COUNT] = {
    {"outbound-attack", "Attack from inside on others", "社内からの外部攻撃"},
    {"vulnerability-report", "Vulnerability reported by a third party", "第三者からの脆弱性指摘"},
    {"defacement", "Web site defacement", "Webサイト改ざん"},
    {"malware-outbreak", "Malware / worm outbreak", "ワーム・ウイルス蔓延"},
    {"data-leak", "Data leak", "情報漏えい"},
    {"intrusion", "Intrusion", "不正侵入"},
    {"dos", "Denial of service", "サービス妨害 (DoS)"},
    {"insider", "Insider wrongdoing", "内部不正"},
    {"equipment-failure", "Equipment or system failure", "機器・システム故障"},
    {"disaster", "Disaster, fire", "自然災害・火災"},
    {"other", "Other", "その他"},
};

const struct fk_enum fk_severities[FK_SEV_COUNT] = {
    {"low", "low", "低"},
    {"medium", "medium", "中"},
    {"high", "high", "高"},
    {"critical", "critical", "緊急"},
};

const struct fk_enum fk_states[FK_STATE_COUNT] = {
    {"emergency", "emergency response", "緊急対応"},
    {"recovery", "recovery", "復旧対応"},
    {"monitoring", "heightened monitoring", "監視強化"},
    {"closed", "closed", "完了"},
    {"reopened", "reopened", "再開"},
};

const struct fk_enum fk_task_states[FK_TASK_COUNT] = {
    {"todo", "to do", "未着手"},
    {"doing", "in progress", "対応中"},
    {"done", "done", "完了"},
    {"na", "not applicable", "対象外"},
};

const struct fk_enum fk_roles[FK_ROLE_COUNT] = {
    {"recovery-owner", "Recovery owner", "復旧責任者"},
    {"cost-arranger", "Arranges cost and staff", "費用・要員の手配"},
    {"root-cause-owner", "Root-cause and prevention owner", "原因分析・再発防止責任者"},
    {"user-response-owner", "User response owner", "ユーザ対応責任者"},
    {"external-response-owner", "External response owner", "社外対応責任者"},
    {"contact-window", "Contact window", "窓口"},
    {"approver", "Approver", "承認者"},
};

const struct fk_enum fk_timeline_marks[FK_MARK_COUNT] = {
    {"none", "no mark", "なし"},
    {"service-stopped", "service stopped", "サービス停止"},
    {"service-restored", "service restored", "サービス再開"},
};

const struct fk_enum fk_handover_fields[FK_HO_COUNT] = {
    {"backups", "Backup status", "バックアップ状況"},
    {"substitute-hw", "Substitute hardware", "代替ハードウェア"},
    {"substitute-sw", "Substitute software", "代替ソフトウェア"},
    {"substitute-net", "Substitute network", "代替ネットワーク"},
    {"degraded", "Substitute service or degraded operation", "代替サービス・縮退運転"},
    {"manual", "Manual workarounds", "手作業による代替作業"},
    {"damage-scope", "Scope of the damage", "被害範囲の状況"},
    {"responders", "Who did the emergency response", "緊急対応の実施者"},
};

enum fk_code fk_enum_parse(const struct fk_enum *table, size_t n, const char *s, const char *field,
                           int *out, struct fk_err *err)
{
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(table[i].key, s)) {
			*out = (int)i;
			return FK_OK;
		}
	}
	struct fk_buf list = FK_BUF_INIT;
	for (size_t i = 0; i < n; i++)
		(void)fk_buf_addf(&list, "%s%s", i ? ", " : "", table[i].key);
	FK_ERR(err, FK_EUSAGE, field, "unknown %s '%s': expected one of %s",
	       "%s '%s' は不明です: 次のいずれかを指定してください: %s", field, s, list.ptr);
	fk_buf_release(&list);
	return FK_EUSAGE;
}

const char *fk_enum_label(const struct fk_enum *table, size_t n, int i, enum fk_lang lang)
{
	if (i < 0 || (size_t)i >= n)
		return "?";
	return lang == FK_LANG_JA ? table[i].ja : table[i].en;
}

bool fk_state_allowed(enum fk_state from, enum fk_state to)
{
	switch (from) {
	case FK_STATE_EMERGENCY:
		return to == FK_STATE_RECOVERY;
	case FK_STATE_RECOVERY:
		return to == FK_STATE_MONITORING;
	case FK_STATE_MONITORING:
		/* Monitoring can find that recovery is not over. */
		return to == FK_STATE_CLOSED || to == FK_STATE_RECOVERY;
	case FK_STATE_CLOSED:
		return to == FK_STATE_REOPENED;
	case FK_STATE_REOPENED:
		return to == FK_STATE_RECOVERY || to == FK_STATE_CLOSED;
	default:
		return false;
	}
}

int fk_state_next(enum fk_state from)
{
	switch (from) {
	case FK_STATE_EMERGENCY:
		return FK_STATE_RECOVERY;
	case FK_STATE_RECOVERY:
		return FK_STATE_MONITORING;
	case FK_STATE_MONITORING:
		return FK_STATE_CLOSED;
	case FK_STATE_CLOSED:
		return FK_STATE_REOPENED;
	case FK_STATE_REOPENED:
		return FK_STATE_RECOVERY;
	default:
		return -1;
	}
}

static char *dup_or_null(const char *s)
{
	return s ? fk_xstrdup(s) : NULL;
}

void fk_incident_release(struct fk_incident *inc)
{
	free(inc->ref);
	free(inc->title);
	free(inc->description);
	free(inc->playbook);
	free(inc->created_by);
	free(inc->pii_items);
	free(inc->pii_harm);
	memset(inc, 0, sizeof *inc);
}

void fk_incident_copy(struct fk_incident *dst, const struct fk_incident *src)
{
	*dst = *src;
	dst->ref = dup_or_null(src->ref);
	dst->title = dup_or_null(src->title);
	dst->description = dup_or_null(src->description);
	dst->playbook = dup_or_null(src->playbook);
	dst->created_by = dup_or_null(src->created_by);
	dst->pii_items = dup_or_null(src->pii_items);
	dst->pii_harm = dup_or_null(src->pii_harm);
}

void fk_phase_release(struct fk_phase *p)
{
	free(p->key);
	free(p->title_ja);
	free(p->title_en);
	memset(p, 0, sizeof *p);
}

void fk_task_release(struct fk_task *t)
{
	free(t->item_id);
	free(t->group_key);
	free(t->group_ja);
	free(t->group_en);
	free(t->title_ja);
	free(t->title_en);
	free(t->why_ja);
	free(t->why_en);
	free(t->na_reason);
	free(t->owner);
	free(t->note);
	free(t->updated_by);
	memset(t, 0, sizeof *t);
}

void fk_task_copy(struct fk_task *dst, const struct fk_task *src)
{
	*dst = *src;
	dst->item_id = dup_or_null(src->item_id);
	dst->group_key = dup_or_null(src->group_key);
	dst->group_ja = dup_or_null(src->group_ja);
	dst->group_en = dup_or_null(src->group_en);
	dst->title_ja = dup_or_null(src->title_ja);
	dst->title_en = dup_or_null(src->title_en);
	dst->why_ja = dup_or_null(src->why_ja);
	dst->why_en = dup_or_null(src->why_en);
	dst->na_reason = dup_or_null(src->na_reason);
	dst->owner = dup_or_null(src->owner);
	dst->note = dup_or_null(src->note);
	dst->updated_by = dup_or_null(src->updated_by);
}

bool fk_task_finished(const struct fk_task *t)
{
	return t->state == FK_TASK_DONE || t->state == FK_TASK_NA;
}

bool fk_task_overdue(const struct fk_task *t, int64_t now)
{
	return t->due_at != FK_TIME_NONE && t->due_at < now && !fk_task_finished(t);
}

void fk_handover_release(struct fk_handover *h)
{
	for (int i = 0; i < FK_HO_COUNT; i++)
		free(h->field[i]);
	free(h->updated_by);
	memset(h, 0, sizeof *h);
}

void fk_person_release(struct fk_person *p)
{
	free(p->name);
	free(p->org);
	free(p->email);
	free(p->phone);
	memset(p, 0, sizeof *p);
}

void fk_timeline_entry_release(struct fk_timeline_entry *e)
{
	free(e->text);
	free(e->source);
	free(e->recorded_by);
	memset(e, 0, sizeof *e);
}

void fk_change_release(struct fk_change *c)
{
	free(c->actor);
	free(c->entity);
	free(c->entity_key);
	free(c->field);
	free(c->old_value);
	free(c->new_value);
	free(c->origin);
	free(c->hash);
	memset(c, 0, sizeof *c);
}
