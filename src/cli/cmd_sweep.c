/*
 * cmd_sweep.c - fukkyu sweep start|status|list|set|instructions|import: the company-wide
 * sweep for similar systems and each system's recovery state (source phase 1, case 4).
 */
#include "fukkyu/common.h"
#include "cli.h"
#include "fukkyu/sweep.h"
#include "util/utf8.h"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>
#include <strings.h>

static enum fk_code sweep_start(struct cli *c, int argc, char **argv)
{
	char *match[10]; /* criteria per run: one pass over the inventory takes up to ten */
	size_t nmatch = 0;
	char *pos[1];
	int npos;
	bool help;
	/* --match repeats: collect them before the table parser sees the rest. */
	char **rest = fk_xcalloc((size_t)argc + 1, sizeof *rest);
	int nrest = 0;
	enum fk_code rc = FK_OK;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--match") && i + 1 < argc) {
			if (nmatch == FK_ARRAY_LEN(match))
				rc = FK_ERR0(&c->err, FK_EUSAGE, "--match",
				             "at most 64 --match criteria",
				             "--match は 64 個までです");
			else
				match[nmatch++] = argv[++i];
		} else if (!strncmp(a, "--match=", 8)) {
			if (nmatch == FK_ARRAY_LEN(match))
				rc = FK_ERR0(
				    &c->err, FK_EUSAGE, "--match",
				    "at most 10 --match criteria per run (run again to add more)",
				    "--match は1回に 10 個までです (追加は再実行で)");
			else
				match[nmatch++] = argv[i] + 8;
		} else {
			rest[nrest++] = argv[i];
		}
	}
	const struct opt opts[] = {
	    {"match", "CRITERION", OPT_STR, NULL, NULL, 0,
	     "similar when: os, os_version, software:NAME[@VERSION], tag:T, department:D (repeat)",
	     "類似の条件: os, os_version, software:NAME[@VERSION], tag:T, department:D (複数可)"},
	};
	if (!rc)
		rc = cli_parse(c, nrest, rest, opts, 1, "sweep start ID --match CRITERION ...", 1,
		               1, pos, &npos, &help);
	int64_t added = 0;
	if (!rc && !help)
		rc = fk_sweep_start(&c->ctx, pos[0], match, nmatch, &added, &c->err);
	if (!rc && !help) {
		if (c->json)
			cli_json_out(json_pack("{s:s, s:I}", "incident", pos[0], "added",
			                       (json_int_t)added));
		else
			printf(
			    TR(c->lang,
			       "sweep of %s: %lld systems added (see 'fukkyu sweep status %s')\n",
			       "%s の調査: %lld 台を追加しました ('fukkyu sweep status %s' "
			       "で確認)\n"),
			    pos[0], (long long)added, pos[0]);
	}
	free(rest);
	return rc;
}

struct unchecked_ctx {
	struct cli *c;
	json_t *arr;
	int64_t shown, limit;
};

#define STOP FK_ECONFLICT /* ends a walk early; not an error */

static enum fk_code unchecked_one(void *vctx, const struct fk_sweep_entry *e)
{
	struct unchecked_ctx *u = vctx;
	if (u->shown++ >= u->limit)
		return STOP;
	if (u->arr) {
		json_array_append_new(
		    u->arr, json_pack("{s:s, s:o, s:s}", "name", e->asset.col[FK_ACOL_NAME],
		                      "department", cli_json_str(e->asset.col[FK_ACOL_DEPARTMENT]),
		                      "reasons", e->reasons));
	} else {
		printf("    ");
		fk_utf8_fput(stdout, e->asset.col[FK_ACOL_NAME], 24);
		printf(" ");
		fk_utf8_fput(
		    stdout,
		    e->asset.col[FK_ACOL_DEPARTMENT] ? e->asset.col[FK_ACOL_DEPARTMENT] : "-", 20);
		printf(" %s\n", e->reasons);
	}
	return FK_OK;
}

/* A department's systems in the sweep, and how many of them are checked. */
static void dept_totals(const struct fk_sweep_count *d, int64_t *total, int64_t *checked)
{
	*total = *checked = 0;
	for (int s = 0; s < FK_SW_COUNT; s++) {
		*total += d->by_state[s];
		*checked += FK_SWEEP_CHECKED(s) ? d->by_state[s] : 0;
	}
}

enum fk_code cli_sweep_status(struct cli *c, const struct fk_incident *in, int64_t limit,
                              json_t **json)
{
	struct fk_sweep_count *cnt = NULL;
	size_t n = 0;
	enum fk_code rc;
	struct fk_sweep sw;
	bool exists = false;
	if ((rc = fk_store_sweep_get(c->st, in->id, &sw, &exists, &c->err)) ||
	    (rc = fk_store_sweep_counts(c->st, in->id, &cnt, &n, &c->err)))
		goto out;
	int64_t total = 0, checked = 0, by_state[FK_SW_COUNT] = {0};
	for (size_t i = 0; i < n; i++) {
		int64_t t, k;
		dept_totals(&cnt[i], &t, &k);
		total += t;
		checked += k;
		for (int s = 0; s < FK_SW_COUNT; s++)
			by_state[s] += cnt[i].by_state[s];
	}
	double coverage = total ? (double)checked / (double)total : 0.0;
	struct unchecked_ctx u = {c, NULL, 0, limit};
	if (json) {
		json_t *states = json_object(), *depts = json_array();
		for (int s = 0; s < FK_SW_COUNT; s++)
			json_object_set_new(states, fk_sweep_states[s].key,
			                    json_integer(by_state[s]));
		for (size_t i = 0; i < n; i++) {
			int64_t t, k;
			json_t *ds = json_object();
			dept_totals(&cnt[i], &t, &k);
			for (int s = 0; s < FK_SW_COUNT; s++)
				json_object_set_new(ds, fk_sweep_states[s].key,
				                    json_integer(cnt[i].by_state[s]));
			json_array_append_new(
			    depts,
			    json_pack("{s:o, s:I, s:I, s:f, s:o}", "department",
			              *cnt[i].department ? json_string(cnt[i].department)
			                                 : json_null(),
			              "total", (json_int_t)t, "checked", (json_int_t)k, "coverage",
			              t ? (double)k / (double)t : 0.0, "by_state", ds));
		}
		u.arr = json_array();
		rc = fk_store_sweep_each(c->st, in->id, FK_SW_UNCHECKED, NULL, unchecked_one, &u,
		                         &c->err);
		if (rc == STOP)
			rc = FK_OK;
		*json = json_pack("{s:s, s:o, s:I, s:I, s:f, s:o, s:o, s:o}", "incident", in->ref,
		                  "criteria", cli_json_str(exists ? sw.criteria : NULL), "total",
		                  (json_int_t)total, "checked", (json_int_t)checked, "coverage",
		                  coverage, "by_state", states, "by_department", depts, "unchecked",
		                  u.arr);
		goto out;
	}
	if (!exists) {
		printf(
		    TR(c->lang,
		       "%s has no sweep yet: start one with 'fukkyu sweep start %s --match ...'\n",
		       "%s の調査はまだありません: 'fukkyu sweep start %s --match ...' "
		       "で開始してください\n"),
		    in->ref, in->ref);
		goto out;
	}
	printf("%s  %s\n", in->ref, in->title);
	printf("%s: %s\n", TR(c->lang, "criteria", "条件"), sw.criteria);
	printf(TR(c->lang, "coverage: %lld / %lld checked (%.1f %%)\n",
	          "確認済み: %lld / %lld 台 (%.1f %%)\n"),
	       (long long)checked, (long long)total, coverage * 100);
	printf("\n  ");
	for (int s = 0; s < FK_SW_COUNT; s++)
		if (by_state[s])
			printf("%s %lld  ",
			       cli_pick(c, fk_sweep_states[s].ja, fk_sweep_states[s].key),
			       (long long)by_state[s]);
	printf("\n\n  ");
	fk_utf8_fput(stdout, TR(c->lang, "DEPARTMENT", "部署"), 24);
	printf(" %8s %8s %7s\n", TR(c->lang, "TOTAL", "台数"), TR(c->lang, "CHECKED", "確認済"),
	       "%");
	for (size_t i = 0; i < n; i++) {
		int64_t t, k;
		dept_totals(&cnt[i], &t, &k);
		printf("  ");
		fk_utf8_fput(
		    stdout,
		    *cnt[i].department ? cnt[i].department : TR(c->lang, "(none)", "(なし)"), 24);
		printf(" %8lld %8lld %6.1f%%\n", (long long)t, (long long)k,
		       t ? 100.0 * (double)k / (double)t : 0.0);
	}
	if (by_state[FK_SW_UNCHECKED]) {
		printf("\n  %s\n", TR(c->lang, "unchecked:", "未確認:"));
		rc = fk_store_sweep_each(c->st, in->id, FK_SW_UNCHECKED, NULL, unchecked_one, &u,
		                         &c->err);
		if (rc == STOP) {
			rc = FK_OK;
			printf(TR(c->lang, "    ... %lld more\n", "    ... ほか %lld 台\n"),
			       (long long)(by_state[FK_SW_UNCHECKED] - limit));
		}
	}
out:
	if (exists)
		fk_sweep_release(&sw);
	for (size_t i = 0; i < n; i++)
		free(cnt[i].department);
	free(cnt);
	return rc;
}

static enum fk_code sweep_status(struct cli *c, int argc, char **argv)
{
	int64_t limit = 20;
	const struct opt opts[] = {
	    {"unchecked", "N", OPT_INT, &limit, NULL, 0,
	     "list at most N unchecked systems (default 20)",
	     "未確認のシステムを最大 N 件表示 (既定 20)"},
	};
	char *pos[1];
	int npos;
	bool help;
	struct fk_incident inc;
	json_t *j = NULL;
	enum fk_code rc = cli_parse(c, argc, argv, opts, 1, "sweep status ID [--unchecked N]", 1, 1,
	                            pos, &npos, &help);
	if (rc || help || (rc = cli_incident(c, pos[0], &inc)))
		return rc;
	rc = cli_sweep_status(c, &inc, limit, c->json ? &j : NULL);
	if (!rc && j)
		cli_json_out(j);
	fk_incident_release(&inc);
	return rc;
}

static enum fk_code sweep_set(struct cli *c, int argc, char **argv)
{
	int state = FK_UNSET;
	const char *note = NULL;
	const struct opt opts[] = {
	    {"state", NULL, OPT_ENUM, &state, fk_sweep_states, FK_SW_COUNT,
	     "the system's new state", "システムの新しい状態"},
	    {"note", "TEXT", OPT_STR, &note, NULL, 0, "what was found or done", "確認・対処の内容"},
	};
	char *pos[2];
	int npos;
	bool help;
	enum fk_code rc =
	    cli_parse(c, argc, argv, opts, FK_ARRAY_LEN(opts),
	              "sweep set ID ASSET --state STATE [--note TEXT]", 2, 2, pos, &npos, &help);
	if (rc || help)
		return rc;
	if (state == FK_UNSET)
		return FK_ERR0(&c->err, FK_EUSAGE, "--state", "missing --state",
		               "--state がありません");
	if ((rc = fk_sweep_set(&c->ctx, pos[0], pos[1], state, note, &c->err)))
		return rc;
	if (c->json)
		cli_json_out(json_pack("{s:s, s:s, s:s}", "incident", pos[0], "asset", pos[1],
		                       "state", fk_sweep_states[state].key));
	else
		printf("%s %s: %s\n", pos[0], pos[1],
		       cli_pick(c, fk_sweep_states[state].ja, fk_sweep_states[state].key));
	return FK_OK;
}

json_t *cli_sweep_entry_json(struct cli *c, const struct fk_sweep_entry *e)
{
	json_t *o = cli_asset_json(&e->asset);
	json_object_set_new(o, "state", json_string(fk_sweep_states[e->state].key));
	json_object_set_new(o, "reasons", json_string(e->reasons));
	json_object_set_new(o, "note", cli_json_str(e->note));
	json_object_set_new(o, "updated_at", cli_json_time(c, e->updated_at));
	json_object_set_new(o, "updated_by", cli_json_str(e->updated_by));
	return o;
}

static enum fk_code list_one(void *vctx, const struct fk_sweep_entry *e)
{
	struct cli *c = vctx;
	if (c->json) {
		cli_jarr_item(cli_sweep_entry_json(c, e));
		return FK_OK;
	}
	fk_utf8_fput(stdout, e->asset.col[FK_ACOL_NAME], 24);
	printf(" ");
	fk_utf8_fput(stdout,
	             e->asset.col[FK_ACOL_DEPARTMENT] ? e->asset.col[FK_ACOL_DEPARTMENT] : "-", 18);
	printf(" ");
	fk_utf8_fput(stdout,
	             cli_pick(c, fk_sweep_states[e->state].ja, fk_sweep_states[e->state].key), 12);
	printf(" %s%s%s\n", e->reasons, e->note ? "  " : "", e->note ? e->note : "");
	return FK_OK;
}

static enum fk_code sweep_list(struct cli *c, int argc, char **argv)
{
	int state = FK_UNSET;
	const char *dept = NULL;
	const struct opt opts[] = {
	    {"state", NULL, OPT_ENUM, &state, fk_sweep_states, FK_SW_COUNT,
	     "only systems in this state", "この状態のシステムのみ"},
	    {"department", "NAME", OPT_STR, &dept, NULL, 0, "only this department", "この部署のみ"},
	};
	char *pos[1];
	int npos;
	bool help;
	struct fk_incident inc;
	enum fk_code rc =
	    cli_parse(c, argc, argv, opts, FK_ARRAY_LEN(opts),
	              "sweep list ID [--state S] [--department NAME]", 1, 1, pos, &npos, &help);
	if (rc || help || (rc = cli_incident(c, pos[0], &inc)))
		return rc;
	if (c->json)
		cli_jarr_begin(json_pack("{s:s}", "incident", inc.ref), "systems");
	rc = fk_store_sweep_each(c->st, inc.id, state, dept, list_one, c, &c->err);
	if (c->json)
		cli_jarr_end();
	fk_incident_release(&inc);
	return rc;
}

/* ---- instruction sheets ---------------------------------------------------------------- */

/* A file name for a department: path separators and control bytes become '_', the name is
 * cut (at a character boundary) to 150 bytes, and a name already used in this run (two
 * departments that clean to the same name, also ignoring ASCII case) gets "-2", "-3" ... */
static void slug(const char *dept, char *out, size_t n, char (*used)[200], size_t nused)
{
	size_t k = 0;
	if (!*dept)
		dept = "_unassigned";
	for (const char *p = dept; *p && k + 1 < n && k < 150; p++) {
		unsigned char b = (unsigned char)*p;
		if (b >= 0xC0) { /* the start of a character: does all of it fit? */
			size_t len = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
			if (k + len > 150 || k + len + 1 >= n)
				break;
		}
		bool bad = b < 0x20 || strchr("/\\:*?\"<>|", b) || (k == 0 && b == '.');
		out[k] = bad ? '_' : (char)b;
		k++;
	}
	out[k] = '\0';
	size_t base = k;
	for (int suffix = 2;; suffix++) {
		bool taken = false;
		for (size_t i = 0; i < nused && !taken; i++)
			taken = !strcasecmp(used[i], out);
		if (!taken)
			break;
		snprintf(out + base, n - base, "-%d", suffix);
	}
}

/* A CSV cell a spreadsheet would run as a formula gets a leading apostrophe. */
static const char *sheet_cell(const char *v, char *buf, size_t n)
{
	if (!v || !v[0] || !strchr("=+-@\t\r", v[0]))
		return v;
	snprintf(buf, n, "'%s", v);
	return buf;
}

struct sheet_ctx {
	FILE *csv, *md_ja, *md_en;
	int64_t count;
};

static void md_cell(FILE *f, const char *v)
{
	for (; v && *v; v++) {
		if (*v == '|')
			fputs("\\|", f);
		else
			fputc(*v, f);
	}
}

static enum fk_code sheet_row(void *vctx, const struct fk_sweep_entry *e)
{
	struct sheet_ctx *s = vctx;
	const struct fk_asset *a = &e->asset;
	const char *raw[] = {a->col[FK_ACOL_NAME],
	                     a->col[FK_ACOL_IP],
	                     a->col[FK_ACOL_OS],
	                     a->col[FK_ACOL_OS_VERSION],
	                     a->col[FK_ACOL_DEPARTMENT],
	                     a->col[FK_ACOL_OWNER],
	                     a->col[FK_ACOL_LOCATION],
	                     e->reasons,
	                     e->state == FK_SW_UNCHECKED ? "" : fk_sweep_states[e->state].key,
	                     e->note};
	/* Sheets are opened in spreadsheets: neutralise cells that would run as formulas
	 * (sweep import strips the apostrophe again). */
	static char bufs[FK_ARRAY_LEN(raw)][1100];
	const char *v[FK_ARRAY_LEN(raw)];
	for (size_t i = 0; i < FK_ARRAY_LEN(raw); i++)
		v[i] = sheet_cell(raw[i], bufs[i], sizeof bufs[i]);
	cli_csv_row(s->csv, v, FK_ARRAY_LEN(v));
	FILE *md[] = {s->md_ja, s->md_en};
	for (int i = 0; i < 2; i++) {
		fputs("| ", md[i]);
		md_cell(md[i], a->col[FK_ACOL_NAME]);
		fputs(" | ", md[i]);
		md_cell(md[i], a->col[FK_ACOL_IP]);
		fputs(" | ", md[i]);
		md_cell(md[i], a->col[FK_ACOL_OS]);
		fputs(" ", md[i]);
		md_cell(md[i], a->col[FK_ACOL_OS_VERSION]);
		fputs(" | ", md[i]);
		md_cell(md[i], a->col[FK_ACOL_OWNER]);
		fputs(" | ", md[i]);
		md_cell(md[i], e->reasons);
		fputs(" | ", md[i]);
		md_cell(md[i], i ? fk_sweep_states[e->state].en : fk_sweep_states[e->state].ja);
		fputs(" |\n", md[i]);
	}
	s->count++;
	return FK_OK;
}

static const char *or_dash(const char *s)
{
	return s && *s ? s : "-";
}

static void sheet_head(FILE *f, bool ja, const struct fk_incident *inc, const char *dept,
                       const struct fk_sweep *sw, const char *deadline, const char *csv_name,
                       int64_t count)
{
	if (ja) {
		fprintf(f, "# 調査と緊急対処の指示 — %s\n\n", inc->ref);
		fprintf(f, "- インシデント: %s\n- 部署: %s\n- 対象: %lld 台\n- 期限: %s\n\n",
		        inc->title, *dept ? dept : "(部署なし)", (long long)count, deadline);
		fprintf(f, "## 確認の手順\n\n%s\n\n", or_dash(sw->procedure));
		fprintf(f, "## 緊急対処 (発生システムと同等の対策)\n\n%s\n\n",
		        or_dash(sw->countermeasure));
		fprintf(f, "## 再接続のルール\n\n%s\n\n", or_dash(sw->reconnect));
		fprintf(
		    f,
		    "## 結果の返送\n\n同梱の `%s` の state 列に clean (被害なし) / damaged "
		    "(被害あり) "
		    "などを記入し、note 列に所見を書いて、期限までに次へ返送してください: %s\n\n"
		    "全社復旧プログラムからの指示があるまで、監視体制の強化を続けてください。\n\n",
		    csv_name, or_dash(sw->reply_to));
		fprintf(f, "## 対象システム\n\n| 名前 | IP | OS | 管理者 | 理由 | 状態 "
		           "|\n|---|---|---|---|---|---|\n");
	} else {
		fprintf(f, "# Sweep and emergency countermeasure instructions — %s\n\n", inc->ref);
		fprintf(f, "- Incident: %s\n- Department: %s\n- Systems: %lld\n- Deadline: %s\n\n",
		        inc->title, *dept ? dept : "(no department)", (long long)count, deadline);
		fprintf(f, "## How to check\n\n%s\n\n", or_dash(sw->procedure));
		fprintf(f, "## Emergency countermeasure (as on the affected system)\n\n%s\n\n",
		        or_dash(sw->countermeasure));
		fprintf(f, "## Reconnection rule\n\n%s\n\n", or_dash(sw->reconnect));
		fprintf(
		    f,
		    "## Sending the results back\n\nFill in the state column of the enclosed `%s` "
		    "(clean, damaged, ...) and your findings in the note column, and send it "
		    "before the deadline to: %s\n\nKeep the heightened monitoring until the "
		    "company-wide recovery programme says otherwise.\n\n",
		    csv_name, or_dash(sw->reply_to));
		fprintf(f, "## Systems\n\n| Name | IP | OS | Owner | Reason | State "
		           "|\n|---|---|---|---|---|---|\n");
	}
}

static enum fk_code sweep_instructions(struct cli *c, int argc, char **argv)
{
	struct fk_sweep in = {.deadline = FK_TIME_NONE};
	const char *dir = NULL;
	const struct opt opts[] = {
	    {"out", "DIR", OPT_STR, &dir, NULL, 0, "folder to write the sheets to (required)",
	     "シートを書き出すフォルダ (必須)"},
	    {"procedure", "TEXT", OPT_STR, &in.procedure, NULL, 0, "how to check a system",
	     "確認の手順"},
	    {"countermeasure", "TEXT", OPT_STR, &in.countermeasure, NULL, 0,
	     "the emergency countermeasure to apply", "実施する緊急対処"},
	    {"reconnect", "TEXT", OPT_STR, &in.reconnect, NULL, 0,
	     "when a system may be reconnected", "再接続のルール"},
	    {"deadline", NULL, OPT_TIME, &in.deadline, NULL, 0, "when results are due",
	     "結果の期限"},
	    {"reply-to", "TEXT", OPT_STR, &in.reply_to, NULL, 0, "where results go",
	     "結果の返送先"},
	};
	char *pos[1];
	int npos;
	bool help;
	struct fk_incident inc;
	struct fk_sweep sw;
	struct fk_sweep_count *cnt = NULL;
	size_t n = 0;
	enum fk_code rc =
	    cli_parse(c, argc, argv, opts, FK_ARRAY_LEN(opts),
	              "sweep instructions ID --out DIR [--procedure T] [--countermeasure T] "
	              "[--reconnect T] [--deadline TIME] [--reply-to T]",
	              1, 1, pos, &npos, &help);
	if (rc || help)
		return rc;
	if (!dir)
		return FK_ERR0(&c->err, FK_EUSAGE, "--out",
		               "missing --out DIR: where to write the sheets",
		               "--out DIR がありません: シートの書き出し先を指定してください");
	if (strlen(dir) > 700)
		return FK_ERR0(&c->err, FK_EUSAGE, "--out", "--out: the folder name is too long",
		               "--out: フォルダ名が長すぎます");
	if (mkdir(dir, 0777) && errno != EEXIST)
		return FK_ERR(&c->err, FK_EIO, dir, "cannot create folder '%s': %s",
		              "フォルダ '%s' を作成できません: %s", dir, strerror(errno));
	if ((rc = fk_sweep_instruct(&c->ctx, pos[0], &in, &sw, &c->err)))
		return rc;
	if ((rc = cli_incident(c, pos[0], &inc))) {
		fk_sweep_release(&sw);
		return rc;
	}
	char deadline[40];
	cli_time(c, sw.deadline, deadline);
	json_t *files = json_array();
	if ((rc = fk_store_sweep_counts(c->st, inc.id, &cnt, &n, &c->err)))
		goto out;
	/* Every department's sheets are written to temporary files first and put in place
	 * together at the end: all departments get their instructions at the same moment, or
	 * none does. Temporary files are created exclusively (mkstemp), never followed links. */
	char(*used)[200] = fk_xcalloc(n ? n : 1, sizeof *used);
	char(*tmp)[1100] = fk_xcalloc(3 * (n ? n : 1), sizeof *tmp);
	char(*path)[1100] = fk_xcalloc(3 * (n ? n : 1), sizeof *path);
	size_t made = 0;
	for (size_t i = 0; !rc && i < n; i++) {
		char base[200], csv_name[220];
		slug(cnt[i].department, base, sizeof base, used, i);
		snprintf(used[i], sizeof used[i], "%s", base);
		snprintf(csv_name, sizeof csv_name, "%s.csv", base);
		static const char *const suffix[3] = {".csv", ".ja.md", ".en.md"};
		FILE *f[3] = {0};
		for (int k = 0; k < 3 && !rc; k++) {
			size_t j = 3 * i + (size_t)k;
			snprintf(path[j], sizeof path[j], "%s/%s%s", dir, base, suffix[k]);
			snprintf(tmp[j], sizeof tmp[j], "%s/.%s%s.XXXXXX", dir, base, suffix[k]);
			int fd = mkstemp(tmp[j]);
			f[k] = fd >= 0 ? fdopen(fd, "wb") : NULL;
			if (!f[k]) {
				rc = FK_ERR(&c->err, FK_EIO, tmp[j], "cannot write '%s': %s",
				            "'%s' に書き込めません: %s", tmp[j], strerror(errno));
				if (fd >= 0)
					close(fd);
				tmp[j][0] = '\0';
			}
			made = j + 1;
		}
		int64_t count = 0;
		for (int st = 0; st < FK_SW_COUNT; st++)
			count += cnt[i].by_state[st];
		if (!rc) {
			static const char *const head[] = {
			    "name",  "ip",       "os",      "os_version", "department",
			    "owner", "location", "reasons", "state",      "note"};
			cli_csv_row(f[0], head, FK_ARRAY_LEN(head));
			sheet_head(f[1], true, &inc, cnt[i].department, &sw, deadline, csv_name,
			           count);
			sheet_head(f[2], false, &inc, cnt[i].department, &sw, deadline, csv_name,
			           count);
			struct sheet_ctx sc = {f[0], f[1], f[2], 0};
			rc = fk_store_sweep_each(c->st, inc.id, FK_UNSET, cnt[i].department,
			                         sheet_row, &sc, &c->err);
		}
		for (int k = 0; k < 3; k++) {
			if (!f[k])
				continue;
			bool bad = fflush(f[k]) || ferror(f[k]) || fsync(fileno(f[k]));
			fclose(f[k]);
			if (!rc && bad)
				rc = FK_ERR(&c->err, FK_EIO, path[3 * i + (size_t)k],
				            "cannot write '%s'", "'%s' に書き込めません",
				            path[3 * i + (size_t)k]);
		}
	}
	for (size_t j = 0; j < made; j++) {
		if (!tmp[j][0])
			continue;
		if (!rc && rename(tmp[j], path[j]))
			rc = FK_ERR(&c->err, FK_EIO, path[j], "cannot write '%s'",
			            "'%s' に書き込めません", path[j]);
		if (rc)
			remove(tmp[j]);
		else
			json_array_append_new(files, json_string(path[j]));
	}
	free(used);
	free(tmp);
	free(path);
	if (!rc) {
		if (c->json) {
			cli_json_out(json_pack("{s:s, s:I, s:O}", "incident", inc.ref,
			                       "departments", (json_int_t)n, "files", files));
		} else {
			printf(TR(c->lang,
			          "%zu departments: sheets written to %s (Markdown ja/en + CSV)\n",
			          "%zu 部署分のシートを %s に書き出しました (Markdown 日本語/英語 "
			          "+ CSV)\n"),
			       n, dir);
		}
	}
out:
	json_decref(files);
	for (size_t i = 0; i < n; i++)
		free(cnt[i].department);
	free(cnt);
	fk_sweep_release(&sw);
	fk_incident_release(&inc);
	return rc;
}

static enum fk_code sweep_import(struct cli *c, int argc, char **argv)
{
	char *pos[2];
	int npos;
	bool help;
	enum fk_code rc =
	    cli_parse(c, argc, argv, NULL, 0, "sweep import ID FILE", 2, 2, pos, &npos, &help);
	if (rc || help)
		return rc;
	FILE *f = cli_open_input(c, pos[1]);
	if (!f)
		return FK_EIO;
	struct fk_import_report r;
	rc = fk_sweep_import(&c->ctx, pos[0], f, pos[1], &r, &c->err);
	if (f != stdin)
		fclose(f);
	cli_print_report(c, &r);
	if (!rc) {
		if (c->json)
			cli_json_out(json_pack("{s:I, s:I}", "rows", (json_int_t)r.rows, "updated",
			                       (json_int_t)r.updated));
		else
			printf(TR(c->lang, "%s: %lld systems recorded\n",
			          "%s: %lld 台の結果を記録しました\n"),
			       pos[1], (long long)r.updated);
	}
	fk_import_report_release(&r);
	return rc;
}

enum fk_code cmd_sweep(struct cli *c, int argc, char **argv)
{
	static const struct subcmd subs[] = {
	    {"start", sweep_start, "find similar systems company-wide (re-run adds, never resets)",
	     "全社の類似システムを洗い出す (再実行は追加のみ)"},
	    {"status", sweep_status, "coverage overall and per department",
	     "全体・部署別の確認状況"},
	    {"list", sweep_list, "the systems of the sweep", "調査対象のシステム一覧"},
	    {"set", sweep_set, "one system's recovery state", "システムの復旧状態を変更"},
	    {"instructions", sweep_instructions, "one sheet per department, all at once",
	     "部署ごとの指示シートを一斉に作成"},
	    {"import", sweep_import, "a department's returned sheet",
	     "部署から返送されたシートを取り込む"},
	};
	return cli_dispatch(c, argc, argv, subs, FK_ARRAY_LEN(subs));
}
