/*
 * asset.c - vocabularies and rules of the inventory, the sweep and the rollout.
 */
#include "fukkyu/common.h"
#include "fukkyu/asset.h"
#include "store/store.h"
#include "util/utf8.h"

const struct fk_enum fk_asset_roles[FK_AROLE_COUNT] = {
    {"server", "server", "サーバ"},
    {"client", "client", "クライアント"},
    {"network", "network device", "ネットワーク機器"},
    {"other", "other", "その他"},
};

const char *const fk_asset_cols[FK_ACOL_COUNT] = {
    "name", "ip",          "os",       "os_version", "software",  "department", "owner",
    "role", "criticality", "location", "spare",      "backup_of", "tags",
};

const struct fk_enum fk_sweep_states[FK_SW_COUNT] = {
    {"unchecked", "unchecked", "未確認"},   {"checking", "checking", "確認中"},
    {"clean", "clean", "被害なし"},         {"damaged", "damaged", "被害あり"},
    {"isolated", "isolated", "隔離済み"},   {"restored", "restored", "復元済み"},
    {"rebuilt", "rebuilt", "再構築済み"},   {"verified", "verified", "検証済み"},
    {"monitoring", "monitoring", "監視中"}, {"returned", "returned to service", "通常運用へ復帰"},
    {"retired", "retired", "廃棄・除外"},
};

const struct fk_enum fk_measure_kinds[FK_MK_COUNT] = {
    {"technical", "technical", "技術的対策"},
    {"operational", "operational", "運用的対策"},
    {"legal", "legal", "法的対策"},
};

const struct fk_enum fk_rollout_states[FK_RO_COUNT] = {
    {"pending", "pending", "未実施"},
    {"applied", "applied", "実施済み"},
    {"verified", "verified", "確認済み"},
    {"exception", "exception (risk accepted)", "例外 (リスク受容)"},
};

bool fk_sweep_allowed(int from, int to)
{
	if (from == to || from < 0 || from >= FK_SW_COUNT || to < 0 || to >= FK_SW_COUNT)
		return false;
	if (to == FK_SW_RETIRED)
		return true;
	switch (from) {
	case FK_SW_UNCHECKED:
		return to == FK_SW_CHECKING || to == FK_SW_CLEAN || to == FK_SW_DAMAGED;
	case FK_SW_CHECKING:
		return to == FK_SW_CLEAN || to == FK_SW_DAMAGED;
	case FK_SW_DAMAGED:
		return to == FK_SW_ISOLATED;
	case FK_SW_ISOLATED:
		return to == FK_SW_RESTORED || to == FK_SW_REBUILT;
	case FK_SW_RESTORED:
	case FK_SW_REBUILT:
		return to == FK_SW_VERIFIED;
	case FK_SW_VERIFIED:
		return to == FK_SW_MONITORING;
	case FK_SW_MONITORING:
		return to == FK_SW_RETURNED;
	default:
		return false;
	}
}

bool fk_rollout_allowed(int from, int to)
{
	switch (from) {
	case FK_RO_PENDING:
		return to == FK_RO_APPLIED || to == FK_RO_EXCEPTION;
	case FK_RO_APPLIED:
		return to == FK_RO_VERIFIED || to == FK_RO_EXCEPTION;
	case FK_RO_EXCEPTION:
		return to == FK_RO_PENDING;
	default:
		return false;
	}
}

enum fk_code fk_scope_parse(const char *s, unsigned *out, struct fk_err *err)
{
	static const struct {
		const char *key;
		unsigned bit;
	} scopes[] = {{"affected", FK_SCOPE_AFFECTED},
	              {"similar", FK_SCOPE_SIMILAR},
	              {"spares", FK_SCOPE_SPARES},
	              {"all", FK_SCOPE_ALL}};
	*out = 0;
	while (*s) {
		const char *end = strchr(s, ',');
		size_t n = end ? (size_t)(end - s) : strlen(s);
		unsigned bit = 0;
		for (size_t i = 0; i < FK_ARRAY_LEN(scopes); i++)
			if (strlen(scopes[i].key) == n && !strncmp(scopes[i].key, s, n))
				bit = scopes[i].bit;
		if (!bit)
			return FK_ERR(
			    err, FK_EUSAGE, "--scope",
			    "unknown scope '%.*s': expected affected, similar, spares or all, "
			    "comma-separated",
			    "範囲 '%.*s' は不明です: affected, similar, spares, all "
			    "をカンマ区切りで"
			    "指定してください",
			    (int)n, s);
		*out |= bit;
		s += n + (end != NULL);
	}
	if (!*out)
		return FK_ERR0(err, FK_EUSAGE, "--scope",
		               "--scope is empty: e.g. affected,similar,spares",
		               "--scope が空です: 例 affected,similar,spares");
	return FK_OK;
}

enum fk_code fk_criterion_parse(const char *s, struct fk_criterion *out, struct fk_err *err)
{
	memset(out, 0, sizeof *out);
	/* Criteria are stored comma-separated and shown everywhere: one line of text, no comma. */
	if (strlen(s) > 200 || strchr(s, ',') || strpbrk(s, "\n\t"))
		return FK_ERR0(
		    err, FK_EUSAGE, "--match",
		    "a criterion is one line of at most 200 bytes without commas (give "
		    "several --match instead)",
		    "条件は 200 バイト以内の1行で、カンマは使えません (複数の --match を指定"
		    "してください)");
	enum fk_code rc = fk_text_check(s, "--match", err);
	if (rc)
		return rc == FK_EINVAL ? FK_EUSAGE : rc;
	const char *colon = strchr(s, ':');
	if (!strcmp(s, "os")) {
		out->kind = FK_CRIT_OS;
	} else if (!strcmp(s, "os_version")) {
		out->kind = FK_CRIT_OS_VERSION;
	} else if (colon && colon[1] && !strncmp(s, "software:", 9)) {
		out->kind = FK_CRIT_SOFTWARE;
		const char *at = strchr(colon + 1, '@');
		out->name =
		    at ? fk_xstrndup(colon + 1, (size_t)(at - colon - 1)) : fk_xstrdup(colon + 1);
		for (char *q = out->name; *q; q++)
			*q = (char)(*q >= 'A' && *q <= 'Z' ? *q + 32 : *q);
		out->version = at ? fk_xstrdup(at + 1) : NULL;
		for (char *q = out->version; q && *q; q++)
			*q = (char)(*q >= 'A' && *q <= 'Z' ? *q + 32 : *q);
		if (!*out->name || (at && !at[1])) {
			fk_criterion_release(out);
			goto bad;
		}
	} else if (colon && colon[1] && !strncmp(s, "tag:", 4)) {
		out->kind = FK_CRIT_TAG;
		out->name = fk_xstrdup(colon + 1);
	} else if (colon && colon[1] && !strncmp(s, "department:", 11)) {
		out->kind = FK_CRIT_DEPARTMENT;
		out->name = fk_xstrdup(colon + 1);
	} else {
		goto bad;
	}
	out->text = fk_xstrdup(s);
	return FK_OK;
bad:
	return FK_ERR(err, FK_EUSAGE, "--match",
	              "unknown criterion '%s': expected os, os_version, software:NAME, "
	              "software:NAME@VERSION, tag:T or department:D",
	              "条件 '%s' は不明です: os, os_version, software:NAME, software:NAME@VERSION, "
	              "tag:T, department:D のいずれかです",
	              s);
}

void fk_criterion_release(struct fk_criterion *c)
{
	free(c->name);
	free(c->version);
	free(c->text);
	memset(c, 0, sizeof *c);
}

void fk_asset_release(struct fk_asset *a)
{
	for (int i = 0; i < FK_ACOL_COUNT; i++)
		free(a->col[i]);
	memset(a, 0, sizeof *a);
}

void fk_sweep_release(struct fk_sweep *s)
{
	free(s->criteria);
	free(s->procedure);
	free(s->countermeasure);
	free(s->reconnect);
	free(s->reply_to);
	free(s->started_by);
	memset(s, 0, sizeof *s);
}

void fk_sweep_entry_release(struct fk_sweep_entry *e)
{
	fk_asset_release(&e->asset);
	free(e->reasons);
	free(e->note);
	free(e->updated_by);
	memset(e, 0, sizeof *e);
}

void fk_measure_release(struct fk_measure *m)
{
	free(m->title);
	free(m->target_level);
	free(m->owner);
	free(m->approved_by);
	free(m->created_by);
	memset(m, 0, sizeof *m);
}

void fk_rollout_entry_release(struct fk_rollout_entry *e)
{
	fk_asset_release(&e->asset);
	free(e->scope);
	free(e->reason);
	free(e->accepted_by);
	free(e->updated_by);
	memset(e, 0, sizeof *e);
}
