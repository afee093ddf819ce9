/*
 * recovery.c - user operations on incidents: validation, rules, one transaction each.
 */
#include "fukkyu/common.h"
#include "core_int.h"
#include "fukkyu/clocks.h"
#include "fukkyu/recovery.h"
#include "util/buf.h"
#include "util/time.h"
#include "util/utf8.h"

/* Text fields: UTF-8, no control characters, within a size. */
enum fk_code fk_core_check_text(const char *s, const char *field, size_t max, bool required,
                                struct fk_err *err)
{
	if (!s)
		return FK_OK;
	if (required && !*s)
		return FK_ERR(err, FK_EINVAL, field, "%s must not be empty",
		              "%s を空にはできません", field);
	if (strlen(s) > max)
		return FK_ERR(err, FK_ETOOBIG, field, "%s is longer than %zu bytes",
		              "%s が %zu バイトを超えています", field, max);
	return fk_text_check(s, field, err);
}

/* One-line texts (titles, names, contacts): as check_text, without newlines or tabs, which
 * would break every list they appear in. */
enum fk_code fk_core_check_line(const char *s, const char *field, bool required, struct fk_err *err)
{
	enum fk_code rc = fk_core_check_text(s, field, FK_TITLE_MAX, required, err);
	if (!rc && s && strpbrk(s, "\n\r\t"))
		rc = FK_ERR(err, FK_EINVAL, field,
		            "%s must be one line: remove the line breaks and tabs (longer text "
		            "belongs in a description or note)",
		            "%s は1行で指定してください: 改行とタブを取り除いてください (長い文章は"
		            "説明やメモへ)",
		            field);
	return rc;
}

/* Enum values from callers (the API will pass what it parsed): out of range is a usage error,
 * never an index past a table. */
static enum fk_code check_enum(int v, int count, bool unset_ok, const char *field,
                               struct fk_err *err)
{
	if ((unset_ok && v == FK_UNSET) || (v >= 0 && v < count))
		return FK_OK;
	return FK_ERR(err, FK_EUSAGE, field, "%s: value %d is out of range",
	              "%s: 値 %d は範囲外です", field, v);
}

/* Runs the transaction end: commit on success, roll back on failure. */
static enum fk_code finish(struct fk_ctx *c, enum fk_code rc, struct fk_err *err)
{
	if (!rc)
		rc = fk_store_commit(c->st, err);
	else
		fk_store_rollback(c->st);
	return rc;
}

static int ref_year(struct fk_ctx *c, int64_t t)
{
	char date[16];
	fk_time_local_date(t, c->tz, date);
	return (int)strtol(date, NULL, 10);
}

enum fk_code fk_incident_create(struct fk_ctx *c, struct fk_incident *inc,
                                const struct fk_playbook *pb, struct fk_err *err)
{
	return fk_core_incident_create(c, inc, pb, NULL, NULL, err);
}

enum fk_code fk_core_incident_create(struct fk_ctx *c, struct fk_incident *inc,
                                     const struct fk_playbook *pb, fk_core_then then,
                                     void *then_ctx, struct fk_err *err)
{
	enum fk_code rc = check_enum(inc->kind, FK_KIND_COUNT, false, "--kind", err);
	if (!rc)
		rc = check_enum(inc->severity, FK_SEV_COUNT, false, "--severity", err);
	if (!rc)
		rc = check_enum(inc->state, FK_STATE_COUNT, false, "state", err);
	if (!rc)
		rc = fk_core_check_line(inc->title, "--title", true, err);
	if (!rc)
		rc = fk_core_check_text(inc->description, "--description", FK_TEXT_MAX, false, err);
	if (!rc && inc->discovered_at == FK_TIME_NONE)
		rc = FK_ERR0(err, FK_EUSAGE, "--discovered",
		             "missing --discovered: when was the incident discovered?",
		             "--discovered がありません: インシデントの発覚日時を指定してください");
	if (!rc && inc->contained_at != FK_TIME_NONE && inc->contained_at < inc->discovered_at)
		rc =
		    FK_ERR0(err, FK_EINVAL, "--contained",
		            "--contained is before --discovered: an incident is contained after it "
		            "is discovered",
		            "--contained が --discovered より前です: 封じ込めは発覚の後です");
	if (rc)
		return rc;
	free(inc->playbook);
	inc->playbook = fk_xstrdup(pb->name);
	struct fk_phase *phases;
	struct fk_task *tasks;
	size_t n;
	fk_playbook_instantiate(pb, inc->kind, inc->discovered_at, &phases, &tasks, &n);
	rc = fk_store_begin(c->st, c->actor, c->now, err);
	if (rc)
		goto out;
	rc = fk_store_incident_insert(c->st, inc, ref_year(c, inc->discovered_at), err);
	if (!rc)
		rc = fk_store_tasks_insert(c->st, inc->id, phases, FK_PLAYBOOK_PHASES, tasks, n,
		                           err);
	if (!rc && then)
		rc = then(c, inc, then_ctx, err);
	rc = finish(c, rc, err);
out:
	FK_FREE_ARRAY(phases, FK_PLAYBOOK_PHASES, fk_phase_release);
	FK_FREE_ARRAY(tasks, n, fk_task_release);
	return rc;
}

/* Begins a transaction and loads the incident; on failure nothing is left open. */
static enum fk_code begin_on(struct fk_ctx *c, const char *id, struct fk_incident *inc,
                             struct fk_err *err)
{
	enum fk_code rc = fk_store_begin(c->st, c->actor, c->now, err);
	if (rc)
		return rc;
	rc = fk_store_incident_find(c->st, id, inc, err);
	if (rc)
		fk_store_rollback(c->st);
	return rc;
}

bool fk_incident_patch_empty(const struct fk_incident_patch *p)
{
	return !p->title && !p->description && p->severity == FK_UNSET &&
	       p->discovered_at == FK_TIME_NONE && p->contained_at == FK_TIME_NONE &&
	       p->pii == FK_UNSET && p->pii_count == FK_UNSET && p->pii_sensitive == FK_UNSET &&
	       p->pii_financial == FK_UNSET && p->pii_unlawful == FK_UNSET &&
	       p->pii_eu == FK_UNSET && p->recovery_deadline == FK_TIME_NONE &&
	       p->monitoring_end == FK_TIME_NONE && !p->pii_items && !p->pii_harm &&
	       p->clocks_ntp == FK_UNSET;
}

enum fk_code fk_incident_change(struct fk_ctx *c, const char *id, const struct fk_incident_patch *p,
                                struct fk_incident *out, struct fk_err *err)
{
	struct fk_incident before;
	enum fk_code rc = check_enum(p->severity, FK_SEV_COUNT, true, "--severity", err);
	if (!rc)
		rc = fk_core_check_line(p->title, "--title", true, err);
	if (!rc)
		rc = fk_core_check_text(p->description, "--description", FK_TEXT_MAX, false, err);
	if (!rc)
		rc = fk_core_check_text(p->pii_items, "--pii-items", FK_TEXT_MAX, false, err);
	if (!rc)
		rc = fk_core_check_text(p->pii_harm, "--pii-harm", FK_TEXT_MAX, false, err);
	if (!rc && p->pii_count != FK_UNSET && p->pii_count < 0)
		rc = FK_ERR0(err, FK_EINVAL, "--pii-count",
		             "--pii-count must be a number of persons, 0 or more",
		             "--pii-count には 0 以上の人数を指定してください");
	if (rc || (rc = begin_on(c, id, &before, err)))
		return rc;
	fk_incident_copy(out, &before);
	if (p->title) {
		free(out->title);
		out->title = fk_xstrdup(p->title);
	}
	if (p->description) {
		free(out->description);
		out->description = fk_xstrdup(p->description);
	}
	if (p->severity != FK_UNSET)
		out->severity = p->severity;
	if (p->discovered_at != FK_TIME_NONE)
		out->discovered_at = p->discovered_at;
	if (p->contained_at != FK_TIME_NONE)
		out->contained_at = p->contained_at;
	if (p->pii != FK_UNSET)
		out->pii = p->pii;
	if (p->pii_count != FK_UNSET) {
		out->pii_count = p->pii_count;
		out->pii = out->pii || p->pii_count > 0;
	}
	if (p->pii_sensitive != FK_UNSET) {
		out->pii_sensitive = p->pii_sensitive;
		out->pii = out->pii || p->pii_sensitive;
	}
	const int *flag[] = {&p->pii_financial, &p->pii_unlawful, &p->pii_eu};
	int *to[] = {&out->pii_financial, &out->pii_unlawful, &out->pii_eu};
	for (int i = 0; i < 3; i++)
		if (*flag[i] != FK_UNSET) {
			*to[i] = *flag[i];
			out->pii = out->pii || *flag[i] == 1;
		}
	const char *texts[] = {p->pii_items, p->pii_harm};
	char **into[] = {&out->pii_items, &out->pii_harm};
	for (int i = 0; i < 2; i++)
		if (texts[i]) {
			free(*into[i]);
			*into[i] = *texts[i] ? fk_xstrdup(texts[i]) : NULL;
		}
	if (p->clocks_ntp != FK_UNSET)
		out->clocks_ntp = p->clocks_ntp;
	if (p->recovery_deadline != FK_TIME_NONE)
		out->recovery_deadline = p->recovery_deadline;
	if (p->monitoring_end != FK_TIME_NONE)
		out->monitoring_end = p->monitoring_end;
	if (out->contained_at != FK_TIME_NONE && out->contained_at < out->discovered_at)
		rc = FK_ERR0(err, FK_EINVAL, "--contained",
		             "the containment time is before the discovery time",
		             "封じ込め日時が発覚日時より前になっています");
	if (!rc)
		rc = fk_store_incident_update(c->st, &before, out, err);
	rc = finish(c, rc, err);
	if (rc)
		fk_incident_release(out);
	fk_incident_release(&before);
	return rc;
}

/* Lists the allowed next states of from into b. */
static void allowed_states(int from, struct fk_buf *b)
{
	for (int s = 0; s < FK_STATE_COUNT; s++)
		if (fk_state_allowed(from, s))
			(void)fk_buf_addf(b, "%s%s", b->len ? ", " : "", fk_states[s].key);
}

/* Refuses closing while tasks are unfinished, naming them. */
static enum fk_code check_closable(struct fk_ctx *c, const struct fk_incident *inc,
                                   struct fk_err *err)
{
	struct fk_task *tasks;
	size_t n, open = 0;
	enum fk_code rc = fk_store_tasks_get(c->st, inc->id, &tasks, &n, err);
	if (rc)
		return rc;
	struct fk_buf list = FK_BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (fk_task_finished(&tasks[i]))
			continue;
		if (++open <= 15)
			(void)fk_buf_addf(&list, "%s%s", open > 1 ? ", " : "", tasks[i].item_id);
	}
	if (open > 15)
		(void)fk_buf_addf(&list, " (+%zu)", open - 15);
	if (open)
		rc = FK_ERR(
		    err, FK_EREFUSED, "state",
		    "cannot close %s: %zu playbook items are neither done nor marked not "
		    "applicable with a reason: %s",
		    "%s を完了にできません: 完了でも理由付きの対象外でもない項目が %zu 件あります: "
		    "%s",
		    inc->ref, open, list.ptr);
	fk_buf_release(&list);
	FK_FREE_ARRAY(tasks, n, fk_task_release);
	if (rc)
		return rc;
	/* Recurrence prevention is done only when every system in scope has the measure or a
	 * documented exception (source document: 予備機、バックアップへも同様の対策を実施). */
	struct fk_buf pending = FK_BUF_INIT;
	size_t np;
	rc = fk_store_rollout_pending(c->st, inc->id, 15, &pending, &np, err);
	if (!rc && np)
		rc = FK_ERR(err, FK_EREFUSED, "state",
		            "cannot close %s: %zu rollout entries are still pending (apply them or "
		            "record an exception with who accepted the risk): %s%s",
		            "%s を完了にできません: 未実施の展開対象が %zu 件あります (実施するか、"
		            "リスク受容者付きの例外を記録してください): %s%s",
		            inc->ref, np, pending.ptr, np > 15 ? " ..." : "");
	fk_buf_release(&pending);
	return rc;
}

enum fk_code fk_incident_transition(struct fk_ctx *c, const char *id, int to,
                                    struct fk_incident *out, struct fk_err *err)
{
	struct fk_incident before;
	enum fk_code rc = check_enum(to, FK_STATE_COUNT, true, "--to", err);
	if (rc || (rc = begin_on(c, id, &before, err)))
		return rc;
	if (to == FK_UNSET)
		to = fk_state_next(before.state);
	if (!fk_state_allowed(before.state, to)) {
		struct fk_buf list = FK_BUF_INIT;
		allowed_states(before.state, &list);
		rc = FK_ERR(err, FK_EREFUSED, "state",
		            "%s cannot go from %s to %s: allowed next states are %s",
		            "%s は %s から %s へ移れません: 移れる状態は %s です", before.ref,
		            fk_states[before.state].key, fk_states[to].key, list.ptr);
		fk_buf_release(&list);
	}
	if (!rc && to == FK_STATE_CLOSED)
		rc = check_closable(c, &before, err);
	if (!rc) {
		fk_incident_copy(out, &before);
		out->state = to;
		/* Leaving the emergency phase means the incident was contained. */
		if (before.state == FK_STATE_EMERGENCY && out->contained_at == FK_TIME_NONE)
			out->contained_at =
			    c->now > before.discovered_at ? c->now : before.discovered_at;
		rc = fk_store_incident_update(c->st, &before, out, err);
		rc = finish(c, rc, err);
		if (rc)
			fk_incident_release(out);
	} else {
		fk_store_rollback(c->st);
	}
	fk_incident_release(&before);
	return rc;
}

/* True if name is among the incident's approvers. */
enum fk_code fk_core_is_approver(struct fk_ctx *c, int64_t incident, const char *name, bool *yes,
                                 struct fk_buf *names, struct fk_err *err)
{
	struct fk_person *people;
	size_t n;
	enum fk_code rc = fk_store_roles_get(c->st, incident, &people, &n, err);
	*yes = false;
	for (size_t i = 0; !rc && i < n; i++) {
		if (people[i].role != FK_ROLE_APPROVER)
			continue;
		*yes = *yes || !strcmp(people[i].name, name);
		(void)fk_buf_addf(names, "%s%s", names->len ? ", " : "", people[i].name);
	}
	FK_FREE_ARRAY(people, n, fk_person_release);
	return rc;
}

static void replace(char **dst, const char *src)
{
	free(*dst);
	*dst = src && *src ? fk_xstrdup(src) : NULL;
}

enum fk_code fk_task_change(struct fk_ctx *c, const char *id, const char *item,
                            const struct fk_task_patch *p, struct fk_task *out, struct fk_err *err)
{
	struct fk_incident inc;
	struct fk_task *tasks = NULL, *t = NULL;
	size_t n = 0;
	enum fk_code rc = check_enum(p->state, FK_TASK_COUNT, true, "--state", err);
	if (!rc)
		rc = fk_core_check_text(p->reason, "--reason", FK_TEXT_MAX, false, err);
	if (!rc)
		rc = fk_core_check_text(p->note, "--note", FK_TEXT_MAX, false, err);
	if (!rc)
		rc = fk_core_check_line(p->owner, "--owner", false, err);
	if (rc || (rc = begin_on(c, id, &inc, err)))
		return rc;
	rc = fk_store_tasks_get(c->st, inc.id, &tasks, &n, err);
	for (size_t i = 0; !rc && i < n && !t; i++)
		if (!strcmp(tasks[i].item_id, item))
			t = &tasks[i];
	if (!rc && !t)
		rc = FK_ERR(err, FK_ENOTFOUND, "item",
		            "%s has no playbook item '%s': see 'fukkyu task list %s'",
		            "%s にプレイブック項目 '%s' はありません: 'fukkyu task list %s' で確認"
		            "してください",
		            inc.ref, item, inc.ref);
	if (rc)
		goto out;
	fk_task_copy(out, t);
	if (p->state != FK_UNSET)
		out->state = p->state;
	if (p->reason)
		replace(&out->na_reason, p->reason);
	if (out->state != FK_TASK_NA)
		replace(&out->na_reason, NULL);
	if (p->note)
		replace(&out->note, p->note);
	if (p->owner)
		replace(&out->owner, p->owner);
	if (p->clear_due)
		out->due_at = FK_TIME_NONE;
	else if (p->due_at != FK_TIME_NONE)
		out->due_at = p->due_at;
	if (out->state == FK_TASK_NA && !out->na_reason)
		rc = FK_ERR(err, FK_EUSAGE, "--reason",
		            "item %s: 'na' (not applicable) needs --reason saying why",
		            "項目 %s: 'na' (対象外) には理由を --reason で指定してください", item);
	/* Sign-off cannot be bypassed by marking the item not applicable either. */
	if (!rc && out->approval && fk_task_finished(out) && out->state != t->state) {
		struct fk_buf names = FK_BUF_INIT;
		bool ok;
		rc = fk_core_is_approver(c, inc.id, c->actor, &ok, &names, err);
		if (!rc && !ok)
			rc = FK_ERR(
			    err, FK_EREFUSED, "--as",
			    "item %s needs an approver's sign-off and '%s' is not an approver "
			    "of %s (approvers: %s): ask an approver to mark it done (CLI: --as "
			    "NAME), or have the recovery owner add an approver (CLI: 'fukkyu role "
			    "set %s approver NAME')",
			    "項目 %s は承認者の承認が必要ですが、'%s' は %s の承認者ではありません "
			    "(承認者: %s): 承認者に完了にしてもらうか (CLI: --as NAME)、"
			    "復旧責任者に承認者を追加してもらってください (CLI: 'fukkyu role set "
			    "%s approver NAME')",
			    item, c->actor, inc.ref, names.len ? names.ptr : "-", inc.ref);
		fk_buf_release(&names);
	}
	if (!rc)
		rc = fk_store_task_update(c->st, inc.id, t, out, err);
	if (!rc) {
		out->updated_at = c->now;
		replace(&out->updated_by, c->actor);
	}
	rc = finish(c, rc, err);
	if (rc)
		fk_task_release(out);
	FK_FREE_ARRAY(tasks, n, fk_task_release);
	fk_incident_release(&inc);
	return rc;
out:
	fk_store_rollback(c->st);
	FK_FREE_ARRAY(tasks, n, fk_task_release);
	fk_incident_release(&inc);
	return rc;
}

enum fk_code fk_handover_change(struct fk_ctx *c, const char *id,
                                const char *const values[FK_HO_COUNT], struct fk_err *err)
{
	struct fk_incident inc;
	struct fk_handover before, after;
	enum fk_code rc = FK_OK;
	for (int f = 0; !rc && f < FK_HO_COUNT; f++) {
		char field[40];
		snprintf(field, sizeof field, "--%s", fk_handover_fields[f].key);
		rc = fk_core_check_text(values[f], field, FK_TEXT_MAX, false, err);
	}
	if (rc || (rc = begin_on(c, id, &inc, err)))
		return rc;
	rc = fk_store_handover_get(c->st, inc.id, &before, err);
	if (!rc) {
		memset(&after, 0, sizeof after);
		for (int f = 0; f < FK_HO_COUNT; f++) {
			const char *v = values[f] ? values[f] : before.field[f];
			after.field[f] = v && *v ? fk_xstrdup(v) : NULL;
		}
		rc = fk_store_handover_put(c->st, inc.id, &before, &after, err);
		fk_handover_release(&after);
		fk_handover_release(&before);
	}
	rc = finish(c, rc, err);
	fk_incident_release(&inc);
	return rc;
}

enum fk_code fk_role_assign(struct fk_ctx *c, const char *id, const struct fk_person *p,
                            struct fk_err *err)
{
	struct fk_incident inc;
	struct fk_person *people = NULL;
	size_t n = 0;
	enum fk_code rc = check_enum(p->role, FK_ROLE_COUNT, false, "role", err);
	if (!rc)
		rc = fk_core_check_line(p->name, "name", true, err);
	if (!rc)
		rc = fk_core_check_line(p->org, "--org", false, err);
	if (!rc)
		rc = fk_core_check_line(p->email, "--email", false, err);
	if (!rc)
		rc = fk_core_check_line(p->phone, "--phone", false, err);
	if (rc || (rc = begin_on(c, id, &inc, err)))
		return rc;
	rc = fk_store_roles_get(c->st, inc.id, &people, &n, err);
	const struct fk_person *existing = NULL;
	for (size_t i = 0; !rc && i < n && !existing; i++) {
		if (people[i].role != p->role)
			continue;
		if (!FK_ROLE_MANY(p->role) || !strcmp(people[i].name, p->name))
			existing = &people[i];
	}
	if (!rc) {
		/* Contact details not given are kept when the same person is set again. */
		struct fk_person merged = *p;
		bool same = existing && !strcmp(existing->name, p->name);
		if (same) {
			merged.org = p->org ? p->org : existing->org;
			merged.email = p->email ? p->email : existing->email;
			merged.phone = p->phone ? p->phone : existing->phone;
		}
		rc = fk_store_role_put(c->st, inc.id, existing, &merged, err);
	}
	rc = finish(c, rc, err);
	FK_FREE_ARRAY(people, n, fk_person_release);
	fk_incident_release(&inc);
	return rc;
}

enum fk_code fk_role_remove(struct fk_ctx *c, const char *id, int role, const char *name,
                            struct fk_err *err)
{
	struct fk_incident inc;
	struct fk_person *people = NULL;
	size_t n = 0;
	enum fk_code rc = check_enum(role, FK_ROLE_COUNT, false, "role", err);
	if (rc || (rc = begin_on(c, id, &inc, err)))
		return rc;
	rc = fk_store_roles_get(c->st, inc.id, &people, &n, err);
	const struct fk_person *found = NULL;
	for (size_t i = 0; !rc && i < n && !found; i++)
		if (people[i].role == role && (!name || !strcmp(people[i].name, name)))
			found = &people[i];
	if (!rc && !found)
		rc =
		    FK_ERR(err, FK_ENOTFOUND, "role", "%s has no %s%s%s", "%s に %s%s%s はいません",
		           inc.ref, fk_roles[role].key, name ? " " : "", name ? name : "");
	if (!rc)
		rc = fk_store_role_delete(c->st, inc.id, found, err);
	rc = finish(c, rc, err);
	FK_FREE_ARRAY(people, n, fk_person_release);
	fk_incident_release(&inc);
	return rc;
}

enum fk_code fk_timeline_record(struct fk_ctx *c, const char *id, struct fk_timeline_entry *e,
                                struct fk_err *err)
{
	struct fk_incident inc;
	enum fk_code rc = fk_core_check_text(e->text, "text", FK_TEXT_MAX, true, err);
	if (!rc)
		rc = fk_core_check_line(e->source, "--source", false, err);
	if (rc || (rc = begin_on(c, id, &inc, err)))
		return rc;
	rc = fk_store_timeline_add(c->st, inc.id, e, err);
	rc = finish(c, rc, err);
	fk_incident_release(&inc);
	return rc;
}

enum fk_code fk_board_build(struct fk_ctx *c, bool include_closed, struct fk_board *out,
                            struct fk_err *err)
{
	struct fk_incident *incs = NULL;
	struct fk_progress *prog = NULL;
	struct fk_person *owners = NULL;
	size_t n = 0, np = 0, no = 0;
	memset(out, 0, sizeof *out);
	enum fk_code rc = fk_store_incident_list(c->st, include_closed, &incs, &n, err);
	if (!rc)
		rc = fk_store_progress(c->st, c->now, include_closed, &prog, &np, err);
	if (!rc)
		rc = fk_store_role_holders(c->st, FK_ROLE_RECOVERY_OWNER, include_closed, &owners,
		                           &no, err);
	if (rc) {
		FK_FREE_ARRAY(incs, n, fk_incident_release);
		free(prog);
		FK_FREE_ARRAY(owners, no, fk_person_release);
		return rc;
	}
	/* incs are newest first; progress and owners are by incident id: binary search. */
	out->rows = fk_xcalloc(n, sizeof *out->rows);
	out->n = n;
	for (size_t i = 0; i < n; i++) {
		struct fk_board_row *r = &out->rows[i];
		r->inc = incs[i];
		r->next_due = FK_TIME_NONE;
		size_t lo = 0, hi = np;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (prog[mid].incident < r->inc.id)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (; lo < np && prog[lo].incident == r->inc.id; lo++) {
			int p = prog[lo].phase - 1;
			if (p < 0 || p >= FK_PLAYBOOK_PHASES)
				continue;
			r->finished[p] = prog[lo].finished;
			r->total[p] = prog[lo].total;
			r->overdue += prog[lo].overdue;
			if (prog[lo].next_due != FK_TIME_NONE &&
			    (r->next_due == FK_TIME_NONE || prog[lo].next_due < r->next_due))
				r->next_due = prog[lo].next_due;
		}
		lo = 0, hi = no;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (owners[mid].id < r->inc.id)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < no && owners[lo].id == r->inc.id)
			r->owner = fk_xstrdup(owners[lo].name);
	}
	free(incs);
	free(prog);
	FK_FREE_ARRAY(owners, no, fk_person_release);
	struct fk_sweep_summary *sum;
	size_t ns;
	enum fk_code src = fk_store_sweep_summaries(c->st, &sum, &ns, err);
	if (src) {
		fk_board_release(out);
		return src;
	}
	for (size_t i = 0; i < out->n; i++) {
		struct fk_board_row *r = &out->rows[i];
		size_t lo = 0, hi = ns;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (sum[mid].incident < r->inc.id)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < ns && sum[lo].incident == r->inc.id) {
			r->sweep_total = sum[lo].total;
			r->sweep_checked = sum[lo].checked;
			r->rollout_total = sum[lo].ro_total;
			r->rollout_done = sum[lo].ro_done;
		}
	}
	free(sum);
	struct fk_record_figures *fig = NULL;
	size_t nf = 0;
	if (!(src = fk_store_record_figures(c->st, &fig, &nf, err)))
		for (size_t i = 0; i < out->n; i++) { /* rows newest first: search each */
			struct fk_board_row *r = &out->rows[i];
			size_t lo = 0, hi = nf;
			while (lo < hi) {
				size_t mid = (lo + hi) / 2;
				if (fig[mid].incident < r->inc.id)
					lo = mid + 1;
				else
					hi = mid;
			}
			if (lo < nf && fig[lo].incident == r->inc.id) {
				r->damage_jpy = fig[lo].damage_jpy;
				r->affected = fig[lo].affected;
				r->not_notified = fig[lo].not_notified;
			}
		}
	free(fig);
	if (!src && (src = fk_board_clocks(c, out, err)))
		fk_board_release(out);
	else if (src)
		fk_board_release(out);
	return src;
}

void fk_board_release(struct fk_board *b)
{
	for (size_t i = 0; i < b->n; i++) {
		fk_incident_release(&b->rows[i].inc);
		free(b->rows[i].owner);
	}
	free(b->rows);
	memset(b, 0, sizeof *b);
}

enum fk_code fk_evidence_record(struct fk_ctx *c, const char *id, struct fk_evidence *e,
                                int64_t first, const char *first_text, int64_t last,
                                const char *last_text, struct fk_err *err)
{
	struct fk_incident inc;
	enum fk_code rc = begin_on(c, id, &inc, err);
	if (rc)
		return rc;
	rc = fk_store_evidence_add(c->st, inc.id, e, err);
	char source[32];
	snprintf(source, sizeof source, "evidence E%lld", (long long)e->id);
	const int64_t at[2] = {first, last};
	const char *text[2] = {first_text, last_text};
	for (int i = 0; !rc && i < 2; i++) {
		if (at[i] == FK_TIME_NONE || !text[i])
			continue;
		struct fk_timeline_entry t = {0};
		t.at = at[i];
		t.text = fk_xstrdup(text[i]);
		t.source = fk_xstrdup(source);
		rc = fk_store_timeline_add(c->st, inc.id, &t, err);
		fk_timeline_entry_release(&t);
	}
	rc = finish(c, rc, err);
	fk_incident_release(&inc);
	return rc;
}
