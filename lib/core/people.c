/*
 * people.c - the register of affected users and the communications log (fukkyu/people.h).
 */
#include "fukkyu/common.h"
#include "util/ident.h"
#include "fukkyu/people.h"
#include "core_int.h"
#include "fukkyu/sweep.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/csv.h"
#include "util/hash.h"
#include "util/time.h"
#include "util/utf8.h"

const struct fk_enum fk_affected_kinds[FK_AK_COUNT] = {
    {"person", "individual", "個人"},
    {"company", "customer company", "法人顧客"},
};
const struct fk_enum fk_notices[FK_NOTICE_COUNT] = {
    {"pending", "not yet notified", "未通知"},
    {"sent", "notified", "通知済み"},
    {"unreachable", "unreachable (public notice instead)", "連絡不能 (公表で代替)"},
    {"not-required", "not required", "通知不要"},
};
const struct fk_enum fk_audiences[FK_AUD_COUNT] = {
    {"users", "users and customers", "利用者・顧客"},
    {"media", "media", "報道機関"},
    {"shareholders", "shareholders", "株主"},
    {"regulator", "regulators (PPC, ministries)", "監督官庁 (個人情報保護委員会など)"},
    {"police", "police", "警察"},
    {"cert", "CERTs (JPCERT/CC, IPA)", "CERT (JPCERT/CC、IPA)"},
    {"partners", "business partners", "取引先"},
    {"employees", "employees", "従業員"},
    {"other", "other", "その他"},
};
const struct fk_enum fk_comm_states[FK_COMM_STATE_COUNT] = {
    {"draft", "draft", "下書き"},
    {"approved", "approved", "承認済み"},
    {"sent", "sent", "送付・公表済み"},
};

void fk_affected_release(struct fk_affected *a)
{
	free(a->name), free(a->contact), free(a->data), free(a->damage), free(a->contract);
	free(a->notice_channel), free(a->updated_by);
	memset(a, 0, sizeof *a);
}

void fk_comm_release(struct fk_comm *m)
{
	free(m->title), free(m->approved_by), free(m->sent_by), free(m->channel);
	free(m->created_by);
	memset(m, 0, sizeof *m);
}

/* ---- the register ---------------------------------------------------------------------- */

enum {
	COL_KIND,
	COL_NAME,
	COL_CONTACT,
	COL_DATA,
	COL_SENSITIVE,
	COL_DAMAGE,
	COL_AMOUNT,
	COL_CONTRACT,
	COL_COUNT
};
static const char *const col_names[COL_COUNT] = {
    "kind", "name", "contact", "data", "sensitive", "damage", "damage_amount", "contract"};

/* Checks one row into a (its strings point into the record); errors go to the report. */
static void read_row(struct fk_csv *csv, const int col[COL_COUNT], struct fk_affected *a,
                     struct fk_import_report *r, const char *origin)
{
	const char *v[COL_COUNT] = {0};
	for (int k = 0; k < COL_COUNT; k++)
		if (col[k] >= 0 && (size_t)col[k] < csv->n && csv->len[col[k]])
			v[k] = csv->rec.ptr + csv->off[col[k]];
	memset(a, 0, sizeof *a);
	a->damage_amount = a->offered = a->paid = -1;
	a->kind = FK_AK_PERSON;
	char en[300], ja[300];
	int bad = -1;
	if (v[COL_KIND] &&
	    fk_enum_parse(fk_affected_kinds, FK_AK_COUNT, v[COL_KIND], "kind", &a->kind, NULL)) {
		bad = COL_KIND;
		snprintf(en, sizeof en, "kind '%.40s': expected person or company", v[COL_KIND]);
		snprintf(ja, sizeof ja, "kind '%.40s': person か company を指定してください",
		         v[COL_KIND]);
	} else if (!v[COL_NAME]) {
		bad = COL_NAME;
		snprintf(en, sizeof en, "name is empty: every row names someone");
		snprintf(ja, sizeof ja, "name が空です: 各行に名前が必要です");
	} else if (v[COL_SENSITIVE] && strcmp(v[COL_SENSITIVE], "yes") &&
	           strcmp(v[COL_SENSITIVE], "no")) {
		bad = COL_SENSITIVE;
		snprintf(en, sizeof en, "sensitive '%.20s': expected yes or no", v[COL_SENSITIVE]);
		snprintf(ja, sizeof ja, "sensitive '%.20s': yes か no を指定してください",
		         v[COL_SENSITIVE]);
	} else if (v[COL_AMOUNT]) {
		char *end;
		long long x = strtoll(v[COL_AMOUNT], &end, 10);
		if (*end || x < 0 || v[COL_AMOUNT][0] < '0' || v[COL_AMOUNT][0] > '9') {
			bad = COL_AMOUNT;
			snprintf(en, sizeof en,
			         "damage_amount '%.30s': expected a whole amount, 0 or more",
			         v[COL_AMOUNT]);
			snprintf(ja, sizeof ja,
			         "damage_amount '%.30s': 0 以上の整数で指定してください",
			         v[COL_AMOUNT]);
		} else {
			a->damage_amount = x;
		}
	}
	struct fk_err e;
	for (int k = 0; bad < 0 && k < COL_COUNT; k++)
		if (v[k] && (fk_text_check(v[k], col_names[k], &e) || strpbrk(v[k], "\t") ||
		             strlen(v[k]) > FK_TEXT_MAX)) {
			bad = k;
			snprintf(en, sizeof en,
			         "%s: not a valid text (UTF-8, no control characters)",
			         col_names[k]);
			snprintf(ja, sizeof ja, "%s: 不正な文字列です (UTF-8、制御文字なし)",
			         col_names[k]);
		}
	if (bad >= 0) {
		fk_core_report_error(r, origin, csv->line, col[bad] + 1, en, ja);
		return;
	}
	a->name = (char *)(uintptr_t)v[COL_NAME];
	a->contact = (char *)(uintptr_t)v[COL_CONTACT];
	a->data = (char *)(uintptr_t)v[COL_DATA];
	a->damage = (char *)(uintptr_t)v[COL_DAMAGE];
	a->contract = (char *)(uintptr_t)v[COL_CONTRACT];
	a->sensitive = v[COL_SENSITIVE] && !strcmp(v[COL_SENSITIVE], "yes");
}

enum fk_code fk_affected_import(struct fk_ctx *c, const char *id, FILE *f, const char *origin,
                                struct fk_import_report *r, struct fk_err *err)
{
	struct fk_incident inc;
	struct fk_csv csv;
	bool got;
	int col[COL_COUNT];
	enum fk_code rc = fk_core_begin_open(c, id, &inc, err);
	if (rc)
		return rc;
	fk_csv_init(&csv, f, origin);
	for (int k = 0; k < COL_COUNT; k++)
		col[k] = -1;
	if (!(rc = fk_csv_next(&csv, &got, err)) && got) {
		for (size_t i = 0; i < csv.n; i++)
			for (int k = 0; k < COL_COUNT; k++)
				if (!strcmp(csv.rec.ptr + csv.off[i], col_names[k]))
					col[k] = (int)i;
	}
	if (!rc && col[COL_NAME] < 0)
		rc = FK_ERR(
		    err, FK_EINVAL, origin,
		    "%s:1: the header has no 'name' column (columns: kind, name, contact, data, "
		    "sensitive, damage, damage_amount, contract)",
		    "%s:1: 見出し行に 'name' 列がありません (列: kind, name, contact, data, "
		    "sensitive, damage, damage_amount, contract)",
		    origin);
	while (!rc && !(rc = fk_csv_next(&csv, &got, err)) && got) {
		if (csv.n == 1 && !csv.len[0])
			continue;
		r->rows++;
		struct fk_affected a;
		size_t before = r->n_errors;
		read_row(&csv, col, &a, r, origin);
		/* rows are written as they come, inside the one transaction: an error anywhere
		 * rolls all of them back */
		if (r->n_errors == before && !r->n_errors &&
		    !(rc = fk_store_affected_insert(c->st, inc.id, &a, err)))
			r->inserted++;
	}
	fk_csv_release(&csv);
	if (!rc && r->n_errors)
		rc = FK_ERR(
		    err, FK_EINVAL, origin, "%s: %zu rows have errors: nothing was imported",
		    "%s: %zu 行にエラーがあります: 何も取り込んでいません", origin, r->n_errors);
	if (!rc)
		rc = fk_store_affected_imported(c->st, inc.id, r->inserted, origin, err);
	if (rc)
		r->inserted = 0;
	rc = fk_core_finish(c, rc, err);
	fk_incident_release(&inc);
	return rc;
}

/* The entry "A3" (or "3") of the incident, from the list read in the transaction. */
static const struct fk_affected *find_affected(const struct fk_incident *inc,
                                               const struct fk_affected *a, size_t n,
                                               const char *code, struct fk_err *err)
{
	int64_t want = fk_ident_no(code, 'A');
	for (size_t i = 0; i < n; i++)
		if (a[i].no == want)
			return &a[i];
	FK_ERR(err, FK_ENOTFOUND, "affected", "%s has no affected user '%.20s'",
	       "%s に被害者 '%.20s' はありません", inc->ref, code);
	return NULL;
}

enum fk_code fk_affected_set(struct fk_ctx *c, const char *id, const char *code,
                             const struct fk_affected_patch *p, struct fk_err *err)
{
	struct fk_incident inc;
	struct fk_affected *a = NULL;
	size_t n = 0;
	enum fk_code rc = fk_core_check_line(p->channel, "--channel", false, err);
	if (!rc && p->notice != FK_UNSET && (p->notice < 0 || p->notice >= FK_NOTICE_COUNT))
		rc = FK_ERR0(err, FK_EUSAGE, "--notice",
		             "--notice: expected pending, sent, "
		             "unreachable or not-required",
		             "--notice: pending, sent, unreachable, "
		             "not-required のいずれかが必要です");
	if (!rc && (p->offered < -1 || p->paid < -1))
		rc = FK_ERR0(err, FK_EINVAL, "--offered", "amounts are 0 or more",
		             "金額は 0 以上で指定してください");
	if (rc || (rc = fk_core_begin_open(c, id, &inc, err)))
		return rc;
	const struct fk_affected *before = NULL;
	if (!(rc = fk_store_affected(c->st, inc.id, &a, &n, err)) &&
	    !(before = find_affected(&inc, a, n, code, err)))
		rc = FK_ENOTFOUND;
	if (!rc) {
		struct fk_affected after = *before;
		if (p->notice != FK_UNSET) {
			after.notice = p->notice;
			if (p->notice == FK_NOTICE_SENT && p->notice_at == FK_TIME_NONE)
				after.notice_at = c->now;
		}
		if (p->notice_at != FK_TIME_NONE)
			after.notice_at = p->notice_at;
		if (p->channel)
			after.notice_channel = (char *)(uintptr_t)p->channel;
		if (p->offered >= 0)
			after.offered = p->offered;
		if (p->paid >= 0)
			after.paid = p->paid;
		if (after.paid >= 0 && after.offered >= 0 && after.paid > after.offered)
			rc = FK_ERR0(err, FK_EINVAL, "--paid", "more paid than offered",
			             "支払額が提示額を超えています");
		else
			rc = fk_store_affected_update(c->st, inc.id, before, &after, err);
	}
	FK_FREE_ARRAY(a, n, fk_affected_release);
	rc = fk_core_finish(c, rc, err);
	fk_incident_release(&inc);
	return rc;
}

enum fk_code fk_affected_contact(struct fk_ctx *c, const char *id, const char *code, bool complaint,
                                 const char *text, int64_t at, struct fk_err *err)
{
	struct fk_incident inc;
	struct fk_affected *a = NULL;
	size_t n = 0;
	enum fk_code rc = fk_core_check_text(text, "text", FK_TEXT_MAX, true, err);
	if (!rc && !text)
		rc = FK_ERR0(err, FK_EUSAGE, "--complaint", "give --complaint TEXT or --reply TEXT",
		             "--complaint または --reply で内容を指定してください");
	if (rc || (rc = fk_core_begin_open(c, id, &inc, err)))
		return rc;
	const struct fk_affected *found = NULL;
	if (!(rc = fk_store_affected(c->st, inc.id, &a, &n, err)) &&
	    !(found = find_affected(&inc, a, n, code, err)))
		rc = FK_ENOTFOUND;
	if (!rc)
		rc = fk_store_affected_contact(c->st, inc.id, found->no, complaint, text,
		                               at == FK_TIME_NONE ? c->now : at, err);
	FK_FREE_ARRAY(a, n, fk_affected_release);
	rc = fk_core_finish(c, rc, err);
	fk_incident_release(&inc);
	return rc;
}

/* ---- communications -------------------------------------------------------------------- */

enum fk_code fk_comm_add(struct fk_ctx *c, const char *id, struct fk_comm *m, const char *text,
                         struct fk_err *err)
{
	struct fk_incident inc;
	char sha[65];
	enum fk_code rc = fk_core_check_line(m->title, "--title", true, err);
	if (!rc)
		rc = fk_core_check_text(text, "--file", 1 << 20, true, err);
	if (!rc && (!m->title || !text || m->audience < 0 || m->audience >= FK_AUD_COUNT))
		rc = FK_ERR0(err, FK_EUSAGE,
		             !m->title ? "--title"
		             : !text   ? "--file"
		                       : "--audience",
		             "give --audience, --title and --file (the text)",
		             "--audience, --title, --file (本文) を指定してください");
	if (rc || (rc = fk_core_begin_open(c, id, &inc, err)))
		return rc;
	fk_sha256_hex(text, strlen(text), sha);
	if (!(rc = fk_store_comm_insert(c->st, inc.id, m, err)))
		rc = fk_store_comm_version(c->st, m->id, 1, text, sha, err);
	rc = fk_core_finish(c, rc, err);
	fk_incident_release(&inc);
	return rc;
}

/* Loads the incident (open) and its statement "C2" in a new transaction. */
static enum fk_code begin_comm(struct fk_ctx *c, const char *id, const char *code,
                               struct fk_incident *inc, struct fk_comm **all, size_t *n,
                               struct fk_comm **m, struct fk_err *err)
{
	enum fk_code rc = fk_core_begin_open(c, id, inc, err);
	if (rc)
		return rc;
	*all = NULL;
	*n = 0;
	*m = NULL;
	int64_t want = fk_ident_no(code, 'C');
	if (!(rc = fk_store_comms(c->st, inc->id, all, n, err))) {
		for (size_t i = 0; i < *n && !*m; i++)
			if ((*all)[i].no == want)
				*m = &(*all)[i];
		if (!*m)
			rc = FK_ERR(err, FK_ENOTFOUND, "communication",
			            "%s has no statement '%.20s'", "%s に文書 '%.20s' はありません",
			            inc->ref, code);
	}
	if (rc) {
		FK_FREE_ARRAY(*all, *n, fk_comm_release);
		fk_store_rollback(c->st);
		fk_incident_release(inc);
	}
	return rc;
}

static enum fk_code end_comm(struct fk_ctx *c, enum fk_code rc, struct fk_incident *inc,
                             struct fk_comm *all, size_t n, struct fk_err *err)
{
	FK_FREE_ARRAY(all, n, fk_comm_release);
	rc = fk_core_finish(c, rc, err);
	fk_incident_release(inc);
	return rc;
}

static enum fk_code sent_is_final(const struct fk_comm *m, struct fk_err *err)
{
	return m->state == FK_COMM_SENT
	           ? FK_ERR(
	                 err, FK_EREFUSED, "state",
	                 "C%d was sent: what was sent stays as it was (add a new statement)",
	                 "C%d は送付済みです: 送付した内容は変更できません (新しい文書を追加してく"
	                 "ださい)",
	                 m->no)
	           : FK_OK;
}

enum fk_code fk_comm_edit(struct fk_ctx *c, const char *id, const char *code, const char *text,
                          struct fk_err *err)
{
	struct fk_incident inc;
	struct fk_comm *all, *m;
	size_t n;
	char sha[65];
	enum fk_code rc = fk_core_check_text(text, "--file", 1 << 20, true, err);
	if (!rc && !text)
		rc = FK_ERR0(err, FK_EUSAGE, "--file", "give --file: the new text",
		             "--file (新しい本文) を指定してください");
	if (rc || (rc = begin_comm(c, id, code, &inc, &all, &n, &m, err)))
		return rc;
	if (!(rc = sent_is_final(m, err))) {
		struct fk_comm after = *m;
		after.version = m->version + 1;
		after.state = FK_COMM_DRAFT; /* an approved text changed needs approving again */
		fk_sha256_hex(text, strlen(text), sha);
		if (!(rc = fk_store_comm_version(c->st, m->id, after.version, text, sha, err)))
			rc = fk_store_comm_update(c->st, inc.id, m, &after, err);
	}
	return end_comm(c, rc, &inc, all, n, err);
}

enum fk_code fk_comm_approve(struct fk_ctx *c, const char *id, const char *code, struct fk_err *err)
{
	struct fk_incident inc;
	struct fk_comm *all, *m;
	size_t n;
	struct fk_buf names = FK_BUF_INIT;
	bool ok = false;
	enum fk_code rc = begin_comm(c, id, code, &inc, &all, &n, &m, err);
	if (rc)
		return rc;
	if (!(rc = sent_is_final(m, err)) && m->state == FK_COMM_APPROVED)
		rc = FK_ERR(err, FK_EREFUSED, "state", "C%d v%lld is already approved",
		            "C%d v%lld は承認済みです", m->no, (long long)m->version);
	if (!rc && !(rc = fk_core_is_approver(c, inc.id, c->actor, &ok, &names, err)) && !ok)
		rc = FK_ERR(
		    err, FK_EREFUSED, "--as",
		    "'%s' is not an approver of %s (approvers: %s): statements to the outside "
		    "are approved by one of them",
		    "'%s' は %s の承認者ではありません (承認者: %s): 社外への文書は承認者が承認"
		    "します",
		    c->actor, inc.ref, names.len ? names.ptr : "-");
	char *text = NULL, *sha = NULL;
	/* a document drafted from a template may still show placeholders for missing data
	 * (fukkyu doc render): it cannot be approved like that */
	if (!rc && !(rc = fk_store_comm_text(c->st, m->id, m->version, &text, &sha, err)) && text &&
	    (strstr(text, "［未記入: ") || strstr(text, "[MISSING: ")))
		rc = FK_ERR(
		    err, FK_EREFUSED, "text",
		    "C%d v%lld still shows missing data ([MISSING: ...] / ［未記入: ...］): "
		    "fill it in and edit the text first",
		    "C%d v%lld には未記入のデータ (［未記入: ...］ / [MISSING: ...]) が残って"
		    "います: 記入して本文を更新してから承認してください",
		    m->no, (long long)m->version);
	free(text);
	free(sha);
	if (!rc) {
		struct fk_comm after = *m;
		after.state = FK_COMM_APPROVED;
		after.approved_version = m->version;
		after.approved_by = (char *)(uintptr_t)c->actor;
		after.approved_at = c->now;
		rc = fk_store_comm_update(c->st, inc.id, m, &after, err);
	}
	fk_buf_release(&names);
	return end_comm(c, rc, &inc, all, n, err);
}

enum fk_code fk_comm_send(struct fk_ctx *c, const char *id, const char *code, const char *channel,
                          int64_t at, struct fk_err *err)
{
	struct fk_incident inc;
	struct fk_comm *all, *m;
	size_t n;
	enum fk_code rc = fk_core_check_line(channel, "--channel", true, err);
	if (!rc && !channel)
		rc = FK_ERR0(err, FK_EUSAGE, "--channel",
		             "give --channel: how it was sent or published",
		             "--channel (送付・公表の手段) を指定してください");
	if (!rc && at != FK_TIME_NONE && at > c->now + 300)
		rc = FK_ERR0(err, FK_EINVAL, "--at", "--at is in the future: when was it sent?",
		             "--at が未来です: 送付した日時を指定してください");
	if (rc || (rc = begin_comm(c, id, code, &inc, &all, &n, &m, err)))
		return rc;
	if (!(rc = sent_is_final(m, err)) && m->state != FK_COMM_APPROVED)
		rc = FK_ERR(err, FK_EREFUSED, "state",
		            "C%d v%lld is not approved: only an approved statement is sent",
		            "C%d v%lld は未承認です: 承認済みの文書だけを送付します", m->no,
		            (long long)m->version);
	if (!rc) {
		struct fk_comm after = *m;
		after.state = FK_COMM_SENT;
		after.sent_at = at == FK_TIME_NONE ? c->now : at;
		after.sent_by = (char *)(uintptr_t)c->actor;
		after.channel = (char *)(uintptr_t)channel;
		rc = fk_store_comm_update(c->st, inc.id, m, &after, err);
	}
	return end_comm(c, rc, &inc, all, n, err);
}
