/*
 * cmd_measure.c - fukkyu measure add|list|approve|rollout|set|status: countermeasures
 * (recurrence prevention) and their rollout to every system in scope, spares and backups
 * included (source phase 4).
 */
#include "fukkyu/common.h"
#include "cli.h"
#include "fukkyu/sweep.h"
#include "util/utf8.h"

json_t *cli_measure_json(struct cli *c, const struct fk_measure *m)
{
	char code[16];
	snprintf(code, sizeof code, "M%d", m->no);
	json_t *o = json_pack("{s:s, s:s, s:s}", "id", code, "kind", fk_measure_kinds[m->kind].key,
	                      "title", m->title);
	json_object_set_new(o, "target_level", cli_json_str(m->target_level));
	json_object_set_new(o, "cost", m->cost >= 0 ? json_integer(m->cost) : json_null());
	json_object_set_new(o, "owner", cli_json_str(m->owner));
	json_object_set_new(o, "due", cli_json_time(c, m->due_at));
	json_object_set_new(o, "approved_by", cli_json_str(m->approved_by));
	json_object_set_new(o, "approved_at", cli_json_time(c, m->approved_at));
	return o;
}

static enum fk_code measure_add(struct cli *c, int argc, char **argv)
{
	struct fk_measure m = {
	    .kind = FK_UNSET, .cost = -1, .due_at = FK_TIME_NONE, .approved_at = FK_TIME_NONE};
	const char *title = NULL, *level = NULL, *owner = NULL;
	int64_t cost = -1;
	const struct opt opts[] = {
	    {"kind", NULL, OPT_ENUM, &m.kind, fk_measure_kinds, FK_MK_COUNT,
	     "technical, operational or legal (required)", "技術的・運用的・法的 (必須)"},
	    {"title", "TEXT", OPT_STR, &title, NULL, 0, "what the measure is (required)",
	     "対策の内容 (必須)"},
	    {"target-level", "TEXT", OPT_STR, &level, NULL, 0, "the target level it reaches",
	     "目標レベル"},
	    {"cost", "N", OPT_INT, &cost, NULL, 0, "estimated cost (yen)", "見積費用 (円)"},
	    {"owner", "NAME", OPT_STR, &owner, NULL, 0, "who is responsible", "担当者"},
	    {"due", NULL, OPT_TIME, &m.due_at, NULL, 0, "due date", "期限"},
	};
	char *pos[1];
	int npos;
	bool help;
	enum fk_code rc =
	    cli_parse(c, argc, argv, opts, FK_ARRAY_LEN(opts),
	              "measure add ID --kind KIND --title TEXT [options]", 1, 1, pos, &npos, &help);
	if (rc || help)
		return rc;
	if (m.kind == FK_UNSET || !title)
		return FK_ERR0(
		    &c->err, FK_EUSAGE, m.kind == FK_UNSET ? "--kind" : "--title",
		    "missing --kind (technical, operational, legal) or --title",
		    "--kind (technical, operational, legal) または --title がありません");
	m.title = fk_xstrdup(title);
	m.target_level = level ? fk_xstrdup(level) : NULL;
	m.owner = owner ? fk_xstrdup(owner) : NULL;
	m.cost = cost;
	rc = fk_measure_add(&c->ctx, pos[0], &m, &c->err);
	if (!rc) {
		if (c->json)
			cli_json_out(cli_measure_json(c, &m));
		else
			printf(
			    TR(c->lang, "added M%d to %s: %s\n", "M%d を %s に追加しました: %s\n"),
			    m.no, pos[0], m.title);
	}
	fk_measure_release(&m);
	return rc;
}

static json_t *rollout_json(const int64_t by[FK_RO_COUNT])
{
	return json_pack("{s:I, s:I, s:I, s:I, s:I}", "total",
	                 (json_int_t)(by[0] + by[1] + by[2] + by[3]), "pending",
	                 (json_int_t)by[FK_RO_PENDING], "applied", (json_int_t)by[FK_RO_APPLIED],
	                 "verified", (json_int_t)by[FK_RO_VERIFIED], "exception",
	                 (json_int_t)by[FK_RO_EXCEPTION]);
}

enum fk_code cli_measures_doc(struct cli *c, const struct fk_incident *inc, json_t **out)
{
	struct fk_measure *m = NULL;
	size_t n = 0;
	enum fk_code rc = fk_store_measures(c->st, inc->id, &m, &n, &c->err);
	json_t *arr = json_array();
	for (size_t i = 0; !rc && i < n; i++) {
		int64_t by[FK_RO_COUNT];
		if ((rc = fk_store_rollout_counts(c->st, &m[i], by, &c->err)))
			break;
		json_t *o = cli_measure_json(c, &m[i]);
		json_object_set_new(o, "rollout", rollout_json(by));
		json_array_append_new(arr, o);
	}
	FK_FREE_ARRAY(m, n, fk_measure_release);
	if (rc)
		json_decref(arr);
	else
		*out = json_pack("{s:s, s:o}", "incident", inc->ref, "measures", arr);
	return rc;
}

static enum fk_code measure_list(struct cli *c, int argc, char **argv)
{
	char *pos[1];
	int npos;
	bool help;
	struct fk_incident inc;
	json_t *doc = NULL;
	enum fk_code rc =
	    cli_parse(c, argc, argv, NULL, 0, "measure list ID", 1, 1, pos, &npos, &help);
	if (rc || help || (rc = cli_incident(c, pos[0], &inc)))
		return rc;
	if (!(rc = cli_measures_doc(c, &inc, &doc)) && c->json) {
		cli_json_out(doc);
		doc = NULL;
	}
	size_t i;
	json_t *o;
	json_array_foreach(json_object_get(doc, "measures"), i, o)
	{
		json_t *ro = json_object_get(o, "rollout");
		json_int_t total = json_integer_value(json_object_get(ro, "total"));
		json_int_t pending = json_integer_value(json_object_get(ro, "pending"));
		const char *by = json_string_value(json_object_get(o, "approved_by"));
		printf("%-4s %-12s ", json_string_value(json_object_get(o, "id")),
		       json_string_value(json_object_get(o, "kind")));
		fk_utf8_fput(stdout, json_string_value(json_object_get(o, "title")), 40);
		printf("  %s %s  %s %lld/%lld\n", TR(c->lang, "approved:", "承認:"), by ? by : "-",
		       TR(c->lang, "rollout", "展開"), (long long)(total - pending),
		       (long long)total);
	}
	json_decref(doc);
	fk_incident_release(&inc);
	return rc;
}

static enum fk_code measure_approve(struct cli *c, int argc, char **argv)
{
	char *pos[2];
	int npos;
	bool help;
	enum fk_code rc =
	    cli_parse(c, argc, argv, NULL, 0, "measure approve ID M", 2, 2, pos, &npos, &help);
	if (rc || help || (rc = fk_measure_approve(&c->ctx, pos[0], pos[1], &c->err)))
		return rc;
	if (c->json)
		cli_json_out(json_pack("{s:s, s:s, s:s}", "incident", pos[0], "measure", pos[1],
		                       "approved_by", c->actor));
	else
		printf(TR(c->lang, "%s %s approved by %s\n", "%s %s を %s が承認しました\n"),
		       pos[0], pos[1], c->actor);
	return FK_OK;
}

static enum fk_code measure_rollout(struct cli *c, int argc, char **argv)
{
	const char *scope_text = NULL;
	const struct opt opts[] = {
	    {"scope", "LIST", OPT_STR, &scope_text, NULL, 0,
	     "affected,similar,spares,all (required)", "affected,similar,spares,all (必須)"},
	};
	char *pos[2];
	int npos;
	bool help;
	unsigned scope;
	int64_t added;
	enum fk_code rc = cli_parse(c, argc, argv, opts, 1,
	                            "measure rollout ID M --scope affected,similar,spares", 2, 2,
	                            pos, &npos, &help);
	if (rc || help)
		return rc;
	if (!scope_text)
		return FK_ERR0(&c->err, FK_EUSAGE, "--scope",
		               "missing --scope: e.g. affected,similar,spares",
		               "--scope がありません: 例 affected,similar,spares");
	if ((rc = fk_scope_parse(scope_text, &scope, &c->err)) ||
	    (rc = fk_measure_rollout(&c->ctx, pos[0], pos[1], scope, &added, &c->err)))
		return rc;
	if (c->json)
		cli_json_out(json_pack("{s:s, s:s, s:I}", "incident", pos[0], "measure", pos[1],
		                       "added", (json_int_t)added));
	else
		printf(TR(c->lang, "%s %s: %lld systems added to the rollout\n",
		          "%s %s: 展開対象に %lld 台を追加しました\n"),
		       pos[0], pos[1], (long long)added);
	return FK_OK;
}

static enum fk_code measure_set(struct cli *c, int argc, char **argv)
{
	int state = FK_UNSET;
	const char *reason = NULL, *accepted = NULL;
	const struct opt opts[] = {
	    {"state", NULL, OPT_ENUM, &state, fk_rollout_states, FK_RO_COUNT,
	     "applied, verified, exception or pending", "実施状況"},
	    {"reason", "TEXT", OPT_STR, &reason, NULL, 0, "why it cannot be applied (exception)",
	     "実施できない理由 (例外)"},
	    {"accepted-by", "NAME", OPT_STR, &accepted, NULL, 0,
	     "who accepted the risk (exception)", "リスクを受容した人 (例外)"},
	};
	char *pos[3];
	int npos;
	bool help;
	enum fk_code rc =
	    cli_parse(c, argc, argv, opts, FK_ARRAY_LEN(opts),
	              "measure set ID M ASSET --state S [--reason T --accepted-by NAME]", 3, 3, pos,
	              &npos, &help);
	if (rc || help)
		return rc;
	if (state == FK_UNSET)
		return FK_ERR0(&c->err, FK_EUSAGE, "--state", "missing --state",
		               "--state がありません");
	if ((rc =
	         fk_measure_set(&c->ctx, pos[0], pos[1], pos[2], state, reason, accepted, &c->err)))
		return rc;
	if (c->json)
		cli_json_out(json_pack("{s:s, s:s, s:s, s:s}", "incident", pos[0], "measure",
		                       pos[1], "asset", pos[2], "state",
		                       fk_rollout_states[state].key));
	else
		printf("%s %s %s: %s\n", pos[0], pos[1], pos[2],
		       cli_pick(c, fk_rollout_states[state].ja, fk_rollout_states[state].key));
	return FK_OK;
}

struct status_ctx {
	struct cli *c;
	json_t *arr;
	int64_t shown, limit;
};

static enum fk_code status_one(void *vctx, const struct fk_rollout_entry *e)
{
	struct status_ctx *s = vctx;
	if (s->shown++ >= s->limit)
		return FK_ECONFLICT; /* enough: ends the walk */
	if (s->arr) {
		json_array_append_new(s->arr,
		                      json_pack("{s:s, s:s, s:s, s:o, s:o}", "name",
		                                e->asset.col[FK_ACOL_NAME], "scope", e->scope,
		                                "state", fk_rollout_states[e->state].key, "reason",
		                                cli_json_str(e->reason), "accepted_by",
		                                cli_json_str(e->accepted_by)));
		return FK_OK;
	}
	printf("    ");
	fk_utf8_fput(stdout, e->asset.col[FK_ACOL_NAME], 24);
	printf(" %-9s %-10s %s%s%s\n", e->scope, fk_rollout_states[e->state].key,
	       e->reason ? e->reason : "", e->accepted_by ? "  / " : "",
	       e->accepted_by ? e->accepted_by : "");
	return FK_OK;
}

enum fk_code cli_measure_status_doc(struct cli *c, const struct fk_incident *inc,
                                    const struct fk_measure *m, int64_t limit, json_t **out)
{
	int64_t by[FK_RO_COUNT];
	enum fk_code rc = fk_store_rollout_counts(c->st, m, by, &c->err);
	if (rc)
		return rc;
	struct status_ctx p = {c, json_array(), 0, limit}, x = {c, json_array(), 0, limit};
	rc = fk_store_rollout_each(c->st, m, FK_RO_PENDING, status_one, &p, &c->err);
	if (!rc || rc == FK_ECONFLICT)
		rc = fk_store_rollout_each(c->st, m, FK_RO_EXCEPTION, status_one, &x, &c->err);
	if (rc == FK_ECONFLICT)
		rc = FK_OK;
	json_t *o = cli_measure_json(c, m);
	json_object_set_new(o, "incident", json_string(inc->ref));
	json_object_set_new(o, "total", json_integer(by[0] + by[1] + by[2] + by[3]));
	for (int s = 0; s < FK_RO_COUNT; s++)
		json_object_set_new(o, fk_rollout_states[s].key, json_integer(by[s]));
	json_object_set_new(o, "pending_systems", p.arr);
	json_object_set_new(o, "exceptions", x.arr);
	if (rc)
		json_decref(o);
	else
		*out = o;
	return rc;
}

static enum fk_code measure_status(struct cli *c, int argc, char **argv)
{
	int64_t limit = 20;
	const struct opt opts[] = {
	    {"limit", "N", OPT_INT, &limit, NULL, 0,
	     "list at most N systems per group (default 20)",
	     "各グループ最大 N 台を表示 (既定 20)"},
	};
	char *pos[2];
	int npos;
	bool help;
	struct fk_incident inc;
	struct fk_measure m;
	enum fk_code rc = cli_parse(c, argc, argv, opts, 1, "measure status ID M [--limit N]", 2, 2,
	                            pos, &npos, &help);
	if (rc || help || (rc = cli_incident(c, pos[0], &inc)))
		return rc;
	if ((rc = fk_measure_find(&c->ctx, inc.id, pos[1], &m, &c->err))) {
		fk_incident_release(&inc);
		return rc;
	}
	if (c->json) {
		json_t *doc;
		if (!(rc = cli_measure_status_doc(c, &inc, &m, limit, &doc)))
			cli_json_out(doc);
		fk_measure_release(&m);
		fk_incident_release(&inc);
		return rc;
	}
	int64_t by[FK_RO_COUNT];
	rc = fk_store_rollout_counts(c->st, &m, by, &c->err);
	int64_t total = by[0] + by[1] + by[2] + by[3];
	if (!rc) {
		printf("%s M%d  %s\n", inc.ref, m.no, m.title);
		printf("  %s: %s\n", TR(c->lang, "approved by", "承認者"),
		       m.approved_by ? m.approved_by : TR(c->lang, "(not approved)", "(未承認)"));
		printf(
		    TR(c->lang,
		       "  rollout: %lld systems: %lld pending, %lld applied, %lld verified, %lld "
		       "exceptions\n",
		       "  展開: %lld 台 (未実施 %lld、実施済み %lld、確認済み %lld、例外 %lld)\n"),
		    (long long)total, (long long)by[FK_RO_PENDING], (long long)by[FK_RO_APPLIED],
		    (long long)by[FK_RO_VERIFIED], (long long)by[FK_RO_EXCEPTION]);
		for (int s = FK_RO_PENDING; !rc && s <= FK_RO_EXCEPTION; s += FK_RO_EXCEPTION) {
			if (!by[s])
				continue;
			printf("  %s:\n", s == FK_RO_PENDING
			                      ? TR(c->lang, "not applied yet", "未実施")
			                      : TR(c->lang, "exceptions", "例外"));
			struct status_ctx sc = {c, NULL, 0, limit};
			rc = fk_store_rollout_each(c->st, &m, s, status_one, &sc, &c->err);
			if (rc == FK_ECONFLICT) {
				rc = FK_OK;
				printf(TR(c->lang, "    ... %lld more\n", "    ... ほか %lld 台\n"),
				       (long long)(by[s] - limit));
			}
		}
	}
	fk_measure_release(&m);
	fk_incident_release(&inc);
	return rc;
}

enum fk_code cmd_measure(struct cli *c, int argc, char **argv)
{
	static const struct subcmd subs[] = {
	    {"add", measure_add, "add a countermeasure (technical, operational, legal)",
	     "再発防止策を追加 (技術的・運用的・法的)"},
	    {"list", measure_list, "the incident's countermeasures", "再発防止策の一覧"},
	    {"approve", measure_approve, "approve (approvers only)", "承認 (承認者のみ)"},
	    {"rollout", measure_rollout,
	     "one entry per system in scope, spares and backups included",
	     "対象範囲の全システム (予備機・バックアップ含む) に展開"},
	    {"set", measure_set, "one system: applied, verified or an exception",
	     "システムごとの実施状況"},
	    {"status", measure_status, "where applied, where not, exceptions",
	     "実施済み・未実施・例外の状況"},
	};
	return cli_dispatch(c, argc, argv, subs, FK_ARRAY_LEN(subs));
}
