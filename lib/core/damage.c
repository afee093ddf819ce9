/*
 * damage.c - the damage and cost ledger: entries by category, splits between parties, the
 * outage calculator over the timeline, and the summary (damage.h).
 */
#include "fukkyu/common.h"
#include "util/ident.h"
#include "fukkyu/damage.h"
#include "core_int.h"
#include "store/store.h"
#include "util/time.h"
#include "util/utf8.h"

const struct fk_enum fk_damage_categories[FK_DMG_COUNT] = {
    {"money", "money lost", "金銭的被害"},
    {"equipment", "buildings and equipment", "建物・設備の被害"},
    {"injury", "injury", "人的被害"},
    {"opportunity-loss", "opportunity loss", "機会損失"},
    {"reputation", "share price and reputation", "株価・信用の低下"},
    {"disruption", "disruption of business", "業務の混乱"},
    {"response", "response cost", "対応費用"},
    {"restoration", "restoration cost", "復旧費用"},
    {"compensation", "compensation", "補償費用"},
    {"prevention", "prevention cost", "再発防止費用"},
};
const char *const fk_damage_group_keys[FK_DMG_GROUP_COUNT] = {"direct", "indirect", "costs"};

enum fk_damage_group fk_damage_group_of(int category)
{
	return category <= FK_DMG_INJURY       ? FK_DMG_DIRECT
	       : category <= FK_DMG_DISRUPTION ? FK_DMG_INDIRECT
	                                       : FK_DMG_COSTS;
}

void fk_damage_release(struct fk_damage *d)
{
	free(d->description);
	free(d->basis);
	free(d->created_by);
	free(d->agreed_by);
	d->description = d->basis = d->created_by = d->agreed_by = NULL;
}

void fk_damage_summary_release(struct fk_damage_summary *s)
{
	free(s->party);
	s->party = NULL;
	s->nparty = 0;
}

enum fk_code fk_split_parse(const char *text, const char *field, struct fk_split *s,
                            struct fk_err *err)
{
	const char *eq = strrchr(text, '=');
	size_t n = eq ? (size_t)(eq - text) : 0;
	char *end;
	long pct = eq ? strtol(eq + 1, &end, 10) : 0;
	if (!eq || !n || n > FK_PARTY_MAX || !eq[1] || *end || pct < 1 || pct > 100 ||
	    !(eq[1] >= '0' && eq[1] <= '9'))
		return FK_ERR(
		    err, FK_EUSAGE, field,
		    "%s '%.120s': expected PARTY=PERCENT, the percent a whole number from "
		    "1 to 100 (e.g. operator=70)",
		    "%s '%.120s': PARTY=PERCENT の形で、割合は 1〜100 の整数で指定してください "
		    "(例 operator=70)",
		    field, text);
	memcpy(s->party, text, n);
	s->party[n] = '\0';
	s->pct = (int)pct;
	return fk_text_check(s->party, field, err);
}

enum fk_code fk_damage_check(const struct fk_damage *d, struct fk_err *err)
{
	if (d->category < 0 || d->category >= FK_DMG_COUNT)
		return FK_ERR0(
		    err, FK_EUSAGE, "--category",
		    "--category: expected money, equipment, injury, opportunity-loss, "
		    "reputation, disruption, response, restoration, compensation or "
		    "prevention",
		    "--category: money, equipment, injury, opportunity-loss, reputation, "
		    "disruption, response, restoration, compensation, prevention の"
		    "いずれかが必要です");
	if (d->amount < 0 || d->amount > FK_AMOUNT_MAX)
		return FK_ERR(err, FK_EINVAL, "--amount",
		              "--amount %lld: expected a whole amount from 0 to %lld",
		              "--amount %lld: 0〜%lld の整数で指定してください",
		              (long long)d->amount, (long long)FK_AMOUNT_MAX);
	for (int i = 0; i < 3; i++)
		if (d->currency[i] < 'A' || d->currency[i] > 'Z' || d->currency[3])
			return FK_ERR(
			    err, FK_EINVAL, "--currency",
			    "--currency '%.8s': expected an ISO 4217 code such as JPY or USD",
			    "--currency '%.8s': JPY、USD のような ISO 4217 の通貨コードで指定"
			    "してください",
			    d->currency);
	enum fk_code rc = FK_OK;
	if (d->description && (rc = fk_text_check(d->description, "--description", err)))
		return rc;
	if (d->basis && (rc = fk_text_check(d->basis, "basis", err)))
		return rc;
	int sum = 0;
	for (int i = 0; i < d->nsplit; i++) {
		sum += d->split[i].pct;
		for (int j = 0; j < i; j++)
			if (!strcmp(d->split[i].party, d->split[j].party))
				return FK_ERR(
				    err, FK_EINVAL, "--split", "--split: party '%s' given twice",
				    "--split: '%s' が2回指定されています", d->split[i].party);
	}
	if (d->nsplit && sum != 100)
		return FK_ERR(err, FK_EINVAL, "--split",
		              "--split: the percentages add up to %d, not 100",
		              "--split: 割合の合計が "
		              "100 ではなく %d です",
		              sum);
	return FK_OK;
}

void fk_damage_shares(const struct fk_damage *d, int64_t out[FK_SPLIT_MAX])
{
	/* Floors first; the units left over go one each to the largest remainders (earlier
	 * parties first on ties), so the shares add up to the amount exactly. amount <= 10^15 and
	 * pct <= 100: the products stay far below 2^63. */
	int64_t given = 0, rem[FK_SPLIT_MAX];
	for (int i = 0; i < d->nsplit; i++) {
		out[i] = d->amount * d->split[i].pct / 100;
		rem[i] = d->amount * d->split[i].pct % 100;
		given += out[i];
	}
	for (int64_t left = d->amount - given; left > 0; left--) {
		int best = 0;
		for (int i = 1; i < d->nsplit; i++)
			if (rem[i] > rem[best])
				best = i;
		out[best]++;
		rem[best] = -1;
	}
}

enum fk_code fk_damage_add(struct fk_ctx *c, const char *id, struct fk_damage *d,
                           struct fk_err *err)
{
	struct fk_incident inc;
	enum fk_code rc = fk_damage_check(d, err);
	if (rc || (rc = fk_core_begin_open(c, id, &inc, err)))
		return rc;
	rc = fk_store_damage_insert(c->st, inc.id, d, err);
	rc = fk_core_finish(c, rc, err);
	fk_incident_release(&inc);
	return rc;
}

enum fk_code fk_damage_agree(struct fk_ctx *c, const char *id, const char *code, const char *by,
                             struct fk_err *err)
{
	struct fk_incident inc;
	struct fk_damage *d = NULL;
	size_t n = 0;
	enum fk_code rc = fk_core_check_line(by, "--by", true, err);
	if (!rc && !by)
		rc = FK_ERR0(err, FK_EUSAGE, "--by", "give --by: who agreed to the split",
		             "--by (負担割合に合意した人) を指定してください");
	if (rc || (rc = fk_core_begin_open(c, id, &inc, err)))
		return rc;
	int64_t want = fk_ident_no(code, 'D');
	const struct fk_damage *found = NULL;
	if (!(rc = fk_store_damage_list(c->st, inc.id, &d, &n, err))) {
		for (size_t i = 0; i < n && !found; i++)
			if (d[i].no == want)
				found = &d[i];
		if (!found)
			rc = FK_ERR(err, FK_ENOTFOUND, "damage", "%s has no entry '%.20s'",
			            "%s に項目 '%.20s' はありません", inc.ref, code);
		else if (!found->nsplit)
			rc = FK_ERR(err, FK_EREFUSED, "damage",
			            "D%d is not split between parties: there is nothing to agree",
			            "D%d は当事者間で分担されていません: 合意する割合がありません",
			            found->no);
		else
			rc = fk_store_damage_agree(c->st, inc.id, found, by, err);
	}
	FK_FREE_ARRAY(d, n, fk_damage_release);
	rc = fk_core_finish(c, rc, err);
	fk_incident_release(&inc);
	return rc;
}

enum fk_code fk_outage_minutes(struct fk_ctx *c, int64_t incident, int64_t *minutes,
                               int64_t *first_stop, int64_t *last_restore, struct fk_err *err)
{
	struct fk_timeline_entry *e;
	size_t n;
	enum fk_code rc = fk_store_timeline_get(c->st, incident, &e, &n, err);
	if (rc)
		return rc;
	int64_t stopped = FK_TIME_NONE, secs = 0;
	*first_stop = *last_restore = FK_TIME_NONE;
	for (size_t i = 0; i < n; i++) {
		if (e[i].mark == FK_MARK_STOPPED && stopped == FK_TIME_NONE) {
			stopped = e[i].at;
			if (*first_stop == FK_TIME_NONE)
				*first_stop = stopped;
		} else if (e[i].mark == FK_MARK_RESTORED && stopped != FK_TIME_NONE) {
			secs += e[i].at - stopped;
			*last_restore = e[i].at;
			stopped = FK_TIME_NONE;
		}
	}
	FK_FREE_ARRAY(e, n, fk_timeline_entry_release);
	if (stopped != FK_TIME_NONE) {
		char t[32];
		fk_time_utc(stopped, t);
		return FK_ERR(
		    err, FK_EREFUSED, "--to",
		    "the service stopped at %s (timeline) is not marked restored: give "
		    "--from and --to, or add the restore to the timeline (--mark "
		    "service-restored)",
		    "%s のサービス停止 (経緯) に再開の記録がありません: --from と --to "
		    "を指定するか、経緯に再開を記録してください (--mark service-restored)",
		    t);
	}
	if (*first_stop == FK_TIME_NONE)
		return FK_ERR0(err, FK_ENOTFOUND, "--from",
		               "the timeline marks no outage: give --from and --to, or mark the "
		               "entries (timeline add --mark service-stopped / service-restored)",
		               "経緯に停止の記録がありません: --from と --to を指定するか、経緯に"
		               "記録してください (timeline add --mark service-stopped / "
		               "service-restored)");
	*minutes = secs / 60;
	return FK_OK;
}

enum fk_code fk_damage_outage(struct fk_ctx *c, const char *id, int64_t revenue_per_hour,
                              int64_t from, int64_t to, struct fk_damage *d, struct fk_err *err)
{
	struct fk_incident inc;
	int64_t minutes = 0, first = from, last = to;
	if (revenue_per_hour < 0 || revenue_per_hour > FK_AMOUNT_MAX / (24 * 366))
		return FK_ERR(err, FK_EINVAL, "--revenue-per-hour",
		              "--revenue-per-hour: expected a whole amount from 0 to %lld",
		              "--revenue-per-hour: 0〜%lld の整数で指定してください",
		              (long long)(FK_AMOUNT_MAX / (24 * 366)));
	if ((from == FK_TIME_NONE) != (to == FK_TIME_NONE))
		return FK_ERR0(err, FK_EUSAGE, from == FK_TIME_NONE ? "--from" : "--to",
		               "give both --from and --to, or neither (the outage is then read "
		               "from the timeline)",
		               "--from と --to は両方指定するか、どちらも省略してください "
		               "(省略時は経緯から読みます)");
	if (from != FK_TIME_NONE && to <= from)
		return FK_ERR0(err, FK_EINVAL, "--to", "--to must be after --from",
		               "--to は --from より後にしてください");
	if (from != FK_TIME_NONE && to - from > 366LL * 86400)
		return FK_ERR0(err, FK_EINVAL, "--to",
		               "an outage of more than a year: check the dates",
		               "停止期間が1年を超えています: 日時を確認してください");
	enum fk_code rc = fk_store_incident_find(c->st, id, &inc, err);
	if (rc)
		return rc;
	if (from == FK_TIME_NONE)
		rc = fk_outage_minutes(c, inc.id, &minutes, &first, &last, err);
	else
		minutes = (to - from) / 60;
	fk_incident_release(&inc);
	if (rc)
		return rc;
	/* revenue x minutes / 60, rounded half up */
	d->amount = (revenue_per_hour * minutes + 30) / 60;
	d->category = FK_DMG_OPPORTUNITY;
	char a[32], b[32], basis[256];
	fk_time_utc(first, a);
	fk_time_utc(last, b);
	snprintf(basis, sizeof basis, "outage %lldh%02lldm (%s .. %s%s) x %lld %s/h",
	         (long long)(minutes / 60), (long long)(minutes % 60), a, b,
	         from == FK_TIME_NONE ? ", from the timeline" : "", (long long)revenue_per_hour,
	         d->currency);
	free(d->basis);
	d->basis = fk_xstrdup(basis);
	return fk_damage_add(c, id, d, err);
}

static int party_cmp(const void *a, const void *b)
{
	return strcmp(((const struct fk_damage_party *)a)->party,
	              ((const struct fk_damage_party *)b)->party);
}

void fk_damage_sum(const struct fk_damage *d, size_t n, const char *currency,
                   struct fk_damage_summary *out)
{
	memset(out, 0, sizeof *out);
	snprintf(out->currency, sizeof out->currency, "%s", currency);
	size_t cap = 0;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(d[i].currency, currency)) {
			out->other_currency++;
			continue;
		}
		out->entries++;
		out->category[d[i].category] += d[i].amount;
		out->group[fk_damage_group_of(d[i].category)] += d[i].amount;
		out->total += d[i].amount;
		if (!d[i].nsplit) {
			out->unallocated += d[i].amount;
			continue;
		}
		int64_t share[FK_SPLIT_MAX];
		fk_damage_shares(&d[i], share);
		for (int k = 0; k < d[i].nsplit; k++) {
			size_t j = 0;
			while (j < out->nparty && strcmp(out->party[j].party, d[i].split[k].party))
				j++;
			if (j == out->nparty) {
				if (out->nparty == cap) {
					cap = cap ? 2 * cap : 8;
					out->party =
					    fk_xrealloc(out->party, cap * sizeof *out->party);
				}
				memcpy(out->party[j].party, d[i].split[k].party,
				       sizeof out->party[j].party);
				out->party[j].amount = 0;
				out->nparty++;
			}
			out->party[j].amount += share[k];
		}
	}
	if (out->nparty)
		qsort(out->party, out->nparty, sizeof *out->party, party_cmp);
}
