/*
 * cmd_evidence.c - fukkyu evidence list|show: what was analysed for an incident, with the
 * inputs' SHA-256, so that it can be shown later exactly what the conclusions rest on.
 */
#include "fukkyu/common.h"
#include "util/ident.h"
#include "cli.h"

json_t *cli_evidence_json(struct cli *c, const struct fk_evidence *e, bool full)
{
	json_t *o =
	    json_pack("{s:I, s:s, s:o, s:s}", "id", (json_int_t)e->id, "kind", e->kind,
	              "created_at", cli_json_time(c, e->created_at), "created_by", e->created_by);
	const char *names[] = {"query", "files", "summary", "result"};
	const char *texts[] = {e->query, e->files, e->summary, e->result};
	for (int i = 0; i < (full ? 4 : 3); i++)
		json_object_set_new(o, names[i], json_loads(texts[i], 0, NULL));
	return o;
}

enum fk_code cli_evidence_doc(struct cli *c, const struct fk_incident *inc, json_t **out)
{
	struct fk_evidence *e;
	size_t n;
	enum fk_code rc = fk_store_evidence_list(c->st, inc->id, &e, &n, &c->err);
	if (rc)
		return rc;
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, cli_evidence_json(c, &e[i], false));
	*out = json_pack("{s:s, s:o}", "incident", inc->ref, "evidence", arr);
	FK_FREE_ARRAY(e, n, fk_evidence_release);
	return FK_OK;
}

static enum fk_code load(struct cli *c, const char *id, struct fk_incident *inc,
                         struct fk_evidence **e, size_t *n)
{
	enum fk_code rc = cli_incident(c, id, inc);
	if (!rc && (rc = fk_store_evidence_list(c->st, inc->id, e, n, &c->err)))
		fk_incident_release(inc);
	return rc;
}

static enum fk_code evidence_list(struct cli *c, int argc, char **argv)
{
	char *pos[1];
	int npos;
	bool help;
	struct fk_incident inc;
	struct fk_evidence *e;
	size_t n;
	enum fk_code rc =
	    cli_parse(c, argc, argv, NULL, 0, "evidence list ID", 1, 1, pos, &npos, &help);
	if (rc || help)
		return rc;
	if (c->json) {
		json_t *doc;
		if (!(rc = cli_incident(c, pos[0], &inc))) {
			if (!(rc = cli_evidence_doc(c, &inc, &doc)))
				cli_json_out(doc);
			fk_incident_release(&inc);
		}
		return rc;
	}
	if ((rc = load(c, pos[0], &inc, &e, &n)))
		return rc;
	for (size_t i = 0; i < n; i++) {
		char t[40];
		cli_time(c, e[i].created_at, t);
		json_t *sum = json_loads(e[i].summary, 0, NULL),
		       *files = json_loads(e[i].files, 0, NULL);
		printf("E%-4lld %s  %-10s %s  %s %lld, %s %lld  (%zu %s)\n", (long long)e[i].id, t,
		       e[i].kind, e[i].created_by, TR(c->lang, "lines", "行"),
		       (long long)json_integer_value(json_object_get(sum, "lines")),
		       TR(c->lang, "matched", "一致"),
		       (long long)json_integer_value(json_object_get(sum, "matched")),
		       json_array_size(files), TR(c->lang, "files", "ファイル"));
		json_decref(sum);
		json_decref(files);
	}
	FK_FREE_ARRAY(e, n, fk_evidence_release);
	fk_incident_release(&inc);
	return FK_OK;
}

static enum fk_code evidence_show(struct cli *c, int argc, char **argv)
{
	char *pos[2];
	int npos;
	bool help;
	struct fk_incident inc;
	struct fk_evidence *e;
	size_t n;
	enum fk_code rc =
	    cli_parse(c, argc, argv, NULL, 0, "evidence show ID E", 2, 2, pos, &npos, &help);
	if (rc || help || (rc = load(c, pos[0], &inc, &e, &n)))
		return rc;
	int64_t want = fk_ident_no(pos[1], 'E');
	const struct fk_evidence *found = NULL;
	for (size_t i = 0; i < n && !found; i++)
		if (e[i].id == want)
			found = &e[i];
	if (!found) {
		rc = FK_ERR(
		    &c->err, FK_ENOTFOUND, "evidence",
		    "%s has no evidence '%s': see 'fukkyu evidence list %s'",
		    "%s に証拠 '%s' はありません: 'fukkyu evidence list %s' で確認してください",
		    inc.ref, pos[1], inc.ref);
	} else {
		/* The record as stored is its own best display: one JSON document either way. */
		cli_json_out(cli_evidence_json(c, found, true));
	}
	FK_FREE_ARRAY(e, n, fk_evidence_release);
	fk_incident_release(&inc);
	return rc;
}

enum fk_code cmd_evidence(struct cli *c, int argc, char **argv)
{
	static const struct subcmd subs[] = {
	    {"list", evidence_list, "the evidence kept with an incident",
	     "インシデントの証拠の一覧"},
	    {"show", evidence_show, "one evidence record: query, files with SHA-256, result",
	     "証拠1件: 条件、ファイルと SHA-256、結果"},
	};
	return cli_dispatch(c, argc, argv, subs, FK_ARRAY_LEN(subs));
}
