/*
 * clocks.c - legal and promised clocks: the holiday table, the rules, each incident's
 * deadlines, decisions on them, and the reporter (fukkyu/clocks.h).
 */
#include "fukkyu/common.h"
#include "util/ident.h"
#include "fukkyu/clocks.h"
#include "core_int.h"
#include "store/store.h"
#include "util/embed.h"
#include "util/hash.h"
#include "util/time.h"

#include <pthread.h>

const struct fk_enum fk_triggers[FK_TRIG_COUNT] = {
    {"appi", "APPI rule 7 cases (personal data)", "個人情報保護法 施行規則7条の事態"},
    {"gdpr", "EU data subjects (GDPR)", "EU のデータ主体 (GDPR)"},
    {"reporter", "an outside reporter", "外部からの通報"},
    {"recovery-deadline", "the recovery plan's deadline", "復旧計画の期限"},
    {"monitoring-end", "the end of heightened monitoring", "監視強化期間の終了"},
    {"always", "every incident", "すべてのインシデント"},
};

const struct fk_enum fk_clock_states[FK_CLOCK_STATE_COUNT] = {
    {"open", "open", "未対応"},
    {"to-decide", "to decide: is it required?", "要否の判断待ち"},
    {"submitted", "submitted", "提出済み"},
    {"not-required", "not required", "不要と判断"},
    {"done", "done", "対応済み"},
};

const struct fk_enum fk_channels[FK_CH_COUNT] = {
    {"email", "e-mail", "メール"},
    {"web", "web form", "Web フォーム"},
    {"phone", "phone", "電話"},
    {"other", "other", "その他"},
};

void fk_obligation_release(struct fk_obligation *o)
{
	free(o->key), free(o->title_ja), free(o->title_en);
	free(o->rule), free(o->owner_role), free(o->source);
	memset(o, 0, sizeof *o);
}

void fk_deadline_state_release(struct fk_deadline_state *s)
{
	free(s->key), free(s->decided_by), free(s->reason), free(s->copy_sha256);
	memset(s, 0, sizeof *s);
}

void fk_deadline_release(struct fk_deadline *d)
{
	free(d->ref), free(d->key), free(d->title_ja), free(d->title_en);
	free(d->owner_role), free(d->source);
	free(d->decided_by), free(d->reason), free(d->copy_sha256);
	memset(d, 0, sizeof *d);
}

void fk_reporter_release(struct fk_reporter *r)
{
	free(r->name), free(r->contact), free(r->note), free(r->created_by);
	memset(r, 0, sizeof *r);
}

void fk_contact_release(struct fk_contact *k)
{
	free(k->summary), free(k->created_by);
	memset(k, 0, sizeof *k);
}

/* ---- the holiday table ----------------------------------------------------------------- */

static int64_t *holidays; /* days since 1970-01-01, ascending */
static size_t n_holidays;
static pthread_once_t holidays_once = PTHREAD_ONCE_INIT;

static void holidays_load(void)
{
	const struct fk_embedded *f = fk_embedded_find("data/holidays-jp.csv");
	const char *p = f ? strchr(f->data, '\n') : NULL; /* after the header */
	size_t cap = 0;
	while (p && *++p) {
		unsigned y, m, d;
		if (sscanf(p, "%4u-%2u-%2u,", &y, &m, &d) == 3) {
			if (n_holidays == cap)
				holidays = fk_xrealloc(holidays, (cap = cap ? 2 * cap : 256) *
				                                     sizeof *holidays);
			holidays[n_holidays++] = fk_days_from_civil(y, m, d);
		}
		p = strchr(p, '\n');
	}
}

bool fk_jp_holiday(int64_t day)
{
	pthread_once(&holidays_once, holidays_load);
	size_t lo = 0, hi = n_holidays;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (holidays[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n_holidays && holidays[lo] == day;
}

bool fk_business_day(int64_t day)
{
	int64_t wd = ((day % 7) + 11) % 7; /* 1970-01-01 was a Thursday: 0 = Sunday */
	return wd != 0 && wd != 6 && !fk_jp_holiday(day);
}

/* ---- rules ----------------------------------------------------------------------------- */

static int64_t local_day(int64_t t)
{
	int64_t s = t + fk_tz_offset(FK_CLOCK_ZONE, t);
	return s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
}

static int64_t end_of_day(int64_t day)
{
	int64_t t = day * 86400 + 86399;
	return t - fk_tz_offset(FK_CLOCK_ZONE, t);
}

/* A whole number from text at *p (advanced past it), 1..limit; -1 when there is none. */
static long number(const char **p, long limit)
{
	if (**p < '0' || **p > '9')
		return -1;
	char *end;
	long v = strtol(*p, &end, 10);
	*p = end;
	return v >= 1 && v <= limit ? v : -1;
}

enum fk_code fk_rule_due(const char *rule, int64_t start, bool unlawful, int64_t *due,
                         int64_t *window_start, bool *guide, struct fk_err *err)
{
	const char *p;
	long a = -1, b = -1;
	*window_start = FK_TIME_NONE;
	*guide = false;
	if (!strcmp(rule, "at")) {
		*due = start;
		return FK_OK;
	}
	if (!strncmp(rule, "hours:", 6) && (p = rule + 6, a = number(&p, 24 * 366)) > 0 && !*p) {
		*due = start + a * 3600;
		return FK_OK;
	}
	if (!strncmp(rule, "days:", 5) && (p = rule + 5, a = number(&p, 366)) > 0 &&
	    (!*p || (!strncmp(p, "/unlawful:", 10) && (p += 10, b = number(&p, 366)) > 0 && !*p))) {
		*due = end_of_day(local_day(start) + (unlawful && b > 0 ? b : a));
		return FK_OK;
	}
	if (!strncmp(rule, "promptly:", 9) && (p = rule + 9, a = number(&p, 366)) > 0 && !*p) {
		*due = end_of_day(local_day(start) + a);
		*guide = true;
		return FK_OK;
	}
	if (!strncmp(rule, "window:", 7) && (p = rule + 7, a = number(&p, 366)) > 0 && *p == '-' &&
	    (p++, b = number(&p, 366)) >= a && !*p) {
		*window_start = end_of_day(local_day(start) + a - 1) + 1; /* the start of day a */
		*due = end_of_day(local_day(start) + b);
		*guide = true;
		return FK_OK;
	}
	if (!strncmp(rule, "business-days:", 14) && (p = rule + 14, a = number(&p, 60)) > 0 &&
	    !*p) {
		int64_t day = local_day(start);
		for (long k = 0; k < a;)
			if (fk_business_day(++day))
				k++;
		*due = end_of_day(day);
		return FK_OK;
	}
	return FK_ERR(err, FK_EINVAL, "rule",
	              "rule '%.60s': expected hours:N, days:N, days:N/unlawful:M, window:A-B, "
	              "promptly:N, business-days:N or at",
	              "rule '%.60s': hours:N, days:N, days:N/unlawful:M, window:A-B, promptly:N, "
	              "business-days:N, at のいずれかで指定してください",
	              rule);
}

/* ---- deadlines ------------------------------------------------------------------------- */

/* APPI rule 7: required (1), possibly required while facts are unknown (0), or not (-1). */
static int appi_applies(const struct fk_incident *inc)
{
	if (inc->pii_sensitive || inc->pii_financial == 1 || inc->pii_unlawful == 1 ||
	    inc->pii_count > 1000)
		return 1;
	if (!inc->pii)
		return -1;
	return inc->pii_count < 0 || inc->pii_financial < 0 || inc->pii_unlawful < 0 ? 0 : -1;
}

static char *dup0(const char *s)
{
	return s ? fk_xstrdup(s) : NULL;
}

enum fk_code fk_deadlines_of(const struct fk_incident *inc, const struct fk_clock_facts *facts,
                             const struct fk_obligation *ob, size_t nob,
                             const struct fk_deadline_state *st, size_t nst, int64_t now,
                             struct fk_deadline **out, size_t *n, struct fk_err *err)
{
	for (size_t i = 0; i < nob; i++) {
		const struct fk_obligation *o = &ob[i];
		int64_t start = inc->discovered_at;
		int state = FK_CLOCK_OPEN;
		switch (o->trigger) {
		case FK_TRIG_APPI: {
			int a = appi_applies(inc);
			if (a < 0)
				continue;
			state = a ? FK_CLOCK_OPEN : FK_CLOCK_TO_DECIDE;
			break;
		}
		case FK_TRIG_GDPR:
			if (inc->pii_eu != 1)
				continue;
			break;
		case FK_TRIG_REPORTER:
			if ((start = facts->reported_at) == FK_TIME_NONE)
				continue;
			if (facts->answered_at != FK_TIME_NONE)
				state = FK_CLOCK_DONE;
			break;
		case FK_TRIG_RECOVERY: /* met by the plan's completion report */
			if ((start = inc->recovery_deadline) == FK_TIME_NONE)
				continue;
			if (facts->completed_at != FK_TIME_NONE)
				state = FK_CLOCK_DONE;
			break;
		case FK_TRIG_MONITORING: /* over when the incident is closed */
			if ((start = inc->monitoring_end) == FK_TIME_NONE)
				continue;
			if (inc->state == FK_STATE_CLOSED)
				state = FK_CLOCK_DONE;
			break;
		default:
			break;
		}
		if (start == FK_TIME_NONE)
			continue;
		struct fk_deadline d = {.incident = inc->id,
		                        .trigger = o->trigger,
		                        .trigger_at = start,
		                        .state = state,
		                        .decided_at = FK_TIME_NONE};
		enum fk_code rc = fk_rule_due(o->rule, start, inc->pii_unlawful == 1, &d.due_at,
		                              &d.window_start, &d.guide, err);
		if (rc)
			return rc;
		if (state == FK_CLOCK_DONE)
			d.decided_at = o->trigger == FK_TRIG_REPORTER   ? facts->answered_at
			               : o->trigger == FK_TRIG_RECOVERY ? facts->completed_at
			                                                : inc->updated_at;
		for (size_t k = 0; k < nst; k++)
			if (st[k].incident == inc->id && !strcmp(st[k].key, o->key)) {
				d.state = st[k].state;
				d.decided_at = st[k].at;
				d.decided_by = dup0(st[k].decided_by);
				d.reason = dup0(st[k].reason);
				d.copy_sha256 = dup0(st[k].copy_sha256);
			}
		d.overdue =
		    (d.state == FK_CLOCK_OPEN || d.state == FK_CLOCK_TO_DECIDE) && now > d.due_at;
		d.ref = dup0(inc->ref);
		d.key = dup0(o->key);
		d.title_ja = dup0(o->title_ja);
		d.title_en = dup0(o->title_en);
		d.owner_role = dup0(o->owner_role);
		d.source = dup0(o->source);
		*out = fk_xrealloc(*out, (*n + 1) * sizeof **out);
		(*out)[(*n)++] = d;
	}
	return FK_OK;
}

static int rank(const struct fk_deadline *d)
{
	return d->overdue ? 0 : d->state == FK_CLOCK_OPEN || d->state == FK_CLOCK_TO_DECIDE ? 1 : 2;
}

static int deadline_cmp(const void *pa, const void *pb)
{
	const struct fk_deadline *a = pa, *b = pb;
	int ra = rank(a), rb = rank(b);
	if (ra != rb)
		return ra - rb;
	if (a->due_at != b->due_at)
		return a->due_at < b->due_at ? -1 : 1;
	return a->incident != b->incident ? (a->incident < b->incident ? -1 : 1)
	                                  : strcmp(a->key, b->key);
}

void fk_deadlines_sort(struct fk_deadline *d, size_t n)
{
	if (n)
		qsort(d, n, sizeof *d, deadline_cmp);
}

/* The facts of incident among all (ordered by incident), or none. */
static struct fk_clock_facts facts_for(const struct fk_clock_facts *facts, size_t nf,
                                       int64_t incident)
{
	for (size_t lo = 0, hi = nf; lo < hi;) {
		size_t mid = (lo + hi) / 2;
		if (facts[mid].incident == incident)
			return facts[mid];
		if (facts[mid].incident < incident)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (struct fk_clock_facts){incident, FK_TIME_NONE, FK_TIME_NONE, FK_TIME_NONE};
}

enum fk_code fk_deadlines_list(struct fk_ctx *c, const char *id, struct fk_deadline **out,
                               size_t *n, struct fk_err *err)
{
	struct fk_incident *inc = NULL;
	struct fk_obligation *ob = NULL;
	struct fk_deadline_state *st = NULL;
	size_t ninc = 0, nob = 0, nst = 0;
	*out = NULL;
	*n = 0;
	enum fk_code rc;
	if (id) {
		inc = fk_xcalloc(1, sizeof *inc);
		if ((rc = fk_store_incident_find(c->st, id, inc, err))) {
			free(inc);
			return rc;
		}
		ninc = 1;
	} else if ((rc = fk_store_incident_list(c->st, false, &inc, &ninc, err))) {
		return rc;
	}
	struct fk_clock_facts *facts = NULL;
	size_t nf = 0;
	if (!(rc = fk_store_obligations(c->st, &ob, &nob, err)))
		rc = fk_store_deadline_states(c->st, id ? inc[0].id : 0, &st, &nst, err);
	if (!rc)
		rc = fk_store_clock_facts_all(c->st, &facts, &nf, err);
	for (size_t i = 0; !rc && i < ninc; i++) {
		struct fk_clock_facts f = facts_for(facts, nf, inc[i].id);
		rc = fk_deadlines_of(&inc[i], &f, ob, nob, st, nst, c->now, out, n, err);
	}
	free(facts);
	FK_FREE_ARRAY(inc, ninc, fk_incident_release);
	FK_FREE_ARRAY(ob, nob, fk_obligation_release);
	FK_FREE_ARRAY(st, nst, fk_deadline_state_release);
	if (rc) {
		FK_FREE_ARRAY(*out, *n, fk_deadline_release);
		*out = NULL;
		*n = 0;
		return rc;
	}
	fk_deadlines_sort(*out, *n);
	return FK_OK;
}

enum fk_code fk_board_clocks(struct fk_ctx *c, struct fk_board *b, struct fk_err *err)
{
	struct fk_obligation *ob = NULL;
	struct fk_deadline_state *st = NULL;
	struct fk_clock_facts *facts = NULL;
	size_t nob = 0, nst = 0, nf = 0;
	enum fk_code rc = fk_store_obligations(c->st, &ob, &nob, err);
	if (!rc)
		rc = fk_store_deadline_states(c->st, 0, &st, &nst, err);
	if (!rc)
		rc = fk_store_clock_facts_all(c->st, &facts, &nf, err);
	for (size_t i = 0; !rc && i < b->n; i++) {
		struct fk_board_row *r = &b->rows[i];
		struct fk_clock_facts f = facts_for(facts, nf, r->inc.id);
		/* the states of this incident: a run in the sorted list */
		size_t s0 = 0;
		for (size_t hi = nst; s0 < hi;) {
			size_t mid = (s0 + hi) / 2;
			if (st[mid].incident < r->inc.id)
				s0 = mid + 1;
			else
				hi = mid;
		}
		size_t s1 = s0;
		while (s1 < nst && st[s1].incident == r->inc.id)
			s1++;
		struct fk_deadline *d = NULL;
		size_t n = 0;
		r->clock_due = FK_TIME_NONE;
		rc = fk_deadlines_of(&r->inc, &f, ob, nob, st + s0, s1 - s0, c->now, &d, &n, err);
		for (size_t k = 0; !rc && k < n; k++) {
			if (d[k].state != FK_CLOCK_OPEN && d[k].state != FK_CLOCK_TO_DECIDE)
				continue;
			r->clocks_overdue += d[k].overdue;
			if (r->clock_due == FK_TIME_NONE || d[k].due_at < r->clock_due) {
				r->clock_due = d[k].due_at;
				snprintf(r->clock_key, sizeof r->clock_key, "%s", d[k].key);
			}
		}
		FK_FREE_ARRAY(d, n, fk_deadline_release);
	}
	FK_FREE_ARRAY(ob, nob, fk_obligation_release);
	FK_FREE_ARRAY(st, nst, fk_deadline_state_release);
	free(facts);
	return rc;
}

/* Checks that key names an obligation that applies to the incident and is still undecided
 * (inside the caller's transaction): a submission's frozen copy is never overwritten. */
static enum fk_code applies(struct fk_ctx *c, const struct fk_incident *inc, const char *key,
                            struct fk_err *err)
{
	struct fk_deadline_state *ds = NULL;
	size_t nds = 0;
	enum fk_code src = fk_store_deadline_states(c->st, inc->id, &ds, &nds, err);
	for (size_t i = 0; !src && i < nds; i++)
		if (!strcmp(ds[i].key, key))
			src = FK_ERR(
			    err, FK_EREFUSED, "key",
			    "%s %s was already decided (%s by %s): a decision and the copy sent "
			    "stay as they were",
			    "%s の %s はすでに判断済みです (%s、%s): 判断と送付した写しは変更"
			    "できません",
			    inc->ref, key, fk_clock_states[ds[i].state].key,
			    ds[i].decided_by ? ds[i].decided_by : "-");
	FK_FREE_ARRAY(ds, nds, fk_deadline_state_release);
	if (src)
		return src;
	struct fk_deadline *d = NULL;
	struct fk_obligation *ob = NULL;
	size_t n = 0, nob = 0;
	struct fk_clock_facts f;
	bool found = false, known = false;
	enum fk_code rc = fk_store_obligations(c->st, &ob, &nob, err);
	for (size_t i = 0; !rc && i < nob; i++)
		known |= !strcmp(ob[i].key, key);
	if (!rc && !(rc = fk_store_clock_facts(c->st, inc->id, &f, err)))
		rc = fk_deadlines_of(inc, &f, ob, nob, NULL, 0, c->now, &d, &n, err);
	for (size_t i = 0; !rc && i < n; i++)
		found |= !strcmp(d[i].key, key);
	FK_FREE_ARRAY(d, n, fk_deadline_release);
	FK_FREE_ARRAY(ob, nob, fk_obligation_release);
	if (!rc && !known)
		rc = FK_ERR(
		    err, FK_ENOTFOUND, "key",
		    "no clock '%.60s': see 'fukkyu obligation list' for the keys",
		    "期限 '%.60s' はありません: 'fukkyu obligation list' で確認してください", key);
	else if (!rc && !found)
		rc = FK_ERR(
		    err, FK_EREFUSED, "key",
		    "%s has no clock '%s' running (its trigger does not apply: see 'fukkyu "
		    "deadlines %s')",
		    "%s の期限 '%s' は発生していません (条件に当たりません: 'fukkyu deadlines "
		    "%s' で確認してください)",
		    inc->ref, key, inc->ref);
	return rc;
}

static enum fk_code decide(struct fk_ctx *c, const char *id, const char *key, int state, int64_t at,
                           const char *reason, const char *copy, struct fk_err *err)
{
	struct fk_incident inc;
	char sha[65];
	if (copy)
		fk_sha256_hex(copy, strlen(copy), sha);
	enum fk_code rc = fk_core_begin_open(c, id, &inc, err);
	if (rc)
		return rc;
	if (!(rc = applies(c, &inc, key, err)))
		rc = fk_store_deadline_set(c->st, inc.id, key, state, at, reason, copy,
		                           copy ? sha : NULL, err);
	rc = fk_core_finish(c, rc, err);
	fk_incident_release(&inc);
	return rc;
}

enum fk_code fk_deadline_submit(struct fk_ctx *c, const char *id, const char *key, const char *copy,
                                int64_t at, struct fk_err *err)
{
	enum fk_code rc = fk_core_check_text(copy, "copy", 1 << 20, true, err);
	if (!rc && !copy)
		rc = FK_ERR0(
		    err, FK_EUSAGE, "--file",
		    "give what was sent (--file): it is kept as a frozen copy",
		    "送付した内容を --file で指定してください (提出時の写しとして保存します)");
	if (!rc && at != FK_TIME_NONE && at > c->now + 300)
		rc = FK_ERR0(err, FK_EINVAL, "--at", "--at is in the future: when was it sent?",
		             "--at が未来です: 送付した日時を指定してください");
	return rc ? rc
	          : decide(c, id, key, FK_CLOCK_SUBMITTED, at == FK_TIME_NONE ? c->now : at, NULL,
	                   copy, err);
}

enum fk_code fk_deadline_waive(struct fk_ctx *c, const char *id, const char *key,
                               const char *reason, struct fk_err *err)
{
	enum fk_code rc = fk_core_check_text(reason, "--reason", FK_TEXT_MAX, true, err);
	if (!rc && !reason)
		rc = FK_ERR0(
		    err, FK_EUSAGE, "--reason",
		    "say why it is not required (--reason): the decision is kept with who "
		    "made it",
		    "不要と判断した理由を --reason で指定してください (判断者とともに記録します)");
	return rc ? rc : decide(c, id, key, FK_CLOCK_NOT_REQUIRED, c->now, reason, NULL, err);
}

enum fk_code fk_obligation_add(struct fk_ctx *c, const struct fk_obligation *o, struct fk_err *err)
{
	int64_t due, ws;
	bool guide;
	const char *k = o->key ? o->key : "";
	bool key_ok = *k && strlen(k) <= 40;
	for (const char *p = k; *p; p++)
		key_ok &=
		    (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || (*p == '-' && p > k);
	if (!key_ok)
		return FK_ERR(err, FK_EUSAGE, "key",
		              "obligation key '%.60s': expected 1-40 of a-z, 0-9 and '-' (e.g. "
		              "sla-customer-a)",
		              "義務のキー '%.60s': a-z, 0-9, '-' の 1〜40 文字で指定してください "
		              "(例 sla-customer-a)",
		              k);
	if (o->trigger < 0 || o->trigger >= FK_TRIG_COUNT)
		return FK_ERR0(
		    err, FK_EUSAGE, "--trigger",
		    "--trigger: expected appi, gdpr, reporter, recovery-deadline, "
		    "monitoring-end or always",
		    "--trigger: appi, gdpr, reporter, recovery-deadline, monitoring-end, "
		    "always のいずれかが必要です");
	enum fk_code rc = fk_core_check_line(o->title_ja, "--title-ja", true, err);
	if (!rc)
		rc = fk_core_check_line(o->title_en, "--title-en", true, err);
	if (!rc)
		rc = fk_core_check_line(o->source, "--source", false, err);
	if (!rc && (!o->title_ja || !o->title_en))
		rc = FK_ERR0(err, FK_EUSAGE, "--title-ja", "give --title-ja and --title-en",
		             "--title-ja と --title-en を指定してください");
	if (!rc && o->owner_role)
		rc = fk_enum_parse(fk_roles, FK_ROLE_COUNT, o->owner_role, "--owner-role",
		                   &(int){0}, err);
	if (!rc)
		rc = fk_rule_due(o->rule ? o->rule : "", 0, false, &due, &ws, &guide, err);
	if (rc || (rc = fk_store_begin(c->st, c->actor, c->now, err)))
		return rc;
	rc = fk_store_obligation_insert(c->st, o, err);
	return fk_core_finish(c, rc, err);
}

enum fk_code fk_obligation_set_rule(struct fk_ctx *c, const char *key, const char *rule,
                                    struct fk_err *err)
{
	int64_t due, ws;
	bool guide;
	struct fk_obligation *o = NULL;
	size_t n = 0;
	enum fk_code rc = fk_rule_due(rule ? rule : "", 0, false, &due, &ws, &guide, err);
	if (rc || (rc = fk_store_begin(c->st, c->actor, c->now, err)))
		return rc;
	const struct fk_obligation *found = NULL;
	if (!(rc = fk_store_obligations(c->st, &o, &n, err))) {
		for (size_t i = 0; i < n && !found; i++)
			if (!strcmp(o[i].key, key))
				found = &o[i];
		rc = found ? fk_store_obligation_rule(c->st, found, rule, err)
		           : FK_ERR(err, FK_ENOTFOUND, "key",
		                    "no obligation '%.60s': see 'fukkyu obligation list'",
		                    "義務 '%.60s' はありません: 'fukkyu obligation list' "
		                    "で確認してください",
		                    key);
	}
	FK_FREE_ARRAY(o, n, fk_obligation_release);
	return fk_core_finish(c, rc, err);
}

char *fk_obligation_rule(struct fk_ctx *c, const char *key, const char *def)
{
	struct fk_obligation *o = NULL;
	size_t n = 0;
	char *rule = NULL;
	if (!fk_store_obligations(c->st, &o, &n, NULL))
		for (size_t i = 0; i < n && !rule; i++)
			if (!strcmp(o[i].key, key))
				rule = fk_xstrdup(o[i].rule);
	FK_FREE_ARRAY(o, n, fk_obligation_release);
	return rule ? rule : fk_xstrdup(def);
}

/* ---- the reporter ---------------------------------------------------------------------- */

enum fk_code fk_reporter_add(struct fk_ctx *c, const char *id, struct fk_reporter *r,
                             struct fk_err *err)
{
	struct fk_incident inc;
	enum fk_code rc = fk_core_check_line(r->name, "--name", true, err);
	if (!rc)
		rc = fk_core_check_line(r->contact, "--contact", false, err);
	if (!rc)
		rc = fk_core_check_text(r->note, "--note", FK_TEXT_MAX, false, err);
	if (!rc && (!r->name || r->channel < 0 || r->channel >= FK_CH_COUNT))
		rc = FK_ERR0(err, FK_EUSAGE, r->name ? "--channel" : "--name",
		             "give --name and --channel (email, web, phone, other)",
		             "--name と --channel (email, web, phone, other) を指定してください");
	if (!rc && r->at > c->now + 300)
		rc = FK_ERR0(err, FK_EINVAL, "--at",
		             "--at is in the future: when did the report come?",
		             "--at が未来です: 通報を受けた日時を指定してください");
	if (rc || (rc = fk_core_begin_open(c, id, &inc, err)))
		return rc;
	rc = fk_store_reporter_insert(c->st, inc.id, r, err);
	rc = fk_core_finish(c, rc, err);
	fk_incident_release(&inc);
	return rc;
}

enum fk_code fk_reporter_contact(struct fk_ctx *c, const char *id, const char *reporter,
                                 struct fk_contact *k, struct fk_err *err)
{
	struct fk_incident inc;
	struct fk_reporter *r = NULL;
	size_t n = 0;
	enum fk_code rc = fk_core_check_text(k->summary, "--summary", FK_TEXT_MAX, true, err);
	if (!rc && !k->summary)
		rc = FK_ERR0(err, FK_EUSAGE, "--summary", "give --summary: what was said",
		             "--summary (やりとりの内容) を指定してください");
	if (!rc && (k->channel < 0 || k->channel >= FK_CH_COUNT))
		rc = FK_ERR0(err, FK_EUSAGE, "--channel",
		             "--channel: expected email, web, phone or other",
		             "--channel: email, web, phone, other のいずれかが必要です");
	if (!rc && k->at > c->now + 300)
		rc = FK_ERR0(err, FK_EINVAL, "--at", "--at is in the future",
		             "--at が未来の日時です");
	if (rc || (rc = fk_core_begin_open(c, id, &inc, err)))
		return rc;
	int64_t want = fk_ident_no(reporter, 'R');
	const struct fk_reporter *found = NULL;
	if (!(rc = fk_store_reporters(c->st, inc.id, &r, &n, err))) {
		for (size_t i = 0; i < n && !found && want; i++)
			if (want == r[i].no)
				found = &r[i];
		if (!found)
			rc = FK_ERR(
			    err, FK_ENOTFOUND, "reporter",
			    "%s has no reporter '%.20s': see 'fukkyu reporter list %s'",
			    "%s に通報者 '%.20s' はありません: 'fukkyu reporter list %s' で確認"
			    "してください",
			    inc.ref, reporter, inc.ref);
		else if (k->at < found->at)
			rc = FK_ERR0(err, FK_EINVAL, "--at", "the contact is before the report",
			             "やりとりの日時が通報より前です");
		else
			rc = fk_store_contact_insert(c->st, inc.id, found, k, err);
	}
	FK_FREE_ARRAY(r, n, fk_reporter_release);
	rc = fk_core_finish(c, rc, err);
	fk_incident_release(&inc);
	return rc;
}
